"""The application core: programme documents, edit history, library, outbox, settings, CLI.

No Qt here: the window in `ui/` and the command line both drive this package.
"""

__version__ = "0.1.0"

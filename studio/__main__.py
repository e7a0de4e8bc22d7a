"""`studio` / `python -m studio`: a sub-command runs headless; otherwise the window opens.

This launcher is the composition root, the one place in `studio/` allowed to reach up into
`ui/` (import-linter is told so explicitly).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from studio.cli import is_command, run

    if is_command(argv):
        return run(argv)
    from ui.app import run_window

    return run_window(argv[0] if argv else None)


if __name__ == "__main__":
    sys.exit(main())

"""`studio` / `python -m studio`: a sub-command runs headless; otherwise the window opens.

This launcher is the composition root, the one place in `studio/` allowed to reach up into
`ui/` (import-linter is told so explicitly).
"""

from __future__ import annotations

import logging
import sys


def opens_window(arg: str) -> bool:
    """Only an existing path or a programme file name (a new one is fine) opens the window;
    anything else is a mistyped command, not a document."""
    import os

    from studio.programme import SUFFIX

    return os.path.exists(arg) or arg.lower().endswith(SUFFIX)


def self_test() -> int:
    """`studio --self-test`: the checks of `studio.selftest`, with the window's when Qt is
    installed (a core-only install still checks the rest)."""
    from studio import selftest

    try:
        from ui.selftest import check_main_window
    except ImportError:
        check_main_window = None
    return selftest.main(check_main_window)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):
        # A file name with bytes that are not UTF-8 (an old USB stick) is printed, not fatal.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if argv[:1] == ["--self-test"]:
        return self_test()
    from studio.applog import log_to_file
    from studio.cli import is_command, run
    from studio.paths import StudioHome

    try:  # log records to the log file, not the console (the window and every command)
        log_to_file(StudioHome.default())
    except (OSError, ValueError):  # a home that cannot be made: the command says so itself
        logging.getLogger().addHandler(logging.NullHandler())

    if is_command(argv):
        return run(argv)
    if argv and not opens_window(argv[0]):
        from audio.errors import localized as _t

        name = argv[0].encode("utf-8", "backslashreplace").decode("utf-8")
        print(
            _t(
                f"studio: '{name}' is neither a command nor a programme file (see studio --help).",
                f"studio: '{name}' không phải lệnh cũng không phải tệp chương trình "
                "(xem studio --help).",
            ),
            file=sys.stderr,
        )
        return 2
    from ui.app import run_window

    return run_window(argv[0] if argv else None)


if __name__ == "__main__":
    sys.exit(main())

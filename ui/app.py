"""The QApplication and the composition root of the window, on the embedded default.

`run_window(path)` is what `studio` with no sub-command calls. The data folder is
`StudioHome.default()` (SQLite library and local media store inside it): no server is needed.
It builds the window (`ui/window/`), installs the features listed in
`ui.window.feature.FEATURES` (library, meters, publishing, recording), and runs the outbox
sender while the window is open. `STUDIO_QUIT_AFTER_MS=N` closes the window after N ms
with exit code 0 (the packaged build's smoke test).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from audio.errors import set_language
from studio.paths import StudioHome
from studio.settings import Settings
from ui.looks import apply_theme, choose_font, load_translations


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Studio Truyền Thanh")
    app.setOrganizationName("StudioTruyenThanh")
    if not app.property("studio_style"):
        # the same look on Windows and Linux, and stylesheets behave; set once per app:
        # replacing the style under living widgets (the first-start assistant's) crashed
        # PySide6 6.12
        app.setStyle("Fusion")
        app.setProperty("studio_style", True)
    return app


def window_language(settings: Settings) -> str:
    """'vi' or 'en' for the window: `STUDIO_LANG` when it is set (one launch in the other
    language, for a trainer, a screenshot or a test), else the language setting, else
    Vietnamese. The setting always has a value (its default is 'vi'), so the variable must
    be read first or it could never take effect."""
    env = os.environ.get("STUDIO_LANG", "").strip().lower()
    if env.startswith("en"):
        return "en"
    if env.startswith("vi"):
        return "vi"
    return settings.get("language") if settings.get("language") in ("vi", "en") else "vi"


def prepare_looks(settings: Settings) -> QApplication:
    """Language (`window_language`), translations, font and theme from the settings."""
    app = create_app()
    lang = window_language(settings)
    set_language(lang)
    load_translations(app, lang)
    choose_font(app)
    apply_theme(settings.get("theme"))
    return app


def build_window(home: StudioHome, settings: Settings, **kwargs):
    """Language, font and theme set up, and a main window made (not shown)."""
    from ui.window.main_window import MainWindow

    prepare_looks(settings)
    window = MainWindow(home, settings, **kwargs)
    window.timeline_view.set_dark(settings.get("theme") == "dark")
    return window


def install_features(window, **options):
    """Install the window's features (`ui.window.feature.FEATURES`); options go to each one
    (`library=`, `outbox=` to use those objects, `start_worker=False` for no outbox sender)."""
    from ui.window.feature import install_features as install

    return install(window, **options)


def quit_after_ms() -> int | None:
    """`STUDIO_QUIT_AFTER_MS` as a whole number of milliseconds, or None."""
    value = os.environ.get("STUDIO_QUIT_AFTER_MS", "").strip()
    try:
        return max(0, int(value)) if value else None
    except ValueError:
        return None


def run_window(programme_path: str | None) -> int:
    from studio.diagnostics import start_log

    home = StudioHome.default().ensure()
    settings = Settings(home.settings_file)
    start_log(home)
    create_app()
    quit_ms = quit_after_ms()
    first_start = not settings.get("first_start_done") and quit_ms is None
    if first_start:
        from ui.first_start.feature import run_first_start

        prepare_looks(settings)
        home, settings = run_first_start(home, settings)
    window = build_window(home, settings)
    features = install_features(window, first_start=first_start)
    if os.environ.get("STUDIO_MAXIMISE", "1") == "1":
        window.showMaximized()
    else:
        window.show()

    def start() -> None:
        if quit_ms is not None:
            return  # a smoke test: no questions asked
        if not window.offer_recovery():
            if programme_path:
                window.open_path(programme_path, ask=False)
            else:
                window.add_track_defaults()
        # after the document is settled, so recovered takes land in the programme on screen
        features.start()

    QTimer.singleShot(0, start)
    if quit_ms is not None:

        def quit_now() -> None:
            # a smoke test asks nothing: unsent items must not hold it on "keep sending?"
            window.prompts.keep_sending = lambda _pending: "close"
            window.close()  # stops the features' threads and the player, as a user's close does
            QApplication.instance().quit()

        QTimer.singleShot(quit_ms, quit_now)
    code = QApplication.instance().exec()
    return code

"""The QApplication: language, fonts, theme, and the main window on the embedded default.

`run_window(path)` is what `studio` with no sub-command calls. The data folder is
`StudioHome.default()` (SQLite library and local media store inside it): no server is needed.
It docks the library, meters, outbox and recording panels (`ui/panels.py`) and runs the
outbox sender while the window is open. `STUDIO_QUIT_AFTER_MS=N` closes the window after N ms
with exit code 0 (the packaged build's smoke test).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from audio.errors import set_language
from studio.paths import StudioHome
from studio.settings import Settings

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
TRANSLATIONS = RESOURCES / "translations"
STYLES = RESOURCES / "styles"
VIETNAMESE_SAMPLE = "Bản tin Đài truyền thanh xã: Ưu tiên, khẩn cấp — ặ ẫ ỡ ự ổ"
PREFERRED_FONTS = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Arial", "Tahoma")

_translators: list[QTranslator] = []


def load_translations(app: QApplication, lang: str) -> list[str]:
    """Install every `resources/translations/*_<lang>.qm` (each area ships its own) and Qt's
    own translations for standard dialogs. Returns the files loaded."""
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    loaded = []
    if lang == "en":
        return loaded  # the source strings are English
    for qm in sorted(TRANSLATIONS.glob(f"*_{lang}.qm")):
        t = QTranslator(app)
        if t.load(str(qm)):
            app.installTranslator(t)
            _translators.append(t)
            loaded.append(qm.name)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    t = QTranslator(app)
    if t.load(QLocale(lang), "qtbase", "_", qt_dir):
        app.installTranslator(t)
        _translators.append(t)
    return loaded


def covers_vietnamese(family: str) -> bool:
    """True when `family` has glyphs for every Vietnamese letter of the sample."""
    from PySide6.QtGui import QRawFont

    raw = QRawFont.fromFont(QFont(family))
    # ord(): the str overload of supportsCharacter reads the wrong code point in PySide6
    return raw.isValid() and all(
        raw.supportsCharacter(ord(ch)) for ch in VIETNAMESE_SAMPLE if ch.strip()
    )


def choose_font(app: QApplication) -> str:
    """Keep the system font when it renders Vietnamese; else pick a known one that does."""
    current = app.font().family()
    if covers_vietnamese(current):
        return current
    families = set(QFontDatabase.families())
    for family in PREFERRED_FONTS:
        if family in families and covers_vietnamese(family):
            font = QFont(family, app.font().pointSize())
            app.setFont(font)
            return family
    return current  # nothing better installed; Qt's fallback fonts may still cover it


def apply_theme(theme: str) -> None:
    app = QApplication.instance()
    qss = STYLES / f"{'dark' if theme == 'dark' else 'light'}.qss"
    try:
        app.setStyleSheet(qss.read_text("utf-8"))
    except OSError:
        app.setStyleSheet("")


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Studio Truyền Thanh")
    app.setOrganizationName("StudioTruyenThanh")
    app.setStyle("Fusion")  # the same look on Windows and Linux, and stylesheets behave
    return app


def build_window(home: StudioHome, settings: Settings, **kwargs):
    """Language, font and theme set up, and a main window made (not shown)."""
    from ui.main_window import MainWindow

    app = create_app()
    lang = settings.get("language") if settings.get("language") in ("vi", "en") else "vi"
    set_language(lang)
    load_translations(app, lang)
    choose_font(app)
    apply_theme(settings.get("theme"))
    window = MainWindow(home, settings, **kwargs)
    window.timeline_view.set_dark(settings.get("theme") == "dark")
    return window


def install_panels(window, **kwargs):
    """Dock and wire the separately written panels (library, meters, outbox, recording)."""
    from ui.panels import StudioPanels

    window.studio_panels = StudioPanels(window, **kwargs)
    return window.studio_panels


def quit_after_ms() -> int | None:
    """`STUDIO_QUIT_AFTER_MS` as a whole number of milliseconds, or None."""
    value = os.environ.get("STUDIO_QUIT_AFTER_MS", "").strip()
    try:
        return max(0, int(value)) if value else None
    except ValueError:
        return None


def run_window(programme_path: str | None) -> int:
    home = StudioHome.default().ensure()
    settings = Settings(home.settings_file)
    create_app()
    window = build_window(home, settings)
    panels = install_panels(window)
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
        panels.offer_take_recovery()

    quit_ms = quit_after_ms()
    QTimer.singleShot(0, start)
    if quit_ms is not None:

        def quit_now() -> None:
            window.close()  # stops the panels' threads and the player, as a user's close does
            QApplication.instance().quit()

        QTimer.singleShot(quit_ms, quit_now)
    code = QApplication.instance().exec()
    return code

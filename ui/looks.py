"""How the window looks and speaks: translations, a font with every Vietnamese letter, the
light and dark style sheets. Used by the application (`ui/app.py`) at start and by the
Settings dialog when the theme changes, so neither imports the other.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
TRANSLATIONS = RESOURCES / "translations"
STYLES = RESOURCES / "styles"
VIETNAMESE_SAMPLE = "Bản tin Đài truyền thanh xã: Ưu tiên, khẩn cấp — ặ ẫ ỡ ự ổ"
PREFERRED_FONTS = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Arial", "Tahoma")

_translators: list[QTranslator] = []


def load_translations(app: QApplication, lang: str) -> list[str]:
    """Install every `resources/translations/*_<lang>.qm` (each area ships its own) and Qt's
    own translations for its standard dialogs and buttons. Returns the files loaded.

    Qt ships no Vietnamese, so ours is among them: `qtbase_vi.qm` (the file dialog, message
    box buttons, text-field menus, …; contexts and source strings exactly as Qt 6 says them).
    Qt's own file for `lang` is used only when resources has none. "en" installs nothing:
    every source string, ours and Qt's, is English."""
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
    if f"qtbase_{lang}.qm" in loaded:
        return loaded
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


def style_sheet(theme: str) -> str:
    """The theme's style sheet, with `@images/` pointing at resources/styles/images/ (a style
    sheet's url() is relative to the working directory, not to the .qss file); "" when the
    file cannot be read."""
    qss = STYLES / f"{'dark' if theme == 'dark' else 'light'}.qss"
    try:
        text = qss.read_text("utf-8")
    except OSError:
        return ""
    return text.replace("@images/", (STYLES / "images").as_posix() + "/")


def apply_theme(theme: str) -> None:
    QApplication.instance().setStyleSheet(style_sheet(theme))

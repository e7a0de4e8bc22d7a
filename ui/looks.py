"""How the window looks and speaks: translations, a font with every Vietnamese letter, the
light and dark style sheets, the toolbar's icons. Used by the application (`ui/app.py`) at
start and by the Settings dialog when the theme changes, so neither imports the other.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLibraryInfo, QLocale, QSize, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
TRANSLATIONS = RESOURCES / "translations"
STYLES = RESOURCES / "styles"
TOOLBAR_ICONS = RESOURCES / "icons" / "toolbar"
# `currentColor` in a toolbar SVG becomes the theme's text colour (the colours of
# resources/styles/*.qss); fixed colours (the white of Khẩn cấp) stay.
ICON_COLOURS = {
    "light": {"normal": "#1f2328", "disabled": "#a3a8b0", "on": "#0b4f8a"},
    "dark": {"normal": "#e6e6e6", "disabled": "#6b6f77", "on": "#9ccaff"},
}
ICON_PROPERTY = "toolbarIcon"  # an action's icon name, read by refresh_toolbar_icons
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


def toolbar_icon(name: str, dark: bool = False, sizes=(16, 20, 24, 32, 48)) -> QIcon:
    """The icon `resources/icons/toolbar/<name>.svg` in the theme's colours: its normal,
    disabled and checked looks drawn from the SVG at each size (crisp, no blurred scaling),
    through Qt's SVG image plugin (the bundle carries it; no QtSvg module needed). A missing
    or unreadable file gives an empty icon (the action keeps its text)."""
    try:
        svg = (TOOLBAR_ICONS / f"{name}.svg").read_text("utf-8")
    except OSError:
        return QIcon()
    colours = ICON_COLOURS["dark" if dark else "light"]
    icon = QIcon()
    looks = (
        (colours["normal"], QIcon.Mode.Normal, QIcon.State.Off),
        (colours["normal"], QIcon.Mode.Active, QIcon.State.Off),
        (colours["disabled"], QIcon.Mode.Disabled, QIcon.State.Off),
        (colours["on"], QIcon.Mode.Normal, QIcon.State.On),
        (colours["on"], QIcon.Mode.Active, QIcon.State.On),
        (colours["disabled"], QIcon.Mode.Disabled, QIcon.State.On),
    )
    for colour, mode, state in looks:
        data = QByteArray(svg.replace("currentColor", colour).encode())
        for size in sizes:
            buffer = QBuffer(data)
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            reader = QImageReader(buffer, b"svg")
            reader.setScaledSize(QSize(size, size))
            image = reader.read()
            if image.isNull():
                return QIcon()
            icon.addPixmap(QPixmap.fromImage(image), mode, state)
    return icon


def refresh_toolbar_icons(toolbar, dark: bool) -> int:
    """Give every action of `toolbar` that names an icon (`action.setProperty("toolbarIcon",
    name)`, set by the window and by features) that icon in the theme's colours. Called once
    the features are installed and again when the theme changes. Returns how many got one."""
    done = 0
    for action in toolbar.actions():
        name = action.property(ICON_PROPERTY)
        if name:
            action.setIcon(toolbar_icon(str(name), dark))
            done += 1
    return done

"""Finding English in a window shown in Vietnamese (used by tests/test_ui_vietnamese.py).

`english_words(text)` is a heuristic with no dictionary: an ASCII-only word is Vietnamese
when it has the shape of a Vietnamese syllable written without its marks (an optional
initial consonant from the Vietnamese set, one to three vowels, an optional final from
c/ch/m/n/ng/nh/p/t: "tin", "loa", "xong", "nhanh", "to"); every other ASCII word — "Save",
"Cancel", "Track", "mono", "Pk" — is taken for English unless it is in `ALLOWED` (units,
formats and protocols a broadcaster reads as they are). A few English words that happen to
have a Vietnamese shape are listed in `ENGLISH_LOOKALIKES`. Words with Vietnamese letters
(ă â đ ê ô ơ ư or a tone mark) are Vietnamese by construction.

`visible_texts(window)` gathers what a user reads: the window and dock titles, the tabs of
tabbed docks, menu titles and actions (all menus, opened or not), toolbar actions, and the
text of every visible label, button, group box, tab widget, line edit placeholder, the
choices of a (non-editable) drop-down list and the column headings of a table (dialog button
boxes are buttons too). Each entry says where it was found, for a readable failure.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTabBar,
    QTableView,
    QTabWidget,
    QToolBar,
    QTreeView,
    QWidget,
)

# Units, formats, protocols, standards and names shown as they are in Vietnamese too.
ALLOWED = {
    w.lower()
    for w in [
        "MP3",
        "WAV",
        "FLAC",
        "ID3",
        "LUFS",
        "LU",
        "dB",
        "dBTP",
        "dBFS",
        "Hz",
        "kHz",
        "kbps",
        "ms",
        "FTP",
        "FTPS",
        "SFTP",
        "HTTP",
        "HTTPS",
        "URL",
        "TLS",
        "CA",
        "SSH",
        "IP",
        "USB",
        "EBU",
        "R128",
        "BS",
        "LRA",
        "CSV",
        "JSON",
        "PDF",
        "HTML",
        "SHA",
        "MB",
        "GB",
        "KB",
        "CN",
        "Ctrl",
        "Shift",
        "Alt",
        "Esc",
        "Del",
        "Enter",
        "Space",
        "Tab",
        "Home",
        "End",
        "Delete",
        "Backspace",
        "Studio",
        "UBND",  # Uỷ ban nhân dân
        "BTTTT",  # Bộ Thông tin và Truyền thông (Thông tư 39/2020/TT-BTTTT)
    ]
}
ENGLISH_LOOKALIKES = {"the", "can", "cut", "gain", "pan", "ok", "on", "up", "and", "no", "me"}

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?"
)
_TAG = re.compile(r"<[^>]+>")


def english_words(text: str) -> list[str]:
    """The words of `text` that read as English (see the module's docstring)."""
    text = _TAG.sub(" ", text.replace("&&", "&").replace("&", ""))
    # addresses, paths and file names ("bản tin.sttprog") are the user's, not ours
    text = re.sub(r"https?://\S+|\S+@\S+|[A-Za-z]:\\\S*|/\S+|\S+\.[A-Za-z0-9]+\b", " ", text)
    found = []
    for word in _WORD.findall(text):
        if not word.isascii() or len(word) < 2 or any(c.isdigit() for c in word):
            continue  # Vietnamese, a letter ("M" on a button), a number, MP3, R128, T2
        low = word.lower()
        if low in ALLOWED:
            continue
        if low in ENGLISH_LOOKALIKES or not _SYLLABLE.fullmatch(low):
            found.append(word)
    return found


def _menu_texts(menu: QMenu, where: str, out: list[tuple[str, str]]) -> None:
    out.append((f"{where} menu", menu.title()))
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        if action.menu() is not None:
            _menu_texts(action.menu(), f"{where} › {menu.title()}", out)
        else:
            out.append((f"{where} › {menu.title()} action", action.text()))


def visible_texts(window: QMainWindow, tooltips: bool = False) -> list[tuple[str, str]]:
    """(where, text) for everything a user reads in `window` and its docks."""
    out: list[tuple[str, str]] = [("window title", window.windowTitle())]
    for action in window.menuBar().actions():
        if action.menu() is not None and action.isVisible():
            _menu_texts(action.menu(), "menu bar", out)
    for bar in window.findChildren(QToolBar):
        if bar.isVisibleTo(window):
            out.append(("toolbar title", bar.windowTitle()))
            for action in bar.actions():
                if action.isVisible() and not action.isSeparator():
                    out.append(("toolbar action", action.text()))
                    out.append(("toolbar label", action.iconText()))  # under its icon
    for dock in window.findChildren(QDockWidget):
        out.append(("dock title", dock.windowTitle()))
    for bar in window.findChildren(QTabBar):
        if bar.isVisibleTo(window):
            for i in range(bar.count()):
                out.append(("tab", bar.tabText(i)))
    # what shows now, and what shows in a dock that is behind another one's tab
    widgets = [w for w in window.findChildren(QWidget) if w.isVisibleTo(window)]
    for dock in window.findChildren(QDockWidget):
        inner = dock.widget()
        if inner is not None and not inner.isVisibleTo(window):
            widgets += [inner, *(w for w in inner.findChildren(QWidget) if w.isVisibleTo(inner))]
    return [(where, text) for where, text in out + widget_texts(widgets, window, tooltips) if text]


def dialog_texts(dialog: QWidget, tooltips: bool = False) -> list[tuple[str, str]]:
    """(where, text) for everything a user reads in a shown dialog."""
    widgets = [w for w in dialog.findChildren(QWidget) if w.isVisibleTo(dialog)]
    out = [("window title", dialog.windowTitle()), *widget_texts(widgets, dialog, tooltips)]
    return [(where, text) for where, text in out if text]


def widget_texts(widgets, root: QWidget, tooltips: bool = False) -> list[tuple[str, str]]:
    """(where, text) of the labels, buttons, … among `widgets` (shown inside `root`)."""
    out: list[tuple[str, str]] = []
    for w in widgets:
        kind = type(w).__name__
        name = w.objectName() or kind
        if isinstance(w, QLabel):
            out.append((f"label {name}", w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((f"button {name}", w.text()))
        elif isinstance(w, QGroupBox):
            out.append((f"group box {name}", w.title()))
        elif isinstance(w, QComboBox) and not w.isEditable():
            for i in range(w.count()):
                out.append((f"choice of {name}", w.itemText(i)))
        elif isinstance(w, QLineEdit) and w.placeholderText():
            out.append((f"placeholder {name}", w.placeholderText()))
        header = (
            w.horizontalHeader()
            if isinstance(w, QTableView)
            else w.header()
            if isinstance(w, QTreeView)
            else None
        )
        if header is not None and header.isVisibleTo(root) and w.model() is not None:
            for i in range(header.count()):
                heading = w.model().headerData(i, Qt.Orientation.Horizontal)
                if isinstance(heading, str) and not header.isSectionHidden(i):
                    out.append((f"column heading of {name}", heading))
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                out.append((f"tab of {name}", w.tabText(i)))
        if tooltips and w.toolTip():
            out.append((f"tooltip of {name}", w.toolTip()))
    return out


def english_in(window: QWidget, tooltips: bool = False, names=()) -> list[str]:
    """One line per text of a main window or a shown dialog that has English in it:
    "where: text [words]". `names` are not ours to translate (sound devices and host APIs
    as the system calls them, "English" in the language list): left out of every text."""
    lines = []
    texts = visible_texts if isinstance(window, QMainWindow) else dialog_texts
    names = sorted(set(names), key=len, reverse=True)
    for where, text in texts(window, tooltips):
        shown = text
        for name in names:
            shown = shown.replace(name, " ")
        words = english_words(shown)
        if words:
            lines.append(f"{where}: {text!r} {words}")
    return sorted(set(lines))

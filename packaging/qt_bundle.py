"""What of Qt the bundle carries: the widgets the app uses, nothing else (used by the hooks in
`pyinstaller-hooks/`, which replace PyInstaller's own for QtCore, QtGui and QtWidgets).

PyInstaller's hooks collect every plugin of a module (GTK platform theme, Wayland, EGL, TLS,
image formats we never read) and Qt's translations for 30 languages; each plugin also drags
its own libraries in (the GTK theme alone brings GTK, cairo, pango and atk). Only the plugins
named here are kept; Qt's translations are not collected (it ships none for Vietnamese: ours,
`resources/translations/qtbase_vi.qm`, travels with the app's resources).
"""

from __future__ import annotations

import os

# plugin folder -> file-name stems kept (Linux lib*.so, Windows *.dll)
KEEP_PLUGINS = {
    "platforms": {"qxcb", "qoffscreen", "qwindows", "qcocoa"},
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    "imageformats": {"qsvg", "qico"},
    "iconengines": {"qsvgicon"},
}


def _stem(path: str) -> str:
    name = os.path.basename(path).split(".")[0]
    return name[3:] if name.startswith("lib") else name


def keep_binary(src: str, dest: str) -> bool:
    parts = dest.replace("\\", "/").split("/")
    if "plugins" not in parts:
        return True
    folder = "/".join(parts[parts.index("plugins") + 1 :])
    return _stem(src) in KEEP_PLUGINS.get(folder, set())


def keep_data(src: str, dest: str) -> bool:
    return "translations" not in dest.replace("\\", "/").split("/")


def trim(binaries: list, datas: list) -> tuple[list, list]:
    return (
        [(s, d) for s, d in binaries if keep_binary(s, d)],
        [(s, d) for s, d in datas if keep_data(s, d)],
    )

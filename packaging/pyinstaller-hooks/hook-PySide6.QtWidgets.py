# Replaces PyInstaller's hook: the same collection, trimmed to what the app uses (qt_bundle.py).
from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_bundle import trim

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries, datas = trim(binaries, datas)

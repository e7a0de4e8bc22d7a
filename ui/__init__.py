"""The PySide6 window: the only package that imports Qt."""

from ui.qt_guard import protect_singletons

protect_singletons()

"""The Qt front end: the only package that imports PySide6."""

from ui.qt_guard import protect_singletons

protect_singletons()

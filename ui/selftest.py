"""The window part of `studio --self-test`: open the whole main window offscreen, then close it.

Called by the launcher with the self-test's temporary studio home; raises on any failure (the
self-test turns that into a reason line).
"""

from __future__ import annotations

import os
from pathlib import Path


def check_main_window(home: Path) -> str:
    # Before the QApplication exists: no screen is needed (and none is used if one exists).
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from audio.errors import current_language
    from studio.paths import StudioHome
    from studio.settings import Settings

    studio_home = StudioHome(home).ensure()
    settings = Settings(studio_home.settings_file)
    settings.set("language", current_language())  # the summary stays in one language
    problems: list[str] = []  # Qt's critical messages fail the check; warnings do not

    def collect(kind, _context, message: str) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            problems.append(message)

    previous = qInstallMessageHandler(collect)
    try:
        return _open_and_close(studio_home, settings, problems)
    finally:
        qInstallMessageHandler(previous)


def _open_and_close(studio_home, settings, problems: list[str]) -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QCoreApplication

    from audio.errors import localized as _t
    from ui.app import build_window, create_app, install_features
    from ui.looks import TRANSLATIONS

    app = create_app([])
    window = build_window(studio_home, settings)
    features = install_features(window, start_worker=False)
    window.show()
    for _ in range(5):
        QCoreApplication.processEvents()
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    docks = len(window.docks)
    window.close()  # the features stop with it
    QCoreApplication.processEvents()
    if not window.isHidden():
        raise RuntimeError("the main window did not close")
    if problems:
        raise RuntimeError(f"Qt reported: {problems[0]}")
    translations = len(list(TRANSLATIONS.glob("*.qm")))
    del app
    return _t(
        f"opened offscreen (PySide6 {pyside_version}): {len(menus)} menus, {docks} panels, "
        f"{len(features)} features, "
        f"{translations} translation files",
        f"mở được (không màn hình, PySide6 {pyside_version}): {len(menus)} menu, {docks} bảng, "
        f"{len(features)} phần, "
        f"{translations} tệp dịch",
    )

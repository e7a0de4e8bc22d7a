"""How a feature plugs into the window: its own docks, actions and threads.

A feature is a module with `install(window, options) -> Feature`, listed in `FEATURES` in the
order the features are installed. The window knows none of them: each one docks its widgets
with `window.add_dock(...)`, puts its actions into the window's menus with
`window.add_action(menu, action, before=...)` (or a menu of its own with `window.add_menu`) —
the calls of `FeatureHost` below — and stops its threads in `close()`. To add a feature: write `ui/<name>/feature.py` with an
`install` function and add its module name here.

Features find each other through `window.features` (a `Features`, keyed by `Feature.key`),
e.g. the publishing feature notes pushes in the library through `window.features.get("library")`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

log = logging.getLogger(__name__)

# Installed in this order (a later feature may use an earlier one).
FEATURES = (
    "ui.library.feature",
    "ui.meters.feature",
    "ui.publishing.feature",
    "ui.recording.feature",
    "ui.script.feature",
    "ui.emergency.feature",
    "ui.properties.feature",
    "ui.balance.feature",
    "ui.first_start.feature",
)


class Feature(QObject):
    """One part of the window. Subclasses set `key` and build their docks/actions in
    `__init__`; `start()` runs once the first programme is on screen (questions asked at
    start-up); `close()` stops every thread the feature started (the window is closing)."""

    key = ""

    def __init__(self, window, options: dict | None = None):
        super().__init__(window)
        self.window = window
        self.options = options or {}

    def start(self) -> None:
        pass

    def settings_section(self):
        """(title, widget) to show in the Settings dialog, or None."""
        return None

    def close(self) -> None:
        pass


class FeatureHost:
    """What a feature may call on the window (mixed into MainWindow): docks, menus, actions.
    The window sets `docks`, `menus`, `mixer_dock` and the bookkeeping lists in __init__."""

    def add_dock(
        self,
        key: str,
        widget: QWidget,
        title: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.LeftDockWidgetArea,
        beside: QDockWidget | None = None,
        tab_with: QDockWidget | None = None,
    ) -> QDockWidget:
        """Dock a feature's widget (a QDockWidget is docked as it is) and list it in View.
        `beside`: split that dock and sit to its right; `tab_with`: a tab next to that dock."""
        if isinstance(widget, QDockWidget):
            dock = widget
            dock.setWindowTitle(title)
        else:
            dock = QDockWidget(title, self)
            dock.setObjectName(f"{key}Dock")
            dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if beside is not None:
            self.splitDockWidget(beside, dock, Qt.Orientation.Horizontal)
            self._beside.setdefault(beside, []).append(dock)
        if tab_with is not None:
            # A second tab group made before the window is shown gets duplicate tab bars drawn
            # over each other (PySide6 6.12): the first is made now, later ones on first show.
            if self.isVisible() or not self._tab_groups:
                self._tabify(tab_with, dock)
            else:
                self._pending_tabs.append((tab_with, dock))
                # hidden until then: stacked beside its future tab-mate at the first show, the
                # two docks' heights add up and the window grew past a 768-pixel screen
                dock.hide()
        self.docks[key] = dock
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def _tabify(self, first: QDockWidget, second: QDockWidget) -> None:
        self.tabifyDockWidget(first, second)
        first.raise_()
        self._tab_groups.add(first)

    def arrange_docks(self) -> None:
        """A layout that leaves the timeline most of a 1366×768 screen: the left docks 420
        pixels wide; at the bottom the mixer gets the wider share, the docks beside it the
        rest."""
        left = [
            d
            for d in self.docks.values()
            if self.dockWidgetArea(d) == Qt.DockWidgetArea.LeftDockWidgetArea
        ]
        if left:
            self.resizeDocks(left[:1], [420], Qt.Orientation.Horizontal)
        beside = self._beside.get(self.mixer_dock, [])
        if beside:
            self.resizeDocks(
                [self.mixer_dock, *beside], [3, *[2] * len(beside)], Qt.Orientation.Horizontal
            )
        self.resizeDocks([self.mixer_dock], [230], Qt.Orientation.Vertical)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._pending_tabs:
            QTimer.singleShot(0, self._tabify_pending)

    def _tabify_pending(self) -> None:
        pending, self._pending_tabs = self._pending_tabs, []
        for first, second in pending:
            self._tabify(first, second)
            second.show()
            first.raise_()
        self.arrange_docks()

    def add_menu(self, key: str, title: str, before: str = "view") -> QMenu:
        """A menu of a feature's own, placed before the menu `before`."""
        menu = QMenu(title, self)
        self.menuBar().insertMenu(self.menus[before].menuAction(), menu)
        self.menus[key] = menu
        return menu

    def add_action(
        self,
        menu: str,
        action: QAction,
        before: QAction | None = None,
        separator: bool = False,
        after: QAction | None = None,
    ) -> QAction:
        """Put a feature's action into the menu `menu` (file, edit, track, transport, view,
        help or one made by `add_menu`): before `before`, else right after `after`, else at
        the end; with a separator after it when `separator`. Its shortcut works with the menu
        bar hidden too."""
        target = self.menus[menu]
        if before is None and after is not None:
            actions = target.actions()
            i = actions.index(after) + 1
            before = actions[i] if i < len(actions) else None
        if before is None:
            target.addAction(action)
            if separator:
                target.addSeparator()
        else:
            target.insertAction(before, action)
            if separator:
                target.insertSeparator(before)
        self.addAction(action)
        return action


class Features(dict):
    """The installed features by key, with `start()` / `close()` for all of them."""

    def start(self) -> None:
        for feature in self.values():
            feature.start()

    def close(self) -> None:
        """Last installed closes first (it may use an earlier one while it stops)."""
        for feature in reversed(list(self.values())):
            with contextlib.suppress(Exception):
                feature.close()


def install_features(window, names=FEATURES, **options) -> Features:
    """Install every feature in `names` into `window` (options go to each `install`); the
    features stop when the window closes."""
    features = window.features
    for name in names:
        feature = importlib.import_module(name).install(window, options)
        if feature is not None:
            features[feature.key] = feature
    window.closing.connect(features.close)
    window.arrange_docks()
    window.refresh_toolbar_icons()  # the features' toolbar actions get theirs
    return features

"""The toolbar at 1366 px: icons from resources/icons/toolbar/ in the theme's colours, a short
label under each, and no action pushed into the overflow (driven offscreen in the whole
window)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QToolButton

from studio.history import TRACK_RENAME
from studio.settings import Settings
from tests.test_ui_integration import home, open_window, reset_language  # noqa: F401
from ui.looks import ICON_COLOURS, TOOLBAR_ICONS, toolbar_icon
from ui.window.main_window import MainWindow


def hidden_toolbar_actions(window) -> list[str]:
    """Names of the toolbar's actions that are not shown within the toolbar's width."""
    tb = window.transport_bar
    hidden = []
    for action in tb.actions():
        if action.isSeparator():
            continue
        widget = tb.widgetForAction(action)
        shown = (
            widget is not None
            and widget.isVisible()
            and widget.geometry().right() <= tb.contentsRect().right()
        )
        if not shown:
            hidden.append(action.iconText() or action.objectName() or "(widget)")
    return hidden


def overflow_shown(window) -> bool:
    buttons = window.transport_bar.findChildren(QToolButton, "qt_toolbar_ext_button")
    return any(b.isVisible() for b in buttons)


@pytest.mark.parametrize(("lang", "theme"), [("vi", "light"), ("vi", "dark"), ("en", "light")])
def test_every_toolbar_action_fits_at_1366_px(qtbot, home, lang, theme):  # noqa: F811
    settings = Settings(home.settings_file)
    settings.set("language", lang)
    settings.set("theme", theme)
    w, _features = open_window(qtbot, home, settings=settings)
    # after an edit the menu says "Undo <what>"; the toolbar's label stays short
    w.add_track()
    w.editor.set_track(0, TRACK_RENAME, name="Phỏng vấn trưởng thôn")
    assert w.act_undo.text().replace("&", "") in ("Hoàn tác: Đổi tên rãnh", "Undo Rename track")
    assert w.act_undo.iconText() == ("Hoàn tác" if lang == "vi" else "Undo")
    w.resize(1366, 768)
    qtbot.wait(50)  # the toolbar lays out on the next pass of the event loop
    assert w.width() == 1366
    actions = [a for a in w.transport_bar.actions() if not a.isSeparator()]
    assert w.act_zoom_fit in actions and w.act_snap in actions
    assert hidden_toolbar_actions(w) == []
    assert not overflow_shown(w)
    # what the check sees: a narrow window does push actions into the overflow
    w.resize(700, 768)
    qtbot.wait(50)
    assert w.width() < 1000
    assert hidden_toolbar_actions(w) and overflow_shown(w)
    w.close()


def test_the_window_actions_have_their_icons_and_short_labels(qtbot, home):  # noqa: F811
    w, features = open_window(qtbot, home)
    for attr, (name, _label) in MainWindow.TOOLBAR_LOOKS.items():
        action = getattr(w, attr)
        assert (TOOLBAR_ICONS / f"{name}.svg").is_file(), name
        assert not action.icon().isNull(), attr
        assert action.property("toolbarIcon") == name
    assert not features["emergency"].act_emergency.icon().isNull()
    record = features["recording"].act_record  # draws its own red icon (ui/recording/)
    assert record in w.transport_bar.actions() and not record.icon().isNull()
    # Vietnamese by default: the short labels under the icons
    labels = {w.act_split.iconText(), w.act_snap.iconText(), w.act_zoom_fit.iconText()}
    assert labels == {"Tách", "Bắt dính", "Vừa màn hình"}
    assert w.act_split.toolTip() == "Tách tại đầu phát (S)"
    w.close()


def _ink(icon: QIcon, mode=QIcon.Mode.Normal, state=QIcon.State.Off) -> QColor:
    """The average colour of the icon's drawn (opaque) pixels at 24 px."""
    image = icon.pixmap(24, 24, mode, state).toImage()
    r = g = b = n = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if c.alpha() > 200:
                r, g, b, n = r + c.red(), g + c.green(), b + c.blue(), n + 1
    assert n > 20, "the icon draws something"
    return QColor(r // n, g // n, b // n)


@pytest.mark.parametrize("name", sorted(p.stem for p in TOOLBAR_ICONS.glob("*.svg")))
def test_icons_are_legible_on_both_themes(qapp, name):
    """Drawn in a dark ink on the light toolbar and a light ink on the dark one (the themed
    icons), the disabled look fainter than the normal one; fixed-colour icons are the same."""
    light, dark = toolbar_icon(name, dark=False), toolbar_icon(name, dark=True)
    assert not light.isNull() and not dark.isNull()
    svg = (TOOLBAR_ICONS / f"{name}.svg").read_text("utf-8")
    if "currentColor" not in svg:
        return  # emergency: its own white, on the red button
    on_light, on_dark = _ink(light).lightness(), _ink(dark).lightness()
    bar_light = QColor("#e7e9ee").lightness()  # QToolBar#TransportBar in light.qss
    bar_dark = QColor("#2a2c31").lightness()  # and in dark.qss
    assert bar_light - on_light > 120, (on_light, bar_light)
    assert on_dark - bar_dark > 120, (on_dark, bar_dark)
    faint = _ink(dark, QIcon.Mode.Disabled).lightness()
    assert bar_dark < faint < on_dark
    assert QColor(ICON_COLOURS["dark"]["disabled"]).lightness() == pytest.approx(faint, abs=12)


def test_a_missing_icon_leaves_the_text(qapp):
    assert toolbar_icon("no-such-icon").isNull()

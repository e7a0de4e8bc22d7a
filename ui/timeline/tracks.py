"""Track headers beside the timeline, and the mixer panel with a strip per track + master.

Both are views of the Editor's programme: they rebuild when the number of tracks changes and
otherwise only refresh their values (with signals blocked, so a refresh is never an edit).
A slider drag previews and becomes one undo step when released; typed values commit at once.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from audio.timeline import TrackRole
from studio import history
from ui.meters.widgets import PeakBar, PeakScale
from ui.timeline.view import RULER_H

HEADER_W = 236


def _toggle(text: str, tip: str, object_name: str) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    b.setCheckable(True)
    b.setObjectName(object_name)
    b.setFixedSize(26, 22)
    return b


def role_names() -> dict[TrackRole, str]:
    """The roles as the track header's role box names them (the mixer strips say the same)."""
    tr = QCoreApplication.translate
    return {
        TrackRole.VOICE: tr("TrackHeader", "Voice"),
        TrackRole.MUSIC_BED: tr("TrackHeader", "Music bed"),
        TrackRole.JINGLE: tr("TrackHeader", "Jingle"),
    }


class TrackHeader(QFrame):
    """Name, role, arm, mute, solo, gain, pan and a level bar for one track."""

    def __init__(self, editor, index: int, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.index = index
        self.setObjectName("TrackHeader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = QLineEdit()
        self.name.setToolTip(self.tr("Track name"))
        self.role = QComboBox()
        for role, text in role_names().items():
            self.role.addItem(text, str(role))
        self.role.setToolTip(self.tr("What this track holds"))
        self.arm = _toggle("●", self.tr("Arm for recording"), "arm")
        self.mute = _toggle("M", self.tr("Mute"), "mute")
        self.solo = _toggle("S", self.tr("Solo: hear only soloed tracks"), "solo")
        self.gain = QDoubleSpinBox()
        self.gain.setRange(-60.0, 24.0)
        self.gain.setDecimals(1)
        self.gain.setSingleStep(0.5)
        self.gain.setSuffix(" dB")
        self.gain.setToolTip(self.tr("Track gain"))
        self.gain.setKeyboardTracking(False)
        self.pan = QSlider(Qt.Orientation.Horizontal)
        self.pan.setRange(-100, 100)
        self.pan.setToolTip(self.tr("Pan: left … right (double-click: centre)"))
        self.meter = PeakBar(vertical=False)
        # Unfolds/folds the lane of alternative takes under the track (shown when it has any).
        self.takes = QToolButton()
        self.takes.setObjectName("takesLane")
        self.takes.setCheckable(True)
        self.takes.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.takes.setFixedHeight(20)
        top = QHBoxLayout()
        top.setSpacing(3)
        top.addWidget(self.name, 1)
        top.addWidget(self.arm)
        top.addWidget(self.mute)
        top.addWidget(self.solo)
        mid = QHBoxLayout()
        mid.setSpacing(3)
        mid.addWidget(self.role, 1)
        mid.addWidget(self.gain)
        low = QHBoxLayout()
        low.setSpacing(3)
        pan_label = QLabel(self.tr("Pan"))
        low.addWidget(pan_label)
        low.addWidget(self.pan, 1)
        low.addWidget(self.takes)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 3, 4, 3)
        col.setSpacing(2)
        col.addLayout(top)
        col.addLayout(mid)
        col.addLayout(low)
        col.addWidget(self.meter)
        self.name.editingFinished.connect(self._rename)
        self.role.activated.connect(lambda _: self._set(history.TRACK_ROLE, **self._role_changes()))
        self.arm.toggled.connect(lambda v: self._set(history.TRACK_ARM, armed=v))
        self.mute.toggled.connect(lambda v: self._set(history.TRACK_MUTE, mute=v))
        self.solo.toggled.connect(lambda v: self._set(history.TRACK_SOLO, solo=v))
        self.gain.valueChanged.connect(lambda v: self._set(history.TRACK_GAIN, gain_db=v))
        self.pan.valueChanged.connect(self._pan_moved)
        self.pan.sliderReleased.connect(self._pan_released)
        self.takes.toggled.connect(lambda v: self.editor.show_lane(self.index, v))
        editor.lanesChanged.connect(self.refresh)
        self.refresh()

    def _role_changes(self) -> dict:
        """The new role, and a name from it when the track still has its default name
        ("Rãnh 3" becomes "Nhạc hiệu"), in the same undo step."""
        changes = {"role": self.role.currentData()}
        tracks = self.editor.timeline.tracks
        if self.index >= len(tracks):
            return changes
        default = re.escape(QCoreApplication.translate("MainWindow", "Track %1")).replace(
            "%1", r"\d+"
        )
        if re.fullmatch(default, tracks[self.index].name):
            name, taken = self.role.currentText(), {t.name for t in tracks}
            n = 2
            while name in taken:
                name = f"{self.role.currentText()} {n}"
                n += 1
            changes["name"] = name
        return changes

    def _set(self, description, **changes) -> None:
        if self.index < len(self.editor.timeline.tracks):
            self.editor.set_track(self.index, description, **changes)

    def _rename(self) -> None:
        text = self.name.text().strip()
        if text and text != self.editor.timeline.tracks[self.index].name:
            self._set(history.TRACK_RENAME, name=text)
        else:
            self.refresh()

    def _pan_moved(self, value: int) -> None:
        if self.pan.isSliderDown():
            self.editor.preview_track(self.index, pan=value / 100)
        else:
            self._set(history.TRACK_PAN, pan=value / 100)

    def _pan_released(self) -> None:
        self.editor.commit_preview(history.TRACK_PAN)

    def refresh(self) -> None:
        if self.index >= len(self.editor.timeline.tracks):
            return
        t = self.editor.timeline.tracks[self.index]
        widgets = (
            self.name,
            self.role,
            self.arm,
            self.mute,
            self.solo,
            self.gain,
            self.pan,
            self.takes,
        )
        for w in widgets:
            w.blockSignals(True)
        try:
            if not self.name.hasFocus():
                self.name.setText(t.name)
            self.role.setCurrentIndex(max(0, self.role.findData(str(t.role))))
            self.arm.setChecked(t.armed)
            self.mute.setChecked(t.mute)
            self.solo.setChecked(t.solo)
            self.gain.setValue(t.gain_db)
            if not self.pan.isSliderDown():
                self.pan.setValue(int(round(t.pan * 100)))
            shown = self.editor.lane_shown(self.index)
            self.takes.setVisible(bool(t.takes))
            self.takes.setChecked(shown)
            self.takes.setText(("▾ " if shown else "▸ ") + str(len(t.takes)))
            self.takes.setToolTip(
                self.tr("%1 other takes of this track: click to show or hide them").replace(
                    "%1", str(len(t.takes))
                )
            )
        finally:
            for w in widgets:
                w.blockSignals(False)
        current = self.index == self.editor.current_track
        if self.property("current") != current:
            self.setProperty("current", current)
            self.style().unpolish(self)
            self.style().polish(self)


class TrackHeaderPanel(QWidget):
    """The column of track headers, scrolled together with the timeline."""

    def __init__(self, editor, track_height: int, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.track_height = track_height
        self.headers: list[TrackHeader] = []
        self.setFixedWidth(HEADER_W)
        bar = QWidget(self)
        bar.setObjectName("HeaderBar")
        bar.setGeometry(0, 0, HEADER_W, RULER_H)
        self.add_button = QPushButton(self.tr("+ Track"), bar)
        self.add_button.setToolTip(self.tr("Add a track (Ctrl+T)"))
        self.add_button.setGeometry(4, 3, 90, RULER_H - 6)
        self.strip = QWidget(self)
        self.strip.lower()
        self._offset = 0
        editor.changed.connect(self.refresh)
        editor.selectionChanged.connect(self.refresh)
        self.refresh()

    def set_offset(self, offset: int) -> None:
        self._offset = offset
        self.strip.move(0, RULER_H - offset)

    def refresh(self) -> None:
        tracks = self.editor.timeline.tracks
        if len(self.headers) != len(tracks):
            for h in self.headers:
                h.deleteLater()
            self.headers = []
            for i in range(len(tracks)):
                h = TrackHeader(self.editor, i, self.strip)
                h.setGeometry(0, i * self.track_height, HEADER_W, self.track_height)
                h.show()
                self.headers.append(h)
            self.strip.resize(HEADER_W, max(1, len(tracks) * self.track_height))
            self.set_offset(self._offset)
        for h in self.headers:
            h.refresh()

    def set_levels(self, index: int, peaks) -> None:
        if 0 <= index < len(self.headers):
            self.headers[index].meter.set_levels(peaks)

    def set_track_levels(self, levels) -> None:
        """`levels`: (tracks, 2) linear peaks, rows as the headers (None: all silent)."""
        _feed_meters([h.meter for h in self.headers], levels)


class MixerStrip(QFrame):
    """A channel strip: fader in dB, pan, mute/solo and a level bar; or the master strip."""

    def __init__(self, editor, index: int | None, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.index = index  # None: the master
        self.setObjectName("MasterStrip" if index is None else "MixerStrip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(120 if index is None else 104)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(False)
        # what the balance does to this track: its role, and whether it dips under the voice
        self.balance_note = QLabel()
        self.balance_note.setObjectName("StripBalance")
        self.balance_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        small = self.balance_note.font()
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.85))
        self.balance_note.setFont(small)
        self.fader = QSlider(Qt.Orientation.Vertical)
        self.fader.setRange(-600, 120)  # tenths of a dB
        self.fader.setToolTip(self.tr("Gain in dB (double-click the value to type it)"))
        self.value = QDoubleSpinBox()
        self.value.setRange(-60.0, 12.0)
        self.value.setDecimals(1)
        self.value.setSuffix(" dB")
        self.value.setKeyboardTracking(False)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.meter = PeakBar(vertical=True)
        self.scale = PeakScale()
        mid = QHBoxLayout()
        mid.setSpacing(2)
        mid.addWidget(self.fader, 1, Qt.AlignmentFlag.AlignHCenter)
        mid.addWidget(self.meter)
        mid.addWidget(self.scale)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.setSpacing(3)
        col.addWidget(self.title)
        col.addWidget(self.balance_note)
        if index is not None:
            self.pan = QSlider(Qt.Orientation.Horizontal)
            self.pan.setRange(-100, 100)
            self.pan.setToolTip(self.tr("Pan"))
            # pan, mute and solo on one row: the strip stays short enough for the fader and
            # meter to be read in the dock on a 768-pixel screen
            row = QHBoxLayout()
            row.setSpacing(2)
            self.mute = _toggle("M", self.tr("Mute"), "mute")
            self.solo = _toggle("S", self.tr("Solo: hear only soloed tracks"), "solo")
            row.addWidget(self.pan, 1)
            row.addWidget(self.mute)
            row.addWidget(self.solo)
            col.addLayout(row)
            self.mute.toggled.connect(lambda v: self._set(history.TRACK_MUTE, mute=v))
            self.solo.toggled.connect(lambda v: self._set(history.TRACK_SOLO, solo=v))
            self.pan.valueChanged.connect(self._pan_moved)
            self.pan.sliderReleased.connect(lambda: self.editor.commit_preview(history.TRACK_PAN))
        else:
            self.loudness = QLabel()
            self.loudness.setObjectName("LoudnessReading")
            self.loudness.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # no word wrap (the text has its own line break): a wrapping label gives the
            # mixer a height-for-width, and the scroll area then takes the preferred height
            # instead of the dock's, so the strips scrolled on a 768-pixel screen
            self.loudness.setWordWrap(False)
            col.addWidget(self.loudness)
        col.addLayout(mid, 1)
        col.addWidget(self.value)
        self.fader.valueChanged.connect(self._fader_moved)
        self.fader.sliderReleased.connect(self._fader_released)
        self.value.valueChanged.connect(self._typed)
        self.refresh()

    def _set(self, description, **changes) -> None:
        self.editor.set_track(self.index, description, **changes)

    def _pan_moved(self, value: int) -> None:
        if self.pan.isSliderDown():
            self.editor.preview_track(self.index, pan=value / 100)
        else:
            self._set(history.TRACK_PAN, pan=value / 100)

    def _gain_edit(self, gain_db: float, preview: bool) -> None:
        if self.index is None:
            if preview:
                base = self.editor.session.history.committed.timeline
                self.editor.preview(base.with_changes(master_gain_db=gain_db))
            else:
                self.editor.set_master_gain(gain_db)
        elif preview:
            self.editor.preview_track(self.index, gain_db=gain_db)
        else:
            self._set(history.TRACK_GAIN, gain_db=gain_db)

    def _fader_moved(self, tenths: int) -> None:
        gain = tenths / 10
        self.value.blockSignals(True)
        self.value.setValue(gain)
        self.value.blockSignals(False)
        self._gain_edit(gain, preview=self.fader.isSliderDown())

    def _fader_released(self) -> None:
        desc = history.MASTER_GAIN if self.index is None else history.TRACK_GAIN
        self.editor.commit_preview(desc)

    def _typed(self, value: float) -> None:
        self._gain_edit(value, preview=False)

    def refresh(self) -> None:
        tl = self.editor.timeline
        if self.index is None:
            gain = tl.master_gain_db
            self.title.setText(self.tr("Master"))
            self.balance_note.setText(self.tr("to the target"))
            self.balance_note.setToolTip(
                self.tr("The export brings the whole programme to the target loudness")
            )
        else:
            if self.index >= len(tl.tracks):
                return
            t = tl.tracks[self.index]
            gain = t.gain_db
            self.title.setText(
                self.fontMetrics().elidedText(t.name, Qt.TextElideMode.ElideRight, 94)
            )
            self.title.setToolTip(t.name)
            self._show_balance(t)
            for w, v in ((self.mute, t.mute), (self.solo, t.solo)):
                w.blockSignals(True)
                w.setChecked(v)
                w.blockSignals(False)
            if not self.pan.isSliderDown():
                self.pan.blockSignals(True)
                self.pan.setValue(int(round(t.pan * 100)))
                self.pan.blockSignals(False)
        if not self.fader.isSliderDown():
            self.fader.blockSignals(True)
            self.fader.setValue(int(round(max(-60.0, min(12.0, gain)) * 10)))
            self.fader.blockSignals(False)
            self.value.blockSignals(True)
            self.value.setValue(gain)
            self.value.blockSignals(False)

    def _show_balance(self, track) -> None:
        role = role_names().get(track.role, "")
        duck = track.duck_settings
        if duck.enabled and track.role != TrackRole.VOICE:
            text = self.tr("dips %1 dB").replace("%1", f"{duck.depth_db:g}")
            tip = self.tr("%1: dips under the voice by %2 dB (Track → Automatic balance…)")
            tip = tip.replace("%1", role).replace("%2", f"{duck.depth_db:g}")
        else:
            text = role
            tip = self.tr("%1: levelled by its role (Track → Automatic balance…)").replace(
                "%1", role
            )
        self.balance_note.setText(
            self.balance_note.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, 94)
        )
        self.balance_note.setToolTip(tip)


class MixerPanel(QScrollArea):
    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.inner = QWidget()
        self.row = QHBoxLayout(self.inner)
        self.row.setContentsMargins(4, 4, 4, 4)
        self.row.setSpacing(4)
        self.setWidget(self.inner)
        self.strips: list[MixerStrip] = []
        self.master = MixerStrip(editor, None)
        self.target_lufs: float | None = -16.0
        self.side: QWidget | None = None
        self.row.addStretch(1)
        self.row.addWidget(self.master)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set_loudness(None)
        editor.changed.connect(self.refresh)
        self.refresh()

    def set_side_panel(self, widget: QWidget) -> None:
        """`widget` takes the room between the track strips and the master (a feature's
        summary, e.g. the balance), instead of empty space."""
        stretch = self.row.itemAt(self.row.indexOf(self.master) - 1)
        if self.side is None and stretch is not None and stretch.spacerItem() is not None:
            self.row.removeItem(stretch)
        elif self.side is not None:
            self.row.removeWidget(self.side)
            self.side.deleteLater()
        self.side = widget
        self.row.insertWidget(self.row.indexOf(self.master), widget, 1)

    def refresh(self) -> None:
        tracks = self.editor.timeline.tracks
        if len(self.strips) != len(tracks):
            for s in self.strips:
                self.row.removeWidget(s)
                s.deleteLater()
            self.strips = []
            for i in range(len(tracks)):
                s = MixerStrip(self.editor, i)
                self.row.insertWidget(i, s)
                self.strips.append(s)
        for s in self.strips:
            s.refresh()
        self.master.refresh()

    def set_loudness(self, integrated_lufs: float | None) -> None:
        """The master's integrated reading against the export target (fed by the meters)."""
        target = "—" if self.target_lufs is None else f"{self.target_lufs:g}"
        reading = "—" if integrated_lufs is None else f"{integrated_lufs:.1f}"
        self.master.loudness.setText(
            self.tr("%1 LUFS\n(target %2)").replace("%1", reading).replace("%2", target)
        )

    def set_levels(self, peaks) -> None:
        """The master strip's meter (None: silence)."""
        self.master.meter.set_levels(peaks)

    def set_track_levels(self, levels) -> None:
        """`levels`: (tracks, 2) linear peaks, rows as the strips (None: all silent)."""
        _feed_meters([s.meter for s in self.strips], levels)


def _feed_meters(meters: list[PeakBar], levels) -> None:
    """Row i of `levels` to meter i; a meter without a row (a track added while playing,
    or no reading) shows silence."""
    count = 0 if levels is None else len(levels)
    for i, meter in enumerate(meters):
        meter.set_levels(levels[i] if i < count else None)

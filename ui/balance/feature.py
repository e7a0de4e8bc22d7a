"""The balance in the window (studio.balance): every edit is auto-levelled, ducked and its
beds faded by the editor's session, in the edit's own undo step. This feature gives the user
the switches: Edit → "Tự cân bằng mức cho đoạn" (Shift+A, per selected clip, also in the
clip's context menu) and Track → "Cân bằng tự động…" (Ctrl+Shift+B): the programme-wide
settings and the current track's ducking. The timeline draws what the balance did (the
level badge on the clip, the ducking line with points that can be dragged).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
)

from audio.errors import localized as _t
from audio.timeline import TrackRole
from studio import edits, history
from studio.history import Description
from ui.balance.panel import BalancePanel
from ui.window.feature import Feature

EVEN_OUT = Description(
    "Evened out the reading", "Đã làm đều giọng đọc", "Even out", "Làm đều giọng"
)


def _spin(value: float, lo: float, hi: float, step: float, suffix: str, decimals: int = 1):
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    box.setValue(value)
    return box


class BalanceDialog(QDialog):
    """The programme-wide balance settings and one track's ducking."""

    def __init__(self, settings, track, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_t("Automatic balance", "Cân bằng tự động"))
        self.settings = settings
        self.track = track
        whole = QGroupBox(_t("The whole programme", "Cả chương trình"))
        form = QFormLayout(whole)
        self.auto_level = QCheckBox(
            _t("Level clips by their track's role", "Tự cân bằng mức theo vai trò của rãnh")
        )
        self.auto_level.setChecked(settings.get("balance_auto_level"))
        self.duck = QCheckBox(
            _t("Music beds dip under the voice", "Nhạc nền tự hạ khi có giọng đọc")
        )
        self.duck.setChecked(settings.get("balance_duck"))
        self.speech = _spin(settings.get("balance_speech_lufs"), -36, -10, 0.5, " LUFS")
        self.bed_below = _spin(settings.get("balance_bed_below_speech_lu"), 0, 30, 1, " LU")
        self.bed_fade = _spin(settings.get("balance_bed_fade_s"), 0, 20, 0.5, _t(" s", " giây"))
        form.addRow(self.auto_level)
        form.addRow(self.duck)
        form.addRow(_t("Voice level", "Mức giọng đọc"), self.speech)
        form.addRow(
            _t("Bed on its own, under the voice", "Nhạc nền khi đứng riêng, thấp hơn giọng"),
            self.bed_below,
        )
        form.addRow(_t("Bed fade-out", "Nhạc nền nhỏ dần trong"), self.bed_fade)
        col = QVBoxLayout(self)
        col.addWidget(whole)
        self.track_box = None
        if track is not None:
            duck = track.duck_settings
            box = QGroupBox(_t(f"Track '{track.name}'", f"Rãnh '{track.name}'"))
            f = QFormLayout(box)
            self.track_duck = QCheckBox(_t("Dips under the voice", "Tự hạ khi có giọng đọc"))
            self.track_duck.setChecked(duck.enabled)
            self.depth = _spin(duck.depth_db, 0, 40, 1, " dB")
            self.attack = _spin(duck.attack_ms, 0, 5000, 50, " ms", 0)
            self.hold = _spin(duck.hold_ms, 0, 10000, 100, " ms", 0)
            self.release = _spin(duck.release_ms, 0, 10000, 50, " ms", 0)
            f.addRow(self.track_duck)
            f.addRow(_t("Depth", "Hạ xuống"), self.depth)
            f.addRow(_t("Goes down before the voice by", "Bắt đầu hạ trước giọng"), self.attack)
            f.addRow(_t("Stays down over pauses up to", "Giữ nguyên qua chỗ ngừng tới"), self.hold)
            f.addRow(_t("Comes back up over", "Trở lại trong"), self.release)
            if track.role == TrackRole.VOICE:
                note = QLabel(_t("A voice track never ducks.", "Rãnh giọng đọc không tự hạ."))
                f.addRow(note)
                box.setEnabled(False)
            self.track_box = box
            col.addWidget(box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("OK", "Đồng ý"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_t("Cancel", "Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)

    def save_settings(self) -> None:
        s = self.settings
        s.set("balance_auto_level", self.auto_level.isChecked())
        s.set("balance_duck", self.duck.isChecked())
        s.set("balance_speech_lufs", float(self.speech.value()))
        s.set("balance_bed_below_speech_lu", float(self.bed_below.value()))
        s.set("balance_bed_fade_s", float(self.bed_fade.value()))
        s.save()

    def ducking(self):
        """The track's new ducking, or None when the track's box was not shown."""
        if self.track is None or self.track.role == TrackRole.VOICE:
            return None
        return replace(
            self.track.duck_settings,
            enabled=self.track_duck.isChecked(),
            depth_db=float(self.depth.value()),
            attack_ms=float(self.attack.value()),
            hold_ms=float(self.hold.value()),
            release_ms=float(self.release.value()),
        )


class BalanceFeature(Feature):
    key = "balance"

    def __init__(self, window, options=None):
        super().__init__(window, options)
        w = window
        self.act_auto_level = QAction(_t("Auto-level this clip", "Tự cân bằng mức cho đoạn"), w)
        self.act_auto_level.setCheckable(True)
        self.act_auto_level.setShortcut(QKeySequence("Shift+A"))
        self.act_auto_level.setToolTip(
            _t(
                "Off: the clip plays as recorded (plus its own gain)",
                "Tắt: đoạn phát đúng như khi thu (cộng mức âm lượng riêng của đoạn)",
            )
        )
        self.act_auto_level.triggered.connect(self.switch_auto_level)
        w.add_action("edit", self.act_auto_level, after=w.act_gain)
        actions = w.timeline_view.context_actions
        if w.act_gain in actions:
            actions.insert(actions.index(w.act_gain) + 1, self.act_auto_level)
        self.act_even_out = QAction(
            _t("Even out the reading in this clip", "Làm đều giọng đọc trong đoạn"), w
        )
        self.act_even_out.setToolTip(
            _t(
                "A slow gain ride for a reading that drifts louder and quieter",
                "Tự nâng chỗ đọc nhỏ, hạ chỗ đọc to trong đoạn (đường bao, sửa được)",
            )
        )
        self.act_even_out.triggered.connect(lambda _=False: self.even_out())
        w.add_action("edit", self.act_even_out, after=self.act_auto_level)
        self.act_dialog = QAction(_t("Automatic &balance…", "Cân bằng &tự động…"), w)
        self.act_dialog.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.act_dialog.triggered.connect(lambda _=False: self.edit())
        w.add_action("track", self.act_dialog)
        self.panel = BalancePanel(w, self.act_dialog)
        w.mixer.set_side_panel(self.panel)
        w.editor.selectionChanged.connect(self._update)
        w.editor.changed.connect(self._update)
        self._update()

    def _selected(self):
        ed = self.window.editor
        return [r for r in ed.selection if r.track < len(ed.timeline.tracks)]

    def _update(self) -> None:
        refs = self._selected()
        self.act_auto_level.setEnabled(bool(refs))
        self.act_even_out.setEnabled(bool(refs))
        tl = self.window.editor.timeline
        on = bool(refs) and all(edits.clip_at(tl, r).auto_level for r in refs)
        self.act_auto_level.setChecked(on)

    def switch_auto_level(self, on: bool) -> None:
        """Auto-level of the selected clips on or off, in one undo step."""
        ed = self.window.editor
        refs = self._selected()
        if not refs:
            return
        tl = ed.timeline
        for ref in refs:
            tl = edits.set_clip_auto_level(tl, ref, bool(on))
        ed.apply(tl, history.AUTO_LEVEL)

    def even_out(self) -> int:
        """The speech leveler on the selected clips, one undo step; how many got an envelope."""
        from studio.balance import even_out

        ed = self.window.editor
        refs = self._selected()
        if not refs:
            return 0
        analyses = self.window.editor.balancer.analyses(ed.timeline.rate)
        tl, done = even_out(ed.timeline, refs, analyses)
        if done:
            ed.apply(tl, EVEN_OUT)
        else:
            ed.message.emit(
                _t(
                    "Nothing to even out: the clip is shorter than 3 s or silent.",
                    "Không có gì để làm đều: đoạn ngắn hơn 3 giây hoặc im lặng.",
                )
            )
        return done

    def dialog(self) -> BalanceDialog:
        w = self.window
        tracks = w.editor.timeline.tracks
        i = w.editor.current_track
        return BalanceDialog(w.settings, tracks[i] if 0 <= i < len(tracks) else None, w)

    def edit(self) -> bool:
        dialog = self.dialog()
        if not dialog.exec():
            return False
        self.apply(dialog)
        return True

    def apply(self, dialog: BalanceDialog) -> None:
        """Save the dialog's settings and balance the programme again, the track's new
        ducking in the same undo step."""
        dialog.save_settings()
        self.panel.refresh()
        ed = self.window.editor
        ducking = dialog.ducking()
        tl = ed.timeline
        if ducking is not None:
            i = ed.current_track
            tl = edits.set_track(tl, i, ducking=ducking)
            # New settings: the drawn ducking is worked out again, edited points included.
            track = tl.tracks[i]
            clips = tuple(c.with_changes(duck_edited=False) for c in track.clips)
            tl = tl.with_track(i, track.with_changes(clips=clips))
        if not ed.apply(tl, history.BALANCE):
            ed.message.emit(_t("The balance did not change.", "Cân bằng không thay đổi."))


def install(window, options=None) -> BalanceFeature:
    return BalanceFeature(window, options)

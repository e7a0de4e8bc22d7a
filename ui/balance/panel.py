"""The balance at a glance, in the mixer dock between the track strips and the master: the
settings in force, and per clip what auto-level measured, the gain it chose and why (what
`studio level` prints), with how many beds dip under the voice and fade at the end.
Double-clicking a row selects that clip on the timeline.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from audio.errors import localized as _t
from audio.timeline import TrackRole
from studio import edits
from studio.balance import BalanceSettings, level_clips

REFRESH_MS = 150  # a fader drag previews many edits: the table follows once it settles


def _db(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def _one_line_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(False)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    return label


def _set_line(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setToolTip(text)


class BalancePanel(QWidget):
    def __init__(self, window, settings_action, parent=None):
        super().__init__(parent)
        self.setObjectName("BalancePanel")
        self.setMinimumWidth(300)
        self.window = window
        title = QLabel(_t("Automatic balance", "Cân bằng tự động"))
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        # one line each whatever the dock's width (the whole text in the tooltip): a wrapped
        # line would make the mixer strips scroll on a 768-pixel screen
        self.settings_line = _one_line_label()
        self.change = QPushButton(_t("Settings…", "Thiết lập…"))
        self.change.setToolTip(settings_action.toolTip() or settings_action.text())
        self.change.clicked.connect(lambda _=False: settings_action.trigger())
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.change)
        self.table = QTreeWidget()
        self.table.setObjectName("BalanceTable")
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setHeaderLabels(
            [
                _t("Clip", "Đoạn"),
                _t("LUFS", "Đo (LUFS)"),
                _t("Gain (dB)", "Chỉnh (dB)"),
                _t("Why", "Vì sao"),
            ]
        )
        header = self.table.header()
        header.setStretchLastSection(True)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(0, 120)
        self.table.setMinimumHeight(48)
        self.table.itemDoubleClicked.connect(self._go_to)
        self.summary = _one_line_label()
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 2, 6, 2)
        col.setSpacing(3)
        col.addLayout(top)
        col.addWidget(self.settings_line)
        col.addWidget(self.table, 1)
        col.addWidget(self.summary)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        window.editor.changed.connect(self._timer.start)
        window.editor.sessionReplaced.connect(self.refresh)
        self.refresh()

    def _settings(self) -> BalanceSettings:
        return BalanceSettings.from_settings(self.window.settings)

    def _decisions(self, settings: BalanceSettings):
        balancer = self.window.editor.balancer
        timeline = self.window.editor.timeline
        if not settings.auto_level or not hasattr(balancer, "analyses"):
            return []
        try:
            return level_clips(timeline, balancer.analyses(timeline.rate), settings)[1]
        except (OSError, ValueError):
            return []  # a damaged analysis cache: the session left the levels as they were

    def refresh(self) -> None:
        s = self._settings()
        parts = [
            _t(f"voice {s.speech_lufs:g} LUFS", f"giọng đọc {s.speech_lufs:g} LUFS"),
            _t(
                f"bed alone {s.bed_below_speech_lu:g} LU lower",
                f"nhạc nền riêng thấp hơn {s.bed_below_speech_lu:g} LU",
            ),
            _t("dips: on", "tự hạ: bật") if s.duck else _t("dips: off", "tự hạ: tắt"),
            _t(f"fade-out {s.bed_fade_s:g} s", f"nhỏ dần {s.bed_fade_s:g} giây"),
        ]
        if not s.auto_level:
            parts.insert(0, _t("auto-level is OFF", "tự cân bằng mức đang TẮT"))
        _set_line(self.settings_line, " · ".join(parts))
        decisions = self._decisions(s)
        self.table.clear()
        for d in decisions:
            why = _t(d.reason_en, d.reason_vi)
            gain = _db(d.level_db, signed=True) if d.target_lufs is not None else "—"
            item = QTreeWidgetItem([d.clip_name, _db(d.measured_lufs), gain, why])
            item.setData(0, Qt.ItemDataRole.UserRole, (d.track, d.clip))
            item.setToolTip(0, f"{d.track_name} · {d.clip_name}")
            item.setToolTip(3, why)
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.table.addTopLevelItem(item)
        tl = self.window.editor.timeline
        beds = [c for t in tl.tracks if t.role == TrackRole.MUSIC_BED for c in t.clips]
        ducked = sum(1 for c in beds if c.duck)
        faded = sum(1 for c in beds if c.auto_fade)
        levelled = sum(1 for d in decisions if d.target_lufs is not None)
        if not tl.tracks or not any(t.clips for t in tl.tracks):
            text = _t(
                "Add clips: each one is levelled by its track's role.",
                "Thêm đoạn vào rãnh: mỗi đoạn được tự cân bằng mức theo vai trò của rãnh.",
            )
        else:
            parts = [_t(f"{levelled} clips levelled", f"{levelled} đoạn đã cân bằng")]
            if beds:
                parts.append(
                    _t(
                        f"{ducked} of {len(beds)} bed clips dip under the voice",
                        f"{ducked}/{len(beds)} đoạn nhạc nền tự hạ dưới giọng",
                    )
                )
                parts.append(_t(f"{faded} fade out", f"{faded} đoạn tự nhỏ dần"))
            else:
                parts.append(_t("no music bed", "chưa có nhạc nền"))
            text = " · ".join(parts)
        _set_line(self.summary, text)

    def _go_to(self, item: QTreeWidgetItem) -> None:
        track, index = item.data(0, Qt.ItemDataRole.UserRole)
        ed = self.window.editor
        tracks = ed.timeline.tracks
        if track >= len(tracks) or index >= len(tracks[track].clips):
            return
        clip = tracks[track].clips[index]
        ed.select([edits.ClipRef(track, index)])
        ed.set_playhead(clip.start)
        self.window.timeline_view.scroll_to_frame(clip.start)

"""The timeline: tracks of clips drawn as waveforms, a ruler, markers and the playhead.

Painting touches only what is visible: clips outside the exposed rectangle are skipped, and the
waveform of a whole track lane is filled into one numpy ARGB buffer (see `waveform.py`) and
drawn as one image, so a repaint costs a few numpy operations per track instead of a Python
call per pixel column. The playhead moving during playback repaints two thin strips only.

Every change goes through the Editor: a drag shows previews (`editor.preview`) and becomes one
undo step on release (`editor.commit_preview`).

Why one file of ~800 lines: painting, hit-testing and the mouse drags all work on the same
geometry (frame ↔ x, track ↔ y, clip edges, fade handles, the gain line); split apart, each
half would need the other's private layout. The pure parts live elsewhere (`waveform.py`,
`studio/edits.py` for every edit and snap).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QToolTip

from audio.errors import localized
from audio.timeline import Clip, Timeline, TrackRole
from studio import edits, history
from studio.edits import ClipRef
from studio.takes import alternative_takes
from ui.timefmt import clock, ruler
from ui.timeline.waveform import WaveformSource, WaveLane, live_columns

RULER_H = 40
TICKS_Y = 22  # time labels and ticks above, the marker band below
TITLE_H = 16
LANE_H = 26  # the lane of alternative takes at the bottom of a track row, when unfolded
EDGE_PX = 6
HANDLE_PX = 8
GAIN_TOP_DB = 12.0
GAIN_BOTTOM_DB = -36.0
MIN_FRAMES_PER_PX = 1 / 16  # zoomed to the sample and a little past it
MAX_SCROLL_PX = 2_000_000_000  # QScrollBar takes an int

ROLE_COLOURS = {  # (waveform and edge, clip fill)
    TrackRole.VOICE: ("#2f6f9f", "#d9ecf9"),
    TrackRole.MUSIC_BED: ("#3d8b55", "#dcf2e2"),
    TrackRole.JINGLE: ("#a2662a", "#f8e8d4"),
}
ROLE_COLOURS_DARK = {
    TrackRole.VOICE: ("#8cc4f0", "#1f3a52"),
    TrackRole.MUSIC_BED: ("#8fd6a4", "#1f4029"),
    TrackRole.JINGLE: ("#f0b878", "#4a3319"),
}


@dataclass
class Palette:
    background: QColor = field(default_factory=lambda: QColor("#f3f4f6"))
    lane: QColor = field(default_factory=lambda: QColor("#ffffff"))
    lane_alt: QColor = field(default_factory=lambda: QColor("#f7f8fa"))
    lane_current: QColor = field(default_factory=lambda: QColor("#eef4fb"))
    grid: QColor = field(default_factory=lambda: QColor("#e1e4e8"))
    ruler: QColor = field(default_factory=lambda: QColor("#e7e9ee"))
    text: QColor = field(default_factory=lambda: QColor("#1f2328"))
    playhead: QColor = field(default_factory=lambda: QColor("#d62728"))
    recording: QColor = field(default_factory=lambda: QColor("#fbe3e1"))  # a take growing
    recording_edge: QColor = field(default_factory=lambda: QColor("#c62828"))
    selection: QColor = field(default_factory=lambda: QColor("#f0a500"))
    range: QColor = field(default_factory=lambda: QColor(60, 120, 220, 50))
    marker: QColor = field(default_factory=lambda: QColor("#8e44ad"))
    gain: QColor = field(default_factory=lambda: QColor("#e0a800"))
    fade: QColor = field(default_factory=lambda: QColor(0, 0, 0, 140))
    take_lane: QColor = field(default_factory=lambda: QColor("#e9ebef"))  # alternative takes
    take_fill: QColor = field(default_factory=lambda: QColor("#d5d9e0"))
    take_edge: QColor = field(default_factory=lambda: QColor("#7b8391"))

    @classmethod
    def dark(cls) -> Palette:
        return cls(
            background=QColor("#1e1f22"),
            lane=QColor("#26282c"),
            lane_alt=QColor("#2a2c31"),
            lane_current=QColor("#2d3440"),
            grid=QColor("#3a3d43"),
            ruler=QColor("#303237"),
            text=QColor("#e6e6e6"),
            range=QColor(90, 150, 255, 60),
            fade=QColor(255, 255, 255, 150),
            recording=QColor("#4a2323"),
            take_lane=QColor("#1b1c1f"),
            take_fill=QColor("#34373d"),
            take_edge=QColor("#9aa2ad"),
            recording_edge=QColor("#ff6b5e"),
        )


@dataclass
class _Drag:
    kind: str  # move, trim_l, trim_r, fade_in, fade_out, gain, duck, range, scrub, marker
    press_x: float
    press_y: float
    base: Timeline
    ref: ClipRef | None = None
    clip: Clip | None = None
    marker: int = -1
    point: int = -1  # the ducking point being dragged
    refs: list[ClipRef] = field(default_factory=list)
    result_refs: list[ClipRef] = field(default_factory=list)
    moved: bool = False
    alt: bool = False  # Alt held when the drag began: no snapping for this drag


class TimelineView(QAbstractScrollArea):
    verticalOffsetChanged = Signal(int)
    seekRequested = Signal(int)
    zoomChanged = Signal(float)

    def __init__(self, editor, waveforms: WaveformSource, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.waveforms = waveforms
        self.frames_per_px = 4800.0  # 10 px per second at 48 kHz
        self.track_height = 84
        self.follow_playhead = True
        self.palette_ = Palette()
        self.context_actions: list = []
        self._drag: _Drag | None = None
        self._playhead_x: int | None = None
        self.paint_count = 0  # for benchmarks and tests: did a paint happen
        self.snap_frame: int | None = None  # where the current drag snapped, drawn as a line
        # The take being recorded (studio.recording.LiveTake), drawn growing on its tracks
        # until Stop makes it a clip; not part of the programme, so never an undo step.
        self.live = None
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.horizontalScrollBar().valueChanged.connect(lambda _: self.viewport().update())
        self.verticalScrollBar().valueChanged.connect(self._vscrolled)
        self.viewport().setMinimumHeight(RULER_H + 40)
        editor.changed.connect(self._model_changed)
        editor.selectionChanged.connect(self.viewport().update)
        editor.rangeChanged.connect(self.viewport().update)
        editor.playheadChanged.connect(self._playhead_moved)
        editor.lanesChanged.connect(self.viewport().update)
        self._model_changed()

    # --- geometry --------------------------------------------------------------------------

    @property
    def timeline(self) -> Timeline:
        return self.editor.timeline

    def set_dark(self, dark: bool) -> None:
        self.palette_ = Palette.dark() if dark else Palette()
        self.viewport().update()

    def x_of(self, frame: float) -> float:
        return frame / self.frames_per_px - self.horizontalScrollBar().value()

    def frame_at(self, x: float) -> int:
        return int(round((x + self.horizontalScrollBar().value()) * self.frames_per_px))

    def track_top(self, index: int) -> int:
        return RULER_H + index * self.track_height - self.verticalScrollBar().value()

    def track_at(self, y: float) -> int | None:
        if y < RULER_H:
            return None
        i = int((y - RULER_H + self.verticalScrollBar().value()) // self.track_height)
        return i if 0 <= i < len(self.timeline.tracks) else None

    def lane_height(self, track: int) -> int:
        """Pixels at the bottom of the track row given to its alternative takes (0: none)."""
        return LANE_H if self.editor.lane_shown(track) else 0

    def clip_rect(self, track: int, clip: Clip) -> QRectF:
        top = self.track_top(track) + 2
        x0 = self.x_of(clip.start)
        x1 = self.x_of(clip.end)
        return QRectF(x0, top, max(x1 - x0, 1.0), self.track_height - 4 - self.lane_height(track))

    def take_rect(self, track: int, take: Clip) -> QRectF:
        """Where an alternative take is drawn: in the lane under the track's clips."""
        top = self.track_top(track) + self.track_height - LANE_H - 1
        x0, x1 = self.x_of(take.start), self.x_of(take.end)
        return QRectF(x0, top, max(x1 - x0, 1.0), LANE_H - 2)

    def take_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(track, index into its takes) of the alternative take under (x, y), or None."""
        t = self.track_at(y)
        if t is None or not self.lane_height(t):
            return None
        takes = self.timeline.tracks[t].takes
        for i in reversed(range(len(takes))):
            r = self.take_rect(t, takes[i])
            if r.left() <= x <= r.right() and r.top() <= y <= r.bottom():
                return t, i
        return None

    def gain_y(self, rect: QRectF, gain_db: float) -> float:
        wave_top = rect.top() + TITLE_H
        wave_h = rect.height() - TITLE_H
        frac = (GAIN_TOP_DB - gain_db) / (GAIN_TOP_DB - GAIN_BOTTOM_DB)
        return wave_top + min(max(frac, 0.0), 1.0) * wave_h

    def gain_at(self, rect: QRectF, y: float) -> float:
        wave_top = rect.top() + TITLE_H
        wave_h = max(rect.height() - TITLE_H, 1.0)
        frac = min(max((y - wave_top) / wave_h, 0.0), 1.0)
        return round(GAIN_TOP_DB - frac * (GAIN_TOP_DB - GAIN_BOTTOM_DB), 1)

    def _min_fpp(self) -> float:
        length = max(self.timeline.length, self.timeline.rate * 60)
        return max(MIN_FRAMES_PER_PX, length * 2 / MAX_SCROLL_PX)

    def _update_scrollbars(self) -> None:
        w = max(self.viewport().width(), 1)
        tl = self.timeline
        extra = max(tl.rate * 30, int(w * self.frames_per_px * 0.5))
        length = max(tl.length, self.live.end if self.live is not None else 0)
        total_px = int((length + extra) / self.frames_per_px)
        hbar = self.horizontalScrollBar()
        hbar.setRange(0, max(0, min(total_px - w, MAX_SCROLL_PX)))
        hbar.setPageStep(w)
        hbar.setSingleStep(max(w // 20, 1))
        rows = len(tl.tracks)
        if self.live is not None and self.live.columns:
            rows = max(rows, max(self.live.columns) + 1)  # a take's track still to be added
        content_h = RULER_H + rows * self.track_height + 20
        vbar = self.verticalScrollBar()
        vbar.setRange(0, max(0, content_h - self.viewport().height()))
        vbar.setPageStep(self.viewport().height())
        vbar.setSingleStep(self.track_height // 3)

    def set_zoom(self, frames_per_px: float, anchor_x: float | None = None) -> None:
        """Zoom keeping the frame under `anchor_x` (default: the playhead or the centre) fixed."""
        fpp = min(max(frames_per_px, self._min_fpp()), self.timeline.rate * 3600 / 50)
        if anchor_x is None:
            px = self.x_of(self.editor.playhead)
            anchor_x = px if 0 <= px <= self.viewport().width() else self.viewport().width() / 2
        frame = (anchor_x + self.horizontalScrollBar().value()) * self.frames_per_px
        self.frames_per_px = fpp
        self._update_scrollbars()
        self.horizontalScrollBar().setValue(int(round(frame / fpp - anchor_x)))
        self.zoomChanged.emit(fpp)
        self.viewport().update()

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        self.set_zoom(self.frames_per_px / factor, anchor_x)

    def zoom_to_fit(self) -> None:
        length = max(self.timeline.length, self.timeline.rate * 10)
        self.set_zoom(length / max(self.viewport().width() - 40, 100), 0)
        self.horizontalScrollBar().setValue(0)

    def scroll_to_frame(self, frame: int, fraction: float = 0.1) -> None:
        x = frame / self.frames_per_px - self.viewport().width() * fraction
        self.horizontalScrollBar().setValue(int(max(0, x)))

    def set_live(self, live) -> None:
        """Show the take being recorded (a studio.recording.LiveTake) or, with None, stop
        showing it. Only the strip where it grew since the last call is repainted."""
        old, self.live = self.live, live
        if live is None or old is None or old.columns.keys() != live.columns.keys():
            self._update_scrollbars()
            self.viewport().update()
            return
        if live.end // self.timeline.rate != old.end // self.timeline.rate:
            self._update_scrollbars()  # once a second is enough for the scroll range
        x0 = int(math.floor(self.x_of(min(old.end, live.end)))) - 2
        x1 = int(math.ceil(self.x_of(live.end))) + 2
        for t in live.columns:
            self.viewport().update(QRect(x0, self.track_top(t), x1 - x0, self.track_height))

    # --- reacting --------------------------------------------------------------------------

    def _vscrolled(self, value: int) -> None:
        self.verticalOffsetChanged.emit(value)
        self.viewport().update()

    def _model_changed(self) -> None:
        self._update_scrollbars()
        self.viewport().update()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_scrollbars()

    def _playhead_moved(self, frame: int) -> None:
        w = self.viewport().width()
        x = self.x_of(frame)
        if self.follow_playhead and (x < 0 or x > w - 10) and self._drag is None:
            self.scroll_to_frame(frame)
            return  # the scroll repaints everything
        h = self.viewport().height()
        new_x = int(math.floor(x))
        if self._playhead_x is not None:
            self.viewport().update(QRect(self._playhead_x - 2, 0, 5, h))
        self.viewport().update(QRect(new_x - 2, 0, 5, h))

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.paint_count += 1
        p = QPainter(self.viewport())
        try:
            self._paint(p, event.rect())
        finally:
            p.end()

    def _paint(self, p: QPainter, exposed: QRect) -> None:
        pal = self.palette_
        tl = self.timeline
        w = self.viewport().width()
        h = self.viewport().height()
        p.fillRect(exposed, pal.background)
        rx0, rx1 = max(0, exposed.left()), min(w, exposed.right() + 1)
        if rx1 <= rx0:
            return
        f0 = self.frame_at(rx0 - 2)
        f1 = self.frame_at(rx1 + 2)
        step, minor = self._ruler_steps()
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        p.setFont(font)
        first_track = max(0, (self.verticalScrollBar().value()) // self.track_height)
        for t in range(first_track, len(tl.tracks)):
            top = self.track_top(t)
            if top > h:
                break
            if top + self.track_height < max(RULER_H, exposed.top()):
                continue
            self._paint_track(p, t, top, rx0, rx1, f0, f1, step)
        live = self.live
        if live is not None and live.length > 0:
            # a take for a track that placing it will add (a first take, a script's first
            # reading): it grows on the row that track will take
            for t in sorted(c for c in live.columns if c >= len(tl.tracks)):
                top = self.track_top(t)
                if RULER_H - self.track_height < top <= h:
                    self._paint_live(p, t, top, rx0, rx1, live)
        self._paint_range(p, h)
        self._paint_markers(p, f0, f1, h)
        self._paint_ruler(p, rx0, rx1, f0, f1, step, minor)
        if self.snap_frame is not None:
            sx = self.x_of(self.snap_frame)
            p.setPen(QPen(pal.selection, 1, Qt.PenStyle.DashDotLine))
            p.drawLine(QPointF(sx, 0), QPointF(sx, h))
        x = self.x_of(self.editor.playhead)
        self._playhead_x = int(math.floor(x))
        if -2 <= x <= w + 2:
            p.setPen(QPen(pal.playhead, 1.5))
            p.drawLine(QPointF(x, 0), QPointF(x, h))
            p.setBrush(pal.playhead)
            p.drawPolygon(QPolygonF([QPointF(x - 6, 0), QPointF(x + 6, 0), QPointF(x, 8)]))

    def _ruler_steps(self) -> tuple[int, int]:
        """(labelled step, minor step) in frames so that labels stand ≥ 90 px apart."""
        rate = self.timeline.rate
        nice = [1, 2, 5, 10, 20, 50, 100, 200, 500]
        seconds = [
            0.01,
            0.02,
            0.05,
            0.1,
            0.2,
            0.5,
            1,
            2,
            5,
            10,
            15,
            30,
            60,
            120,
            300,
            600,
            900,
            1800,
            3600,
        ]
        candidates = nice + [int(s * rate) for s in seconds]
        for c in candidates:
            if c / self.frames_per_px >= 90:
                minor = max(1, c // 5 if c % 5 == 0 else c // 2)
                return c, minor
        return candidates[-1], candidates[-1] // 4

    def _paint_ruler(self, p, rx0, rx1, f0, f1, step, minor) -> None:
        pal = self.palette_
        p.fillRect(QRect(rx0, 0, rx1 - rx0, RULER_H), pal.ruler)
        p.setPen(pal.grid)
        p.drawLine(rx0, TICKS_Y, rx1, TICKS_Y)
        p.drawLine(rx0, RULER_H - 1, rx1, RULER_H - 1)
        p.setPen(pal.text)
        rate = self.timeline.rate
        first = max(0, (f0 // minor) * minor)
        for frame in range(first, f1 + minor, minor):
            x = self.x_of(frame)
            if frame % step == 0:
                p.drawLine(QPointF(x, TICKS_Y - 8), QPointF(x, TICKS_Y))
                p.drawText(QPointF(x + 3, TICKS_Y - 8), ruler(frame, rate, step))
            else:
                p.drawLine(QPointF(x, TICKS_Y - 4), QPointF(x, TICKS_Y))
            if frame > f1:
                break
        metrics = p.fontMetrics()
        for i, m in enumerate(self.timeline.markers):
            if f0 - self.frames_per_px * 300 <= m.frame <= f1:
                x = self.x_of(m.frame)
                p.setBrush(pal.marker)
                p.setPen(Qt.PenStyle.NoPen)
                p.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(x, RULER_H - 1),
                            QPointF(x - 5, TICKS_Y + 3),
                            QPointF(x + 5, TICKS_Y + 3),
                        ]
                    )
                )
                p.setPen(pal.marker)
                label = m.name or str(i + 1)
                # a name runs until the next marker, then it is shortened
                nxt = next((n.frame for n in self.timeline.markers if n.frame > m.frame), None)
                room = 400 if nxt is None else self.x_of(nxt) - x - 12
                if room > 16:
                    label = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(room))
                    p.drawText(QPointF(x + 7, RULER_H - 5), label)

    def _paint_markers(self, p, f0, f1, h) -> None:
        pen = QPen(self.palette_.marker, 1, Qt.PenStyle.DashLine)
        p.setPen(pen)
        for m in self.timeline.markers:
            if f0 <= m.frame <= f1:
                x = self.x_of(m.frame)
                p.drawLine(QPointF(x, RULER_H), QPointF(x, h))

    def _paint_range(self, p, h) -> None:
        if not self.editor.range:
            return
        a, b = self.editor.range
        x0, x1 = self.x_of(a), self.x_of(b)
        p.fillRect(QRectF(x0, RULER_H, x1 - x0, h - RULER_H), self.palette_.range)
        p.fillRect(QRectF(x0, 0, x1 - x0, RULER_H), self.palette_.range)

    def _paint_track(self, p, t, top, rx0, rx1, f0, f1, step) -> None:
        pal = self.palette_
        tl = self.timeline
        track = tl.tracks[t]
        th = self.track_height
        lane = (
            pal.lane_current
            if t == self.editor.current_track
            else (pal.lane if t % 2 == 0 else pal.lane_alt)
        )
        p.fillRect(QRect(rx0, top, rx1 - rx0, th), lane)
        p.setPen(pal.grid)
        p.drawLine(rx0, top + th - 1, rx1, top + th - 1)
        # Light grid lines at the labelled ruler steps help line clips up.
        first = max(0, (f0 // step) * step)
        for frame in range(first, f1 + step, step):
            x = self.x_of(frame)
            p.drawLine(QPointF(x, top), QPointF(x, top + th - 2))
        colours = ROLE_COLOURS if pal.lane.lightness() > 128 else ROLE_COLOURS_DARK
        edge, fill = colours.get(track.role, colours[TrackRole.VOICE])
        edge_c, fill_c = QColor(edge), QColor(fill)
        if track.mute or (any(x.solo for x in tl.tracks) and not track.solo):
            fill_c = QColor("#d8d8d8") if pal.lane.lightness() > 128 else QColor("#3a3a3a")
            edge_c = QColor("#8a8a8a")
        width = rx1 - rx0
        lane = WaveLane(width, th, TITLE_H + 2, th - TITLE_H - 6 - self.lane_height(t))
        hscroll = self.horizontalScrollBar().value()
        fpp = self.frames_per_px
        visible = []
        selected = {(r.track, r.index) for r in self.editor.selection}
        p.setPen(QPen(edge_c, 1))
        p.setBrush(fill_c)
        clip_box = QRectF(rx0 - 4, top, width + 8, th)
        for i, clip in enumerate(track.clips):
            if clip.end < f0 or clip.start > f1:
                continue
            rect = self.clip_rect(t, clip)
            visible.append((i, clip, rect))
            p.drawRoundedRect(rect.intersected(clip_box), 3, 3)
            # waveform columns of this clip inside the exposed strip
            cx0 = max(rx0, int(math.floor(rect.left())))
            cx1 = min(rx1, int(math.ceil(rect.right())))
            if cx1 > cx0 and lane.wave_h > 4:
                cols = self.waveforms.clip_columns(clip, fpp, cx0 + hscroll, cx1 + hscroll)
                if cols is not None:
                    lane.add(cx0 - rx0, cols[0], cols[1], 10 ** (clip.played_gain_db / 20))
        if visible:
            buffer = lane.render(np.uint32(0xFF000000 | edge_c.rgb() & 0xFFFFFF))
            image = QImage(
                buffer.data, width, th, width * 4, QImage.Format.Format_ARGB32_Premultiplied
            )
            p.drawImage(rx0, top, image)
            del image, buffer
        for i, clip, rect in visible:
            self._paint_clip_overlay(p, t, i, clip, rect, (t, i) in selected, edge_c)
        if self.lane_height(t):
            self._paint_takes(p, t, top, rx0, rx1, f0, f1)
        live = self.live
        if live is not None and t in live.columns and live.length > 0:
            self._paint_live(p, t, top, rx0, rx1, live)

    def _paint_takes(self, p, t, top, rx0, rx1, f0, f1) -> None:
        """The lane of track `t`'s alternative takes: grey boxes with a small waveform and
        the take's name (right-click: "Use this take")."""
        pal = self.palette_
        band_top = top + self.track_height - LANE_H - 2
        p.fillRect(QRect(rx0, band_top, rx1 - rx0, LANE_H + 1), pal.take_lane)
        width = rx1 - rx0
        lane = WaveLane(width, self.track_height, band_top - top + 2, LANE_H - 4)
        hscroll = self.horizontalScrollBar().value()
        shown = []
        p.setPen(QPen(pal.take_edge, 1, Qt.PenStyle.DashLine))
        p.setBrush(pal.take_fill)
        for take in self.timeline.tracks[t].takes:
            if take.end < f0 or take.start > f1:
                continue
            rect = self.take_rect(t, take)
            shown.append((take, rect))
            p.drawRoundedRect(rect.intersected(QRectF(rx0 - 4, top, width + 8, 10_000)), 2, 2)
            cx0 = max(rx0, int(math.floor(rect.left())))
            cx1 = min(rx1, int(math.ceil(rect.right())))
            if cx1 > cx0:
                cols = self.waveforms.clip_columns(
                    take, self.frames_per_px, cx0 + hscroll, cx1 + hscroll
                )
                if cols is not None:
                    lane.add(cx0 - rx0, cols[0], cols[1], 10 ** (take.gain_db / 20))
        if not shown:
            return
        buffer = lane.render(np.uint32(0xFF000000 | pal.take_edge.rgb() & 0xFFFFFF))
        image = QImage(
            buffer.data,
            width,
            self.track_height,
            width * 4,
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        p.drawImage(rx0, top, image)
        del image, buffer
        p.setPen(pal.text)
        metrics = p.fontMetrics()
        takes = self.timeline.tracks[t].takes
        starts = sorted({c.start for c in takes})
        for start in starts:
            # takes that begin at the same place (readings of one passage) share one label:
            # the first name and how many more; right-click lists them all
            same = [c for c in takes if c.start == start]
            rect = self.take_rect(t, same[0])
            if rect.right() < rx0 or rect.left() > rx1:
                continue
            later = [s for s in starts if s > start]
            right = min(rect.right(), self.x_of(later[0]) if later else rect.right())
            avail = min(right, rx1) - max(rect.left(), 0) - 8
            if avail > 24:
                label = same[0].name or same[0].source_id[:8]
                if len(same) > 1:
                    label += f"  +{len(same) - 1}"
                label = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(avail))
                p.drawText(QPointF(max(rect.left(), 0) + 4, rect.top() + 11), label)

    def take_menu(self, track: int, frame: int) -> QMenu:
        """The chooser of the alternative takes of `track` at `frame`: use one of them (one
        undo step), or fold the lane."""
        menu = QMenu(self)
        takes = self.timeline.tracks[track].takes
        for take in alternative_takes(self.timeline, track, frame):
            index = takes.index(take)
            use = menu.addAction(
                self.tr("Use this take (“%1”)").replace("%1", take.name or take.source_id[:8])
            )
            use.triggered.connect(lambda _=False, i=index: self.editor.use_take(track, i))
        menu.addSeparator()
        fold = menu.addAction(self.tr("Hide the other takes"))
        fold.triggered.connect(lambda _=False: self.editor.show_lane(track, False))
        return menu

    def _paint_live(self, p, t, top, rx0, rx1, live) -> None:
        """The take being recorded on track `t`: a red clip growing with its waveform."""
        pal = self.palette_
        th = self.track_height
        rect = QRectF(
            self.x_of(live.start),
            top + 2,
            max(self.x_of(live.end) - self.x_of(live.start), 1.0),
            th - 4,
        )
        p.setPen(QPen(pal.recording_edge, 1.5))
        p.setBrush(pal.recording)
        p.drawRoundedRect(rect.intersected(QRectF(rx0 - 4, top, rx1 - rx0 + 8, th)), 3, 3)
        cx0 = max(rx0, int(math.floor(rect.left())))
        cx1 = min(rx1, int(math.ceil(rect.right())))
        if cx1 > cx0:
            fpp = self.frames_per_px
            hscroll = self.horizontalScrollBar().value()
            first = (cx0 + hscroll) * fpp - live.start + live.source_offset
            cols = live_columns(
                live.mins, live.maxs, live.columns[t], live.bucket, first, fpp, cx1 - cx0
            )
            if cols is not None:
                lane = WaveLane(cx1 - cx0, th, TITLE_H + 2, th - TITLE_H - 6)
                lane.add(0, cols[0], cols[1], 1.0)
                buffer = lane.render(np.uint32(0xFF000000 | pal.recording_edge.rgb() & 0xFFFFFF))
                image = QImage(
                    buffer.data,
                    cx1 - cx0,
                    th,
                    (cx1 - cx0) * 4,
                    QImage.Format.Format_ARGB32_Premultiplied,
                )
                p.drawImage(cx0, top, image)
                del image, buffer
        if rect.width() > 60:
            p.setPen(pal.recording_edge)
            p.drawText(
                QPointF(max(rect.left(), 0) + 6, rect.top() + TITLE_H - 4),
                "● "
                + self.tr("Recording %1").replace("%1", clock(live.length, self.timeline.rate)),
            )

    def _paint_clip_overlay(self, p, t, i, clip, rect: QRectF, selected: bool, edge_c) -> None:
        """Title, fades, handles, gain line and selection of one clip. Details too small to
        see at the current zoom are skipped: at a whole-hour view they cost most of a paint."""
        width = rect.width()
        if width < 6:
            return  # a sliver at this zoom: the body says enough
        pal = self.palette_
        w = self.viewport().width()
        left = max(rect.left(), -10.0)
        right = min(rect.right(), w + 10.0)
        if width > 48:
            # the title row: [fade-in handle] name … level badge [fade-out handle], nothing
            # drawn over another (the handles sit where the fades end)
            text_x, end, badge = self.title_row(clip, rect, p.fontMetrics())
            if badge is not None:
                self._paint_level_badge(p, clip, badge)
            p.setPen(pal.text if pal.lane.lightness() > 128 else QColor("#f0f0f0"))
            avail = end - text_x - 4
            if avail > 24:
                label = clip.name or clip.source_id[:8]
                if clip.gain_db:
                    label += f"  {clip.gain_db:+.1f} dB"
                if p.fontMetrics().horizontalAdvance(label) > avail:
                    label = p.fontMetrics().elidedText(
                        label, Qt.TextElideMode.ElideRight, int(avail)
                    )
                p.drawText(QPointF(text_x, rect.top() + TITLE_H - 4), label)
        wave_top = rect.top() + TITLE_H
        bottom = rect.bottom()
        fpp = self.frames_per_px
        if clip.fade_in > 2 * fpp or clip.fade_out > 2 * fpp:
            p.setPen(QPen(pal.fade, 1.2))
            if clip.fade_in > 2 * fpp:
                xf = rect.left() + clip.fade_in / fpp
                p.drawLine(QPointF(rect.left(), bottom), QPointF(xf, wave_top))
            if clip.fade_out > 2 * fpp:
                xf = rect.right() - clip.fade_out / fpp
                p.drawLine(QPointF(xf, wave_top), QPointF(rect.right(), bottom))
        if width > 3 * HANDLE_PX:
            p.setBrush(QColor("#ffffff"))
            p.setPen(QPen(edge_c, 1))
            for hx in self._fade_handle_xs(clip, rect):
                p.drawRect(QRectF(hx - HANDLE_PX / 2, rect.top() + 1, HANDLE_PX, HANDLE_PX))
        gy = self.gain_y(rect, clip.gain_db)
        p.setPen(QPen(pal.gain, 1.2))
        p.drawLine(QPointF(left, gy), QPointF(right, gy))
        if clip.duck:
            self._paint_duck(p, clip, rect)
        if selected:
            p.setPen(QPen(pal.selection, 2.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(
                QRectF(left + 1, rect.top() + 1, right - left - 2, rect.height() - 2), 3, 3
            )

    def level_badge(self, clip: Clip) -> str:
        """The text of the auto-level badge: the gain the balance applied, or that it is off."""
        if not clip.auto_level:
            return localized("auto off", "tự động: tắt")
        if abs(clip.level_db) < 0.05:
            return ""
        return localized(f"auto {clip.level_db:+.1f} dB", f"tự động {clip.level_db:+.1f} dB")

    def title_row(self, clip: Clip, rect: QRectF, fm) -> tuple[float, float, QRectF | None]:
        """Where a clip's name may go (from x, to x) and its level badge (None: no badge or
        no room): [fade-in handle] name … badge [fade-out handle], nothing over another
        (the handles sit where the fades end, so they can be anywhere in the row)."""
        x_in, x_out = self._fade_handle_xs(clip, rect)
        text_x = max(rect.left() + HANDLE_PX + 4, x_in + HANDLE_PX / 2 + 4, 4)
        end = min(rect.right(), x_out - HANDLE_PX / 2 - 3)
        text = self.level_badge(clip)
        badge = None
        if text:
            w = fm.horizontalAdvance(text) + 8
            right = min(end, rect.right() - HANDLE_PX - 4, self.viewport().width() - HANDLE_PX - 4)
            if rect.width() >= w + 3 * HANDLE_PX + 40 and right - w >= text_x:
                badge = QRectF(right - w, rect.top() + 2, w, TITLE_H - 5)
                end = badge.left() - 2
        return text_x, end, badge

    def _paint_level_badge(self, p, clip: Clip, box: QRectF) -> None:
        text = self.level_badge(clip)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 90, 160, 200) if clip.auto_level else QColor(120, 120, 120, 200))
        p.drawRoundedRect(box, 3, 3)
        p.setPen(QColor("#ffffff"))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def duck_points_xy(self, clip: Clip, rect: QRectF) -> list[tuple[float, float]]:
        """Where the ducking points are drawn (the line sits on the clip's gain line)."""
        return [
            (
                rect.left() + pt.frame / self.frames_per_px,
                self.gain_y(rect, clip.gain_db + pt.gain_db),
            )
            for pt in clip.duck
        ]

    def _paint_duck(self, p, clip: Clip, rect: QRectF) -> None:
        pts = self.duck_points_xy(clip, rect)
        colour = QColor("#0a7cc4") if self.palette_.lane.lightness() > 128 else QColor("#6cc4ff")
        p.setPen(QPen(colour, 1.6))
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            p.drawLine(QPointF(x0, y0), QPointF(x1, y1))
        if rect.width() > 60:
            p.setBrush(colour)
            for x, y in pts:
                if rect.left() + 2 < x < rect.right() - 2:
                    p.drawEllipse(QPointF(x, y), 3, 3)

    def _duck_point_at(self, clip: Clip, rect: QRectF, x: float, y: float) -> int | None:
        for k, (px, py) in enumerate(self.duck_points_xy(clip, rect)):
            if abs(px - x) <= 5 and abs(py - y) <= 5:
                return k
        return None

    def _fade_handle_xs(self, clip: Clip, rect: QRectF) -> tuple[float, float]:
        x_in = max(self.x_of(clip.start + clip.fade_in), rect.left() + HANDLE_PX / 2)
        x_out = min(self.x_of(clip.end - clip.fade_out), rect.right() - HANDLE_PX / 2)
        return x_in, x_out

    # --- hit testing -----------------------------------------------------------------------

    def hit(self, x: float, y: float) -> tuple[str, ClipRef | None]:
        """What lies under (x, y): a zone name and the clip it belongs to."""
        if y < RULER_H:
            for i, m in enumerate(self.timeline.markers):
                if abs(self.x_of(m.frame) - x) <= 6 and y >= TICKS_Y:
                    return f"marker:{i}", None
            return "ruler", None
        t = self.track_at(y)
        if t is None:
            return "empty", None
        if self.lane_height(t) and y >= self.track_top(t) + self.track_height - LANE_H - 2:
            return ("take", None) if self.take_at(x, y) is not None else ("lane", None)
        track = self.timeline.tracks[t]
        frame = self.frame_at(x)
        tol = EDGE_PX * self.frames_per_px
        for i in reversed(range(len(track.clips))):
            clip = track.clips[i]
            if not clip.start - tol <= frame <= clip.end + tol:
                continue
            rect = self.clip_rect(t, clip)
            if not rect.top() <= y <= rect.bottom():
                continue
            ref = ClipRef(t, i)
            if rect.width() > 3 * HANDLE_PX and y <= rect.top() + HANDLE_PX + 3:
                x_in, x_out = self._fade_handle_xs(clip, rect)
                if abs(x - x_in) <= HANDLE_PX / 2 + 2:
                    return "fade_in", ref
                if abs(x - x_out) <= HANDLE_PX / 2 + 2:
                    return "fade_out", ref
            if abs(x - rect.left()) <= EDGE_PX:
                return "trim_l", ref
            if abs(x - rect.right()) <= EDGE_PX:
                return "trim_r", ref
            if not rect.left() <= x <= rect.right():
                continue
            if clip.duck:
                k = self._duck_point_at(clip, rect, x, y)
                if k is not None:
                    return f"duck:{k}", ref
            if abs(y - self.gain_y(rect, clip.gain_db)) <= 3:
                return "gain", ref
            return "move", ref
        return "lane", None

    _CURSORS = {
        "trim_l": Qt.CursorShape.SizeHorCursor,
        "trim_r": Qt.CursorShape.SizeHorCursor,
        "fade_in": Qt.CursorShape.PointingHandCursor,
        "fade_out": Qt.CursorShape.PointingHandCursor,
        "gain": Qt.CursorShape.SizeVerCursor,
        "duck": Qt.CursorShape.SizeVerCursor,
        "move": Qt.CursorShape.OpenHandCursor,
        "ruler": Qt.CursorShape.IBeamCursor,
        "lane": Qt.CursorShape.IBeamCursor,
    }

    # --- mouse -----------------------------------------------------------------------------

    def _snap_targets(self, exclude: list[ClipRef]) -> list[int]:
        return edits.snap_targets(self.timeline, self.editor.playhead, exclude)

    def _snapped(self, frame: int, targets: list[int], modifiers) -> int:
        if not self.editor.snapping or modifiers & Qt.KeyboardModifier.AltModifier:
            return frame
        s = edits.snap(frame, targets, self.editor.snap_tolerance_frames(self.frames_per_px))
        self._show_snap(s)
        return frame if s is None else s

    def _show_snap(self, frame: int | None) -> None:
        """Draw (or clear) the line that shows where a drag snapped to."""
        if frame != self.snap_frame:
            self.snap_frame = frame
            self.viewport().update()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        pos = event.position()
        x, y = pos.x(), pos.y()
        if event.button() == Qt.MouseButton.RightButton:
            zone, ref = self.hit(x, y)
            if zone == "take":
                t, _i = self.take_at(x, y)
                self.take_menu(t, self.frame_at(x)).exec(event.globalPosition().toPoint())
                return
            if ref is not None and ref not in self.editor.selection:
                self.editor.select([ref])
            self._context_menu(event.globalPosition().toPoint())
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        zone, ref = self.hit(x, y)
        base = self.editor.session.history.committed.timeline
        mods = event.modifiers()
        if zone.startswith("marker:"):
            self._drag = _Drag(
                "marker",
                x,
                y,
                base,
                marker=int(zone.split(":")[1]),
                alt=bool(mods & Qt.KeyboardModifier.AltModifier),
            )
            return
        if zone == "ruler":
            self._drag = _Drag("scrub", x, y, base)
            self._seek(self.frame_at(x))
            return
        t = self.track_at(y)
        if t is not None:
            self.editor.current_track = t
        if ref is None:
            if not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
                self.editor.select([])
            self.editor.set_range(None)
            self._drag = _Drag(
                "range", x, y, base, alt=bool(mods & Qt.KeyboardModifier.AltModifier)
            )
            self._seek(self.frame_at(x))
            self.viewport().update()
            return
        add = bool(mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        if add or ref not in self.editor.selection:
            self.editor.select([ref], add=add)
        refs = list(self.editor.selection) if zone == "move" else [ref]
        if ref not in refs:
            return  # ctrl-click deselected it
        point = -1
        if zone.startswith("duck:"):
            zone, point = "duck", int(zone.split(":")[1])
        self._drag = _Drag(
            zone,
            x,
            y,
            base,
            ref=ref,
            clip=edits.clip_at(base, ref),
            refs=refs,
            alt=bool(mods & Qt.KeyboardModifier.AltModifier),
            point=point,
        )
        if zone == "move":
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def _seek(self, frame: int) -> None:
        frame = max(0, frame)
        self.editor.set_playhead(frame)
        self.seekRequested.emit(frame)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        pos = event.position()
        x, y = pos.x(), pos.y()
        d = self._drag
        if d is None:
            zone, _ = self.hit(x, y)
            cursor = self._CURSORS.get(zone.split(":")[0], Qt.CursorShape.ArrowCursor)
            if zone.startswith("marker"):
                cursor = Qt.CursorShape.SizeHorCursor
            self.viewport().setCursor(cursor)
            return
        if not d.moved and abs(x - d.press_x) < 3 and abs(y - d.press_y) < 3:
            return
        d.moved = True
        mods = event.modifiers()
        if d.alt:
            mods |= Qt.KeyboardModifier.AltModifier
        delta = int(round((x - d.press_x) * self.frames_per_px))
        base = d.base
        if d.kind == "scrub":
            self._seek(self.frame_at(x))
        elif d.kind == "range":
            a = self.frame_at(d.press_x)
            b = self._snapped(self.frame_at(x), self._snap_targets([]), mods)
            self.editor.set_range(a, b)
        elif d.kind == "marker":
            frame = self._snapped(self.frame_at(x), self._snap_targets([]), mods)
            self.editor.preview(edits.move_marker(base, d.marker, frame))
        elif d.kind == "move":
            clip = d.clip
            start = clip.start + delta
            if self.editor.snapping and not mods & Qt.KeyboardModifier.AltModifier:
                raw = start
                start = edits.snap_span(
                    start,
                    clip.length,
                    self._snap_targets(d.refs),
                    self.editor.snap_tolerance_frames(self.frames_per_px),
                )
                if start == raw:
                    self._show_snap(None)
                else:  # which edge snapped: the one now on a target
                    targets = self._snap_targets(d.refs)
                    self._show_snap(start if start in targets else start + clip.length)
            target = self.track_at(y)
            track_delta = 0 if target is None else target - d.ref.track
            tl, refs = edits.move_clips(base, d.refs, start - clip.start, track_delta)
            d.result_refs = refs
            self.editor.preview(tl)
            self._tip(x, y, clock(start, self.timeline.rate))
        elif d.kind == "trim_l":
            start = self._snapped(d.clip.start + delta, self._snap_targets([d.ref]), mods)
            tl, ref = edits.trim_start(base, d.ref, start)
            d.result_refs = [ref]
            self.editor.preview(tl)
        elif d.kind == "trim_r":
            end = self._snapped(d.clip.end + delta, self._snap_targets([d.ref]), mods)
            ref_media = self.editor.programme.media_ref(d.clip.source_id)
            source_frames = ref_media.frames if ref_media and ref_media.frames else None
            tl, ref = edits.trim_end(base, d.ref, end, source_frames)
            d.result_refs = [ref]
            self.editor.preview(tl)
        elif d.kind == "fade_in":
            fade = d.clip.fade_in + delta  # relative: grabbing the handle never jumps
            self.editor.preview(edits.set_fades(base, d.ref, fade_in=max(0, fade)))
            self._tip(x, y, clock(max(0, fade), self.timeline.rate))
        elif d.kind == "fade_out":
            fade = d.clip.fade_out - delta
            self.editor.preview(edits.set_fades(base, d.ref, fade_out=max(0, fade)))
            self._tip(x, y, clock(max(0, fade), self.timeline.rate))
        elif d.kind == "gain":
            rect = self.clip_rect(d.ref.track, d.clip)
            gain = self.gain_at(rect, y)
            self.editor.preview(edits.set_clip_gain(base, d.ref, gain))
            self._tip(x, y, f"{gain:+.1f} dB")
        elif d.kind == "duck":
            rect = self.clip_rect(d.ref.track, d.clip)
            gain = min(0.0, self.gain_at(rect, y) - d.clip.gain_db)
            self.editor.preview(edits.set_duck_point(base, d.ref, d.point, gain))
            self._tip(x, y, localized(f"duck {gain:+.1f} dB", f"hạ {gain:+.1f} dB"))

    def _tip(self, x, y, text) -> None:
        QToolTip.showText(self.viewport().mapToGlobal(QPointF(x, y).toPoint()), text, self)

    _DESCRIPTIONS = {
        "move": history.MOVE_CLIP,
        "trim_l": history.TRIM_START,
        "trim_r": history.TRIM_END,
        "fade_in": history.FADE_IN,
        "fade_out": history.FADE_OUT,
        "gain": history.CLIP_GAIN,
        "duck": history.DUCK_POINT,
        "marker": history.MOVE_MARKER,
    }

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        d = self._drag
        self._drag = None
        self._show_snap(None)
        self.viewport().unsetCursor()
        if d is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if d.kind in self._DESCRIPTIONS:
            if not d.moved:
                self.editor.cancel_preview()
                return
            desc = self._DESCRIPTIONS[d.kind]
            if d.kind == "move" and len(d.refs) > 1:
                desc = history.MOVE_CLIPS
            if self.editor.commit_preview(desc) and d.result_refs:
                self.editor.select(d.result_refs)
        elif d.kind == "range" and not d.moved:
            self.editor.set_range(None)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt override
        pos = event.position()
        zone, ref = self.hit(pos.x(), pos.y())
        if zone == "take":  # double-click an alternative take: use it
            self.editor.use_take(*self.take_at(pos.x(), pos.y()))
        elif zone.startswith("marker:"):
            self.markerEditRequested(int(zone.split(":")[1]))
        elif ref is not None:
            self.clipGainRequested(ref)

    # Hooks the main window replaces (kept as plain callables so tests can call them too).
    def markerEditRequested(self, index: int) -> None:  # noqa: N802
        pass

    def clipGainRequested(self, ref: ClipRef) -> None:  # noqa: N802
        pass

    def _context_menu(self, global_pos) -> None:
        if not self.context_actions:
            return
        menu = QMenu(self)
        for a in self.context_actions:
            if a is None:
                menu.addSeparator()
            else:
                menu.addAction(a)
        menu.exec(global_pos)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        mods = event.modifiers()
        dy = event.angleDelta().y()
        dx = event.angleDelta().x()
        if mods & Qt.KeyboardModifier.ControlModifier:
            if dy:
                self.zoom_by(1.25 if dy > 0 else 0.8, event.position().x())
            event.accept()
            return
        if mods & Qt.KeyboardModifier.ShiftModifier or dx:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - (dx or dy))
            event.accept()
            return
        super().wheelEvent(event)

"""The editor: the one place where the window changes the programme.

It owns the Session (programme, path, history, autosave), the selection, the clipboard, the
playhead and the snapping switch. Views call its methods and redraw when it signals `changed`;
they never edit the model themselves. Each change hands the new immutable timeline to the
player (a single reference swap on its side), so edits while playing are heard at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from audio.errors import StudioError
from audio.timeline import Timeline, TrackRole
from studio import edits, history
from studio.edits import Clipboard, ClipRef
from studio.history import Description
from studio.paths import StudioHome
from studio.programme import Programme
from studio.session import Session
from studio.takes import select_take

NUDGE_SECONDS = 0.05


class Editor(QObject):
    changed = Signal()  # the programme (present value) changed
    selectionChanged = Signal()
    playheadChanged = Signal(int)
    rangeChanged = Signal()
    lanesChanged = Signal()  # noqa: N815 - a takes lane was shown or hidden (view state)
    documentChanged = Signal()  # new/opened/saved: title, path or dirty flag
    sessionReplaced = Signal()  # noqa: N815 - another programme (New, Open, recovery)
    message = Signal(str)  # a short status-bar line

    def __init__(self, home: StudioHome, session: Session | None = None, parent=None):
        super().__init__(parent)
        self.home = home
        self.session = session or Session(home, Programme(title=""))
        self.selection: list[ClipRef] = []
        self.clipboard = Clipboard()
        self.playhead = 0
        self.range: tuple[int, int] | None = None  # a time range selection in frames
        self.current_track = 0
        self.snapping = True
        # Tracks (by name) whose lane of alternative takes is folded away: view state only.
        self.hidden_lanes: set[str] = set()
        self.timeline_listeners: list[Callable[[Timeline], None]] = []
        self.balancer: Callable[[Programme], Programme] | None = None

    def set_balancer(self, balancer: Callable[[Programme], Programme] | None) -> None:
        """Balance every edit (studio.balance.Balancer), in this session and the next ones."""
        self.balancer = balancer
        self.session.set_balance(balancer)
        self._emit_changed()

    # --- state -----------------------------------------------------------------------------

    @property
    def programme(self) -> Programme:
        return self.session.programme

    @property
    def timeline(self) -> Timeline:
        return self.session.programme.timeline

    @property
    def rate(self) -> int:
        return self.timeline.rate

    def set_session(self, session: Session) -> None:
        self.session.close()
        self.session = session
        session.set_balance(self.balancer)
        self.selection = []
        self.range = None
        self.playhead = 0
        self.current_track = 0
        self._emit_changed()
        self.selectionChanged.emit()
        self.playheadChanged.emit(0)
        self.documentChanged.emit()
        self.sessionReplaced.emit()

    def _emit_changed(self) -> None:
        tl = self.timeline
        for listener in self.timeline_listeners:
            listener(tl)
        self.changed.emit()

    # --- committing ------------------------------------------------------------------------

    def apply(self, new: Timeline | Programme, description: Description) -> bool:
        """Record an edit as one undo step."""
        programme = self.programme.with_changes(timeline=new) if isinstance(new, Timeline) else new
        was_dirty = self.session.dirty
        changed = self.session.apply(programme, description)
        if changed:
            self._validate_selection()
            self._emit_changed()
            self.message.emit(description.text())
            if not was_dirty:
                self.documentChanged.emit()
        return changed

    def preview(self, timeline: Timeline) -> None:
        """Show (and play) a value during a drag without recording it."""
        self.session.history.preview(self.session.history.committed.with_changes(timeline=timeline))
        self._emit_changed()

    def commit_preview(self, description: Description) -> bool:
        was_dirty = self.session.dirty
        changed = self.session.commit_preview(description)
        self._validate_selection()
        self._emit_changed()
        if changed:
            self.message.emit(description.text())
        if was_dirty != self.session.dirty or changed:
            self.documentChanged.emit()
        return changed

    def cancel_preview(self) -> None:
        self.session.history.cancel_preview()
        self._emit_changed()

    def undo(self) -> None:
        desc = self.session.history.undo_description
        if self.session.history.undo() is not None:
            self._validate_selection()
            self._emit_changed()
            self.documentChanged.emit()
            if desc:
                self.message.emit(self.tr("Undone: %1").replace("%1", desc.text()))

    def redo(self) -> None:
        desc = self.session.history.redo_description
        if self.session.history.redo() is not None:
            self._validate_selection()
            self._emit_changed()
            self.documentChanged.emit()
            if desc:
                self.message.emit(self.tr("Redone: %1").replace("%1", desc.text()))

    def save(self, path=None):
        target = self.session.save(path)
        self.documentChanged.emit()
        return target

    # --- selection, playhead, range --------------------------------------------------------

    def _validate_selection(self) -> None:
        tl = self.timeline
        keep = [
            r
            for r in self.selection
            if r.track < len(tl.tracks) and r.index < len(tl.tracks[r.track].clips)
        ]
        if keep != self.selection:
            self.selection = keep
            self.selectionChanged.emit()
        if self.current_track >= len(tl.tracks):
            self.current_track = max(0, len(tl.tracks) - 1)

    def select(self, refs: list[ClipRef], add: bool = False) -> None:
        sel = list(self.selection) if add else []
        for r in refs:
            if r in sel and add:
                sel.remove(r)
            elif r not in sel:
                sel.append(r)
        self.selection = sel
        if refs:
            self.current_track = refs[-1].track
        self.selectionChanged.emit()

    def select_all(self) -> None:
        self.select(
            [
                ClipRef(t, i)
                for t, tr in enumerate(self.timeline.tracks)
                for i in range(len(tr.clips))
            ]
        )

    def set_playhead(self, frame: int) -> None:
        frame = max(0, int(frame))
        if frame != self.playhead:
            self.playhead = frame
            self.playheadChanged.emit(frame)

    def set_range(self, start: int | None, end: int | None = None) -> None:
        if start is None or end is None or start == end:
            self.range = None
        else:
            self.range = (max(0, min(start, end)), max(start, end))
        self.rangeChanged.emit()

    def snap_tolerance_frames(self, frames_per_px: float) -> int:
        return int(8 * frames_per_px)

    # --- edit commands (each one undo step) -------------------------------------------------

    def _need_selection(self) -> bool:
        if not self.selection:
            self.message.emit(self.tr("Select a clip first."))
            return False
        return True

    def split_at_playhead(self) -> None:
        tracks = sorted({r.track for r in self.selection}) or None
        tl = edits.split_at(self.timeline, self.playhead, tracks)
        if not self.apply(tl, history.SPLIT):
            self.message.emit(self.tr("No clip under the playhead to split."))

    def delete_selection(self) -> None:
        if self.selection:
            refs = self.selection
            self.selection = []
            self.apply(edits.delete_clips(self.timeline, refs), history.DELETE)
            self.selectionChanged.emit()
        elif self.range:
            self.ripple_delete_range()

    def ripple_delete_range(self) -> None:
        if not self.range:
            self.message.emit(self.tr("Drag across the timeline to select a time range first."))
            return
        start, end = self.range
        self.selection = []
        if self.apply(edits.ripple_delete(self.timeline, start, end), history.RIPPLE_DELETE):
            self.set_range(None)
            self.set_playhead(start)
        self.selectionChanged.emit()

    def duplicate(self) -> None:
        if not self._need_selection():
            return
        tl = self.timeline
        new_refs = []
        for r in sorted(self.selection, key=lambda r: (r.track, -r.index)):
            tl, ref = edits.duplicate_clip(tl, r)
            new_refs.append(ref)
        self.apply(tl, history.DUPLICATE)
        self.select(new_refs[-1:])

    def copy(self) -> None:
        if self._need_selection():
            self.clipboard = edits.copy_clips(self.timeline, self.selection)
            self.message.emit(self.tr("Copied %n clip(s).", "", len(self.selection)))

    def cut(self) -> None:
        if self._need_selection():
            self.clipboard = edits.copy_clips(self.timeline, self.selection)
            refs = self.selection
            self.selection = []
            self.apply(edits.delete_clips(self.timeline, refs), history.CUT)
            self.selectionChanged.emit()

    def paste(self) -> None:
        if not self.clipboard:
            self.message.emit(self.tr("Nothing to paste."))
            return
        if not self.timeline.tracks:
            return
        tl, refs = edits.paste_clips(
            self.timeline, self.clipboard, self.playhead, self.current_track
        )
        if self.apply(tl, history.PASTE):
            self.select(refs)

    def nudge(self, direction: int) -> None:
        if not self._need_selection():
            return
        delta = int(direction * NUDGE_SECONDS * self.rate)
        tl, refs = edits.move_clips(self.timeline, self.selection, delta)
        if self.apply(tl, history.MOVE_CLIPS):
            self.selection = refs
            self.selectionChanged.emit()

    def crossfade(self) -> None:
        if not self._need_selection():
            return
        try:
            self.apply(edits.crossfade(self.timeline, self.selection[0]), history.CROSSFADE)
        except StudioError as exc:
            self.message.emit(exc.message())

    def set_clip_gain(self, ref: ClipRef, gain_db: float) -> None:
        self.apply(edits.set_clip_gain(self.timeline, ref, gain_db), history.CLIP_GAIN)

    def lane_shown(self, index: int) -> bool:
        """True when track `index` has alternative takes and their lane is unfolded."""
        tracks = self.timeline.tracks
        return (
            0 <= index < len(tracks)
            and bool(tracks[index].takes)
            and (tracks[index].name not in self.hidden_lanes)
        )

    def show_lane(self, index: int, shown: bool) -> None:
        """Unfold or fold the lane of alternative takes under track `index` (not an edit)."""
        name = self.timeline.tracks[index].name
        if shown:
            self.hidden_lanes.discard(name)
        else:
            self.hidden_lanes.add(name)
        self.lanesChanged.emit()

    def use_take(self, track: int, index: int) -> bool:
        """Play alternative take `index` of `track` instead of what covers it now (which
        becomes an alternative in its place): one undo step."""
        take = self.timeline.tracks[track].takes[index]
        return self.apply(select_take(self.timeline, track, take), history.USE_TAKE)

    def set_track(self, index: int, description: Description, **changes) -> None:
        self.apply(edits.set_track(self.timeline, index, **changes), description)

    def preview_track(self, index: int, **changes) -> None:
        base = self.session.history.committed.timeline
        self.preview(edits.set_track(base, index, **changes))

    def set_master_gain(self, gain_db: float) -> None:
        self.apply(edits.set_master_gain(self.timeline, gain_db), history.MASTER_GAIN)

    def add_track(self, name: str, role: TrackRole = TrackRole.VOICE) -> None:
        self.apply(edits.add_track(self.timeline, name, role), history.ADD_TRACK)
        self.current_track = len(self.timeline.tracks) - 1

    def remove_track(self, index: int) -> None:
        if 0 <= index < len(self.timeline.tracks):
            self.selection = []
            self.apply(edits.remove_track(self.timeline, index), history.REMOVE_TRACK)
            self.selectionChanged.emit()

    def add_marker(self, name: str) -> None:
        self.apply(edits.add_marker(self.timeline, self.playhead, name), history.ADD_MARKER)

    def rename_marker(self, index: int, name: str) -> None:
        self.apply(edits.rename_marker(self.timeline, index, name), history.RENAME_MARKER)

    def remove_marker(self, index: int) -> None:
        self.apply(edits.remove_marker(self.timeline, index), history.REMOVE_MARKER)

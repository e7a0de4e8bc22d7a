"""The library feature: the library dock beside the timeline, segments and audio files
dropped onto tracks, preview on a player of its own, and usage notes in the library.

- a segment dragged onto a track (`application/x-studio-segment`) becomes a clip at the drop
  frame (snapped when snapping is on; a line shows where while dragging), several one after
  the other, as one undo step; audio files dragged from the desktop are imported where they
  are dropped;
- the library notes each use: `added` on a drop, `exported` after an export, `pushed` (by the
  publishing feature, through `record_programme_usage`) after a push.
"""

from __future__ import annotations

import contextlib
import logging
import os

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView

from audio.errors import StudioError
from studio import edits
from studio.edits import add_source_clip
from studio.history import Description
from studio.transport import stop_player
from ui.library.dock import LibraryDock
from ui.library.segments import SEGMENT_MIME, decode_segment_mime
from ui.window.feature import Feature

log = logging.getLogger(__name__)

HIDDEN_LIBRARY_COLUMNS = {"category", "last_used", "valid_until"}  # shown from the header menu

ADD_SEGMENT = Description(
    "Added segment from the library", "Đã thêm đoạn từ thư viện", "Add segment", "Thêm đoạn"
)


def _local_files(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p and os.path.isfile(p)]


class _TimelineDrops(QObject):
    """Event filter on the timeline's viewport: accepts library segments."""

    def __init__(self, feature: LibraryFeature):
        super().__init__(feature)
        self.feature = feature

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        view = self.feature.window.timeline_view
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            files = _local_files(event.mimeData())
            if files and not event.mimeData().hasFormat(SEGMENT_MIME):
                return self._files(kind, event, files)
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasFormat(SEGMENT_MIME):
                pos = event.position()
                on_track = view.track_at(pos.y()) is not None
                # a line where the clip would start, as when dragging a clip
                self._show_line(self.feature.drop_frame(pos.x()) if on_track else None)
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                return True
        elif kind == QEvent.Type.DragLeave:
            self._show_line(None)
        elif kind == QEvent.Type.Drop and event.mimeData().hasFormat(SEGMENT_MIME):
            self._show_line(None)
            pos = event.position()
            done = self.feature.drop_segments(
                decode_segment_mime(event.mimeData()), pos.x(), pos.y()
            )
            if done:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
            else:
                event.ignore()
            return True
        return False

    def _files(self, kind, event, files: list[str]) -> bool:
        """Audio files dragged in from the desktop are imported where they are dropped."""
        pos = event.position()
        track = self.feature.window.timeline_view.track_at(pos.y())
        frame = self.feature.drop_frame(pos.x())
        if kind == QEvent.Type.Drop:
            self._show_line(None)
            self.feature.window.import_files(files, track, frame)
        else:
            self._show_line(frame)
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        return True

    def _show_line(self, frame: int | None) -> None:
        view = self.feature.window.timeline_view
        if view.snap_frame != frame:
            view.snap_frame = frame
            view.viewport().update()


class LibraryFeature(Feature):
    """The library dock and everything that moves segments between it and the programme."""

    key = "library"

    def __init__(self, window, options: dict | None = None):
        super().__init__(window, options)
        self.library = self.options.get("library")
        self.dock = None
        self.preview_player = None
        if self.library is None:
            try:
                from studio.library import open_library

                self.library = open_library(window.home)
            except StudioError as exc:
                window.statusBar().showMessage(exc.message(), 10000)
                return
        self.dock = LibraryDock(self.library, window, preview=self.preview)
        window.add_dock("library", self.dock, self.tr("Library"))
        self.dock.addRequested.connect(self.add_at_playhead)
        self._fit_library_columns()
        viewport = window.timeline_view.viewport()
        viewport.setAcceptDrops(True)
        self._drops = _TimelineDrops(self)
        viewport.installEventFilter(self._drops)
        window.exported.connect(self._exported)

    def _fit_library_columns(self) -> None:
        """Beside the timeline the dock is narrow: the title gets the room, three columns
        start hidden, and the header's context menu shows or hides any column."""
        table = self.dock.table
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        columns = self.dock.model.COLUMNS
        for i, (key, _text) in enumerate(columns):
            if i == 0:
                continue
            title = self.dock.model.headerData(i, Qt.Orientation.Horizontal)
            action = QAction(str(title), header)
            action.setCheckable(True)
            action.setChecked(key not in HIDDEN_LIBRARY_COLUMNS)
            action.toggled.connect(lambda on, i=i: table.setColumnHidden(i, not on))
            header.addAction(action)
            table.setColumnHidden(i, key in HIDDEN_LIBRARY_COLUMNS)

    def drop_frame(self, x: float) -> int:
        """The timeline frame a segment dropped at viewport x starts at (snapped to clip
        edges, markers and the playhead when snapping is on)."""
        w = self.window
        view = w.timeline_view
        frame = max(0, view.frame_at(x))
        if w.editor.snapping:
            targets = edits.snap_targets(w.editor.timeline, w.editor.playhead)
            snapped = edits.snap(frame, targets, w.editor.snap_tolerance_frames(view.frames_per_px))
            frame = frame if snapped is None else snapped
        return frame

    def drop_segments(self, segments: list[dict], x: float, y: float) -> bool:
        """Place dropped library segments on the track under (x, y) from the frame under x,
        one after the other, as one undo step; then note their usage in the library."""
        track = self.window.timeline_view.track_at(y)
        if not segments or track is None:
            return False
        name = self.window.editor.timeline.tracks[track].name
        return self.place_segments(segments, name, self.drop_frame(x))

    def add_at_playhead(self, segments) -> bool:
        """ "Add at playhead": jingles and beds go to a track of their role (made and named
        after it when the programme has none), anything else to the current track."""
        from audio.timeline import TrackRole

        w = self.window
        if not segments:
            return False
        tl = w.editor.timeline
        kind = segments[0].kind
        role = {"jingle": TrackRole.JINGLE, "music_bed": TrackRole.MUSIC_BED}.get(kind)
        name = None
        if role is not None:
            name = next((t.name for t in tl.tracks if t.role == role), None)
            if name is None:
                name = self.tr("Jingles") if role == TrackRole.JINGLE else self.tr("Music bed")
        elif tl.tracks:
            current = min(max(w.editor.current_track, 0), len(tl.tracks) - 1)
            name = tl.tracks[current].name
        else:
            name, role = self.tr("Voice"), TrackRole.VOICE
        payload = [
            {"segment_id": s.id, "source_id": s.source_id, "title": s.title} for s in segments
        ]
        return self.place_segments(payload, name, w.editor.playhead, role)

    def place_segments(self, segments: list[dict], name: str, start: int, role=None) -> bool:
        """Put segments one after the other on track `name` from `start` (one undo step)."""
        w = self.window
        programme = w.editor.programme
        rate = programme.timeline.rate
        placed = []
        try:
            for seg in segments:
                info = w.store.info(seg["source_id"], rate)
                if info is None:
                    raise StudioError(
                        f"The audio of “{seg.get('title', '')}” is not in the media store at "
                        f"{rate} Hz; import it again.",
                        f"Âm thanh của “{seg.get('title', '')}” không có trong kho ở {rate} Hz; "
                        "hãy nhập lại.",
                    )
                programme = add_source_clip(programme, info, name, start, role=role)
                start += info.frames
                placed.append(seg)
        except StudioError as exc:
            w.prompts.error(exc.message())
            return False
        w.editor.apply(programme, ADD_SEGMENT)
        used_in = self._programme_name()
        if self.library is not None:
            for seg in placed:
                try:
                    self.library.record_usage(int(seg["segment_id"]), used_in)
                except StudioError as exc:  # the clip stays; only the usage note failed
                    w.statusBar().showMessage(exc.message(), 8000)
            if self.dock is not None:
                self.dock.refresh()
        return True

    def _programme_sources(self) -> set[str]:
        return {c.source_id for t in self.window.editor.timeline.tracks for c in t.clips}

    def _programme_name(self) -> str:
        w = self.window
        return (
            w.editor.session.display_name
            or w.editor.programme.title
            or self.tr("Untitled programme")
        )

    def record_programme_usage(
        self, action: str, sources: set[str] | None = None, used_in: str | None = None
    ) -> int:
        """Note in the library that the programme's library segments were exported or pushed
        (any thread: the library has its own writer lock). Returns how many were noted."""
        if self.library is None:
            return 0
        sources = self._programme_sources() if sources is None else sources
        used_in = used_in or self._programme_name()
        noted = 0
        for sid in sources:
            try:
                seg = self.library.by_sha256(sid)
                if seg is not None:
                    self.library.record_usage(seg.id, used_in, action)
                    noted += 1
            except StudioError as exc:  # a usage note never stops an export or a push
                log.warning("usage of %s not recorded: %s", sid, exc)
        return noted

    def preview(self, frames, rate: int) -> None:
        """Play a library segment on a player of its own (the programme's is stopped)."""
        w = self.window
        if w.playback.playing:
            w.playback.pause()
        self.stop_preview()
        try:
            self.preview_player = w.playback.transport.preview(frames, rate)
        except StudioError as exc:
            self.preview_player = None
            w.prompts.error(exc.message())

    def stop_preview(self) -> None:
        player, self.preview_player = self.preview_player, None
        stop_player(player)

    def _exported(self, result) -> None:
        self.record_programme_usage("exported")

    def close(self) -> None:
        self.stop_preview()
        if self.dock is not None:
            with contextlib.suppress(Exception):
                self.dock.cancel_import()
            self.dock.pool.waitForDone(10_000)
            search_pool = getattr(self.dock, "search_pool", None)
            if search_pool is not None:
                search_pool.waitForDone(10_000)
        if self.library is not None:
            with contextlib.suppress(Exception):
                self.library.close()


def install(window, options: dict) -> LibraryFeature:
    return LibraryFeature(window, options)

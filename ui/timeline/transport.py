"""Playback in the window: one Player, read by a ~30 Hz timer (never a signal per block).

The player (`audio.playback.Player`) renders the current immutable timeline through the one
mixer on its own threads; the window hands it each new timeline after an edit, which is a
single reference swap on its side. This controller owns the play/pause/stop logic and the
polling timer, and exposes the playhead and the output levels to the views.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from audio.errors import StudioError

POLL_MS = 33


def default_player_factory(sources, rate: int, device=None):
    """The real player. Imported late so that the window still opens (without sound) on a
    build where playback is missing."""
    try:
        from audio.playback import Player
    except ImportError as exc:
        raise StudioError(
            "Playback is not available in this build.",
            "Bản này chưa có chức năng phát âm thanh.",
        ) from exc
    return Player(sources, rate=rate, device=device or None)


class PlaybackController(QObject):
    positionChanged = Signal(int)
    levelsChanged = Signal(object)  # whatever Player.levels() returns (per-channel peaks)
    stateChanged = Signal(bool)  # playing or not
    failed = Signal(str)
    aboutToPlay = Signal(object)  # noqa: N815 - the player, just before it starts (meter taps)

    def __init__(
        self, editor, sources: Callable, factory=default_player_factory, device=None, parent=None
    ):
        super().__init__(parent)
        self.editor = editor
        self.sources = sources
        self.factory = factory
        self.device = device
        self.player = None
        self.loop = False
        self._started_at = 0
        self._was_playing = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        editor.timeline_listeners.append(self._timeline_changed)

    @property
    def playing(self) -> bool:
        return bool(self.player is not None and self.player.playing)

    def _ensure_player(self):
        if self.player is None:
            self.player = self.factory(self.sources, self.editor.rate, self.device)
            self.player.set_timeline(self.editor.timeline)
        return self.player

    def _timeline_changed(self, timeline) -> None:
        if self.player is not None:
            self.player.set_timeline(timeline)

    def play(self) -> None:
        try:
            player = self._ensure_player()
            start = self.editor.playhead
            end = None
            loop = False
            if self.loop and self.editor.range:
                a, b = self.editor.range
                start = start if a <= start < b else a
                end, loop = b, True
            elif start >= self.editor.timeline.length > 0:
                start = 0
            self._started_at = start
            player.set_timeline(self.editor.timeline)
            self.aboutToPlay.emit(player)
            player.play(start_frame=start, end_frame=end, loop=loop)
        except StudioError as exc:
            self.failed.emit(exc.message())
            return
        except Exception as exc:  # noqa: BLE001 - a device error must not kill the window
            self.failed.emit(str(exc))
            return
        self.timer.start()
        self._was_playing = True
        self.stateChanged.emit(True)

    def pause(self) -> None:
        """Stop where we are; the playhead stays there."""
        if self.player is not None and self.player.playing:
            position = self.player.position()
            self.player.stop()
            self.editor.set_playhead(position)
        self._stopped()

    def stop(self) -> None:
        """Stop and go back to where playback started (press again: to the start)."""
        was = self.playing
        if self.player is not None:
            self.player.stop()
        self.editor.set_playhead(self._started_at if was else 0)
        self._stopped()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, frame: int) -> None:
        if self.playing:
            self.player.stop()
            self.editor.set_playhead(frame)
            self.play()

    def _stopped(self) -> None:
        self.timer.stop()
        if self._was_playing:
            self._was_playing = False
            self.stateChanged.emit(False)
        self.levelsChanged.emit(None)

    def poll(self) -> None:
        """Called by the timer on the GUI thread: read the playhead and levels."""
        player = self.player
        if player is None:
            return
        self.editor.set_playhead(int(player.position()))
        self.positionChanged.emit(self.editor.playhead)
        with contextlib.suppress(Exception):  # meters are a nicety, never a crash
            self.levelsChanged.emit(player.levels())
        if not player.playing:
            error = getattr(player, "error", None)  # playback that stopped by itself
            self._stopped()
            if error is not None:
                self.failed.emit(error.message())

    def close(self) -> None:
        self.timer.stop()
        if self.player is not None:
            try:
                self.player.stop()
                closer = getattr(self.player, "close", None)
                if closer is not None:
                    closer()
            finally:
                self.player = None

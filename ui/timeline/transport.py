"""Playback in the window: `studio.transport.Transport` read by a ~30 Hz timer (never a signal
per audio block).

The transport renders the current immutable timeline through the one mixer on the player's
threads; each edit hands it the new timeline (a single reference swap). This controller moves
the editor's playhead and polls the transport's position and levels for the views.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from audio.errors import StudioError
from studio.transport import Transport, default_player_factory

POLL_MS = 33

__all__ = ["POLL_MS", "PlaybackController", "default_player_factory"]


class PlaybackController(QObject):
    positionChanged = Signal(int)
    levelsChanged = Signal(object)  # Transport.levels(): per-channel peaks, or None
    # Transport.track_levels(): (tracks, 2) peaks, rows as in the timeline; None: silence
    trackLevelsChanged = Signal(object)  # noqa: N815
    stateChanged = Signal(bool)  # playing or not
    failed = Signal(str)

    def __init__(
        self, editor, sources: Callable, factory=default_player_factory, device=None, parent=None
    ):
        super().__init__(parent)
        self.editor = editor
        self.transport = Transport(sources, editor.rate, factory, device)
        self.transport.set_timeline(editor.timeline)
        self.loop = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        editor.timeline_listeners.append(self.transport.set_timeline)

    @property
    def playing(self) -> bool:
        return self.transport.playing

    @property
    def player(self):
        return self.transport.player

    @property
    def factory(self):
        return self.transport.factory

    @factory.setter
    def factory(self, factory) -> None:
        self.transport.factory = factory

    @property
    def device(self):
        return self.transport.device

    def play(self) -> None:
        ed = self.editor
        try:
            self.transport.set_timeline(ed.timeline)
            self.transport.play(ed.playhead, ed.range if self.loop and ed.range else None)
        except StudioError as exc:
            self.failed.emit(exc.message())
            return
        except Exception as exc:  # noqa: BLE001 - a device error must not kill the window
            self.failed.emit(str(exc))
            return
        self.timer.start()
        self.stateChanged.emit(True)

    def pause(self) -> None:
        """Stop where we are; the playhead stays there."""
        was = self.playing
        position = self.transport.pause()
        if position is not None:
            self.editor.set_playhead(position)
        self._stopped(was)

    def stop(self) -> None:
        """Stop and go back to where playback started (press again: to the start)."""
        was = self.playing
        self.editor.set_playhead(self.transport.stop())
        self._stopped(was)

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, frame: int) -> None:
        if self.playing:
            self.transport.pause()
            self.editor.set_playhead(frame)
            self.play()

    def _stopped(self, was_playing: bool) -> None:
        self.timer.stop()
        self.transport.mark_stopped()
        if was_playing:
            self.stateChanged.emit(False)
        self.silence()

    def silence(self) -> None:
        """Every meter fed from here falls back to silence (stopped, another programme)."""
        self.levelsChanged.emit(None)
        self.trackLevelsChanged.emit(None)

    def poll(self) -> None:
        """Called by the timer on the GUI thread: read the playhead and levels."""
        if self.transport.player is None:
            return
        self.editor.set_playhead(self.transport.position())
        self.positionChanged.emit(self.editor.playhead)
        self.levelsChanged.emit(self.transport.levels())
        self.trackLevelsChanged.emit(self.transport.track_levels())
        ended, error = self.transport.finished()
        if ended:  # playback that stopped by itself
            self.timer.stop()
            self.stateChanged.emit(False)
            self.silence()
            if error is not None:
                self.failed.emit(error.message())

    def close(self) -> None:
        self.timer.stop()
        self.transport.close()

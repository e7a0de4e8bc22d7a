"""The play use case: the programme's transport, with no screen.

`Transport` owns one player (`audio.playback.Player`, made on first use by `player_factory`),
hands it each new timeline (a single reference swap on the player's side, so edits are heard
while playing) and keeps the transport rules: play from the playhead, or from the start when
the playhead is at the end; loop a range; Stop goes back to where playback started (pressed
again: to the start). The window polls `position()` / `levels()` / `track_levels()` /
`finished()` on its GUI timer; nothing here calls the window.

A `LiveMeters` attached with `attach_meter()` is reset and fed by the player's render thread
at every start (`Player.set_tap`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from audio.errors import StudioError
from audio.timeline import Timeline


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


class Transport:
    """Play / pause / stop / seek / loop over a timeline; polled, never calling back."""

    def __init__(
        self,
        sources: Callable,
        rate: int,
        player_factory: Callable = default_player_factory,
        device: str | None = None,
    ):
        self.sources = sources
        self.rate = rate
        self.factory = player_factory
        self.device = device
        self.player = None
        self.timeline: Timeline | None = None
        self.started_at = 0  # where the last play() started
        self.meter = None
        self._was_playing = False

    @property
    def playing(self) -> bool:
        return bool(self.player is not None and self.player.playing)

    def attach_meter(self, meter) -> None:
        """A `studio.meters.LiveMeters` (or None) to feed from the next play() on."""
        self.meter = meter

    def set_timeline(self, timeline: Timeline) -> None:
        """The timeline to play from now on (also while playing)."""
        self.timeline = timeline
        if self.player is not None:
            self.player.set_timeline(timeline)

    def _ensure_player(self):
        if self.player is None:
            self.player = self.factory(self.sources, self.rate, self.device)
            if self.timeline is not None:
                self.player.set_timeline(self.timeline)
        return self.player

    def play(self, playhead: int, loop_range: tuple[int, int] | None = None) -> int:
        """Start playing; returns the frame it started from. With `loop_range` the range
        loops (from the playhead when it is inside the range, else from the range's start).
        StudioError when the device cannot be opened."""
        player = self._ensure_player()
        timeline = self.timeline
        start, end, loop = playhead, None, False
        if loop_range:
            a, b = loop_range
            start = start if a <= start < b else a
            end, loop = b, True
        elif timeline is not None and start >= timeline.length > 0:
            start = 0
        self.started_at = start
        if timeline is not None:
            player.set_timeline(timeline)
        setter = getattr(player, "set_tap", None)
        if self.meter is not None and setter is not None:
            self.meter.reset()  # a fresh measurement for every start
            setter(self.meter.tap)
        player.play(start_frame=start, end_frame=end, loop=loop)
        self._was_playing = True
        return start

    def position(self) -> int:
        """The frame being heard (the last one when stopped)."""
        return int(self.player.position()) if self.player is not None else 0

    def levels(self):
        """Per-channel linear peaks of what is being heard, or None (no player, or a reading
        that failed: meters are a nicety, never a crash)."""
        if self.player is None:
            return None
        try:
            return self.player.levels()
        except Exception:  # noqa: BLE001
            return None

    def track_levels(self):
        """Per-track (tracks, 2) linear peaks of what is being heard, rows as in the timeline;
        None when there is no player, the player has no track meters, or the reading failed."""
        reader = getattr(self.player, "track_levels", None)
        if reader is None:
            return None
        try:
            return reader()
        except Exception:  # noqa: BLE001
            return None

    def pause(self) -> int | None:
        """Stop where we are; returns that frame (None when nothing was playing)."""
        if self.player is None or not self.player.playing:
            return None
        position = int(self.player.position())
        self.player.stop()
        return position

    def stop(self) -> int:
        """Stop; returns where the playhead goes: where playback started, or 0 when it was
        not playing."""
        was = self.playing
        if self.player is not None:
            self.player.stop()
        return self.started_at if was else 0

    def finished(self) -> tuple[bool, StudioError | None]:
        """Once per stop by itself (end of programme, device error): (True, the error or
        None). Call on the polling timer."""
        if self._was_playing and not self.playing:
            self._was_playing = False
            return True, getattr(self.player, "error", None)
        return False, None

    def mark_stopped(self) -> None:
        """The caller stopped playback itself (pause/stop): no `finished()` report for it."""
        self._was_playing = False

    def close(self) -> None:
        if self.player is not None:
            try:
                self.player.stop()
                closer = getattr(self.player, "close", None)
                if closer is not None:
                    closer()
            finally:
                self.player = None

    def preview(self, frames, rate: int):
        """A player of its own playing `frames` (a library segment) once; the caller stops
        and closes it. StudioError when the device cannot be opened."""
        import numpy as np

        from audio.timeline import Clip, Track

        frames = np.asarray(frames, np.float32)
        if frames.ndim == 1:
            frames = frames[:, None]
        timeline = Timeline(
            rate=rate, tracks=(Track("preview", (Clip("preview", 0, len(frames)),)),)
        )
        player = self.factory(lambda _sid: frames, rate, self.device)
        player.set_timeline(timeline)
        player.play(0)
        return player


def stop_player(player) -> None:
    """Stop and close a player made by `Transport.preview` (errors ignored)."""
    if player is None:
        return
    with contextlib.suppress(Exception):
        player.stop()
        closer = getattr(player, "close", None)
        if closer:
            closer()

"""The record use case: one recording session of a studio home, with no screen.

`RecordingSession` holds what the recording panel and R in the window do, so both are a thin
view over it and the flows are tested without Qt:

- input choice: host APIs and input devices that exist, the remembered choice (settings),
  `choose()` keeps a new one;
- monitoring: the chosen input open so the meters move; "check level" over a few seconds;
- takes: `start_take()` / `stop_take()`, and `poll()` on the GUI timer, which returns what
  changed (levels, the take's length, dropouts since the last poll, a take that ended by
  itself, the stream's error) and runs a timed recording ("record at 06:00 for 30 min");
- overdub: `start_overdub(timeline, play_from)` plays the programme and records every armed
  track in one pass (a track without input channels takes the chosen input), the measured
  round trip compensated; `stop_overdub(timeline)` returns the timeline with the takes placed;
- latency: `measure_latency()` finds a noise burst played through a loopback;
- recovery: takes a crash cut short are found, repaired and put on a track of their own;
- `record_file()`: exactly N seconds into a named file (`studio record`).

Threads: every method is for one thread (the GUI thread in the window, the main thread in the
CLI and tests); the engine's capture and render threads run underneath.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from audio import devices
from audio.errors import StudioError
from audio.media import MediaStore
from audio.recording import (
    LIVE_BUCKET,
    Overdub,
    Recorder,
    check_disk_space,
    find_unfinished_takes,
    new_take_path,
)
from audio.timeline import Clip, Timeline, TrackRole
from studio.edits import add_source_clip
from studio.paths import StudioHome
from studio.programme import Programme
from studio.takes import (
    RecoveredItem,
    add_overdub_takes,
    armed_inputs,
    place_take,
    recover_unfinished_takes,
    take_name,
)

RATES = devices.SUPPORTED_RATES
CHECK_SECONDS = 6  # how long "check level" listens


@dataclass
class RecordingState:
    """What changed since the last `poll()`: the panel shows it and nothing else."""

    monitoring: bool = False
    recording: bool = False
    levels: object | None = None  # audio.recording.InputLevels: peaks, clipped, momentary_lufs
    take_frames: int = 0  # of the take being recorded
    rate: int = 48_000
    new_dropouts: list = field(default_factory=list)  # audio.recording.Dropout, in take order
    finished: object | None = None  # a take that ended (by itself, or by the timer)
    error: StudioError | None = None  # the input stream ended by itself (device gone)
    notice: StudioError | None = None  # why a timed take did not start, or a low-disk warning
    timer_started: bool = False  # a timed recording began at this poll


@dataclass(frozen=True)
class LiveTake:
    """The take being recorded, as the timeline draws it before it becomes a clip.

    It covers timeline frames [start, start + length); timeline frame `start + k` is take
    frame `source_offset + k`. `mins`/`maxs` are (buckets, channels) of the take, one row per
    `bucket` take frames; `columns[track]` are the take's channels that feed that track.
    """

    start: int
    length: int
    source_offset: int
    bucket: int
    mins: object  # numpy (buckets, channels)
    maxs: object
    columns: dict[int, tuple[int, ...]]

    @property
    def end(self) -> int:
        return self.start + self.length


class RecordingSession:
    """Recording for one studio home (its `recordings` folder and media store)."""

    def __init__(self, home: StudioHome, settings=None, store: MediaStore | None = None):
        self.home = home
        self.settings = settings
        self.store = store or MediaStore(home.ensure().media)
        self.recorder: Recorder | None = None
        self.overdub: Overdub | None = None
        self.round_trip: int | None = None  # frames, from measure_latency()
        self._overdub_timeline: Timeline | None = None
        self.last_playback_gaps = 0  # the last pass's programme came late this many times
        self._choice = None
        self._dropouts_seen = 0
        self._taking = False  # a panel take was started and not yet seen to end
        self._schedule: tuple[int, int, int] | None = None  # hour, minute, minutes
        self._timer_stop: dt.datetime | None = None

    @property
    def recordings(self) -> Path:
        return self.home.recordings

    # --- input choice -------------------------------------------------------------------------

    @staticmethod
    def host_apis() -> list[str]:
        """The host APIs (MME, WASAPI, ALSA…) that have at least one input device."""
        return [name for name in devices.host_apis() if devices.input_devices(name)]

    @staticmethod
    def input_devices(host_api: str | None = None) -> list:
        """audio.devices.Device values: name, host_api, max_input_channels, is_default_input."""
        return devices.input_devices(host_api)

    @staticmethod
    def input_channel_count(device: str, host_api: str | None = None) -> int:
        """How many input channels `device` offers (at most 8 are offered); 0 when it is gone."""
        try:
            return min(devices.find_device(device, "input", host_api).max_input_channels, 8)
        except StudioError:
            return 0

    def remembered_choice(self):
        """The input chosen last time (settings), falling back to the default input; its
        `fallback_reason` says what changed. StudioError when there is no input at all."""
        if self.settings is None:
            return devices.choose_input()
        return devices.choice_from_settings(self.settings)

    @property
    def choice(self):
        if self._choice is None:
            self._choice = self.remembered_choice()
        return self._choice

    def choose(
        self, host_api: str, device: str, rate: int, channels, remember: bool = True
    ) -> object:
        """Use this input from now on and (with `remember`) keep it in the settings, saved.
        The monitor, when open and not recording, reopens on it."""
        self._choice = devices.choose_input(host_api, device, rate, tuple(channels) or (0,))
        if remember and self.settings is not None:
            devices.remember_choice(self.settings, self._choice)
            with contextlib.suppress(OSError):
                self.settings.save()
        if self.recorder is not None and not self.recorder.recording:
            self.monitor()
        return self._choice

    # --- monitoring and level check ------------------------------------------------------------

    @property
    def monitoring(self) -> bool:
        return self.recorder is not None

    @property
    def recording(self) -> bool:
        return self.recorder is not None and self.recorder.recording

    def monitor(self) -> None:
        """Open the chosen input so its levels can be read. StudioError if it cannot open."""
        self.stop_monitoring()
        recorder = Recorder(self.choice)
        recorder.open()
        self.recorder = recorder

    def stop_monitoring(self):
        """Close the input; a take still running is finished and returned."""
        recorder, self.recorder = self.recorder, None
        self._timer_stop = None
        self._taking = False
        return recorder.close() if recorder is not None else None

    def start_level_check(self) -> None:
        if self.recorder is None:
            self.monitor()
        self.recorder.start_level_check()

    def finish_level_check(self):
        """The verdict (audio.recording.LevelCheck: `verdict`, `message()`)."""
        if self.recorder is None:
            raise StudioError("No level check is running.", "Chưa bắt đầu kiểm tra mức thu.")
        return self.recorder.finish_level_check()

    # --- takes ---------------------------------------------------------------------------------

    def start_take(self) -> StudioError | None:
        """Record a take into the recordings folder (the input opens if needed). Returns a
        low-disk warning or None; StudioError when it cannot start."""
        if self.recorder is None:
            self.monitor()
        warning = self.recorder.start_take(new_take_path(self.recordings))
        self._dropouts_seen = 0
        self._taking = True
        return warning

    def stop_take(self):
        """Finish the take (audio.recording.Take: path, frames, rate, dropouts) or None."""
        self._timer_stop = None
        self._taking = False
        if self.recorder is None or not self.recorder.recording:
            return None
        return self.recorder.stop_take()

    def record_file(self, path: Path, seconds: float, meta=None, on_dropout=None, on_started=None):
        """Record exactly `seconds` of the chosen input into `path` (a new file) and return the
        take (None when nothing came): the command line's timed recording. `on_dropout(d)` is
        called on the capture thread as dropouts happen; `on_started(warning)` once the input
        is open (a low-disk warning or None). The take ends itself after exactly that many
        frames; the wall-clock bound only guards against a device that stops delivering
        without saying so."""
        choice = self.choice
        recorder = Recorder(choice)
        recorder.on_dropout = on_dropout
        recorder.take_limit = round(seconds * choice.rate)
        try:
            recorder.open(take_path=Path(path), meta=dict(meta or {}))
            if on_started is not None:
                on_started(check_disk_space(Path(path).parent, choice.rate, len(choice.channels)))
            recorder.wait_take_end(seconds + 30)
            if recorder.recording:
                recorder.stop_take()
        finally:
            take = recorder.close() or recorder.last_take
        return take

    def schedule(self, start: dt.time, minutes: int) -> None:
        """Record for `minutes` from the next time the clock shows `start` (hour:minute),
        checked by `poll()`; the input opens now so the level can be watched."""
        self._schedule = (start.hour, start.minute, max(1, int(minutes)))
        if self.recorder is None:
            self.monitor()

    def cancel_schedule(self) -> None:
        self._schedule = None

    @property
    def scheduled(self) -> bool:
        return self._schedule is not None

    def poll(self, now: dt.datetime | None = None) -> RecordingState:
        """Read the input on the GUI timer: what changed since the last poll."""
        rec = self.recorder
        if rec is None:
            return RecordingState()
        now = now or dt.datetime.now()
        state = RecordingState(monitoring=True, rate=rec.rate, levels=rec.levels())
        if self._schedule is not None and not rec.recording:
            hour, minute, minutes = self._schedule
            if (now.hour, now.minute) == (hour, minute):
                self._schedule = None
                try:
                    state.notice = self.start_take()
                except StudioError as exc:
                    state.notice = exc
                else:
                    self._timer_stop = now + dt.timedelta(minutes=minutes)
                    state.timer_started = True
        take = rec.take
        state.recording = rec.recording
        if take is not None:
            state.take_frames = take.frames
            state.new_dropouts = list(take.dropouts[self._dropouts_seen :])
            self._dropouts_seen = len(take.dropouts)
            if self._timer_stop is not None and now >= self._timer_stop:
                state.finished = self.stop_take()
                state.recording = False
        elif self._taking and not rec.recording:
            # the take ended by itself (disk full, device gone)
            self._taking = False
            self._timer_stop = None
            last = rec.last_take
            if last is not None:
                state.new_dropouts = list(last.dropouts[self._dropouts_seen :])
                state.finished = last
        if rec.error is not None and not rec.recording:
            state.error = rec.error
            self.recorder = None
            with contextlib.suppress(Exception):
                rec.close()
            state.monitoring = False
        return state

    def live_take(self, start: int, track: int) -> LiveTake | None:
        """The panel's take running now, placed from timeline frame `start` on `track`
        (the GUI timer draws it growing); None when no panel take runs."""
        rec = self.recorder
        take = rec.take if rec is not None else None
        if take is None:
            return None
        mins, maxs = rec.live_peaks()
        columns = {track: tuple(range(mins.shape[1]))}
        return LiveTake(start, take.frames, 0, LIVE_BUCKET, mins, maxs, columns)

    # --- placing takes in the programme ---------------------------------------------------------

    @staticmethod
    def take_track(timeline: Timeline, current: int) -> int:
        """The track a take goes to: the first armed one, else `current` (clamped)."""
        armed = [i for i, t in enumerate(timeline.tracks) if t.armed]
        return armed[0] if armed else min(max(current, 0), len(timeline.tracks) - 1)

    def place_take(self, timeline: Timeline, take, start: int, track: int) -> Timeline:
        """The timeline with `take` imported and placed on `track` from frame `start`
        (older clips under it move to the takes lane). StudioError if it cannot be read."""
        info = self.store.import_file(take.path, timeline.rate)
        clip = Clip(
            source_id=info.source_id,
            start=start,
            length=info.frames,
            name=take_name(timeline, track),
            auto_level=True,
        )
        return place_take(timeline, track, clip)

    # --- overdub and latency ---------------------------------------------------------------------

    @property
    def overdubbing(self) -> bool:
        return self.overdub is not None

    def _sources(self, rate: int):
        return lambda sid: self.store.frames(sid, rate)

    def _output_device(self):
        return (self.settings.get("output_device") if self.settings is not None else "") or None

    def start_overdub(self, timeline: Timeline, play_from: int) -> StudioError | None:
        """Play `timeline` from `play_from` and record every armed track in one pass (each
        from its own input channels; one without any takes the chosen input). The monitor
        closes first. Returns a low-disk warning or None; StudioError when it cannot start."""
        if self.overdub is not None:
            raise StudioError("Already recording.", "Đang thu âm rồi.")
        self.stop_monitoring()
        choice = self.choice
        default_inputs = tuple(choice.channels) or (0,)
        for i, t in enumerate(timeline.tracks):
            if t.armed and not t.input_channels:
                timeline = timeline.with_track(i, t.with_changes(input_channels=default_inputs))
        channels, _columns = armed_inputs(timeline)
        overdub = Overdub(
            dataclasses.replace(choice, channels=channels),
            self._sources(timeline.rate),
            output_device=self._output_device(),
        )
        overdub.round_trip = self.round_trip
        try:
            overdub.open()
            warning = overdub.record(
                timeline,
                new_take_path(self.recordings),
                play_from=play_from,
                meta={"tracks": [t.name for t in timeline.tracks if t.armed]},
            )
        except BaseException:
            with contextlib.suppress(Exception):
                overdub.close()
            raise
        self.overdub = overdub
        self._overdub_timeline = timeline
        return warning

    def stop_overdub(self, timeline: Timeline) -> Timeline | None:
        """Stop the pass and return `timeline` (the programme as it is now, with any edits
        made meanwhile) with the takes on every armed track; None when nothing was recorded.
        StudioError when a take cannot be read back."""
        overdub, self.overdub = self.overdub, None
        recorded, self._overdub_timeline = self._overdub_timeline, None
        if overdub is None:
            return None
        try:
            result = overdub.stop()
        finally:
            with contextlib.suppress(Exception):
                overdub.close()
        self.last_playback_gaps = result.playback_gaps if result is not None else 0
        if result is None or result.length <= 0:
            return None
        # only the armed tracks' input channels are taken from the timeline recorded against
        for i, t in enumerate(recorded.tracks):
            if t.armed and i < len(timeline.tracks) and timeline.tracks[i].name == t.name:
                timeline = timeline.with_track(
                    i, timeline.tracks[i].with_changes(input_channels=t.input_channels)
                )
        timeline, _infos = add_overdub_takes(timeline, self.store, result)
        return timeline

    def live_overdub(self) -> LiveTake | None:
        """The overdub pass running now, where its takes will land (the round trip
        compensated, as `stop_overdub` places them); None when none runs."""
        overdub, recorded = self.overdub, self._overdub_timeline
        if overdub is None or recorded is None:
            return None
        live = overdub.live()
        if live is None:
            return None
        start, offset, frames, mins, maxs = live
        _channels, columns = armed_inputs(recorded)
        return LiveTake(start, max(frames - offset, 0), offset, LIVE_BUCKET, mins, maxs, columns)

    def cancel_overdub(self) -> None:
        overdub, self.overdub = self.overdub, None
        self._overdub_timeline = None
        if overdub is not None:
            with contextlib.suppress(Exception):
                overdub.close()

    def measure_latency(self, rate: int = 48_000) -> int:
        """Play a short noise burst and find it in the input (the output must reach the
        input: a loopback cable or the mixer's monitor). The round trip in frames, used by
        every later overdub. StudioError when no burst comes back."""
        if self.overdub is not None:
            raise StudioError("Already recording.", "Đang thu âm rồi.")
        self.stop_monitoring()
        overdub = Overdub(self.choice, self._sources(rate), output_device=self._output_device())
        try:
            overdub.open()
            self.round_trip = overdub.calibrate(self.recordings)
        finally:
            with contextlib.suppress(Exception):
                overdub.close()
        return self.round_trip

    # --- recovery ----------------------------------------------------------------------------------

    def unfinished_takes(self) -> list[Path]:
        """Takes a crash or power cut left unfinished (they stay on disk until recovered)."""
        return find_unfinished_takes(self.recordings)

    def recover(self) -> list[RecoveredItem]:
        """Repair the unfinished takes in place and import them (slow: call it off the GUI
        thread). Nothing is deleted."""
        return recover_unfinished_takes(self.home)

    @staticmethod
    def add_recovered(
        programme: Programme, items: list[RecoveredItem], track_name: str
    ) -> tuple[Programme, int]:
        """`programme` with the recovered takes one after the other on the voice track
        `track_name` (made when missing), and how many frames they fill."""
        start = 0
        for item in items:
            if item.info is None:
                continue
            programme = add_source_clip(
                programme,
                item.info,
                track_name,
                start,
                role=TrackRole.VOICE,
                original_path=str(item.take.path),
            )
            start += item.info.frames
        return programme, start

    # --- closing -------------------------------------------------------------------------------------

    def close(self):
        """Stop everything; returns the panel take that was still running, if any."""
        self.cancel_overdub()
        return self.stop_monitoring()

"""Media import and the content-addressed media store.

A file is imported once: hashed (SHA-256 of its bytes), decoded, converted to the programme
rate with a band-limited resampler (soxr), reduced to mono or stereo, and stored as raw
float32 frames beside a small JSON description and a waveform-peaks file. Render and playback
then memory-map the raw frames instead of decoding compressed audio again.

Layout under the store root: ``ab/abcdef….48000.f32`` (frames), ``….48000.json`` (written
last: its presence means the entry is complete) and ``….48000.peaks.npy``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from audio.errors import Cancelled, MediaError
from audio.fileio import atomic_write, remove_orphan_parts, write_text_atomically

PEAK_BUCKET = 256  # frames per waveform-peak bucket
_READ_BLOCK = 65_536
_SOUNDFILE_SUFFIXES = {".wav", ".flac", ".ogg", ".oga", ".mp3", ".aif", ".aiff", ".opus"}

Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class MediaInfo:
    source_id: str  # SHA-256 of the original file's bytes
    rate: int
    channels: int  # 1 or 2
    frames: int
    original_name: str
    original_rate: int
    original_channels: int
    # (seconds the file's header declares, seconds present) of a cut-short file, else None
    truncated: tuple[float, float] | None = None

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate

    def warning(self) -> MediaError | None:
        """What to tell the user about this source (a cut-short file), or None."""
        if not self.truncated:
            return None
        return truncation_warning(self.original_name, *self.truncated)


def truncation_warning(name: str, declared_s: float, present_s: float) -> MediaError:
    """The bilingual note for a file whose header promises more audio than it holds (a copy
    cut short, a recorder that lost power): what decodes is kept."""
    return MediaError(
        f"'{name}' is cut short: the header declares {declared_s:.1f} s, {present_s:.2f} s "
        "present (kept what is there).",
        f"Tệp '{name}' bị thiếu: phần đầu tệp ghi {declared_s:.1f} giây, chỉ có "
        f"{present_s:.2f} giây (đã giữ phần còn lại).",
    )


def wav_declared_frames(f) -> int | None:
    """Frames that a RIFF/WAVE file's header declares for its data chunk, read from the open
    binary file `f` (its position is restored); None for other files, or when the header
    does not say (a size of 0 or 0xFFFFFFFF: a stream still being written)."""
    start = f.tell()
    try:
        f.seek(0)
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        block_align = 0
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                return None
            cid, size = chunk[:4], int.from_bytes(chunk[4:], "little")
            if cid == b"fmt ":
                fmt = f.read(min(size, 16))
                if len(fmt) < 14:
                    return None
                block_align = int.from_bytes(fmt[12:14], "little")
                f.seek(size - len(fmt) + (size & 1), 1)
            elif cid == b"data":
                if not block_align or size in (0, 0xFFFFFFFF):
                    return None
                return size // block_align
            else:
                f.seek(size + (size & 1), 1)
    except OSError:
        return None
    finally:
        f.seek(start)


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def downmix(block: np.ndarray) -> np.ndarray:
    """Reduce any channel count to mono or stereo: 5.1 with the ITU-R BS.775 matrix."""
    ch = block.shape[1]
    if ch <= 2:
        return block
    if ch == 6:  # WAV order: L R C LFE Ls Rs; the LFE is dropped as in BS.775
        c = 0.7071 * block[:, 2]
        left = block[:, 0] + c + 0.7071 * block[:, 4]
        right = block[:, 1] + c + 0.7071 * block[:, 5]
        return (np.stack([left, right], axis=1) / 2.4142).astype(np.float32)
    return block.mean(axis=1, keepdims=True, dtype=np.float32)


class Decoder:
    """Iterates float32 blocks (frames, channels) of a file; soundfile first, pydub second.

    `truncated` is (declared s, present s) for a WAV cut short; `warning()` says it."""

    def __init__(self, path: Path):
        self.path = path
        # A file object copes with any file-name encoding (NFD, non-UTF-8 bytes).
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - closed by blocks() or on error
        except OSError as exc:
            raise MediaError(
                f"Cannot open '{path.name}': {exc.strerror}.",
                f"Không mở được '{path.name}': {exc.strerror}.",
            ) from exc
        self._sf: sf.SoundFile | None = None
        self._pcm: np.ndarray | None = None
        self.truncated: tuple[float, float] | None = None  # (declared s, present s)
        try:
            declared = wav_declared_frames(self._file)
            self._sf = sf.SoundFile(self._file)
            self.rate = self._sf.samplerate
            self.channels = self._sf.channels
            self.frames_hint = max(self._sf.frames, 1)
            # libsndfile quietly reads what is there; say so when the header promised more.
            if declared is not None and declared > self._sf.frames + 1:
                self.truncated = (declared / self.rate, self._sf.frames / self.rate)
        except (sf.LibsndfileError, RuntimeError, TypeError):
            self._file.close()
            self._pcm, self.rate = _decode_with_ffmpeg(path)
            self.channels = self._pcm.shape[1]
            self.frames_hint = max(len(self._pcm), 1)

    def warning(self) -> MediaError | None:
        if self.truncated is None:
            return None
        return truncation_warning(self.path.name, *self.truncated)

    def blocks(self):
        if self._sf is not None:
            try:
                while True:
                    try:
                        block = self._sf.read(_READ_BLOCK, dtype="float32", always_2d=True)
                    except (sf.LibsndfileError, RuntimeError):
                        break  # a truncated file: keep what decoded
                    if not len(block):
                        break
                    yield block
            finally:
                self._sf.close()
                self._file.close()
        else:
            for i in range(0, len(self._pcm), _READ_BLOCK):
                yield self._pcm[i : i + _READ_BLOCK]


def _decode_with_ffmpeg(path: Path) -> tuple[np.ndarray, int]:
    name = path.name
    if shutil.which("ffmpeg") is None:
        raise MediaError(
            f"Cannot read '{name}': not a supported audio file (WAV, FLAC, OGG, MP3). "
            "Other formats need ffmpeg, which is not installed.",
            f"Không đọc được '{name}': không phải tệp âm thanh được hỗ trợ (WAV, FLAC, OGG, "
            "MP3). Định dạng khác cần ffmpeg, nhưng máy chưa cài ffmpeg.",
        )
    from pydub import AudioSegment  # only when needed: it looks for ffmpeg on import
    from pydub.exceptions import CouldntDecodeError

    try:
        with open(path, "rb") as f:
            seg = AudioSegment.from_file(f)
    except (CouldntDecodeError, IndexError, OSError) as exc:
        raise MediaError(
            f"Cannot read '{name}': the file is damaged or is not audio.",
            f"Không đọc được '{name}': tệp bị hỏng hoặc không phải âm thanh.",
        ) from exc
    full_scale = float(1 << (8 * seg.sample_width - 1))
    pcm = np.array(seg.get_array_of_samples(), dtype=np.float32) / full_scale
    return pcm.reshape(-1, seg.channels), seg.frame_rate


class MediaStore:
    """The content-addressed store of imported media under one folder."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._open: dict[tuple[str, int], np.ndarray] = {}
        self.remove_killed_imports()

    def remove_killed_imports(self) -> list[Path]:
        """Delete the ".part" files of an import that was killed (a power cut mid-import):
        they are never an entry (the .json is written last), only lost disk space. Files an
        import is still writing are touched every block and stay (`remove_orphan_parts`)."""
        removed: list[Path] = []
        try:
            folders = [p for p in self.root.iterdir() if p.is_dir()]
        except OSError:
            return removed
        for folder in folders:
            removed += remove_orphan_parts(folder)
        return removed

    def _base(self, source_id: str, rate: int) -> Path:
        return self.root / source_id[:2] / f"{source_id}.{rate}"

    def info(self, source_id: str, rate: int) -> MediaInfo | None:
        meta = Path(str(self._base(source_id, rate)) + ".json")
        if not meta.exists():
            return None
        data = json.loads(meta.read_text("utf-8"))
        if data.get("truncated"):
            data["truncated"] = tuple(data["truncated"])
        known = {f.name for f in dataclasses.fields(MediaInfo)}
        return MediaInfo(**{k: v for k, v in data.items() if k in known})  # newer keys: skip

    def has(self, source_id: str, rate: int) -> bool:
        return self.info(source_id, rate) is not None

    def frames(self, source_id: str, rate: int) -> np.ndarray:
        """The source's frames as a read-only memory map, shape (frames, channels) float32."""
        key = (source_id, rate)
        data = self._open.get(key)
        if data is None:
            info = self.info(source_id, rate)
            if info is None:
                raise MediaError(
                    f"Media {source_id[:12]}… is missing from the media folder {self.root}.",
                    f"Thiếu tệp âm thanh {source_id[:12]}… trong thư mục {self.root}.",
                )
            raw = Path(str(self._base(source_id, rate)) + ".f32")
            data = np.memmap(raw, dtype=np.float32, mode="r", shape=(info.frames, info.channels))
            self._open[key] = data
        return data

    def peaks(self, source_id: str, rate: int) -> np.ndarray:
        """Waveform peaks: (buckets, 2) float32 of (min, max) per PEAK_BUCKET frames."""
        return np.load(Path(str(self._base(source_id, rate)) + ".peaks.npy"))

    def import_file(
        self, path: str | os.PathLike, rate: int, progress: Progress | None = None
    ) -> MediaInfo:
        """Decode `path` into the store at `rate`; return the existing entry if already there.

        Raises MediaError for an empty, unreadable or undecodable file; Cancelled when
        `progress` raises it. Nothing half-written is left behind either way.
        """
        path = Path(path)
        # As text that a database, JSON or a terminal takes: bytes that are not UTF-8 (a
        # name from an old USB stick) become U+FFFD instead of failing far from here.
        name = os.fsencode(path.name).decode("utf-8", "replace")
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise MediaError(
                f"Cannot open '{name}': {exc.strerror}.",
                f"Không mở được '{name}': {exc.strerror}.",
            ) from exc
        if path.is_dir():
            raise MediaError(
                f"'{name}' is a folder, not an audio file.",
                f"'{name}' là thư mục, không phải tệp âm thanh.",
            )
        if size == 0:
            raise MediaError(f"'{name}' is empty (0 bytes).", f"Tệp '{name}' rỗng (0 byte).")
        try:
            source_id = file_sha256(path)
        except OSError as exc:
            raise MediaError(
                f"Cannot read '{name}': {exc.strerror}.",
                f"Không đọc được '{name}': {exc.strerror}.",
            ) from exc
        existing = self.info(source_id, rate)
        if existing is not None:
            return existing

        decoder = Decoder(path)
        base = self._base(source_id, rate)
        base.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(str(base) + ".f32") as out:
            frames, channels, peaks = self._convert(decoder, rate, out, progress)
            if frames == 0:
                raise MediaError(
                    f"'{name}' holds no audio.", f"Tệp '{name}' không có dữ liệu âm thanh."
                )
        with atomic_write(str(base) + ".peaks.npy") as f:
            np.save(f, peaks)
        info = MediaInfo(
            source_id=source_id,
            rate=rate,
            channels=channels,
            frames=frames,
            original_name=name,
            original_rate=decoder.rate,
            original_channels=decoder.channels,
            truncated=decoder.truncated,
        )
        # The description is written last: its presence marks a complete entry.
        description = dataclasses.asdict(info)
        if info.truncated is None:
            del description["truncated"]  # only cut-short files carry it (older apps read on)
        write_text_atomically(str(base) + ".json", json.dumps(description))
        return info

    def _convert(self, decoder: Decoder, rate: int, out, progress: Progress | None):
        """Stream decoder blocks → downmix → resample → `out`; return (frames, channels, peaks)."""
        out_channels = 2 if decoder.channels in (2, 6) else 1
        resampler = None
        if decoder.rate != rate:
            resampler = soxr.ResampleStream(decoder.rate, rate, out_channels, dtype="float32")
        frames = read = 0
        peaks = _PeakAccumulator()

        def emit(block: np.ndarray) -> None:
            nonlocal frames
            if len(block):
                block = np.ascontiguousarray(block.reshape(len(block), out_channels), np.float32)
                out.write(block.tobytes())
                peaks.add(block)
                frames += len(block)

        for block in decoder.blocks():
            read += len(block)
            block = downmix(block)
            if resampler is not None:
                block = resampler.resample_chunk(np.ascontiguousarray(block))
            emit(block)
            if progress is not None:
                progress(min(read / decoder.frames_hint, 1.0))
        if resampler is not None and read:
            emit(resampler.resample_chunk(np.zeros((0, out_channels), np.float32), last=True))
        return frames, out_channels, peaks.result()


class _PeakAccumulator:
    """Min/max of the channel mean per PEAK_BUCKET frames, fed block by block."""

    def __init__(self):
        self._parts: list[np.ndarray] = []
        self._carry = np.zeros(0, np.float32)

    def add(self, block: np.ndarray) -> None:
        mono = np.concatenate([self._carry, block.mean(axis=1, dtype=np.float32)])
        whole = len(mono) // PEAK_BUCKET * PEAK_BUCKET
        if whole:
            b = mono[:whole].reshape(-1, PEAK_BUCKET)
            self._parts.append(np.stack([b.min(axis=1), b.max(axis=1)], axis=1))
        self._carry = mono[whole:]

    def result(self) -> np.ndarray:
        if len(self._carry):
            c = self._carry
            self._parts.append(np.array([[c.min(), c.max()]], np.float32))
        if not self._parts:
            return np.zeros((0, 2), np.float32)
        return np.concatenate(self._parts).astype(np.float32)


__all__ = [
    "Cancelled",
    "Decoder",
    "MediaError",
    "MediaInfo",
    "MediaStore",
    "PEAK_BUCKET",
    "downmix",
]

"""Gapless constant-bitrate MP3 through LAME (lameenc), with a LAME "Info" tag frame.

lameenc gives the raw LAME frames and no gapless header, so a decoder would see LAME's
encoder delay in front of the audio and the flush padding behind it. This writer reserves
room for one extra frame at the start of the file and, on close, fills it with a Xing
"Info" header plus the LAME extension that carries the encoder delay and padding (the layout
players have read since LAME 3.90: mpg123/libsndfile, ffmpeg, foobar2000, iTunes). Decoders
skip that frame and trim delay + their own 529-frame decoder delay at the start and the
padding at the end, so the decoded length equals the number of frames written.

Only MPEG-1 Layer III is written (44.1 and 48 kHz, 32–192 kbps): LAME is told the output
rate so it never switches to MPEG-2 at low bitrates.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import lameenc
import numpy as np
import soundfile as sf

LAME_VERSION = b"LAME3.100"  # the LAME bundled in lameenc 1.9; decoders look for "LAME"
ENCODER_DELAY = 576  # LAME's encoder delay at equal input/output rate (one granule pair)
FRAME_SAMPLES = 1152  # MPEG-1 Layer III
_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = {44_100: 0, 48_000: 1, 32_000: 2}
_XING_SIZE = 120  # "Info", flags, frames, bytes, 100-byte TOC, quality
_LAME_EXT_SIZE = 36  # version string … tag CRC


def _crc16_table() -> tuple[int, ...]:
    # CRC-16/ARC (polynomial 0x8005, reflected, initial value 0): the CRC of the LAME tag.
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC16 = _crc16_table()


def crc16(data: bytes, crc: int = 0) -> int:
    for b in data:
        crc = (crc >> 8) ^ _CRC16[(crc ^ b) & 0xFF]
    return crc


def frame_bytes(bitrate_kbps: int, rate: int, padding: int = 0) -> int:
    """Length in bytes of one MPEG-1 Layer III frame."""
    return 144_000 * bitrate_kbps // rate + padding


def _side_info_bytes(channels: int) -> int:
    return 17 if channels == 1 else 32  # MPEG-1


def info_frame_bitrate(bitrate_kbps: int, rate: int, channels: int) -> int:
    """The bitrate of the Info frame: the stream's, or the next one up whose frame fits the tag
    (at 32 kbps a frame is only 104 bytes, too small for the ≈190-byte tag)."""
    need = 4 + _side_info_bytes(channels) + _XING_SIZE + _LAME_EXT_SIZE
    for kbps in _BITRATES[1:]:
        if kbps >= bitrate_kbps and frame_bytes(kbps, rate) >= need:
            return kbps
    raise ValueError("no MPEG-1 bitrate can hold the LAME tag")


def parse_header(h: int) -> tuple[int, int, int]:
    """(frame length in bytes, bitrate kbps, rate) of a 32-bit MPEG-1 Layer III header.

    Raises ValueError for anything else (the writer only ever sees LAME's own frames).
    """
    if (h >> 21) & 0x7FF != 0x7FF or (h >> 19) & 3 != 3 or (h >> 17) & 3 != 1:
        raise ValueError(f"not an MPEG-1 Layer III frame header: {h:08x}")
    kbps = _BITRATES[(h >> 12) & 0xF]
    rate = (44_100, 48_000, 32_000, 0)[(h >> 10) & 3]
    if not kbps or not rate:
        raise ValueError(f"bad bitrate or rate in frame header: {h:08x}")
    return frame_bytes(kbps, rate, (h >> 9) & 1), kbps, rate


def build_info_frame(
    *,
    first_header: int,
    info_kbps: int,
    rate: int,
    channels: int,
    bitrate_kbps: int,
    audio_frames: int,
    stream_bytes: int,
    delay: int,
    padding: int,
) -> bytes:
    """The Xing "Info" + LAME tag frame for a CBR stream.

    `first_header` is the header of the first audio frame (its mode bits are kept);
    `audio_frames` counts the frames after this one; `stream_bytes` includes this frame.
    """
    if not (0 <= delay < 4096 and 0 <= padding < 4096):
        raise ValueError("encoder delay and padding must fit in 12 bits")
    size = frame_bytes(info_kbps, rate)
    header = first_header & ~(0xF << 12) & ~(1 << 9) & ~(1 << 16)  # bitrate, padding, CRC bit
    header |= _BITRATES.index(info_kbps) << 12
    header |= 1 << 16  # "protection bit" set = no CRC after the header
    frame = bytearray(size)
    frame[0:4] = header.to_bytes(4, "big")
    pos = 4 + _side_info_bytes(channels)  # side information left at zero: no audio
    # A CBR table of contents: byte position is proportional to time.
    toc = bytes(min(255, (i * 256) // 100) for i in range(100))
    quality = 57  # LAME's VBR scale for CBR at its default settings; informational
    frame[pos : pos + _XING_SIZE] = (
        b"Info"
        + struct.pack(">III", 0x0F, audio_frames, stream_bytes)
        + toc
        + struct.pack(">I", quality)
    )
    pos += _XING_SIZE
    mode = (first_header >> 6) & 3  # 0 stereo, 1 joint stereo, 2 dual, 3 mono
    stereo_mode = {0: 1, 1: 3, 2: 2, 3: 0}[mode]
    source_rate = {44_100: 1, 48_000: 2}.get(rate, 0)
    misc = (source_rate << 6) | (stereo_mode << 2) | 1  # noise shaping 1 (LAME's default)
    lame = (
        LAME_VERSION
        + bytes([0x01])  # tag revision 0, VBR method 1 = constant bitrate
        + bytes([0])  # lowpass unknown (lameenc does not report it)
        + struct.pack(">I", 0)  # peak amplitude: not computed
        + struct.pack(">HH", 0, 0)  # radio / audiophile replay gain: not set
        + bytes([0])  # encoding flags and ATH type
        + bytes([min(255, bitrate_kbps)])
        + ((delay << 12) | padding).to_bytes(3, "big")
        + bytes([misc])
        + bytes([0])  # MP3 gain
        + struct.pack(">H", 0)  # surround info, preset
        + struct.pack(">I", stream_bytes)  # music length: Info frame + audio frames
        + struct.pack(">H", 0)  # music CRC: not computed (no decoder relies on it)
    )
    frame[pos : pos + len(lame)] = lame
    pos += len(lame)
    frame[pos : pos + 2] = struct.pack(">H", crc16(bytes(frame[:pos])))
    return bytes(frame)


def to_pcm16(block: np.ndarray) -> np.ndarray:
    """Little-endian int16 frames from float32 frames (clipped, rounded)."""
    scaled = np.multiply(block, 32768.0, dtype=np.float32)
    np.clip(scaled, -32768.0, 32767.0, out=scaled)
    return np.rint(scaled).astype("<i2")


def _side_info_start(frame: bytes) -> int:
    return 4 if frame[1] & 1 else 6  # protection bit clear: a CRC follows the header


def main_data_begin(frame: bytes) -> int:
    """How many bytes before this frame's payload its main data starts (the bit reservoir)."""
    pos = _side_info_start(frame)
    return (frame[pos] << 1) | (frame[pos + 1] >> 7)


def block_types(frame: bytes, channels: int) -> tuple[int, ...]:
    """Block type (0 long, 1 start, 2 short, 3 stop) of each granule and channel, in the
    order (gr0 ch0, gr0 ch1, gr1 ch0, gr1 ch1) of MPEG-1 side information."""
    pos = _side_info_start(frame)
    size = _side_info_bytes(channels)
    bits = int.from_bytes(frame[pos : pos + size], "big")
    total = size * 8
    at = 9 + (5 if channels == 1 else 3) + 4 * channels  # main_data_begin, private, scfsi
    types = []
    for _ in range(2 * channels):
        switching = (bits >> (total - (at + 34))) & 1  # after 12 + 9 + 8 + 4 bits
        types.append((bits >> (total - (at + 36))) & 3 if switching else 0)
        at += 59
    return tuple(types)


def _windows_join(before: tuple[int, ...], after: tuple[int, ...], channels: int) -> bool:
    """True when granule 1 of `before` may be followed by granule 0 of `after`: the long or
    short half-windows that overlap must match, or the aliasing does not cancel."""
    for ch in range(channels):
        long_right = before[channels + ch] in (0, 3)
        long_left = after[ch] in (0, 1)
        if long_right != long_left:
            return False
    return True


def _split_frames(data: bytes) -> list[bytes]:
    frames, pos = [], 0
    while pos < len(data):
        size = parse_header(int.from_bytes(data[pos : pos + 4], "big"))[0]
        frames.append(data[pos : pos + size])
        pos += size
    return frames


DECODER_DELAY = 529  # mpg123's (and so libsndfile's) own delay, trimmed with ours


def _decode(data: bytes, lo: int, hi: int) -> np.ndarray:
    """Samples [lo, hi) of a bare MP3 frame stream decoded as libsndfile decodes the file."""
    with sf.SoundFile(io.BytesIO(data)) as f:
        pcm = f.read(dtype="float32", always_2d=True)
    if len(pcm) < hi:
        raise RuntimeError(f"MP3 check: {len(pcm)} samples decoded, {hi} expected")
    return pcm[lo:hi]


@dataclass(slots=True)
class _Chunk:
    first: int  # the global frame index of the encoder's first frame
    pcm: np.ndarray  # the int16 input, kept until the join after it is made
    frames: list[bytes] | None = None


class Mp3Encoder:
    """Writes float32 blocks (frames, channels) to a gapless CBR MP3 file, on every core.

    LAME is single-threaded, so the stream is cut into chunks of about `chunk_seconds` that
    separate LAME encoders encode at once on `workers` threads (lameenc releases the GIL).
    Each chunk's encoder starts `LEAD_IN_FRAMES` MP3 frames early and runs `TAIL_FRAMES` past
    its end, on the same 1152-sample frame grid as a one-piece encode, so both sides of a join
    have encoded the same audio around it. The join is made at a frame boundary where the
    window shapes of the two encoders fit (the MDCT halves that overlap must both be long or
    both short), and where the earlier stream has at least as much room in its bit reservoir
    as the next frame draws from it: that frame's reservoir bytes are copied into the room the
    earlier frames leave free, so every frame decodes from its own encoder's bits. The decoded
    file has exactly the frames written, and around a join it differs from a one-piece encode
    only by the codec's own noise. If no frame near a join fits (rare), the chunk is encoded
    again from the previous chunk's start, which reproduces the previous frames exactly.
    `close()` must be called; it raises any error met (e.g. a full disk).
    """

    LEAD_IN_FRAMES = 32  # frames a chunk's encoder runs before the join window opens …
    MIN_LEAD_FRAMES = 16  # … of which at least these before any join (its psychoacoustics settle)
    TAIL_FRAMES = 8  # frames the earlier encoder runs past the nominal join
    END_GUARD_FRAMES = 3  # the last frames of an encoder, touched by its flush, are never kept
    DECODE_LEAD_FRAMES = 14  # frames decoded before a region (the reservoir reaches ≤ 511 bytes)
    DECODE_AFTER_FRAMES = 3  # frames decoded after it
    DECODE_PHASE_FRAMES = 4  # decodes start 4k frames in: the synthesis buffer rounds alike

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        rate: int,
        channels: int,
        bitrate_kbps: int,
        quality: int = 3,
        workers: int | None = None,
        chunk_seconds: float = 15.0,
        decoded: Callable[[np.ndarray], None] | None = None,
    ):
        if rate not in (44_100, 48_000) or channels not in (1, 2):
            raise ValueError("MP3: 44100/48000 Hz, 1 or 2 channels")
        if bitrate_kbps not in _BITRATES[1:12]:
            raise ValueError("MP3: 32–192 kbps")
        self.rate, self.channels, self.bitrate_kbps = rate, channels, bitrate_kbps
        self.quality = quality
        self.frames_written = 0
        self.join_frames: list[int] = []  # the first frame taken from each later chunk
        self.rejoins = 0  # joins that needed the chunk encoded again
        self._chunk_frames = max(
            self.LEAD_IN_FRAMES + self.TAIL_FRAMES + 1, round(chunk_seconds * rate / FRAME_SAMPLES)
        )
        self._info_kbps = info_frame_bitrate(bitrate_kbps, rate, channels)
        self._workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="mp3-encoder")
        self._pending: list[tuple[_Chunk, Future]] = []
        self._buffer: list[np.ndarray] = []  # int16 input not yet handed to a chunk …
        self._buffered = 0
        self._buffer_first = 0  # … starting at this global sample
        self._next_chunk = 0
        self._previous: _Chunk | None = None  # the last chunk joined, for a re-encode
        self._held: list[bytearray] = []  # assembled frames not yet written …
        self._held_first = 0  # … the first one's global index
        self._first_header: int | None = None
        self._audio_frames = 0
        self._stream_bytes = 0
        self._error: BaseException | None = None
        self._closed = False
        # The decoded file, region by region as the joins make the frames final: set
        # `decoded` (here or before the first write) to receive it.
        self.decoded = decoded
        self._decodes: list[Future] = []
        self._context: list[bytes] = []  # the last frames written, a decoder's lead-in
        self._raw_delivered = 0  # decoded samples handed on, counted from the first frame
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(bytes(frame_bytes(self._info_kbps, rate)))  # room for the tag frame

    # encoding ------------------------------------------------------------------------------

    def _encode(self, pcm: np.ndarray) -> list[bytes]:
        lame = lameenc.Encoder()
        lame.set_bit_rate(self.bitrate_kbps)
        lame.set_in_sample_rate(self.rate)
        lame.set_out_sample_rate(self.rate)  # never let LAME drop to MPEG-2 rates
        lame.set_channels(self.channels)
        lame.set_quality(self.quality)
        data = bytes(lame.encode(pcm.tobytes())) + bytes(lame.flush())
        return _split_frames(data)

    def _chunk_start(self, k: int) -> int:
        """The global frame index at which chunk k's encoder starts."""
        return 0 if k == 0 else k * self._chunk_frames - self.LEAD_IN_FRAMES

    def _submit(self, last: bool) -> None:
        k = self._next_chunk
        first = self._chunk_start(k)
        whole = np.concatenate(self._buffer) if len(self._buffer) > 1 else self._buffer[0]
        lo = first * FRAME_SAMPLES - self._buffer_first
        hi = len(whole)
        if not last:
            hi = ((k + 1) * self._chunk_frames + self.TAIL_FRAMES) * FRAME_SAMPLES
            hi -= self._buffer_first
            keep = self._chunk_start(k + 1) * FRAME_SAMPLES - self._buffer_first
            self._buffer = [whole[keep:]]  # what the next chunk's lead-in needs
            self._buffered = len(whole) - keep
            self._buffer_first += keep
        pcm = whole[lo:hi]
        chunk = _Chunk(first, pcm)
        self._pending.append((chunk, self._pool.submit(self._encode, pcm)))
        self._next_chunk += 1

    def _ready_for_chunk(self) -> bool:
        k = self._next_chunk
        end = ((k + 1) * self._chunk_frames + self.TAIL_FRAMES) * FRAME_SAMPLES
        return self._buffer_first + self._buffered >= end

    # joining -------------------------------------------------------------------------------

    def _join_frame(self, chunk: _Chunk) -> int | None:
        """The global index of the first frame taken from `chunk`, or None if none fits."""
        held, a0 = self._held, self._held_first
        b, b0 = chunk.frames, chunk.first
        nominal = b0 + self.LEAD_IN_FRAMES
        lo = b0 + self.MIN_LEAD_FRAMES
        hi = min(a0 + len(held) - self.END_GUARD_FRAMES, b0 + len(b))
        fits = []
        for c in range(lo, hi):
            a_prev, a_next = held[c - 1 - a0], held[c - a0]
            b_prev, b_next = b[c - 1 - b0], b[c - b0]
            if main_data_begin(a_next) < main_data_begin(b_next):
                continue  # the earlier stream has no room for what this frame draws on
            if not _windows_join(
                block_types(a_prev, self.channels),
                block_types(b_next, self.channels),
                self.channels,
            ):
                continue
            agree = block_types(a_prev, self.channels) == block_types(
                b_prev, self.channels
            ) and block_types(a_next, self.channels) == block_types(b_next, self.channels)
            fits.append((not agree, abs(c - nominal), c))
        return min(fits)[2] if fits else None

    def _join(self, chunk: _Chunk) -> None:
        assert chunk.frames is not None
        if self._first_header is None:
            self._first_header = int.from_bytes(chunk.frames[0][:4], "big")
            self._held = [bytearray(f) for f in chunk.frames]
            self._held_first = chunk.first
            self._previous = chunk
            return
        c = self._join_frame(chunk)
        if c is None:
            # Encode this chunk again from the previous chunk's start: its first frames are
            # then the previous chunk's own, so it joins anywhere they overlap.
            self.rejoins += 1
            prev = self._previous
            assert prev is not None
            c = chunk.first + self.LEAD_IN_FRAMES
            overlap = (chunk.first - prev.first) * FRAME_SAMPLES
            pcm = np.concatenate([prev.pcm[:overlap], chunk.pcm])
            chunk = _Chunk(prev.first, pcm, self._encode(pcm))
        b, b0 = chunk.frames, chunk.first
        need = main_data_begin(b[c - b0])
        if need:
            # The reservoir bytes frame c reads: the end of the payloads before it in its own
            # stream, copied to the end of the payloads before it in the output.
            tail = b""
            j = c - b0
            while len(tail) < need:
                j -= 1
                frame = b[j]
                tail = frame[_side_info_start(frame) + _side_info_bytes(self.channels) :] + tail
            tail = tail[len(tail) - need :]
            j = c - self._held_first
            while tail:
                j -= 1
                frame = self._held[j]
                start = _side_info_start(frame) + _side_info_bytes(self.channels)
                room = len(frame) - start
                part, tail = tail[max(0, len(tail) - room) :], tail[: max(0, len(tail) - room)]
                frame[len(frame) - len(part) :] = part
        del self._held[c - self._held_first :]
        if self.decoded is not None:
            self._decode_held(b[c - b0 : c - b0 + self.DECODE_AFTER_FRAMES])
        self._write_held()
        self._held = [bytearray(f) for f in b[c - b0 :]]
        self._held_first = c
        self._previous = chunk
        self.join_frames.append(c)

    def _decode_held(self, after: list[bytes]) -> None:
        """Decode the held frames, which are final, on the pool: a few written frames before
        them fill the decoder's bit reservoir and overlap, a few after them let the last
        samples out. The same bytes decode to the same samples as in the whole file."""
        lead = len(self._context)
        lead -= (self._held_first - lead) % self.DECODE_PHASE_FRAMES
        data = b"".join([*self._context[len(self._context) - lead :], *self._held, *after])
        lo, hi = lead * FRAME_SAMPLES, (lead + len(self._held)) * FRAME_SAMPLES
        self._decodes.append(self._pool.submit(_decode, data, lo, hi))
        self._context = (self._context + [bytes(f) for f in self._held])[-self.DECODE_LEAD_FRAMES :]

    def _deliver(self, wait: bool) -> None:
        """Hand decoded regions on in order, as the programme's frames (the encoder's and
        the decoder's delays trimmed, nothing past the last frame written)."""
        while self._decodes and (wait or self._decodes[0].done()):
            raw = self._decodes.pop(0).result()
            start = self._raw_delivered - ENCODER_DELAY - DECODER_DELAY
            self._raw_delivered += len(raw)
            lo = max(0, -start)
            hi = min(len(raw), self.frames_written - start) if self._closed else len(raw)
            if hi > lo:
                self.decoded(raw[lo:hi])

    @property
    def joins(self) -> int:
        return len(self.join_frames)

    def _write_held(self) -> None:
        data = b"".join(self._held)
        self._file.write(data)
        self._audio_frames += len(self._held)
        self._stream_bytes += len(data)
        self._held = []

    def _reap(self, wait: bool) -> None:
        """Join finished chunks in order; with `wait`, at least the oldest one."""
        while self._pending and (wait or self._pending[0][1].done()):
            chunk, future = self._pending.pop(0)
            chunk.frames = future.result()
            self._join(chunk)
            wait = False
        if self.decoded is not None:
            self._deliver(wait=False)

    # the encoder's interface ---------------------------------------------------------------

    def write(self, block: np.ndarray) -> None:
        """Add `block` (frames, channels) float32; blocks while the encoders lag behind."""
        if self._error is not None:
            raise self._error
        if self._closed:
            raise ValueError("write() after close()")
        if block.ndim != 2 or block.shape[1] != self.channels:
            raise ValueError(f"expected (frames, {self.channels}) blocks, got {block.shape}")
        if not len(block):
            return
        self._buffer.append(to_pcm16(block))
        self._buffered += len(block)
        self.frames_written += len(block)
        try:
            while self._ready_for_chunk():
                self._submit(last=False)
            self._reap(wait=len(self._pending) > self._workers + 1)
        except BaseException as exc:
            self._error = exc
            raise

    def close(self) -> None:
        """Encode what is left, join it, write the Info/LAME tag frame and close the file."""
        if self._closed:
            if self._error is not None:
                raise self._error
            return
        self._closed = True
        try:
            if self._error is not None:
                raise self._error
            if self._buffered:
                self._submit(last=True)
            while self._pending:
                self._reap(wait=True)
            if self._held:
                if self.decoded is not None:
                    self._decode_held([self._silent_frame()] * self.DECODE_AFTER_FRAMES)
                    self._deliver(wait=True)
                self._write_held()
            self._write_tag()
        except BaseException as exc:
            self._error = exc
            raise
        finally:
            for _chunk, future in self._pending:
                future.cancel()
            self._pool.shutdown(wait=True)
            self._file.close()

    def _silent_frame(self) -> bytes:
        """A frame of silence at the stream's bitrate: no padding, no CRC, zero side info."""
        assert self._first_header is not None
        header = (self._first_header & ~(1 << 9)) | (1 << 16)
        size = frame_bytes(self.bitrate_kbps, self.rate)
        return header.to_bytes(4, "big") + bytes(size - 4)

    def _write_tag(self) -> None:
        if self._first_header is None:
            # Nothing was encoded: drop the reserved frame, leaving an empty file.
            self._file.seek(0)
            self._file.truncate()
            return
        padding = self._audio_frames * FRAME_SAMPLES - ENCODER_DELAY - self.frames_written
        info = build_info_frame(
            first_header=self._first_header,
            info_kbps=self._info_kbps,
            rate=self.rate,
            channels=self.channels,
            bitrate_kbps=self.bitrate_kbps,
            audio_frames=self._audio_frames,
            stream_bytes=self._stream_bytes + frame_bytes(self._info_kbps, self.rate),
            delay=ENCODER_DELAY,
            padding=padding,
        )
        self._file.seek(0)
        self._file.write(info)
        self._file.flush()


def read_lame_tag(path: str | os.PathLike) -> dict[str, int] | None:
    """Delay, padding and audio frame count from a file's Info/Xing + LAME tag, or None.

    Skips an ID3v2 tag at the start. Used by tests and to inspect exported files.
    """
    with open(path, "rb") as f:
        head = f.read(10)
        offset = 0
        if head[:3] == b"ID3":
            size = 0
            for b in head[6:10]:
                size = (size << 7) | (b & 0x7F)
            offset = 10 + size + (10 if head[5] & 0x10 else 0)
        f.seek(offset)
        frame = f.read(4 + 32 + _XING_SIZE + _LAME_EXT_SIZE)
    if len(frame) < 4:
        return None
    h = int.from_bytes(frame[:4], "big")
    try:
        parse_header(h)
    except ValueError:
        return None
    channels = 1 if (h >> 6) & 3 == 3 else 2
    pos = 4 + _side_info_bytes(channels)
    if frame[pos : pos + 4] not in (b"Info", b"Xing"):
        return None
    flags, audio_frames, stream_bytes = struct.unpack(">III", frame[pos + 4 : pos + 16])
    lame = pos + _XING_SIZE
    if frame[lame : lame + 4] != b"LAME":
        return None
    dp = int.from_bytes(frame[lame + 21 : lame + 24], "big")
    crc_pos = lame + _LAME_EXT_SIZE - 2
    (stored_crc,) = struct.unpack(">H", frame[crc_pos : crc_pos + 2])
    return {
        "frames": audio_frames,
        "bytes": stream_bytes,
        "delay": dp >> 12,
        "padding": dp & 0xFFF,
        "crc_ok": int(stored_crc == crc16(frame[:crc_pos])),
        "offset": offset,
    }

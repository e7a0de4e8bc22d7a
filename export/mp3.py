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

import os
import struct
import threading
from queue import Queue

import lameenc
import numpy as np

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


class _FrameCounter:
    """Counts MP3 frames in a byte stream that arrives in arbitrary chunks."""

    def __init__(self) -> None:
        self.frames = 0
        self.bytes = 0
        self.first_header: int | None = None
        self._skip = 0  # bytes of the current frame still to come
        self._partial = b""  # an incomplete header split over two chunks

    def feed(self, data: bytes) -> None:
        self.bytes += len(data)
        pos = self._skip
        buf = data
        if self._partial:
            buf = self._partial + data
            pos = 0
            self._partial = b""
        n = len(buf)
        while pos < n:
            if pos + 4 > n:
                self._partial = bytes(buf[pos:])
                pos = n
                break
            h = int.from_bytes(buf[pos : pos + 4], "big")
            size = parse_header(h)[0]
            if self.first_header is None:
                self.first_header = h
            self.frames += 1
            pos += size
        self._skip = pos - n


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


def to_pcm16(block: np.ndarray) -> bytes:
    """Interleaved little-endian int16 bytes from float32 frames (clipped, rounded)."""
    scaled = np.multiply(block, 32768.0, dtype=np.float32)
    np.clip(scaled, -32768.0, 32767.0, out=scaled)
    return np.rint(scaled).astype("<i2").tobytes()


class Mp3Encoder:
    """Writes float32 blocks (frames, channels) to a gapless CBR MP3 file.

    LAME runs on a second thread (lameenc releases the GIL while it encodes), so encoding
    overlaps with whatever produces the blocks; `write` only converts to int16 and queues.
    `close()` must be called; it raises any error the encoding thread met.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        rate: int,
        channels: int,
        bitrate_kbps: int,
        quality: int = 3,
        queue_blocks: int = 8,
    ):
        if rate not in (44_100, 48_000) or channels not in (1, 2):
            raise ValueError("MP3: 44100/48000 Hz, 1 or 2 channels")
        if bitrate_kbps not in _BITRATES[1:12]:
            raise ValueError("MP3: 32–192 kbps")
        self.rate, self.channels, self.bitrate_kbps = rate, channels, bitrate_kbps
        self.frames_written = 0
        self._lame = lameenc.Encoder()
        self._lame.set_bit_rate(bitrate_kbps)
        self._lame.set_in_sample_rate(rate)
        self._lame.set_out_sample_rate(rate)  # never let LAME drop to MPEG-2 rates
        self._lame.set_channels(channels)
        self._lame.set_quality(quality)
        self._info_kbps = info_frame_bitrate(bitrate_kbps, rate, channels)
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(bytes(frame_bytes(self._info_kbps, rate)))  # room for the tag frame
        self._counter = _FrameCounter()
        self._queue: Queue[bytes | None] = Queue(maxsize=queue_blocks)
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="mp3-encoder", daemon=True)
        self._thread.start()

    def _emit(self, data: bytes) -> None:
        if data:
            self._counter.feed(data)
            self._file.write(data)

    def _run(self) -> None:
        ended = started = False
        try:
            while True:
                pcm = self._queue.get()
                if pcm is None:
                    ended = True
                    break
                started = True
                self._emit(bytes(self._lame.encode(pcm)))
            if started:  # lameenc refuses to flush an encoder that never encoded
                self._emit(bytes(self._lame.flush()))
        except BaseException as exc:  # handed to the caller in close()
            self._error = exc
            # Keep draining so that a producer blocked on put() is released.
            while not ended:
                ended = self._queue.get() is None

    def write(self, block: np.ndarray) -> None:
        """Queue `block` (frames, channels) float32 for encoding; blocks if LAME lags behind."""
        if self._error is not None:
            raise self._error
        if self._closed:
            raise ValueError("write() after close()")
        if block.ndim != 2 or block.shape[1] != self.channels:
            raise ValueError(f"expected (frames, {self.channels}) blocks, got {block.shape}")
        if not len(block):
            return
        self._queue.put(to_pcm16(block))
        self.frames_written += len(block)

    def close(self) -> None:
        """Flush LAME, write the Info/LAME tag frame and close the file."""
        if self._closed:
            return
        self._closed = True
        try:
            self._queue.put(None)
            self._thread.join()
            if self._error is not None:
                raise self._error
            self._write_tag()
        finally:
            self._file.close()

    def _write_tag(self) -> None:
        c = self._counter
        if c.first_header is None:
            # Nothing was encoded: drop the reserved frame, leaving an empty file.
            self._file.seek(0)
            self._file.truncate()
            return
        padding = c.frames * FRAME_SAMPLES - ENCODER_DELAY - self.frames_written
        info = build_info_frame(
            first_header=c.first_header,
            info_kbps=self._info_kbps,
            rate=self.rate,
            channels=self.channels,
            bitrate_kbps=self.bitrate_kbps,
            audio_frames=c.frames,
            stream_bytes=c.bytes + frame_bytes(self._info_kbps, self.rate),
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

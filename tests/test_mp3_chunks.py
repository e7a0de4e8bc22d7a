"""The MP3 encoder's chunks, encoded at once on several threads, join gaplessly: the decoded
length is exact and around every join the file differs from a one-piece encode by no more
than the codec's own noise (no click, no gap, no repeated granule)."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from export.mp3 import ENCODER_DELAY, FRAME_SAMPLES, Mp3Encoder, read_lame_tag
from export.presets import MP3_BITRATES_KBPS
from tests.test_mp3_gapless import decode_ffmpeg

CHUNK_S = 1.0  # short chunks: many joins in a short test signal


def programme(seconds: float, rate: int, channels: int) -> np.ndarray:
    """A steady tone (where a click would stand out) under speech-like bursts of noise."""
    rng = np.random.default_rng(rate + channels)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    tone = 0.2 * np.sin(2 * np.pi * 440 * t)
    noise = np.convolve(rng.standard_normal(n), np.hanning(9) / 4, mode="same")
    bursts = (np.sin(2 * np.pi * 3.3 * t) > 0.2) * 0.3
    mono = tone + noise * bursts
    if channels == 1:
        return mono[:, None].astype(np.float32)
    return np.stack([mono, 0.7 * np.roll(mono, 37)], axis=1).astype(np.float32)


def encode(path, data, rate, bitrate, **kw) -> Mp3Encoder:
    enc = Mp3Encoder(path, rate=rate, channels=data.shape[1], bitrate_kbps=bitrate, **kw)
    try:
        for i in range(0, len(data), 3000):  # blocks that straddle chunk edges
            enc.write(data[i : i + 3000])
    finally:
        enc.close()
    return enc


def decode(path) -> np.ndarray:
    return sf.read(str(path), dtype="float32", always_2d=True)[0]


@pytest.mark.parametrize("rate", [44_100, 48_000])
@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("bitrate", [32, 64, 128, 192])
def test_joins_are_below_the_codecs_noise(tmp_path, rate, channels, bitrate):
    data = programme(8.0, rate, channels)
    one = encode(tmp_path / "one.mp3", data, rate, bitrate, chunk_seconds=1e6)
    many = encode(tmp_path / "many.mp3", data, rate, bitrate, chunk_seconds=CHUNK_S, workers=2)
    assert one.joins == 0 and many.joins >= 6
    whole, chunked = decode(tmp_path / "one.mp3"), decode(tmp_path / "many.mp3")
    assert len(whole) == len(chunked) == len(data)
    codec_noise = whole - data
    for k, frame in enumerate(many.join_frames):
        at = frame * FRAME_SAMPLES - ENCODER_DELAY  # the join's first sample in the programme
        w = slice(at - 4 * FRAME_SAMPLES, at + 4 * FRAME_SAMPLES)
        ours = np.sqrt(np.mean((chunked[w] - data[w]) ** 2))
        theirs = np.sqrt(np.mean(codec_noise[w] ** 2))
        assert ours <= 1.25 * theirs + 1e-4, (k, ours, theirs)
        # Sample by sample, the two encodes differ by less than the codec's own largest error.
        assert np.abs(chunked[w] - whole[w]).max() <= np.abs(codec_noise).max(), k


@pytest.mark.parametrize("rate", [44_100, 48_000])
@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("bitrate", MP3_BITRATES_KBPS)
def test_chunked_decoded_length_is_exact(tmp_path, rate, channels, bitrate):
    frames = int(3.3 * rate) + 77  # several chunks, not a whole number of MP3 frames
    data = programme(frames / rate, rate, channels)[:frames]
    path = tmp_path / "x.mp3"
    enc = encode(path, data, rate, bitrate, chunk_seconds=CHUNK_S, workers=2)
    assert enc.joins >= 2
    assert len(decode(path)) == frames
    assert len(decode_ffmpeg(path, channels)) == frames
    tag = read_lame_tag(path)
    assert tag is not None and tag["crc_ok"] == 1
    assert tag["bytes"] == path.stat().st_size


def test_a_join_that_cannot_fit_is_encoded_again(tmp_path, monkeypatch):
    """When no frame near a join fits, the chunk is encoded again from the previous chunk's
    start and the file is still exact."""
    data = programme(4.0, 44_100, 1)
    monkeypatch.setattr(Mp3Encoder, "_join_frame", lambda self, chunk: None)
    enc = encode(tmp_path / "x.mp3", data, 44_100, 64, chunk_seconds=CHUNK_S, workers=2)
    assert enc.rejoins == enc.joins >= 2
    one = encode(tmp_path / "one.mp3", data, 44_100, 64, chunk_seconds=1e6)
    assert one.joins == 0
    # Re-encoding from the previous start reproduces the one-piece stream bit for bit.
    assert (tmp_path / "x.mp3").read_bytes() == (tmp_path / "one.mp3").read_bytes()


@pytest.mark.parametrize(
    ("rate", "channels", "bitrate", "seconds"),
    [(44_100, 1, 32, 6.3), (48_000, 2, 48, 6.0), (44_100, 2, 128, 0.7), (48_000, 1, 192, 0.01)],
)
def test_the_decoded_file_comes_from_the_encoder_without_a_second_decode(
    tmp_path, rate, channels, bitrate, seconds
):
    """The regions the encoder decodes as its joins make them final are the file's decode."""
    data = programme(seconds, rate, channels)
    got: list[np.ndarray] = []
    path = tmp_path / "x.mp3"
    encode(path, data, rate, bitrate, chunk_seconds=CHUNK_S, workers=2, decoded=got.append)
    mine = np.concatenate(got)
    assert len(mine) == len(data)
    # Bit for bit here; the bound allows another build's decoder to round differently.
    np.testing.assert_allclose(mine, decode(path), rtol=0, atol=1e-6)


def test_the_decoded_file_after_a_join_encoded_again(tmp_path, monkeypatch):
    data = programme(4.0, 48_000, 2)
    monkeypatch.setattr(Mp3Encoder, "_join_frame", lambda self, chunk: None)
    got: list[np.ndarray] = []
    path = tmp_path / "x.mp3"
    enc = encode(path, data, 48_000, 64, chunk_seconds=CHUNK_S, workers=2, decoded=got.append)
    assert enc.rejoins >= 2
    np.testing.assert_allclose(np.concatenate(got), decode(path), rtol=0, atol=1e-6)

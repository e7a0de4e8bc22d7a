"""The microphone level check of the first start: the user reads one printed sentence, and is
told in plain words whether to turn the mixer's gain up or down, and how noisy the room is.

The reading is measured as BS.1770 loudness (gated, so the pauses do not count) on the loudest
selected channel (a mono microphone on one side of a stereo USB mixer), with the sample peak
and the number of clipped samples. The room noise is the quiet tenth of the 100 ms loudness
values: the pauses between words. Pure numpy; no device, no Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from audio.errors import localized as _t
from audio.loudness import LoudnessMeter, energy_to_lufs

READING_SENTENCE = (
    "Đài truyền thanh xã xin kính chào bà con. Sau đây là bản tin thời sự buổi sáng, "
    "mời bà con chú ý lắng nghe."
)
READING_SECONDS = 8  # room for the sentence read slowly, with a breath before it

TARGET_LUFS = -20.0  # a voice recorded for broadcast: loud enough, with room for shouts
GOOD_LOW_LUFS = -26.0
GOOD_HIGH_LUFS = -14.0
PEAK_ROOM_DBFS = -3.0  # after a gain change the loudest syllable should stay below this
CLIP_LEVEL = 0.999
CLIPPED_SHARE = 1e-4  # more clipped samples than this share of the reading: it distorts
SILENT_PEAK_DBFS = -50.0
QUIET_ROOM_LUFS = -65.0
QUIET_SNR_DB = 35.0
NOISY_SNR_DB = 20.0


@dataclass(frozen=True, slots=True)
class ReadingCheck:
    """What the level check found. `gain_change_db` is what to turn the gain by (+ up)."""

    verdict: str  # "silent", "unclear", "too_low", "good", "too_hot"
    room: str  # "quiet", "some", "noisy"
    speech_lufs: float | None
    peak_dbfs: float | None
    noise_lufs: float | None
    clipped_samples: int
    gain_change_db: float
    channel: int  # which of the selected channels carried the voice (0-based)

    @property
    def snr_db(self) -> float | None:
        if self.speech_lufs is None or self.noise_lufs is None:
            return None
        return self.speech_lufs - self.noise_lufs

    def gain_advice(self) -> str:
        """One or two plain sentences about the mixer's gain, in the current language."""
        amount_vi, amount_en = _amount(abs(self.gain_change_db))
        db = f"{abs(self.gain_change_db):.0f}"
        if self.verdict == "silent":
            return _t(
                "No voice was heard. Check that the microphone is plugged in and switched on, "
                "that its channel on the mixer is open (fader up, not muted), then try again.",
                "Không nghe thấy tiếng nói. Hãy kiểm tra micrô đã cắm và bật chưa, kênh micrô "
                "trên bàn trộn đã mở chưa (đẩy cần gạt lên, không tắt tiếng), rồi thử lại.",
            )
        if self.verdict == "unclear":
            return _t(
                "The voice is hardly louder than the noise of the room. Sit closer to the "
                "microphone (a hand's width away), turn the gain up a little and read again.",
                "Giọng đọc gần như lẫn vào tiếng ồn trong phòng. Hãy ngồi gần micrô hơn (cách "
                "khoảng một gang tay), tăng núm GAIN lên một chút rồi đọc lại.",
            )
        if self.verdict == "too_low":
            return _t(
                f"The voice is too quiet: turn the GAIN knob of the microphone channel on the "
                f"mixer UP {amount_en} (about {db} dB), then read the sentence again.",
                f"Tiếng còn nhỏ: hãy vặn núm GAIN của kênh micrô trên bàn trộn LÊN {amount_vi} "
                f"(khoảng {db} dB), rồi đọc lại câu trên.",
            )
        if self.verdict == "too_hot":
            distorts = self.clipped_samples > 0
            return _t(
                ("The voice is too loud and distorts" if distorts else "The voice is too loud")
                + f": turn the GAIN knob of the microphone channel DOWN {amount_en} (about "
                f"{db} dB), then read the sentence again.",
                ("Tiếng quá to và bị rè" if distorts else "Tiếng quá to")
                + f": hãy vặn núm GAIN của kênh micrô trên bàn trộn XUỐNG {amount_vi} (khoảng "
                f"{db} dB), rồi đọc lại câu trên.",
            )
        return _t(
            "The level is just right: leave the gain where it is.",
            "Mức tiếng vừa đẹp: giữ nguyên núm GAIN.",
        )

    def room_advice(self) -> str:
        if self.room == "quiet":
            return _t("The room is quiet.", "Phòng yên tĩnh, tốt cho thu âm.")
        if self.room == "some":
            return _t(
                "There is some noise in the room (a fan, traffic): close the door and switch "
                "the fan off while recording if you can.",
                "Phòng hơi ồn (quạt, xe cộ…): nên đóng cửa và tắt quạt khi thu nếu được.",
            )
        return _t(
            "The room is noisy: the noise will be heard under the voice. Close the doors and "
            "windows, switch fans off, or record somewhere quieter.",
            "Phòng ồn: tiếng ồn sẽ lẫn vào giọng đọc. Hãy đóng cửa, tắt quạt, hoặc thu ở nơi "
            "yên tĩnh hơn.",
        )

    def advice(self) -> str:
        if self.verdict == "silent":
            return self.gain_advice()
        return f"{self.gain_advice()} {self.room_advice()}"


def _amount(db: float) -> tuple[str, str]:
    if db < 6:
        return "một chút", "a little"
    if db < 12:
        return "một đoạn", "a fair way"
    return "nhiều", "a lot"


def _channel_figures(x: np.ndarray, rate: int) -> tuple[float | None, float, float | None, int]:
    """(speech LUFS, sample peak, noise LUFS, clipped samples) of one channel."""
    meter = LoudnessMeter(rate, 1, true_peak=False)
    meter.feed(x[:, None])
    hops = np.asarray(meter.hop_energies, np.float64)
    noise = None
    if len(hops):
        floor = float(np.percentile(hops, 10))
        noise = energy_to_lufs(floor) if floor > 0 else None
        if noise is not None and (not math.isfinite(noise) or noise < -120):
            noise = None  # digital silence between the words
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    clipped = int(np.count_nonzero(np.abs(x) >= CLIP_LEVEL))
    return meter.integrated_lufs(), peak, noise, clipped


def check_reading(frames: np.ndarray, rate: int) -> ReadingCheck:
    """Judge a reading of `READING_SENTENCE`: frames (n, channels) or (n,), float, −1…1."""
    x = np.asarray(frames, np.float32)
    if x.ndim == 1:
        x = x[:, None]
    figures = [_channel_figures(x[:, c], rate) for c in range(x.shape[1])]
    # the channel with the voice: the loudest reading (a mono mic sits on one side)
    channel = max(
        range(len(figures)),
        key=lambda c: -math.inf if figures[c][0] is None else figures[c][0],
    )
    speech, peak, noise, clipped = figures[channel]
    peak_db = 20 * math.log10(peak) if peak > 0 else None
    snr = None if speech is None or noise is None else speech - noise

    if noise is None or noise < QUIET_ROOM_LUFS or (snr is not None and snr >= QUIET_SNR_DB):
        room = "quiet"
    elif snr is None or snr >= NOISY_SNR_DB:
        room = "some"
    else:
        room = "noisy"

    change = 0.0
    if speech is None or peak_db is None or peak_db < SILENT_PEAK_DBFS:
        verdict = "silent"
    elif clipped > max(2, CLIPPED_SHARE * len(x)):
        verdict = "too_hot"
        # the true peak is unknown once clipped: come down clearly below it
        change = min(TARGET_LUFS - speech, -6.0)
    elif snr is not None and snr < 10.0:
        verdict = "unclear"
        change = min(TARGET_LUFS - speech, PEAK_ROOM_DBFS - peak_db)
    else:
        wanted = TARGET_LUFS - speech
        room_left = PEAK_ROOM_DBFS - peak_db  # how far up the peaks allow
        if speech < GOOD_LOW_LUFS:
            # up by what reaches the target, unless the peaks would clip first
            verdict, change = "too_low", max(3.0, min(wanted, room_left))
        elif speech > GOOD_HIGH_LUFS or peak_db > -1.0:
            verdict, change = "too_hot", min(wanted, PEAK_ROOM_DBFS - peak_db)
        else:
            verdict = "good"
    return ReadingCheck(
        verdict=verdict,
        room=room,
        speech_lufs=speech,
        peak_dbfs=peak_db,
        noise_lufs=noise,
        clipped_samples=clipped,
        gain_change_db=round(change, 1),
        channel=channel,
    )

"""The first-start assistant: a few plain Vietnamese steps that a non-engineer finishes alone.

Steps: welcome; microphone / USB mixer and loudspeaker (with a live meter and a test tone);
the level check (read one printed sentence, be told whether to turn the gain up or down and
how noisy the room is); the station's name and commune; the loudness preset; destinations
(skippable); where the media folder lives; done. Every page can be skipped, and every choice
is changed later in Settings or by running the assistant again (Help menu).

The work is the core's: devices and the level check in `studio.input_check` /
`studio.level_check`, the media folder in `studio.paths`; settings are written only on Finish.
"""

from __future__ import annotations

import contextlib
import os
import shutil

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from audio.errors import StudioError
from audio.errors import localized as _t

METER_MS = 50
FLOOR_DB = -60.0
PRESETS = (
    (
        "loudspeaker",
        ("Loudspeaker network (recommended)", "Loa truyền thanh (nên chọn)"),
        (
            "−16 LUFS, MP3 mono 64 kbps: what commune loudspeakers and IP head-ends play best.",
            "−16 LUFS, MP3 một kênh 64 kbps: hợp nhất với cụm loa và bộ thu IP của xã.",
        ),
    ),
    (
        "province",
        ("Provincial system", "Hệ thống thông tin nguồn tỉnh"),
        (
            "−16 LUFS, MP3 stereo 128 kbps: for the provincial source-information system.",
            "−16 LUFS, MP3 hai kênh (stereo) 128 kbps: cho hệ thống thông tin nguồn của tỉnh.",
        ),
    ),
)


def _title(label: QLabel) -> QLabel:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    return label


def _text(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class LevelMeter(QWidget):
    """A large horizontal input meter with a dB scale: green where a voice should be, yellow
    for loud, red near clipping; a red lamp stays lit for a moment after a clip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.levels_db: list[float] = [FLOOR_DB]
        self.clipped = False
        self.setMinimumHeight(44)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_levels(self, peaks_db, clipped: bool = False) -> None:
        new = [FLOOR_DB if p is None else max(FLOOR_DB, p) for p in peaks_db] or [FLOOR_DB]
        old = self.levels_db + [FLOOR_DB] * (len(new) - len(self.levels_db))
        self.levels_db = [max(n, o - 1.5) for n, o in zip(new, old, strict=False)]
        self.clipped = clipped
        self.update()

    def _x(self, db: float, width: float) -> float:
        return width * (db - FLOOR_DB) / -FLOOR_DB

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        lamp = 26
        w = self.width() - lamp - 6
        bar_h = (self.height() - 16) / max(1, len(self.levels_db))
        p.fillRect(QRectF(0, 0, w, self.height() - 16), QColor("#2b2e33"))
        for i, db in enumerate(self.levels_db):
            x = self._x(db, w)
            top = i * bar_h + 1
            for lo, hi, colour in ((-60, -18, "#2ecc71"), (-18, -6, "#f1c40f"), (-6, 0, "#e74c3c")):
                a, b = self._x(lo, w), min(x, self._x(hi, w))
                if b > a:
                    p.fillRect(QRectF(a, top, b - a, bar_h - 2), QColor(colour))
        p.setPen(QColor("#6b7280"))
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.75))
        p.setFont(small)
        for db in (-60, -40, -30, -20, -12, -6, -3, 0):
            x = self._x(db, w)
            p.drawLine(int(x), self.height() - 16, int(x), self.height() - 12)
            left = min(max(0.0, x - 16), w - 32)  # the end labels stay inside
            align = Qt.AlignmentFlag.AlignLeft if left == 0 else Qt.AlignmentFlag.AlignCenter
            p.drawText(QRectF(left, self.height() - 12, 32, 12), align, str(db))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#e74c3c") if self.clipped else QColor("#4b5058"))
        p.drawEllipse(QRectF(self.width() - lamp, (self.height() - 16 - lamp) / 2, lamp, lamp))
        p.end()


class InputSession:
    """The open input the device and level pages share (one stream at a time)."""

    def __init__(self, factory):
        self.factory = factory  # (device, host_api, channels) -> studio.input_check.InputCheck
        self.check = None
        self.key = None
        self.error: StudioError | None = None

    def open(self, device: str, host_api: str, channels: tuple[int, ...]):
        key = (device, host_api, channels)
        if self.check is not None and self.key == key:
            return self.check
        self.close()
        try:
            check = self.factory(device, host_api, channels)
            check.open()
        except StudioError as exc:
            self.error = exc
            return None
        self.check, self.key, self.error = check, key, None
        return check

    def close(self) -> None:
        if self.check is not None:
            with contextlib.suppress(Exception):
                self.check.close()
        self.check = self.key = None


class DevicePage(QWizardPage):
    def __init__(self, wizard: FirstStartWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_t("Microphone and loudspeaker", "Micrô và loa"))
        self.setSubTitle(
            _t(
                "Choose where your voice comes in (the microphone or the USB mixer) and where "
                "the sound goes out. Speak: the bar below should move.",
                "Chọn nơi tiếng nói đi vào (micrô hoặc bàn trộn USB) và nơi phát ra loa. Hãy nói "
                "thử: thanh đo bên dưới phải nhảy theo.",
            )
        )
        self.input = QComboBox()
        self.channel = QComboBox()
        self.output = QComboBox()
        self.meter = LevelMeter()
        self.status = _text("")
        self.tone = QPushButton(_t("Play a test sound", "Phát thử âm thanh"))
        self.tone.clicked.connect(self.play_tone)
        form = QFormLayout()
        form.addRow(_t("Microphone / mixer", "Micrô / bàn trộn"), self.input)
        form.addRow(_t("Input channel", "Kênh vào"), self.channel)
        form.addRow(_t("Loudspeaker / headphones", "Loa / tai nghe"), self.output)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(_text(_t("Input level", "Mức tiếng vào")))
        col.addWidget(self.meter)
        col.addWidget(self.status)
        row = QHBoxLayout()
        row.addWidget(self.tone)
        row.addStretch(1)
        col.addLayout(row)
        col.addStretch(1)
        self.input.currentIndexChanged.connect(self._input_changed)
        self.channel.currentIndexChanged.connect(lambda _i: self.reopen())
        self.timer = QTimer(self)
        self.timer.setInterval(METER_MS)
        self.timer.timeout.connect(self.update_meter)

    def fill(self) -> None:
        """List the devices (called when the page is shown, so a mixer plugged in counts)."""
        w = self.w
        try:
            devices = w.list_devices()
        except StudioError as exc:
            devices = []
            self.status.setText(exc.message())
        from studio.input_check import preferred_host_api

        api = preferred_host_api(sorted({d.host_api for d in devices}))
        shown = [d for d in devices if not api or d.host_api == api] or devices
        for combo, want, attr, default in (
            (self.input, w.values["input_device"], "inputs", "is_default_input"),
            (self.output, w.values["output_device"], "outputs", "is_default_output"),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_t("System default", "Mặc định của máy"), ("", ""))
            for d in shown:
                if getattr(d, attr) > 0:
                    label = d.name + (
                        _t(" (default)", " (mặc định)") if getattr(d, default) else ""
                    )
                    combo.addItem(label, (d.name, d.host_api))
            index = next(
                (i for i in range(combo.count()) if combo.itemData(i)[0] == want and want), 0
            )
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        if not any(d.inputs for d in devices):
            self.status.setText(
                _t(
                    "No microphone or mixer was found. Plug it in, then press Back and Next.",
                    "Không thấy micrô hay bàn trộn nào. Hãy cắm vào, rồi bấm Quay lại và Tiếp.",
                )
            )
        self._input_changed()

    def _input_changed(self, _index=None) -> None:
        name, api = self.input.currentData() or ("", "")
        channels = next(
            (d.inputs for d in self.w.devices if d.name == name and d.host_api == api), 2
        )
        self.channel.blockSignals(True)
        self.channel.clear()
        if channels >= 2:
            self.channel.addItem(
                _t("Both (find the voice)", "Cả hai (tự tìm kênh có tiếng)"), (0, 1)
            )
            self.channel.addItem(_t("1 (left)", "1 (trái)"), (0,))
            self.channel.addItem(_t("2 (right)", "2 (phải)"), (1,))
            want = tuple(self.w.values["input_channels"])
            index = next((i for i in range(3) if self.channel.itemData(i) == want), 0)
            self.channel.setCurrentIndex(index)
        else:
            self.channel.addItem("1", (0,))
        self.channel.blockSignals(False)
        self.reopen()

    def selection(self) -> tuple[str, str, tuple[int, ...]]:
        name, api = self.input.currentData() or ("", "")
        return name, api, tuple(self.channel.currentData() or (0,))

    def reopen(self) -> None:
        if not self.isVisible() and self.w.currentPage() is not self:
            return
        name, api, channels = self.selection()
        check = self.w.session.open(name, api, channels)
        if check is None:
            error = self.w.session.error
            self.status.setText(error.message() if error else "")
        else:
            self.status.setText(
                _t(f"Listening to: {check.device_name}", f"Đang nghe: {check.device_name}")
            )
            self.timer.start()

    def update_meter(self) -> None:
        check = self.w.session.check
        if check is None:
            return
        peaks, clipped = check.levels_dbfs()
        self.meter.set_levels(peaks, clipped)

    def play_tone(self) -> None:
        name, _api = self.output.currentData() or ("", "")
        try:
            self.w.play_tone(name)
        except StudioError as exc:
            self.status.setText(exc.message())

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.fill()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override (going Back)
        self.timer.stop()

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        name, api, channels = self.selection()
        self.w.values.update(
            input_device=name,
            input_host_api=api,
            input_channels=list(channels),
            output_device=(self.output.currentData() or ("", ""))[0],
        )
        self.timer.stop()
        return True


class LevelPage(QWizardPage):
    finished = Signal(object)  # the ReadingCheck

    def __init__(self, wizard: FirstStartWizard):
        super().__init__()
        self.w = wizard
        self.result = None
        self.setTitle(_t("Level check", "Kiểm tra mức thu"))
        self.setSubTitle(
            _t(
                "Sit as you will when recording, press Start and read the sentence aloud in "
                "your usual voice. You will be told whether to turn the mixer's gain up or down.",
                "Ngồi như khi thu âm, bấm Bắt đầu rồi đọc to câu dưới đây bằng giọng bình thường. "
                "Chương trình sẽ nói bạn cần vặn núm GAIN trên bàn trộn lên hay xuống.",
            )
        )
        from studio.level_check import READING_SENTENCE

        self.sentence = QLabel(f"“{READING_SENTENCE}”")
        self.sentence.setWordWrap(True)
        font = self.sentence.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.sentence.setFont(font)
        self.sentence.setStyleSheet("padding: 10px; border: 1px solid #9ca3af; border-radius: 6px;")
        self.meter = LevelMeter()
        self.progress = QProgressBar()
        from studio.level_check import READING_SECONDS

        self.seconds = READING_SECONDS
        self.progress.setRange(0, self.seconds * 10)
        self.progress.setTextVisible(False)
        self.start = QPushButton(_t("Start reading", "Bắt đầu đọc"))
        self.stop = QPushButton(_t("I have finished", "Đã đọc xong"))
        self.stop.setEnabled(False)
        self.start.clicked.connect(self.begin)
        self.stop.clicked.connect(self.end)
        self.advice = _text("")
        big = self.advice.font()
        big.setPointSizeF(big.pointSizeF() * 1.2)
        self.advice.setFont(big)
        self.figures = _text("")
        self.figures.setStyleSheet("color: #6b7280;")
        row = QHBoxLayout()
        row.addWidget(self.start)
        row.addWidget(self.stop)
        row.addWidget(self.progress, 1)
        col = QVBoxLayout(self)
        col.addWidget(self.sentence)
        col.addWidget(self.meter)
        col.addLayout(row)
        col.addWidget(self.advice)
        col.addWidget(self.figures)
        col.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(METER_MS)
        self.timer.timeout.connect(self.tick)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        v = self.w.values
        check = self.w.session.open(
            v["input_device"], v["input_host_api"], tuple(v["input_channels"])
        )
        if check is None:
            error = self.w.session.error
            self.advice.setText(error.message() if error else "")
            self.start.setEnabled(False)
        else:
            self.start.setEnabled(True)
            self.timer.start()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override
        self.timer.stop()

    def begin(self) -> None:
        check = self.w.session.check
        if check is None:
            return
        try:
            check.start_reading()
        except StudioError as exc:
            self.advice.setText(exc.message())
            return
        self.advice.setText(_t("Read the sentence now…", "Mời bạn đọc…"))
        self.figures.setText("")
        self.start.setEnabled(False)
        self.stop.setEnabled(True)

    def tick(self) -> None:
        check = self.w.session.check
        if check is None:
            return
        peaks, clipped = check.levels_dbfs()
        self.meter.set_levels(peaks, clipped)
        if self.stop.isEnabled():
            seconds = check.reading_seconds
            self.progress.setValue(int(seconds * 10))
            if seconds >= self.seconds:
                self.end()

    def end(self) -> None:
        check = self.w.session.check
        self.stop.setEnabled(False)
        self.start.setEnabled(True)
        self.start.setText(_t("Read again", "Đọc lại"))
        if check is None:
            return
        try:
            result = check.finish_reading()
        except StudioError as exc:
            self.advice.setText(exc.message())
            return
        self.show_result(result)

    def show_result(self, result) -> None:
        self.result = result
        colour = {"good": "#15803d", "silent": "#b91c1c", "too_hot": "#b45309"}.get(
            result.verdict, "#1d4ed8"
        )
        self.advice.setStyleSheet(f"color: {colour};")
        self.advice.setText(result.advice())
        figures = []
        if result.speech_lufs is not None:
            figures.append(
                _t(f"voice {result.speech_lufs:.0f} LUFS", f"giọng {result.speech_lufs:.0f} LUFS")
            )
        if result.peak_dbfs is not None:
            figures.append(
                _t(f"peak {result.peak_dbfs:.0f} dBFS", f"đỉnh {result.peak_dbfs:.0f} dBFS")
            )
        if result.noise_lufs is not None:
            figures.append(
                _t(f"room {result.noise_lufs:.0f} LUFS", f"tiếng ồn {result.noise_lufs:.0f} LUFS")
            )
        self.figures.setText(" · ".join(figures))
        if result.verdict != "silent" and len(self.w.values["input_channels"]) > 1:
            # a mono microphone on one side of the mixer: record that side from now on
            self.w.values["input_channels"] = [self.w.values["input_channels"][result.channel]]
        self.finished.emit(result)

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        if self.stop.isEnabled():
            self.end()
        self.timer.stop()
        return True


class StationPage(QWizardPage):
    def __init__(self, wizard: FirstStartWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_t("Your station", "Đài của bạn"))
        self.setSubTitle(
            _t(
                "Used in the titles and tags of every bulletin and in the reports.",
                "Dùng trong tên, thông tin kèm theo của mỗi bản tin và trong báo cáo.",
            )
        )
        self.station = QLineEdit()
        self.station.setPlaceholderText(
            _t("e.g. Yên Lạc commune radio", "ví dụ: Đài truyền thanh xã Yên Lạc")
        )
        self.commune = QLineEdit()
        self.commune.setPlaceholderText(_t("e.g. Yên Lạc commune", "ví dụ: xã Yên Lạc"))
        form = QFormLayout(self)
        form.addRow(_t("Station name", "Tên đài"), self.station)
        form.addRow(_t("Commune", "Xã / phường"), self.commune)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.station.setText(self.w.values["station_name"])
        self.commune.setText(self.w.values["commune"])

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        self.w.values["station_name"] = " ".join(self.station.text().split())
        self.w.values["commune"] = " ".join(self.commune.text().split())
        return True


class PresetPage(QWizardPage):
    def __init__(self, wizard: FirstStartWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_t("How loud the bulletins are", "Độ lớn của bản tin"))
        self.setSubTitle(
            _t(
                "Every export is brought to the same loudness, so bulletins never sound louder "
                "or quieter than each other.",
                "Mọi bản tin khi xuất đều được đưa về cùng một độ lớn, để không bản nào to hay "
                "nhỏ hơn bản nào.",
            )
        )
        self.group = QButtonGroup(self)
        col = QVBoxLayout(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, (name_en, name_vi), (doc_en, doc_vi) in PRESETS:
            button = QRadioButton(_t(name_en, name_vi))
            self.group.addButton(button)
            self.buttons[key] = button
            col.addWidget(button)
            note = _text(_t(doc_en, doc_vi))
            note.setContentsMargins(24, 0, 0, 8)
            col.addWidget(note)
        col.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.buttons.get(self.w.values["export_preset"], self.buttons["loudspeaker"]).setChecked(
            True
        )

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        self.w.values["export_preset"] = next(k for k, b in self.buttons.items() if b.isChecked())
        return True


class DestinationsPage(QWizardPage):
    def __init__(self, wizard: FirstStartWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_t("Where bulletins are sent", "Nơi nhận bản tin"))
        self.setSubTitle(
            _t(
                "The loudspeaker head-end, a network folder or the provincial system. You can "
                "skip this and add them later (Publish → Destinations…).",
                "Bộ điều khiển cụm loa, thư mục mạng hoặc hệ thống của tỉnh. Có thể bỏ qua và "
                "thêm sau (menu Phát hành → Nơi nhận…).",
            )
        )
        self.list = QListWidget()
        self.add = QPushButton(_t("Add or change destinations…", "Thêm hoặc sửa nơi nhận…"))
        self.add.clicked.connect(self.edit)
        col = QVBoxLayout(self)
        col.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add)
        row.addStretch(1)
        col.addLayout(row)
        self.note = _text("")
        col.addWidget(self.note)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        outbox = self.w.outbox
        if outbox is None:
            self.add.setEnabled(False)
            self.note.setText(
                _t("The outbox is not available now.", "Hộp thư đi chưa dùng được lúc này.")
            )
            return
        try:
            found = outbox.destinations()
        except StudioError as exc:
            self.note.setText(exc.message())
            return
        for d in found:
            self.list.addItem(f"{d.name} — {d.url}")
        self.note.setText(
            _t("None yet: you can skip this step.", "Chưa có nơi nhận nào: có thể bỏ qua bước này.")
            if not found
            else ""
        )

    def edit(self) -> None:
        self.w.edit_destinations(self)
        self.refresh()


class MediaPage(QWizardPage):
    def __init__(self, wizard: FirstStartWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_t("Where the audio is kept", "Nơi lưu âm thanh"))
        self.setSubTitle(
            _t(
                "Imported audio and recordings are kept in this folder. Choose a disk with room "
                "to spare (an hour of recording takes about 1 GB).",
                "Âm thanh nhập vào và bản thu được lưu trong thư mục này. Hãy chọn ổ đĩa còn nhiều "
                "chỗ trống (một giờ thu âm chiếm khoảng 1 GB).",
            )
        )
        self.folder = QLineEdit()
        self.browse = QPushButton(_t("Choose…", "Chọn…"))
        self.browse.clicked.connect(self.choose)
        self.space = _text("")
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        col = QVBoxLayout(self)
        col.addLayout(row)
        col.addWidget(self.space)
        col.addStretch(1)
        self.folder.textChanged.connect(self.show_space)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.folder.setText(self.w.values["media_folder"])

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _t("Folder for audio", "Thư mục lưu âm thanh"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    def show_space(self, text: str) -> None:
        probe = text
        while probe and not os.path.isdir(probe):
            probe = os.path.dirname(probe.rstrip("/\\"))
        try:
            free_gb = shutil.disk_usage(probe or ".").free / 1e9
        except OSError:
            self.space.setText("")
            return
        self.space.setText(
            _t(f"Free on that disk: {free_gb:.0f} GB", f"Ổ đĩa này còn trống: {free_gb:.0f} GB")
        )

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        self.w.values["media_folder"] = self.folder.text().strip() or self.w.values["media_folder"]
        return True


class DonePage(QWizardPage):
    def __init__(self, wizard: FirstStartWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_t("All set", "Xong rồi"))
        self.summary = _text("")
        col = QVBoxLayout(self)
        col.addWidget(self.summary)
        col.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        v = self.w.values
        rows = [
            _t("Microphone / mixer", "Micrô / bàn trộn")
            + ": "
            + (v["input_device"] or _t("system default", "mặc định của máy")),
            _t("Loudspeaker", "Loa")
            + ": "
            + (v["output_device"] or _t("system default", "mặc định của máy")),
            _t("Station", "Đài")
            + ": "
            + (v["station_name"] or "—")
            + " · "
            + (v["commune"] or "—"),
            _t("Loudness", "Độ lớn")
            + ": "
            + dict((k, _t(*n)) for k, n, _ in PRESETS).get(v["export_preset"], v["export_preset"]),
            _t("Audio folder", "Thư mục âm thanh") + ": " + v["media_folder"],
        ]
        self.summary.setText(
            "<br>".join(rows)
            + "<br><br>"
            + _t(
                "Press Finish. A sample programme with a jingle and a music bed opens, ready for "
                "your voice. Everything here can be changed later in Settings, or by running "
                "this assistant again from the Help menu.",
                "Bấm Xong. Một chương trình mẫu có nhạc hiệu và nhạc nền sẽ mở ra, sẵn sàng để bạn "
                "thu giọng đọc. Mọi lựa chọn ở đây có thể đổi sau trong Cài đặt, hoặc chạy lại trợ "
                "lý này từ menu Trợ giúp.",
            )
        )


class FirstStartWizard(QWizard):
    """The assistant. `values` holds the choices; `apply()` writes them to settings (called
    on Finish by `run`). Device access goes through `input_factory`, `list_devices` and
    `play_tone` (the real ones from studio.input_check; tests may pass others)."""

    PAGE_KEYS = (
        "welcome",
        "devices",
        "level",
        "station",
        "preset",
        "destinations",
        "media",
        "done",
    )

    def __init__(
        self,
        settings,
        home,
        outbox=None,
        input_factory=None,
        list_devices=None,
        play_tone=None,
        edit_destinations=None,
        parent=None,
    ):
        super().__init__(parent)
        from studio import input_check

        self.settings = settings
        self.home = home
        self.outbox = outbox
        self._list_devices = list_devices or input_check.audio_devices
        self.play_tone = play_tone or input_check.play_test_tone
        self._edit_destinations = edit_destinations
        self.session = InputSession(input_factory or input_check.InputCheck)
        self.devices = []
        self.values = {
            "input_device": settings.get("input_device"),
            "input_host_api": settings.get("input_host_api"),
            # on the first start listen to both sides: the check finds the microphone's
            "input_channels": settings.get("input_channels")
            if settings.get("first_start_done")
            else [0, 1],
            "output_device": settings.get("output_device"),
            "station_name": settings.get("station_name"),
            "commune": settings.get("commune"),
            "export_preset": settings.get("export_preset"),
            "media_folder": str(home.media),
        }
        self.setObjectName("FirstStartWizard")
        self.setWindowTitle(
            _t("Getting started — Studio Truyền Thanh", "Bắt đầu sử dụng — Studio Truyền Thanh")
        )
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in (
            (QWizard.WizardButton.BackButton, _t("< Back", "< Quay lại")),
            (QWizard.WizardButton.NextButton, _t("Next >", "Tiếp >")),
            (QWizard.WizardButton.FinishButton, _t("Finish", "Xong")),
            (QWizard.WizardButton.CancelButton, _t("Later", "Để sau")),
            (QWizard.WizardButton.CustomButton1, _t("Skip this step", "Bỏ qua bước này")),
        ):
            self.setButtonText(button, text)
        self.customButtonClicked.connect(lambda _which: self.skip())
        self.pages = {}
        welcome = QWizardPage()
        welcome.setTitle(_t("Welcome", "Chào mừng"))
        intro = _text(
            _t(
                "In a few minutes we will set up the microphone, check its level, write down "
                "your station's name and choose where bulletins go. Every step can be skipped "
                "and changed later.",
                "Trong vài phút, chúng ta sẽ chọn micrô, kiểm tra mức thu, ghi tên đài và chọn "
                "nơi nhận bản tin. Bước nào cũng có thể bỏ qua và đổi lại sau.",
            )
        )
        layout = QVBoxLayout(welcome)
        layout.addWidget(intro)
        layout.addStretch(1)
        for key, page in zip(
            self.PAGE_KEYS,
            (
                welcome,
                DevicePage(self),
                LevelPage(self),
                StationPage(self),
                PresetPage(self),
                DestinationsPage(self),
                MediaPage(self),
                DonePage(self),
            ),
            strict=True,
        ):
            self.pages[key] = page
            page.setObjectName(f"page-{key}")
            self.addPage(page)
        self.currentIdChanged.connect(self._page_changed)
        self.finished.connect(lambda _r: self.session.close())
        self.resize(760, 560)

    def list_devices(self):
        self.devices = self._list_devices()
        return self.devices

    def edit_destinations(self, parent) -> None:
        if self._edit_destinations is not None:
            self._edit_destinations(parent)
            return
        if self.outbox is not None:
            from ui.publishing.destinations_dialog import DestinationsDialog

            DestinationsDialog(self.outbox, parent).exec()

    def page_key(self) -> str:
        page = self.currentPage()
        return next((k for k, p in self.pages.items() if p is page), "")

    def _page_changed(self, _id: int) -> None:
        key = self.page_key()
        self.button(QWizard.WizardButton.CustomButton1).setVisible(key not in ("welcome", "done"))
        if key not in ("devices", "level"):
            self.session.close()  # the microphone is open only where it is used

    def skip(self) -> None:
        """Leave this step as it was and go on (its choices are not taken)."""
        page = self.currentPage()
        if hasattr(page, "timer"):
            page.timer.stop()
        if isinstance(page, LevelPage) and page.stop.isEnabled():
            with contextlib.suppress(StudioError):
                self.session.check.finish_reading()
            page.stop.setEnabled(False)
        # QWizard.next() would run validatePage(), which takes the page's choices
        self.setProperty("skipping", True)
        try:
            self.next()
        finally:
            self.setProperty("skipping", False)

    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt override
        if self.property("skipping"):
            return True
        return super().validateCurrentPage()

    def apply(self) -> bool:
        """Write the choices to settings (saved); True when the media folder moves later."""
        from studio.paths import choose_media_folder

        v = self.values
        s = self.settings
        for key in (
            "input_device",
            "input_host_api",
            "output_device",
            "station_name",
            "commune",
            "export_preset",
        ):
            s.set(key, v[key])
        s.set("input_channels", list(v["input_channels"]))
        moves = False
        if v["media_folder"]:
            moves = choose_media_folder(s, self.home, v["media_folder"])
        s.set("first_start_done", True)
        s.save()
        return moves

    def done(self, result: int) -> None:  # noqa: A003 - Qt override
        self.session.close()
        super().done(result)

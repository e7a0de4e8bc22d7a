"""The meters feature: the master's peak and loudness while playing, and after an export the
loudness-over-time graph of the file and its broadcast-ready report.

The transport feeds `studio.meters.LiveMeters` from the player's render thread (not the audio
thread) and it measures on its own thread; one GUI timer (`METER_MS`) reads the latest
momentary / short-term / integrated values and the heard peak. Nothing is signalled per audio
block.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from audio.errors import current_language
from ui.meters.widgets import IntegratedReadout, LoudnessGraph, LoudnessMeterBar
from ui.window.feature import Feature

METER_MS = 50  # the meters' GUI timer (20 Hz); nothing is signalled per audio block


class MetersPanel(QWidget):
    """Master meters: peak / momentary / short-term bars, integrated against the target, and
    the loudness-over-time graph of the last analysed programme."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MetersPanel")
        self.bar = LoudnessMeterBar(self, self.tr("Master"))
        self.bar.setFixedWidth(120)  # room for the Vietnamese labels under the bars
        self.readout = IntegratedReadout(self)
        self.graph = LoudnessGraph(self)
        self.graph.setMinimumSize(160, 80)
        self.graph_label = QLabel(self.tr("Loudness over time (after export)"))
        self.graph_label.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.graph_label)
        right.addWidget(self.graph, 1)
        row = QHBoxLayout()
        row.addWidget(self.bar)
        row.addLayout(right, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.readout)
        col.addLayout(row, 1)

    def set_target(self, target_lufs: float, ceiling_dbtp: float, tolerance_lu: float) -> None:
        self.bar.set_target(target_lufs, ceiling_dbtp)
        self.readout.set_target(target_lufs, tolerance_lu)
        self.graph.set_target(target_lufs, tolerance_lu)


class MetersFeature(Feature):
    """The meters dock beside the mixer, fed while the programme plays."""

    key = "meters"

    def __init__(self, window, options: dict | None = None):
        from studio.meters import LiveMeters

        super().__init__(window, options)
        self.panel = MetersPanel()
        self.dock = window.add_dock(
            "meters",
            self.panel,
            self.tr("Meters"),
            Qt.DockWidgetArea.BottomDockWidgetArea,
            beside=window.mixer_dock,
        )
        self.meter = LiveMeters(window.editor.rate)
        self._peaks = None
        self.last_report = None
        window.playback.transport.attach_meter(self.meter)
        window.playback.levelsChanged.connect(self._levels)
        self.timer = QTimer(self)
        self.timer.setInterval(METER_MS)
        self.timer.timeout.connect(self.update_meters)
        window.playback.stateChanged.connect(self._playing)
        window.exportTargetChanged.connect(self.show_target)
        window.exported.connect(self._exported)
        window.editor.sessionReplaced.connect(self.reset)
        self.show_target()

    def show_target(self) -> None:
        p = self.window.export_preset()
        self.panel.set_target(p.target_lufs, p.ceiling_dbtp, p.tolerance_lu)

    def _levels(self, peaks) -> None:
        self._peaks = peaks

    def _playing(self, playing: bool) -> None:
        if playing:
            self.timer.start()
        else:
            self.timer.stop()
            self._peaks = None
            self.panel.bar.reset()  # silence, and no peak hold left hanging

    def reset(self) -> None:
        """Another programme (New, Open): nothing of the old one stays on the meters —
        bars, peak hold, integrated reading and the loudness graph."""
        self.timer.stop()
        self._peaks = None
        self.meter.reset()
        self.panel.bar.reset()
        self.panel.readout.set_integrated(None)
        self.panel.graph.set_series(np.zeros(0))
        self.window.mixer.set_loudness(None)
        self.last_report = None

    def update_meters(self) -> None:
        """GUI timer: show the latest reading (never waits for the meter thread)."""
        r = self.meter.reading(self._peaks)
        self.panel.bar.set_levels(r.peak_db, r.momentary_lufs, r.short_term_lufs)
        self.panel.readout.set_integrated(r.integrated_lufs)
        self.window.mixer.set_loudness(r.integrated_lufs)  # "fed by the meters"

    # --- export: report and loudness graph ---------------------------------------------------

    def _exported(self, result) -> None:
        """Show the export's own measurement: the export service decoded and measured the
        encoded file once already (its broadcast check), so nothing is decoded again here."""
        self.panel.graph.set_series(result.short_term_series)
        integrated = result.output.integrated_lufs if result.output is not None else None
        self.panel.readout.set_integrated(integrated)
        self.window.mixer.set_loudness(integrated)
        self.last_report = result.report
        if result.report is not None:
            self.show_report(result.report)

    def report_text(self, report) -> str:
        lang = current_language()
        head = (
            self.tr("Ready for broadcast.")
            if report.passed
            else self.tr("Not ready for broadcast: see the lines marked ✗.")
        )
        lines = [f"{'✓' if ln.passed else '✗'} {ln.message(lang)}" for ln in report.lines]
        return head + "\n\n" + "\n".join(lines)

    def show_report(self, report) -> None:
        text = self.report_text(report)
        if report.passed:
            self.window.prompts.info(text)
        else:
            self.window.prompts.error(text)

    def close(self) -> None:
        self.timer.stop()
        if self.meter is not None:
            self.meter.close()


def install(window, options: dict) -> MetersFeature:
    return MetersFeature(window, options)

"""The first start and the support tools, as a window feature.

- `run_first_start(home, settings)`: before the window exists on the very first start, the
  assistant (`ui/first_start/wizard.py`) runs, so its media folder is the one the window uses;
- once the window shows its first programme (`start()`), the sample jingle, bed and alarm are
  filed in the library and the demo programme opens;
- Help → "Getting started assistant…" runs the assistant again; Help → "Copy diagnostic
  information" puts `studio.diagnostics.report()` on the clipboard;
- the window's log (`studio.diagnostics.start_log`) is started by `run_window`.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from PySide6.QtGui import QAction, QGuiApplication

from audio.errors import StudioError
from audio.errors import localized as _t
from ui.window.feature import Feature

log = logging.getLogger(__name__)


def programmes_folder(home) -> Path:
    return Path(home.root) / "programmes"


def run_first_start(home, settings, exec_dialog=None):
    """Show the assistant before the window is built; returns the home to use (its media
    folder may have changed). `exec_dialog(wizard)` runs it (tests pass their own)."""
    from studio.paths import StudioHome
    from ui.first_start.wizard import FirstStartWizard

    outbox = None
    with contextlib.suppress(StudioError):
        from studio.outbox import Outbox

        outbox = Outbox.open(home)
    wizard = FirstStartWizard(settings, home, outbox=outbox)
    try:
        accepted = (exec_dialog or (lambda w: w.exec()))(wizard)
        if accepted:
            wizard.apply()
            log.info("first start: assistant finished")
        else:
            log.info("first start: assistant put off for later")
    finally:
        if outbox is not None:
            outbox.close()
        # deleted by Qt on the GUI thread, never by Python's collector on a worker thread
        wizard.deleteLater()
    from studio.settings import Settings

    new_home = StudioHome.at(home.root).ensure()
    return new_home, Settings(new_home.settings_file)


class FirstStartFeature(Feature):
    key = "first_start"

    def __init__(self, window, options: dict | None = None):
        super().__init__(window, options)
        w = window
        self.act_assistant = QAction(_t("Getting started assistant…", "Trợ lý bắt đầu sử dụng…"), w)
        self.act_assistant.triggered.connect(lambda _=False: self.run_assistant())
        self.act_diagnostics = QAction(
            _t("Copy diagnostic information", "Sao chép thông tin chẩn đoán"), w
        )
        self.act_diagnostics.triggered.connect(lambda _=False: self.copy_diagnostics())
        first = w.menus["help"].actions()[0] if w.menus["help"].actions() else None
        w.add_action("help", self.act_assistant, before=first)
        w.add_action("help", self.act_diagnostics, before=first, separator=True)
        self.samples_job = None

    # --- the first start -------------------------------------------------------------------

    def start(self) -> None:
        if self.options.get("first_start"):
            self.install_samples(open_demo=True)

    def install_samples(self, open_demo: bool = False):
        """File the sample content in the library (a job) and, with `open_demo`, open the
        demo programme when the document on screen is still untouched."""
        library_feature = self.window.features.get("library")
        library = getattr(library_feature, "library", None)
        if library is None:
            return None
        from studio import samples

        settings = self.window.settings
        folder = programmes_folder(self.window.home)

        def work(_progress):
            folder.mkdir(parents=True, exist_ok=True)
            return samples.install_samples(
                library, folder, settings.get("station_name"), settings.get("commune")
            )

        def done(result) -> None:
            dock = getattr(library_feature, "dock", None)
            if dock is not None:
                dock.refresh()
            session = self.window.editor.session
            if open_demo and session.path is None and not session.history.can_undo:
                self.window.open_path(str(result["programme"]), ask=False)
            self.window.statusBar().showMessage(
                _t(
                    "Sample jingle, music bed and alarm added to the library.",
                    "Đã thêm nhạc hiệu, nhạc nền và hiệu lệnh mẫu vào thư viện.",
                ),
                8000,
            )

        def failed(exc) -> None:
            log.warning("sample content not installed: %s", exc)

        self.samples_job = self.window.jobs.run(
            _t("Preparing the sample content", "Đang chuẩn bị nội dung mẫu"), work, done, failed
        )
        return self.samples_job

    # --- Help menu -------------------------------------------------------------------------

    def assistant(self):
        """The assistant for the running window (its outbox for the destinations step)."""
        from ui.first_start.wizard import FirstStartWizard

        publishing = self.window.features.get("publishing")
        wizard = FirstStartWizard(
            self.window.settings,
            self.window.home,
            outbox=getattr(publishing, "outbox", None),
            parent=self.window,
        )
        return wizard

    def run_assistant(self, exec_dialog=None) -> bool:
        wizard = self.assistant()
        try:
            accepted = (exec_dialog or (lambda w: w.exec()))(wizard)
            moves = wizard.apply() if accepted else False
        finally:
            wizard.deleteLater()
        if not accepted:
            return False
        w = self.window
        w.exportTargetChanged.emit()
        if moves:
            w.prompts.info(
                _t(
                    "The audio folder moves to the new place the next time the app starts.",
                    "Thư mục âm thanh sẽ được chuyển sang nơi mới ở lần mở chương trình sau.",
                )
            )
        self.install_samples(open_demo=False)
        return True

    def diagnostics_text(self) -> str:
        from studio.diagnostics import report

        return report(self.window.home, self.window.settings)

    def copy_diagnostics(self) -> str:
        text = self.diagnostics_text()
        QGuiApplication.clipboard().setText(text)
        self.window.statusBar().showMessage(
            _t(
                "Diagnostic information copied: paste it into a message to support.",
                "Đã chép thông tin chẩn đoán: hãy dán vào tin nhắn gửi bộ phận hỗ trợ.",
            ),
            8000,
        )
        return text


def install(window, options: dict | None = None) -> FirstStartFeature:
    return FirstStartFeature(window, options)

"""Settings → Destinations: configure where bulletins go, and check the connection.

The password/token field goes straight to the OS keyring through
`PublishService.add_destination`;
it is never shown again (left empty = keep the stored one). "Check connection" runs on a plain
thread and the dialog polls for its result on a timer, so the GUI never waits on the network.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from audio.errors import StudioError
from studio.outbox import Outbox
from studio.publishing import KINDS, DestinationConfig, PublishService


def tr(text: str) -> str:
    return QCoreApplication.translate("Outbox", text)


def kind_label(kind: str) -> str:
    return {
        "folder": tr("Folder (local, USB, network share)"),
        "ftp": tr("FTP"),
        "ftps": tr("FTPS (FTP with TLS)"),
        "sftp": tr("SFTP (SSH)"),
        "http": tr("HTTP(S) upload"),
        "province": tr("Provincial source-information system"),
    }[kind]


def parse_options(text: str) -> dict[str, str]:
    options = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise StudioError(
                f"The option line '{line}' is not KEY=VALUE.",
                f"Dòng tuỳ chọn '{line}' không có dạng KHOÁ=GIÁ_TRỊ.",
            )
        options[key.strip()] = value.strip()
    return options


class DestinationsDialog(QDialog):
    def __init__(self, outbox: Outbox, parent=None):
        super().__init__(parent)
        self.outbox = outbox
        self.service = PublishService(outbox)
        self.setWindowTitle(tr("Destinations"))
        self.list = QListWidget()
        self.name = QLineEdit()
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind_label(kind), kind)
        self.url = QLineEdit()
        self.url.setPlaceholderText("sftp://may-chu:22/ban-tin  ·  D:\\BanTin  ·  https://…")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("kept in the system keyring; empty = unchanged"))
        self.options = QPlainTextEdit()
        self.options.setPlaceholderText("ca_file=C:\\ca.pem\ntimeout_s=30")
        self.options.setFixedHeight(80)
        self.emergency = QCheckBox(tr("Emergency bulletins: send every one here at once"))
        self.emergency.setToolTip(
            tr("Every emergency bulletin goes, priority khẩn cấp, to each destination ticked here.")
        )
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a1c12;")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.check_button = QPushButton(tr("Check connection"))
        self.save_button = QPushButton(tr("Save"))
        self.remove_button = QPushButton(tr("Remove"))
        self.new_button = QPushButton(tr("New"))

        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("Address"), self.url)
        form.addRow(tr("User"), self.user)
        form.addRow(tr("Password or token"), self.password)
        form.addRow(tr("Options"), self.options)
        form.addRow("", self.emergency)
        actions = QHBoxLayout()
        for b in (self.new_button, self.check_button, self.save_button, self.remove_button):
            actions.addWidget(b)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.warning)
        right.addLayout(actions)
        right.addWidget(self.result)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(close)

        self.list.currentTextChanged.connect(self.show_destination)
        self.new_button.clicked.connect(self.clear_form)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.check_button.clicked.connect(self.check_connection)
        self.options.textChanged.connect(self._update_warning)
        self._check_thread: threading.Thread | None = None
        self._check_result: tuple[bool, str] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._poll_check)
        self.reload()

    # --- list and form -------------------------------------------------------------------------
    def reload(self) -> None:
        current = self.list.currentItem().text() if self.list.currentItem() else None
        self.list.clear()
        urgent = set(self.service.emergency_destinations())
        for config in self.service.destinations():
            self.list.addItem(config.name)
            if config.name in urgent:
                item = self.list.item(self.list.count() - 1)
                item.setToolTip(tr("Gets every emergency bulletin"))
                item.setForeground(QColor("#b3261e"))
        if current:
            for i in range(self.list.count()):
                if self.list.item(i).text() == current:
                    self.list.setCurrentRow(i)

    def clear_form(self) -> None:
        self.list.clearSelection()
        for w in (self.name, self.url, self.user, self.password):
            w.clear()
        self.options.clear()
        self.emergency.setChecked(False)
        self.result.clear()

    def show_destination(self, name: str) -> None:
        if not name:
            return
        config = self.service.destination(name)
        self.name.setText(config.name)
        self.kind.setCurrentIndex(self.kind.findData(config.kind))
        self.url.setText(config.url)
        self.user.setText(config.user)
        self.password.clear()
        self.options.setPlainText("\n".join(f"{k}={v}" for k, v in config.options.items()))
        self.emergency.setChecked(name in self.service.emergency_destinations())
        self.result.clear()

    def form_config(self) -> DestinationConfig:
        return DestinationConfig(
            self.name.text().strip(),
            self.kind.currentData(),
            self.url.text().strip(),
            self.user.text().strip(),
            parse_options(self.options.toPlainText()),
        )

    def _update_warning(self) -> None:
        try:
            config = self.form_config()
        except StudioError:
            return
        if config.flag("insecure_skip_tls_verify"):
            self.warning.setText(
                tr(
                    "Warning: certificate checks are switched off for this destination. "
                    "Anyone on the network could pose as the server."
                )
            )
        else:
            self.warning.clear()

    # --- actions ---------------------------------------------------------------------------------
    def save(self) -> bool:
        try:
            config = self.form_config()
            secret = self.password.text() or None
            existing = {c.name for c in self.service.destinations()}
            self.service.add_destination(
                config.name,
                config.kind,
                config.url,
                config.user,
                config.options,
                secret,
                replace=config.name in existing,
                emergency=self.emergency.isChecked(),
            )
        except StudioError as exc:
            self.result.setText(exc.message())
            return False
        self.password.clear()
        self.result.setText(tr("Saved."))
        self.reload()
        return True

    def remove(self) -> None:
        name = self.name.text().strip()
        try:
            self.service.remove_destination(name)
        except StudioError as exc:
            self.result.setText(exc.message())
            return
        self.clear_form()
        self.reload()

    def check_connection(self) -> None:
        """Check with the form's values (the typed password, else the stored one)."""
        if self._check_thread and self._check_thread.is_alive():
            return
        try:
            config = self.form_config()
            check = self.service.connection_check(config, self.password.text() or None)
        except StudioError as exc:
            self.result.setText(exc.message())
            return

        def work() -> None:
            try:
                self._check_result = (True, check())
            except StudioError as exc:
                self._check_result = (False, exc.message())
            except Exception as exc:  # noqa: BLE001 - shown to the user as is
                self._check_result = (False, f"{type(exc).__name__}: {exc}")

        self._check_result = None
        self.result.setText(tr("Checking…"))
        self.check_button.setEnabled(False)
        self._check_thread = threading.Thread(target=work, name="check-connection", daemon=True)
        self._check_thread.start()
        self._poll.start()

    def _poll_check(self) -> None:
        if self._check_result is None:
            return
        self._poll.stop()
        self.check_button.setEnabled(True)
        ok, text = self._check_result
        prefix = tr("Connection works: ") if ok else tr("Connection failed: ")
        self.result.setText(prefix + text)
        self.result.setProperty("ok", ok)

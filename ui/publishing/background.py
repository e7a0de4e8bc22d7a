"""The background sender as the window shows it: the status-bar note (is one running?), the
question asked when the window closes with items still to send, and the Settings section that
installs it to start at logon. The work is in `studio.outbox` (lease, service); this module
only shows it and asks.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audio.errors import StudioError


def tr(text: str) -> str:
    return QCoreApplication.translate("Outbox", text)


def sender_text(holder, this_window: bool) -> tuple[str, str]:
    """(status-bar text, tooltip) for the outbox's sender `holder` (a SenderInfo or None)."""
    if holder is not None and holder.role == "service" and not this_window:
        return (
            tr("Background sending: on"),
            tr("The background sender ({owner}) sends queued bulletins, also with the window "
               "closed.").format(owner=holder.owner),
        )  # fmt: skip
    if holder is not None and not this_window:
        return (
            tr("Sending from another program"),
            tr("{owner} is sending from this outbox; this window waits.").format(
                owner=holder.owner
            ),
        )
    return (
        tr("Background sending: off"),
        tr("Queued bulletins are sent while this window is open. Settings → Background "
           "sending keeps them going with the window closed."),
    )  # fmt: skip


def ask_keep_sending(parent, pending: int) -> str:
    """The window is closing with `pending` items to send: 'background', 'close' or 'cancel'."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Bulletins still waiting"))
    box.setText(
        tr("{n} bulletin(s) in the outbox are not sent yet.").format(n=pending)
        + "\n"
        + tr("Keep sending them in the background after the window closes?")
    )
    keep = box.addButton(tr("Keep sending in the background"), QMessageBox.ButtonRole.AcceptRole)
    close = box.addButton(tr("Close (send next time)"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    clicked = box.clickedButton()
    return "background" if clicked is keep else "close" if clicked is close else "cancel"


def settings_section(home) -> tuple[str, QWidget]:
    return tr("Background sending"), BackgroundSendingSection(home)


class BackgroundSendingSection(QWidget):
    """Settings → Background sending: install or remove the sender that starts at logon."""

    def __init__(self, home, parent=None):
        super().__init__(parent)
        self.home = home
        self.setObjectName("backgroundSending")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.install_button = QPushButton(tr("Start at logon"))
        self.remove_button = QPushButton(tr("Stop starting at logon"))
        self.install_button.clicked.connect(lambda _=False: self.install())
        self.remove_button.clicked.connect(lambda _=False: self.remove())
        buttons = QHBoxLayout()
        buttons.addWidget(self.install_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.state)
        col.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        from studio.outbox import service

        on = service.installed(self.home)
        self.state.setText(
            tr("Installed: queued bulletins are sent whenever you are logged in, also with the "
               "window closed.")
            if on
            else tr("Not installed: queued bulletins are sent only while the window is open.")
        )  # fmt: skip
        self.install_button.setEnabled(not on)
        self.remove_button.setEnabled(on)

    def install(self) -> None:
        from studio.outbox import service

        try:
            _plan, problems = service.install(self.home)
        except StudioError as exc:
            self.state.setText(exc.message())
            return
        self.refresh()
        if problems:
            self.state.setText(
                self.state.text()
                + "\n"
                + tr("It starts at the next logon ({problem}).").format(problem=problems[0])
            )

    def remove(self) -> None:
        from studio.outbox import service

        try:
            service.uninstall(self.home)
        except StudioError as exc:
            self.state.setText(exc.message())
            return
        self.refresh()

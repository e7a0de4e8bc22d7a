"""The one job helper: long work (import, export) off the GUI thread with progress and cancel.

`JobRunner.run(title, work, on_done)` calls `work(progress)` on a QThreadPool thread. The work
reports progress with `progress(fraction)`; when the user presses Cancel, the next call raises
`audio.errors.Cancelled`, which the work lets propagate. Results and errors come back on the
GUI thread through queued signals. Tests construct the runner with `synchronous=True`, which
runs the work at once in the caller's thread with the same callbacks.

Threads: the worker only emits signals. They are received by a `_Relay` QObject that lives on
the GUI thread, so every callback (`on_progress`, `on_done`, …) and every call on the progress
dialog runs there. A modal QProgressDialog's `setValue()` runs the event loop inside itself;
the relay ignores progress that arrives after the job ended and defers the end of a job that
arrives during `setValue()`, so the dialog is never used after it is deleted (the window used
to crash right after an export-then-push).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from audio.errors import Cancelled

Progress = Callable[[float], None]


class _Signals(QObject):
    progress = Signal(float)
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Job:
    """A running job: `cancel()` asks it to stop at its next progress report."""

    def __init__(self, title: str):
        self.title = title
        self._cancel = threading.Event()
        self.finished = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.was_cancelled = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()


class _Runnable(QRunnable):
    def __init__(self, job: Job, work: Callable[[Progress], Any], signals: _Signals):
        super().__init__()
        self.job, self.work, self.signals = job, work, signals
        self._last = -1

    def progress(self, fraction: float) -> None:
        """Called on the worker thread; throttled to whole permille steps."""
        if self.job.cancel_requested:
            raise Cancelled()
        step = int(fraction * 1000)
        if step != self._last:
            self._last = step
            self.signals.progress.emit(fraction)

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except Cancelled:
            self.job.was_cancelled = True
            self.signals.cancelled.emit()
        except BaseException as exc:  # reported to the user on the GUI thread
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.job.error = exc
            self.signals.failed.emit(exc)
        else:
            self.job.result = result
            self.signals.done.emit(result)
        finally:
            self.job.finished.set()


class _Relay(QObject):
    """The GUI-thread end of one job: its slots run on the thread that owns it (the GUI)."""

    def __init__(self, runner: JobRunner, job: Job, dialog: QProgressDialog | None, callbacks):
        super().__init__(runner)
        self.runner, self.job, self.dialog = runner, job, dialog
        self.on_done, self.on_error, self.on_cancel, self.on_progress = callbacks
        self.ended = False
        self._in_progress = False
        self._deferred: Callable[[], None] | None = None
        self.signals: _Signals | None = None

    @Slot(float)
    def progress(self, fraction: float) -> None:
        if self.ended or self._in_progress:
            return  # late, or re-entered from the dialog's own event loop: the next one shows
        self._in_progress = True
        try:
            if self.dialog is not None:
                self.dialog.setValue(int(fraction * 1000))
            if self.on_progress is not None and not self.ended:
                self.on_progress(fraction)
        finally:
            self._in_progress = False
        if self._deferred is not None:
            end, self._deferred = self._deferred, None
            end()

    @Slot(object)
    def done(self, result: Any) -> None:
        self._end(self.on_done, result)

    @Slot(object)
    def failed(self, exc: BaseException) -> None:
        self._end(self.on_error, exc)

    @Slot()
    def cancelled(self) -> None:
        self._end(self.on_cancel)

    def _end(self, callback, *args) -> None:
        if self.ended:
            return
        if self._in_progress:
            self._deferred = lambda: self._end(callback, *args)
            return
        self.ended = True
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        if self.job in self.runner.jobs:
            self.runner.jobs.remove(self.job)
        self._release()
        if callback is not None:
            callback(*args)

    def _release(self) -> None:
        # The worker may still be returning from its last emit: free the signals after it.
        if not self.job.finished.is_set():
            QTimer.singleShot(5, self._release)
            return
        if self.signals is not None:
            self.signals.deleteLater()
            self.signals = None
        self.deleteLater()


class JobRunner(QObject):
    """Runs jobs on a thread pool, each with a modal progress dialog that can cancel it."""

    def __init__(
        self,
        parent: QWidget | None = None,
        synchronous: bool = False,
        *,
        pool: QThreadPool | None = None,
        show_dialog: bool | None = None,
    ):
        """`pool` replaces the runner's own one-thread pool; `show_dialog=False` is for
        callers that show progress themselves (an inline bar) through `on_progress`."""
        super().__init__(parent)
        self._parent = parent
        self.synchronous = synchronous
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)  # one long job at a time keeps the disk and CPU sane
        self.pool = pool
        self.jobs: list[Job] = []
        self.show_dialog = (not synchronous) if show_dialog is None else show_dialog

    def run(
        self,
        title: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
    ) -> Job:
        job = Job(title)
        signals = _Signals(self)
        runnable = _Runnable(job, work, signals)
        dialog = None
        if self.show_dialog:
            dialog = QProgressDialog(title, self.tr("Cancel"), 0, 1000, self._parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(job.cancel)
        relay = _Relay(self, job, dialog, (on_done, on_error, on_cancel, on_progress))
        # Bound slots of a GUI-thread QObject: queued when emitted from the worker.
        signals.progress.connect(relay.progress)
        signals.done.connect(relay.done)
        signals.failed.connect(relay.failed)
        signals.cancelled.connect(relay.cancelled)
        relay.signals = signals
        self.jobs.append(job)
        if self.synchronous:
            runnable.setAutoDelete(False)
            runnable.run()  # signals to objects of this thread are delivered at once
        else:
            self.pool.start(runnable)
        return job

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job has finished (used when closing the window and in tests)."""
        return self.pool.waitForDone(msecs)

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel()

"""The background sender: takes due outbox items one at a time and pushes them.

Runs on its own thread (never the GUI thread). On start it also picks up items left `sending`
by a process that died, so a crash or power cut only delays a bulletin. Progress of the item
being sent is kept in `progress` (item id → 0..1) for the window to read on its timer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from export.destinations import TransferError

from .store import LEASE_S, Outbox, worker_id

log = logging.getLogger(__name__)


class OutboxWorker:
    def __init__(
        self,
        outbox: Outbox,
        on_change: Callable[[dict[str, Any]], None] | None = None,
        poll_s: float = 5.0,
    ):
        self.outbox = outbox
        self.on_change = on_change
        self.poll_s = poll_s
        self.owner = worker_id()
        self.progress: dict[int, float] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- one step ---------------------------------------------------------------------------
    def send_next(self) -> dict[str, Any] | None:
        """Claim and send the most urgent due item; its final row, or None when none is due."""
        row = self.outbox.claim(self.owner)
        if row is None:
            return None
        self._changed(row)
        return self._send(row)

    def _send(self, row: dict[str, Any]) -> dict[str, Any]:
        item_id = row["id"]

        def progress(fraction: float) -> None:
            self.progress[item_id] = fraction

        # Keep the claim alive while sending (slow links, read-back) so that no other process
        # takes the item over; a crash stops the heartbeat and the claim runs out.
        done = threading.Event()

        def heartbeat() -> None:
            while not done.wait(LEASE_S / 4):
                try:
                    self.outbox.renew(item_id, self.owner)
                except Exception:  # noqa: BLE001 - the next beat tries again
                    log.exception("renewing the claim on outbox item %s failed", item_id)

        beat = threading.Thread(target=heartbeat, name=f"outbox-lease-{item_id}", daemon=True)
        beat.start()
        try:
            item = self.outbox.item_for_sending(row)
            if not item.path.is_file() or item.path.stat().st_size != item.size:
                raise TransferError(
                    f"The queued copy '{item.path}' is missing or damaged; use Send again from "
                    "the original export.",
                    f"Bản sao trong hàng đợi '{item.path}' bị mất hoặc hỏng; hãy gửi lại từ tệp "
                    "xuất gốc.",
                    retryable=False,
                )
            destination = self.outbox.plugin(row["destination"])
            plan = destination.prepare(item)
            for warning in plan.warnings:
                log.warning("Outbox item %s to %s: %s", item_id, row["destination"], warning)
            receipt = destination.run(plan, progress)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded with its reason
            log.warning("Outbox item %s to %s failed: %s", item_id, row["destination"], exc)
            final = self.outbox.mark_failed(item_id, exc)
        else:
            final = self.outbox.mark_done(item_id, receipt)
            log.info("Outbox item %s sent to %s", item_id, receipt.location)
        finally:
            done.set()
            beat.join()
        self.progress.pop(item_id, None)
        self._changed(final)
        return final

    def drain(self) -> list[dict[str, Any]]:
        """Send every item that is due now (for the CLI and tests); the final rows."""
        done = []
        while not self._stop.is_set() and (row := self.send_next()) is not None:
            done.append(row)
        return done

    def _changed(self, row: dict[str, Any]) -> None:
        if self.on_change:
            try:
                self.on_change(row)
            except Exception:  # noqa: BLE001 - a listener must not stop the sender
                log.exception("outbox listener failed")

    # --- the thread ---------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="outbox-sender", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look for due items now (after a push or a retry)."""
        self._wake.set()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain()
            except Exception:  # noqa: BLE001 - e.g. the database briefly locked; try again
                log.exception("outbox sender step failed")
            self._wake.wait(self.poll_s)
            self._wake.clear()

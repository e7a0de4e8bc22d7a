"""The sender: takes due outbox items one at a time and pushes them.

Exactly one sender works on an outbox at a time (the lease in `lease.py`): the window's thread,
the background service (`studio outbox serve`) or a `studio push --wait`. A worker that does
not get the lease waits and tries again, so the window and the service never race.

While it holds the lease the worker sends each item when its retry time comes, picks up items
left `sending` by a process that died, tests every few seconds whether a destination with
waiting items answers again (and then retries at once), and now and then removes outbox copies
that are no longer needed. `stop()` ends an upload in progress at its next block and hands
the item back as queued, then gives the lease up. Progress of the item being sent is kept in
`progress` (item id → 0..1) for the window to read on its timer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent import futures
from typing import Any

from audio.errors import Cancelled
from export.destinations import TransferError
from export.destinations.base import redact
from studio.applog import both_languages

from .lease import SENDER_LEASE_S
from .store import LEASE_S, Outbox, worker_id

log = logging.getLogger(__name__)

PROBE_S = 3.0  # how often a destination with waiting items is tested while the link is down
PROBE_WAIT_S = 3.0
PRUNE_S = 3600.0  # how often outbox copies that are no longer needed are removed


class SendingStopped(Cancelled):
    """The sender was asked to stop in the middle of an upload."""


class OutboxWorker:
    """Sends from one outbox. `role`: window, service or cli (shown to the other senders)."""

    def __init__(
        self,
        outbox: Outbox,
        on_change: Callable[[dict[str, Any]], None] | None = None,
        poll_s: float = 5.0,
        role: str = "window",
        probe_s: float = PROBE_S,
    ):
        self.outbox = outbox
        self.on_change = on_change
        self.poll_s = poll_s
        self.probe_s = probe_s
        self.role = role
        self.owner = worker_id()
        self.progress: dict[int, float] = {}
        self.holding = False  # this worker is the outbox's sender now
        self._renewed = 0.0
        self._reachable: dict[str, bool] = {}
        self._probed = 0.0
        self._probes = futures.ThreadPoolExecutor(4, thread_name_prefix="outbox-probe")
        self._probing: dict[str, tuple[futures.Future, bool]] = {}  # name → (test, baseline)
        self._pruned: float | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the lease ---------------------------------------------------------------------------
    def acquire(self) -> bool:
        """Become (or stay) the outbox's one sender; False while another sender holds it."""
        now = time.monotonic()
        if self.holding and now - self._renewed < SENDER_LEASE_S / 4:
            return True
        lease = self.outbox.sender_lease(self.role, self.owner)
        was = self.holding
        self.holding = lease.acquire()
        if self.holding:
            self._renewed = now
            if not was:
                log.info("Outbox sender started (%s, %s)", self.role, self.owner)
        elif was:
            log.warning("Outbox sender %s lost its lease to another sender", self.owner)
        return self.holding

    def release(self) -> None:
        """Stop being the sender (another one can take over at once)."""
        if not self.holding:
            return
        self.holding = False
        try:
            self.outbox.sender_lease(self.role, self.owner).release()
            log.info("Outbox sender stopped (%s, %s)", self.role, self.owner)
        except Exception:  # noqa: BLE001 - the lease then runs out by itself
            log.exception("releasing the outbox sender lease failed")

    # --- one step ---------------------------------------------------------------------------
    def send_next(self) -> dict[str, Any] | None:
        """Claim and send the most urgent due item; its final row, or None when none is due
        (or another process is the outbox's sender)."""
        if self._stop.is_set() or not self.acquire():
            return None
        row = self.outbox.claim(self.owner)
        if row is None:
            return None
        self._changed(row)
        return self._send(row)

    def _send(self, row: dict[str, Any]) -> dict[str, Any]:
        item_id = row["id"]

        def progress(fraction: float) -> None:
            self.progress[item_id] = fraction
            if self._stop.is_set() and fraction < 1.0:
                raise SendingStopped()

        # Keep the claim and the sender lease alive while sending (slow links, read-back) so
        # that no other process takes over; a crash stops the heartbeat and both run out.
        done = threading.Event()

        def heartbeat() -> None:
            while not done.wait(min(LEASE_S, SENDER_LEASE_S) / 4):
                try:
                    self.outbox.renew(item_id, self.owner)
                    self.acquire()
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
            log.info("Outbox item %s: try %s to %s", item_id, row["attempts"], plan.target)
            receipt = destination.run(plan, progress)
        except SendingStopped:
            log.info("Outbox item %s: stopped mid-upload, queued again", item_id)
            final = self.outbox.release(item_id, self.owner)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded with its reason
            log.warning(
                "Outbox item %s to %s failed: %s",
                item_id,
                row["destination"],
                redact(both_languages(exc)),
            )
            final = self.outbox.mark_failed(item_id, exc)
            name = row["destination"]
            if final["next_retry_at"] and name not in self._probing:
                # Where the link stands right after the failure, so that only a change (it
                # answers again) brings the retry forward, not a server that answers with 500.
                future = self._probes.submit(self.outbox.reachable, name)
                self._probing[name] = (future, True)
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

    def probe(self, force: bool = False) -> list[str]:
        """Test destinations whose items wait for a retry time; those that answer again (or
        answer when their state was unknown) get their items due now. Their names.

        The tests run side by side and are waited for at most `PROBE_WAIT_S`: a name lookup
        that hangs (no network) must not hold up sending to the other destinations."""
        now = time.monotonic()
        if not force and now - self._probed < self.probe_s:
            return []
        self._probed = now
        waiting = [n for n in self.outbox.waiting_destinations() if n not in self._probing]
        for name in waiting:
            self._probing[name] = (self._probes.submit(self.outbox.reachable, name), False)
        if self._probing:
            futures.wait([f for f, _ in self._probing.values()], timeout=PROBE_WAIT_S)
        back = []
        for name, (future, baseline) in list(self._probing.items()):
            if not future.done():
                continue
            del self._probing[name]
            up = future.exception() is None and future.result()
            if baseline:
                self._reachable[name] = up
                continue
            if up and self._reachable.get(name) is not True and self.outbox.retry_now(name):
                log.info("Destination %s answers again: retrying its items now", name)
                back.append(name)
            self._reachable[name] = up
        return back

    def step(self) -> list[dict[str, Any]]:
        """What the sender does each round while it holds the lease: send what is due, test
        links that were down (sending again what came back), clean up old copies."""
        rows = self.drain()
        if self.holding and not self._stop.is_set() and self.probe():
            rows += self.drain()
        if self.holding and (self._pruned is None or time.monotonic() - self._pruned > PRUNE_S):
            self._pruned = time.monotonic()
            try:
                self.outbox.prune_copies()
            except Exception:  # noqa: BLE001 - cleaning up must never stop the sending
                log.exception("removing old outbox copies failed")
        return rows

    def _changed(self, row: dict[str, Any]) -> None:
        if self.on_change:
            try:
                self.on_change(row)
            except Exception:  # noqa: BLE001 - a listener must not stop the sender
                log.exception("outbox listener failed")

    # --- running until stopped -------------------------------------------------------------------
    def run(self, until_done: bool = False) -> None:
        """Send until `stop()` (or, with `until_done`, until nothing is left to send), then give
        the lease up. Runs in the calling thread (`studio outbox serve`); `start()` runs it on
        its own thread (the window)."""
        waiting_for = None
        try:
            while not self._stop.is_set():
                try:
                    if self.acquire():
                        waiting_for = None
                        self.step()
                        if until_done and self.outbox.pending() == 0:
                            log.info("Outbox: nothing left to send")
                            break
                    else:
                        holder = self.outbox.sender()
                        if holder is not None and holder.owner != waiting_for:
                            waiting_for = holder.owner
                            log.info(
                                "Outbox: %s (%s) is sending; waiting until it stops",
                                holder.owner,
                                holder.role,
                            )
                except Exception:  # noqa: BLE001 - e.g. the database briefly locked; try again
                    log.exception("outbox sender step failed")
                self._wake.wait(min(self.poll_s, self.probe_s))
                self._wake.clear()
        finally:
            self.release()

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="outbox-sender", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look for due items now (after a push or a retry)."""
        self._wake.set()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop sending (an upload in progress ends at its next block and is queued again) and
        give the lease up. Safe from a signal handler when `timeout` is 0."""
        self._stop.set()
        self._wake.set()
        if self._thread and timeout != 0:
            self._thread.join(timeout)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

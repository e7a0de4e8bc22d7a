"""`emit()`: emit a Qt signal from Python without PySide6 6.12's reference-count bug.

PySide6 6.12.0 returns `True` from `SignalInstance.emit()` without taking a reference, so every
Python-side emit drops one reference to `True`; after a few hundred emits (the playhead alone
emits 30 a second) CPython aborts with "bool_dealloc: deallocating True or False". At import we
measure how many references one emit loses (0 on a fixed PySide6) and give them back after
each emit. All Python-side emits in `ui/` go through here.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _measure(rounds: int = 16) -> int:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(rounds):
        probe.ping.emit()
    lost_total = before - sys.getrefcount(True)
    for _ in range(max(lost_total, 0)):
        _incref(True)  # repay what the measurement itself lost
    probe.deleteLater()
    return max(lost_total, 0) // rounds


LOST_PER_EMIT = _measure()


def emit(signal, *args) -> None:
    """`signal.emit(*args)`, repaying the reference the buggy binding drops."""
    signal.emit(*args)
    for _ in range(LOST_PER_EMIT):
        _incref(True)

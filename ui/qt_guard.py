"""A guard against PySide6 6.12's reference counting of None, True and False on Python 3.11.

PySide6/shiboken6 6.12.0 (abi3 wheel) returns `None` from void methods and `True` from
`SignalInstance.emit()` without taking a reference, as if they were immortal objects (they
are only from Python 3.12 on). On 3.11 every such call drops one reference, and after a few
thousand painter calls CPython aborts with "none_dealloc: deallocating None". These
singletons are never freed anyway, so on Python < 3.12 we give them a reference count so
large that it cannot run out — what 3.12 does by design. Imported by `ui/__init__.py`, so it
is in place before any widget exists.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 48
_done = False


def protect_singletons() -> None:
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for obj in (None, True, False, Ellipsis, NotImplemented):
        # ob_refcnt is the first field (Py_ssize_t) of every CPython object
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    _done = True

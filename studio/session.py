"""An editing session: the programme being edited, where it lives, its history, autosave.

The window holds one Session. Every edit goes through `apply()` (or a preview during a drag),
so the history and the dirty flag cannot drift from what is shown. Autosave writes the present
value to a recovery file in `StudioHome.recovery` (never over the document itself); a clean
close removes it, so a recovery file found at start-up means the last session ended badly.
A document that failed to load is never the session's path, so it is never overwritten.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from audio.errors import StudioError
from audio.fileio import write_text_atomically
from studio.history import Description, History
from studio.paths import StudioHome
from studio.programme import SUFFIX, Programme, load_programme, save_programme

RECOVERY_SUFFIX = ".recovery" + SUFFIX


@dataclass(frozen=True, slots=True)
class RecoveryFile:
    """An autosave left behind by a session that did not close cleanly."""

    path: Path  # the recovery programme file
    document: str  # the document it was editing ("" for an unsaved programme)
    title: str
    saved_at: float  # Unix time of the autosave

    def load(self) -> Programme:
        return load_programme(self.path)

    def set_aside(self) -> None:
        """Keep a damaged recovery file for inspection, but stop offering it."""
        self.path.replace(self.path.with_name(self.path.name + ".damaged"))
        _meta_path(self.path).unlink(missing_ok=True)

    def discard(self) -> None:
        for p in (self.path, _meta_path(self.path)):
            p.unlink(missing_ok=True)


def _meta_path(recovery: Path) -> Path:
    return recovery.with_name(recovery.name[: -len(RECOVERY_SUFFIX)] + ".json")


def find_recovery(home: StudioHome) -> list[RecoveryFile]:
    """Recovery files in the studio home, newest first; damaged side files are skipped."""
    found = []
    folder = home.recovery
    if not folder.is_dir():
        return []
    for p in folder.glob("*" + RECOVERY_SUFFIX):
        try:
            meta = json.loads(_meta_path(p).read_text("utf-8"))
            found.append(
                RecoveryFile(
                    p,
                    str(meta.get("document", "")),
                    str(meta.get("title", "")),
                    float(meta.get("saved_at", 0.0)),
                )
            )
        except (OSError, ValueError):
            found.append(RecoveryFile(p, "", p.stem, p.stat().st_mtime))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


class Session:
    def __init__(
        self, home: StudioHome, programme: Programme, path: str | os.PathLike | None = None
    ):
        self.home = home
        self.path: Path | None = Path(path) if path else None
        self.history = History(programme)
        self._recovery = home.recovery / f"session-{uuid.uuid4().hex[:12]}{RECOVERY_SUFFIX}"
        self._autosaved_index: object = None
        self.balance: Callable[[Programme], Programme] | None = None

    def set_balance(self, balance: Callable[[Programme], Programme] | None) -> None:
        """Run `balance` (studio.balance.Balancer) on every edit, as part of its undo step, and
        now on the present value (a programme just opened is balanced without a new step)."""
        self.balance = balance
        if balance is not None:
            present = self.history.present
            balanced = balance(present)
            if balanced != present:
                self.history.amend(balanced)

    @classmethod
    def open(cls, home: StudioHome, path: str | os.PathLike) -> Session:
        """Load `path`; raises ProgrammeError (bilingual) for a missing, corrupt or future file."""
        return cls(home, load_programme(path), path)

    @property
    def programme(self) -> Programme:
        return self.history.present

    @property
    def dirty(self) -> bool:
        return self.history.dirty

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else ""

    def apply(self, programme: Programme, description: Description) -> bool:
        """Record an edit, balanced with it, as one undo step."""
        if self.balance is not None:
            programme = self.balance(programme)
        return self.history.push(programme, description)

    def commit_preview(self, description: Description) -> bool:
        """End a drag: the value shown, balanced, becomes one undo step."""
        value = self.history.previewed
        if value is not None and self.balance is not None:
            value = self.balance(value)
        return self.history.commit_preview(description, value)

    def save(self, path: str | os.PathLike | None = None) -> Path:
        target = Path(path) if path else self.path
        if target is None:
            raise StudioError(
                "Choose where to save the programme.", "Hãy chọn nơi lưu chương trình."
            )
        if target.suffix != SUFFIX:
            target = target.with_name(target.name + SUFFIX)
        save_programme(self.history.committed, target)
        self.path = target
        self.history.mark_saved()
        return target

    @property
    def recovery_path(self) -> Path:
        return self._recovery

    def autosave(self, force: bool = False) -> bool:
        """Write the present value to this session's recovery file if it changed since the
        last autosave; True when written."""
        present = self.history.committed
        if not force and (not self.dirty or present is self._autosaved_index):
            return False
        self.home.recovery.mkdir(parents=True, exist_ok=True)
        save_programme(present, self._recovery)
        meta = {
            "document": os.fspath(self.path) if self.path else "",
            "title": present.title,
            "saved_at": time.time(),
        }
        write_text_atomically(_meta_path(self._recovery), json.dumps(meta, ensure_ascii=False))
        self._autosaved_index = present
        return True

    def close(self) -> None:
        """A clean end of the session: its recovery file is no longer needed."""
        RecoveryFile(self._recovery, "", "", 0.0).discard()

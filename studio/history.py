"""Undo/redo: a list of immutable Programme snapshots, each with a description.

Programmes are frozen values that share their unchanged parts, so a snapshot costs a few
references, not a copy of the audio. Every entry says what was done in the past tense, in
Vietnamese and English ("Đã tách đoạn" / "Split clip"), and has a short menu name ("Tách" /
"Split") for "Undo Split". A drag is one step: the view shows previews with `preview()` and
records the end result once with `commit_preview()`; a compound edit made of several pure edits
is one step because only its final value is pushed (or use `group()`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from audio.errors import current_language
from studio.programme import Programme


@dataclass(frozen=True, slots=True)
class Description:
    """What an edit did: a past-tense sentence and a short menu name, in both languages."""

    en: str
    vi: str
    menu_en: str
    menu_vi: str

    def text(self, lang: str | None = None) -> str:
        return self.vi if (lang or current_language()) == "vi" else self.en

    def menu(self, lang: str | None = None) -> str:
        return self.menu_vi if (lang or current_language()) == "vi" else self.menu_en


def _d(en: str, vi: str, menu_en: str, menu_vi: str) -> Description:
    return Description(en, vi, menu_en, menu_vi)


# The edits the app knows, named once so the window, scripts and tests say the same thing.
MOVE_CLIP = _d("Moved clip", "Đã di chuyển đoạn", "Move", "Di chuyển")
MOVE_CLIPS = _d("Moved clips", "Đã di chuyển các đoạn", "Move", "Di chuyển")
TRIM_START = _d("Trimmed clip start", "Đã cắt đầu đoạn", "Trim", "Cắt đầu")
TRIM_END = _d("Trimmed clip end", "Đã cắt cuối đoạn", "Trim", "Cắt cuối")
SPLIT = _d("Split clip", "Đã tách đoạn", "Split", "Tách")
DELETE = _d("Deleted clip", "Đã xoá đoạn", "Delete", "Xoá")
RIPPLE_DELETE = _d(
    "Deleted range and closed the gap",
    "Đã xoá vùng và dồn khoảng trống",
    "Ripple delete",
    "Xoá dồn",
)
DUPLICATE = _d("Duplicated clip", "Đã nhân bản đoạn", "Duplicate", "Nhân bản")
PASTE = _d("Pasted clips", "Đã dán đoạn", "Paste", "Dán")
CUT = _d("Cut clips", "Đã cắt đoạn vào bộ nhớ tạm", "Cut", "Cắt")
FADE_IN = _d("Changed fade-in", "Đã chỉnh đoạn lớn dần", "Fade in", "Lớn dần")
FADE_OUT = _d("Changed fade-out", "Đã chỉnh đoạn nhỏ dần", "Fade out", "Nhỏ dần")
CROSSFADE = _d("Crossfaded clips", "Đã chuyển tiếp chéo hai đoạn", "Crossfade", "Chuyển tiếp chéo")
CLIP_GAIN = _d("Changed clip gain", "Đã đổi mức âm lượng đoạn", "Clip gain", "Âm lượng đoạn")
BALANCE = _d("Balanced the programme", "Đã cân bằng lại chương trình", "Balance", "Cân bằng")
AUTO_LEVEL = _d(
    "Switched auto-level", "Đã bật/tắt tự cân bằng mức", "Auto-level", "Tự cân bằng mức"
)
DUCK_POINT = _d("Moved a ducking point", "Đã kéo điểm tự hạ nhạc nền", "Duck point", "Điểm tự hạ")
TRACK_DUCKING = _d(
    "Changed track ducking", "Đã đổi cách tự hạ của rãnh", "Ducking", "Tự hạ nhạc nền"
)
TRACK_GAIN = _d("Changed track gain", "Đã đổi âm lượng rãnh", "Track gain", "Âm lượng rãnh")
TRACK_PAN = _d("Changed track pan", "Đã đổi vị trí trái–phải", "Pan", "Trái–phải")
TRACK_MUTE = _d("Muted or unmuted track", "Đã bật/tắt câm rãnh", "Mute", "Câm")
TRACK_SOLO = _d("Soloed or unsoloed track", "Đã bật/tắt nghe riêng rãnh", "Solo", "Nghe riêng")
TRACK_ROLE = _d("Changed track role", "Đã đổi vai trò rãnh", "Track role", "Vai trò rãnh")
USE_TAKE = _d("Chose another take", "Đã dùng bản thu khác", "Use take", "Dùng bản thu")
TRACK_ARM = _d("Armed or disarmed track", "Đã bật/tắt sẵn sàng thu", "Arm", "Sẵn sàng thu")
TRACK_RENAME = _d("Renamed track", "Đã đổi tên rãnh", "Rename track", "Đổi tên rãnh")
ADD_TRACK = _d("Added track", "Đã thêm rãnh", "Add track", "Thêm rãnh")
REMOVE_TRACK = _d("Removed track", "Đã xoá rãnh", "Remove track", "Xoá rãnh")
MASTER_GAIN = _d("Changed master gain", "Đã đổi âm lượng tổng", "Master gain", "Âm lượng tổng")
ADD_MARKER = _d("Added marker", "Đã thêm mốc", "Add marker", "Thêm mốc")
MOVE_MARKER = _d("Moved marker", "Đã di chuyển mốc", "Move marker", "Di chuyển mốc")
RENAME_MARKER = _d("Renamed marker", "Đã đổi tên mốc", "Rename marker", "Đổi tên mốc")
REMOVE_MARKER = _d("Removed marker", "Đã xoá mốc", "Remove marker", "Xoá mốc")
IMPORT_AUDIO = _d("Imported audio", "Đã nhập âm thanh", "Import", "Nhập âm thanh")
RELINK = _d("Relinked missing media", "Đã liên kết lại âm thanh bị thiếu", "Relink", "Liên kết lại")


@dataclass(frozen=True, slots=True)
class Step:
    programme: Programme
    description: Description | None  # None only for the first entry (the opened document)


class History:
    """Snapshots of a programme with a cursor. Not thread-safe: the GUI thread owns it."""

    def __init__(self, initial: Programme, limit: int = 1000):
        if limit < 2:
            raise ValueError("limit must be at least 2")
        self._steps: list[Step] = [Step(initial, None)]
        self._index = 0
        self._saved_index: int | None = 0
        self._limit = limit
        self._preview: Programme | None = None
        self._group: list[Description] | None = None
        self._group_start: int = 0

    # --- reading ---------------------------------------------------------------------------

    @property
    def present(self) -> Programme:
        """What the user sees: the preview during a drag, else the current snapshot."""
        return self._preview if self._preview is not None else self._steps[self._index].programme

    @property
    def committed(self) -> Programme:
        return self._steps[self._index].programme

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._steps) - 1

    @property
    def undo_description(self) -> Description | None:
        return self._steps[self._index].description if self.can_undo else None

    @property
    def redo_description(self) -> Description | None:
        return self._steps[self._index + 1].description if self.can_redo else None

    @property
    def dirty(self) -> bool:
        """True when the present differs from what was last saved (or loaded)."""
        return self._saved_index != self._index or self._preview is not None

    def descriptions(self) -> list[Description]:
        """Descriptions of the steps that can be undone, oldest first."""
        return [s.description for s in self._steps[1 : self._index + 1] if s.description]

    def __len__(self) -> int:
        return len(self._steps)

    # --- changing --------------------------------------------------------------------------

    def push(self, programme: Programme, description: Description) -> bool:
        """Record `programme` as the next step; redo steps are dropped. False if unchanged."""
        self._preview = None
        if programme == self.committed:
            return False
        if self._group is not None:
            self._group.append(description)
        del self._steps[self._index + 1 :]
        if self._saved_index is not None and self._saved_index > self._index:
            self._saved_index = None  # the saved state can no longer be reached
        self._steps.append(Step(programme, description))
        self._index += 1
        overflow = len(self._steps) - self._limit
        if overflow > 0 and self._group is None:
            del self._steps[:overflow]
            self._index -= overflow
            if self._saved_index is not None:
                self._saved_index -= overflow
                if self._saved_index < 0:
                    self._saved_index = None
        return True

    def preview(self, programme: Programme) -> None:
        """Show a value without recording it (during a drag)."""
        self._preview = programme

    @property
    def previewed(self) -> Programme | None:
        """The value shown during a drag, or None."""
        return self._preview

    def commit_preview(self, description: Description, value: Programme | None = None) -> bool:
        """End a drag: record the previewed value (or `value`, what became of it) as one step
        (nothing if it did not change)."""
        if self._preview is None:
            return False
        value = self._preview if value is None else value
        self._preview = None
        return self.push(value, description)

    def amend(self, programme: Programme) -> None:
        """Replace the present step's value without a new step (a value worked out from it,
        such as the balance of a programme just opened); redo steps are kept."""
        step = self._steps[self._index]
        self._steps[self._index] = Step(programme, step.description)

    def cancel_preview(self) -> None:
        self._preview = None

    @contextmanager
    def group(self, description: Description) -> Iterator[None]:
        """Collapse every push inside the block into one step described by `description`.

        An exception inside the block rolls the history back to where it was.
        """
        if self._group is not None:
            yield  # nested groups merge into the outer one
            return
        self._group = []
        self._group_start = self._index
        try:
            yield
        except BaseException:
            del self._steps[self._group_start + 1 :]
            self._index = self._group_start
            self._group = None
            raise
        pushed = self._group
        self._group = None
        if not pushed:
            return
        final = self._steps[self._index].programme
        del self._steps[self._group_start + 1 :]
        self._index = self._group_start
        if self._saved_index is not None and self._saved_index > self._index:
            self._saved_index = None
        self.push(final, description)

    def undo(self) -> Programme | None:
        self._preview = None
        if not self.can_undo:
            return None
        self._index -= 1
        return self.present

    def redo(self) -> Programme | None:
        self._preview = None
        if not self.can_redo:
            return None
        self._index += 1
        return self.present

    def mark_saved(self) -> None:
        self._saved_index = self._index

    def mark_unsaved(self) -> None:
        """The present is not what is on disk (e.g. restored from a recovery file)."""
        self._saved_index = None

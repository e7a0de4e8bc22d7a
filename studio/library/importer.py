"""Turning audio files into library segments: which files, their tags, title and loudness.

Pure helpers the `Library` service calls: expand files and folders into a list of audio files
(an unreadable folder becomes a failure with its reason, the rest go on), read ID3 / Vorbis /
MP4 tags with mutagen, derive a title from the file name, and measure the stored frames with
the one loudness meter.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from audio.errors import Cancelled
from audio.loudness import LoudnessMeter

AUDIO_SUFFIXES = {
    ".wav",
    ".flac",
    ".ogg",
    ".oga",
    ".opus",
    ".mp3",
    ".aif",
    ".aiff",
    ".m4a",
    ".aac",
    ".wma",
}
_ANALYSIS_BLOCK = 1 << 16


@dataclass(frozen=True, slots=True)
class ImportItem:
    """The outcome for one file: added, duplicate (already in the library) or failed."""

    path: str
    status: str  # "added" | "duplicate" | "failed"
    segment_id: int | None = None
    reason_en: str = ""
    reason_vi: str = ""

    def reason(self, lang: str | None = None) -> str:
        from audio.errors import current_language

        return self.reason_vi if (lang or current_language()) == "vi" else self.reason_en


@dataclass
class ImportReport:
    items: list[ImportItem] = field(default_factory=list)
    cancelled: bool = False

    def by_status(self, status: str) -> list[ImportItem]:
        return [i for i in self.items if i.status == status]

    @property
    def added(self) -> list[ImportItem]:
        return self.by_status("added")

    @property
    def failed(self) -> list[ImportItem]:
        return self.by_status("failed")

    @property
    def duplicates(self) -> list[ImportItem]:
        return self.by_status("duplicate")


def collect_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[ImportItem]]:
    """Expand files and folders (recursively, audio suffixes only, sorted) into files.

    A path named directly is tried whatever its suffix. A folder that cannot be listed, or a
    path that does not exist, becomes a failed item with the reason.
    """
    files: list[Path] = []
    failures: list[ImportItem] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    def walk(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            failures.append(_folder_failure(folder, exc))
            return
        for entry in entries:
            p = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                walk(p)
            elif p.suffix.lower() in AUDIO_SUFFIXES:
                add(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            walk(p)
        elif p.exists():
            add(p)
        else:
            failures.append(
                ImportItem(
                    str(p),
                    "failed",
                    reason_en=f"'{p.name}' does not exist.",
                    reason_vi=f"Không có tệp '{p.name}'.",
                )
            )
    return files, failures


def _folder_failure(folder: Path, exc: OSError) -> ImportItem:
    why = exc.strerror or str(exc)
    return ImportItem(
        str(folder),
        "failed",
        reason_en=f"Cannot open the folder '{folder.name}': {why}.",
        reason_vi=f"Không mở được thư mục '{folder.name}': {why}.",
    )


# Words (folded: no diacritics, lower case) that name a kind in file and folder names or a
# genre tag, as stations name them. The file's own name counts before its folders.
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("music_bed", ("nhac nen", "bed", "background", "beat", "instrumental", "karaoke")),
    ("jingle", ("nhac hieu", "jingle", "sting", "nhac cat", "intro", "outro", "hieu lenh")),
    ("advert", ("quang cao", "advert", "ads", "qc")),
    ("interview", ("phong van", "interview", "toa dam")),
    ("announcement", ("thong bao", "announcement", "tb", "loi keu goi")),
    ("news_item", ("ban tin", "tin tuc", "thoi su", "news", "tin bai", "phong su")),
)
JINGLE_MAX_S = 15.0  # a short file with no better clue is a jingle or sting


def guess_kind(path: str | os.PathLike, duration_s: float, genre: str = "") -> tuple[str, str]:
    """The kind of segment a file most likely is, and why (the word or rule that decided):
    its name, then its folders from the nearest up, then its genre tag, then its length."""
    from studio.library.search import fold

    parts = [Path(path).stem, *[p.name for p in Path(path).parents][:4], genre]
    for part in parts:
        words = " " + re.sub(r"[^a-z0-9]+", " ", fold(part)) + " "
        for kind, names in KIND_WORDS:
            for name in names:
                if f" {name} " in words:
                    return kind, name
    if 0 < duration_s <= JINGLE_MAX_S:
        return "jingle", f"≤ {JINGLE_MAX_S:g} s"
    return "recording", ""


def title_from_filename(path: str | os.PathLike) -> str:
    """A readable title from a file name: "ban-tin_sang 01.mp3" → "ban tin sang 01"."""
    stem = os.fsencode(Path(path).stem).decode("utf-8", "replace")
    stem = unicodedata.normalize("NFC", stem)
    stem = re.sub(r"[_]+|(?<=\S)-(?=\S)", " ", stem)
    return re.sub(r"\s+", " ", stem).strip() or Path(path).name


@dataclass(frozen=True, slots=True)
class FileTags:
    title: str = ""
    author: str = ""
    notes: str = ""
    genre: str = ""
    recorded_on: dt.date | None = None


def read_tags(path: str | os.PathLike) -> FileTags:
    """ID3 / Vorbis / MP4 tags through mutagen's 'easy' interface; empty when there are none.

    Never raises for a damaged or tag-less file: tags are a convenience, the audio decides.
    """
    try:
        import mutagen

        f = mutagen.File(os.fspath(path), easy=True)
    except Exception:  # noqa: BLE001 - any tag parser failure means "no tags"
        return FileTags()
    if f is None or f.tags is None:
        return FileTags()

    def first(*keys: str) -> str:
        for key in keys:
            try:
                values = f.tags.get(key)
            except (KeyError, ValueError):
                values = None
            if values:
                return unicodedata.normalize("NFC", str(values[0])).strip()
        return ""

    return FileTags(
        title=first("title"),
        author=first("artist", "albumartist", "author", "composer"),
        notes=first("comment", "description", "album"),
        genre=first("genre"),
        recorded_on=_parse_date(first("date", "originaldate")),
    )


def _parse_date(value: str) -> dt.date | None:
    m = re.match(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Analysis:
    integrated_lufs: float | None
    true_peak_dbtp: float | None


def analyse_frames(
    frames: np.ndarray, rate: int, progress: Callable[[float], None] | None = None
) -> Analysis:
    """Integrated loudness and true peak of stored frames (frames, channels), block by block.

    Silence gives None for both. Raises Cancelled when `progress` does.
    """
    meter = LoudnessMeter(rate, frames.shape[1])
    total = max(len(frames), 1)
    for start in range(0, len(frames), _ANALYSIS_BLOCK):
        meter.feed(np.asarray(frames[start : start + _ANALYSIS_BLOCK]))
        if progress is not None:
            progress(min((start + _ANALYSIS_BLOCK) / total, 1.0))
    report = meter.report()
    return Analysis(_finite(report.integrated_lufs), _finite(report.true_peak_dbtp))


def _finite(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return float(value)


__all__ = [
    "AUDIO_SUFFIXES",
    "Analysis",
    "Cancelled",
    "FileTags",
    "ImportItem",
    "ImportReport",
    "analyse_frames",
    "collect_files",
    "read_tags",
    "title_from_filename",
]

"""The segment library: jingles, beds, news items and recordings, found in a keystroke."""

from studio.library.importer import ImportItem, ImportReport
from studio.library.models import DEFAULT_CATEGORIES, KIND_NAMES_VI, SegmentKind, UsageAction
from studio.library.search import SearchQuery, fold
from studio.library.service import (
    LIBRARY_RATE,
    Library,
    LibraryError,
    SegmentInUse,
    SegmentNotFound,
    SegmentView,
    UsageView,
    open_database,
)

__all__ = [
    "DEFAULT_CATEGORIES",
    "KIND_NAMES_VI",
    "LIBRARY_RATE",
    "ImportItem",
    "ImportReport",
    "Library",
    "LibraryError",
    "SearchQuery",
    "SegmentInUse",
    "SegmentKind",
    "SegmentNotFound",
    "SegmentView",
    "UsageAction",
    "UsageView",
    "fold",
    "open_database",
]

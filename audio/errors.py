"""Errors that reach the user, each with an English and a Vietnamese sentence.

Every layer raises these for bad input, so the CLI and the window can show one clear line in
the user's language instead of a traceback.
"""

from __future__ import annotations

import os


class StudioError(Exception):
    """A problem the user can understand and act on."""

    def __init__(self, en: str, vi: str):
        super().__init__(en)
        self.en = en
        self.vi = vi

    def message(self, lang: str | None = None) -> str:
        return self.vi if (lang or current_language()) == "vi" else self.en


class MediaError(StudioError):
    """An audio file that cannot be read, decoded or stored."""


class Cancelled(Exception):  # noqa: N818 - a cancelled job is not an error
    """Raised inside a long job when the user asked to stop it."""


_language: str | None = None


def set_language(lang: str | None) -> None:
    """Choose 'vi' or 'en' for this process (from settings); None follows STUDIO_LANG."""
    global _language
    _language = lang


def current_language() -> str:
    """'vi' or 'en': the chosen setting, then STUDIO_LANG; Vietnamese is the default."""
    if _language in ("vi", "en"):
        return _language
    lang = os.environ.get("STUDIO_LANG", "").lower()
    return "en" if lang.startswith("en") else "vi"


def localized(en: str, vi: str) -> str:
    """The sentence in the current language (for messages that are not errors)."""
    return vi if current_language() == "vi" else en

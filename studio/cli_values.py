"""Argument types of the CLI: a number is refused where it enters, with the reason.

argparse turns the `ArgumentTypeError` into one line ("argument --at: …") and exit code 2.
Ranges come from the one place each is defined (gains: `audio.timeline.check_gain_db`).
"""

from __future__ import annotations

import argparse
import math

from audio.errors import StudioError
from audio.errors import localized as _t
from audio.timeline import check_gain_db

MAX_SECONDS = 24 * 3600.0  # a position or length past a day is a typo, and would run for hours


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _t(f"'{text}' is not a number", f"'{text}' không phải là số")
        ) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(
            _t(f"'{text}' is not a finite number", f"'{text}' không phải là số hữu hạn")
        )
    return value


def seconds(text: str) -> float:
    """A time position in seconds: 0 … 24 h."""
    value = _number(text)
    if not 0 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(
            _t(
                f"{text} s is outside 0 … {MAX_SECONDS:g} s (24 hours)",
                f"{text} giây nằm ngoài 0 … {MAX_SECONDS:g} giây (24 giờ)",
            )
        )
    return value


def duration(text: str) -> float:
    """A length in seconds: more than 0, at most 24 h."""
    value = seconds(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(
            _t(f"{text} s is not a positive length", f"{text} giây không phải độ dài dương")
        )
    return value


def gain_db(text: str) -> float:
    try:
        return check_gain_db(_number(text))
    except StudioError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None


def finite(text: str) -> float:
    """Any finite number (its range is checked by the code that knows it)."""
    return _number(text)

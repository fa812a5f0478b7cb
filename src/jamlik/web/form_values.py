"""Numbers and days typed into forms and query strings, read with bounds.

Python's own readers are too generous for text from a browser: `int("²")` raises although
`"²".isdigit()` is true, `int()` of 5,000 digits raises past the int-from-text limit, 2**63
overflows SQLite's integer, `float("1e999")` is infinity and `float("nan")` is a number that
equals nothing. Each reader here answers None for text that is not a plain value in its range,
so the form that asked can name the field.
"""

from __future__ import annotations

import math
import re
from datetime import date

MAX_DIGITS = 15
"""Longest whole number read (below 2**63 with room to add and multiply)."""

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
"""The days a filter may name: wide for jamlik's data, well inside what date arithmetic
(a day added, a time zone applied) can reach."""

_BLANKS = re.compile(r"[\s\u00a0\u202f]")


def whole(text: str, low: int, high: int) -> int | None:
    """`text` as a whole number from `low` to `high` (spaces grouping thousands allowed), or
    None. Only ASCII digits count, with a minus sign when `low` is negative."""
    digits = _BLANKS.sub("", text).replace("−", "-")
    sign = -1 if digits.startswith("-") and low < 0 else 1
    digits = digits.removeprefix("-") if sign < 0 else digits
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
        return None
    value = sign * int(digits)
    return value if low <= value <= high else None


def is_whole(text: str) -> bool:
    """Whether `text` is written as a whole number at all (of at most MAX_DIGITS digits), so a
    message can tell "not a number" from "outside the range"."""
    largest = 10**MAX_DIGITS - 1
    return whole(text, -largest, largest) is not None


def decimal(text: str, limit: float = 1e15) -> float | None:
    """`text` as a finite number no larger than `limit` either way (Swedish decimal comma and
    spaces grouping thousands allowed), or None."""
    written = _BLANKS.sub("", text).replace(",", ".").replace("−", "-")
    if not written.isascii() or len(written) > 40:
        return None
    try:
        value = float(written)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= limit else None


def day(text: str) -> date | None:
    """`text` as an ISO day (YYYY-MM-DD) from FIRST_DAY to LAST_DAY, or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # fromisoformat alone takes 20240101
        return None
    try:
        found = date.fromisoformat(text)
    except ValueError:  # 2024-02-30
        return None
    return found if FIRST_DAY <= found <= LAST_DAY else None


def shown(text: str, limit: int = 40) -> str:
    """What a message quotes of a value someone typed: at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"

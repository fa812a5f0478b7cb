"""Periods: the text forms observations carry, their one stored spelling, and numeric time.

Accepted forms (stored spelling on the right):

- a year: ``2024`` (also ``2024.0`` as spreadsheets write it) → ``2024``
- a school or split year: ``2023/24``, ``2023/2024`` → ``2023/24``
- a range of years: ``2021-2023``, ``2021–2023`` → ``2021-2023``
- a quarter: ``2024Q1``, ``2024K1`` (Swedish *kvartal*) → ``2024Q1``
- a month: ``2024-03``, ``2024M03`` → ``2024-03``

Numeric time (`period_midpoint`) is the middle of the interval the period covers, with year Y
covering [Y, Y+1): ``2024`` → 2024.5, ``2021-2023`` → 2022.5, ``2023/24`` (autumn to spring)
→ 2024.0, ``2024Q1`` → 2024.125, ``2024-03`` → 2024.2083. Midpoints keep periods of different
lengths comparable on one time axis; trends (slopes) do not depend on the choice.
"""

from __future__ import annotations

import re
from functools import lru_cache

_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_SPLIT = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
_RANGE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*[-]?\s*[QqKk]([1-4])$")
_MONTH = re.compile(r"^(\d{4})(?:-|M|m)(\d{2})$")


@lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[str, float, float] | None:
    """(stored spelling, start, end) in decimal years, or None when not a period."""
    s = text.strip()
    if m := _YEAR.match(s):
        y = int(m[1])
        return f"{y}", y, y + 1
    if m := _SPLIT.match(s):
        y = int(m[1])
        nxt = int(m[2]) if len(m[2]) == 4 else (y // 100) * 100 + int(m[2])
        if nxt != y + 1:
            return None
        # A school year runs from autumn to spring: centred on the turn of the year.
        return f"{y}/{nxt % 100:02d}", y + 0.5, y + 1.5
    if m := _RANGE.match(s):
        a, b = int(m[1]), int(m[2])
        if b <= a:
            return None
        return f"{a}-{b}", a, b + 1
    if m := _QUARTER.match(s):
        y, q = int(m[1]), int(m[2])
        return f"{y}Q{q}", y + (q - 1) / 4, y + q / 4
    if m := _MONTH.match(s):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            return None
        return f"{y}-{mo:02d}", y + (mo - 1) / 12, y + mo / 12
    return None


def normalize_period(text: str) -> str | None:
    """The stored spelling of a period, or None when `text` is not a period jamlik reads."""
    parsed = _parse(str(text))
    return parsed[0] if parsed else None


def period_midpoint(period: str) -> float:
    """Numeric time of a period: the middle of the interval it covers (see module docstring).

    Raises ValueError for text that is not a period.
    """
    parsed = _parse(str(period))
    if parsed is None:
        raise ValueError(
            f"not a period: {period!r} (expected e.g. 2024, 2023/24, 2021-2023, 2024Q1, 2024-03)"
        )
    return (parsed[1] + parsed[2]) / 2


PERIOD_HELP = "t.ex./e.g. 2024, 2023/24, 2021-2023, 2024Q1, 2024-03"

"""Reach periods as date spans, so a reach record can be checked against its initiative's period.

Periods are spelled as the observation store spells them (`jamlik.data.periods`): a year
``2024``, a school year ``2023/24`` (1 July to 30 June, as the data side centres it on the turn
of the year), a range ``2021-2023``, a quarter ``2024Q1`` or a month ``2024-03``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from jamlik.data.periods import PERIOD_HELP, normalize_period


def normalize(text: str) -> str:
    """The stored spelling of a period; ValueError naming the accepted forms otherwise."""
    spelled = normalize_period(text)
    if spelled is None:
        raise ValueError(f"'{text}' is not a period ({PERIOD_HELP})")
    return spelled


def span(period: str) -> tuple[date, date]:
    """First and last day (inclusive) that a normalized period covers."""
    p = normalize(period)
    if m := re.fullmatch(r"(\d{4})", p):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31)
    if m := re.fullmatch(r"(\d{4})/(\d{2})", p):
        y = int(m[1])
        return date(y, 7, 1), date(y + 1, 6, 30)
    if m := re.fullmatch(r"(\d{4})-(\d{4})", p):
        return date(int(m[1]), 1, 1), date(int(m[2]), 12, 31)
    if m := re.fullmatch(r"(\d{4})Q([1-4])", p):
        y, q = int(m[1]), int(m[2])
        last = 3 * q
        return date(y, last - 2, 1), date(y, last, calendar.monthrange(y, last)[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", p):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    raise ValueError(f"'{period}' is not a period ({PERIOD_HELP})")  # pragma: no cover

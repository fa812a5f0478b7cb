"""Text that a spreadsheet program would run as a formula, made inert (CSV and formula injection).

Excel, LibreOffice and Google Sheets treat a cell that begins with `=`, `+`, `-` or `@` as a
formula, and tab or carriage return can hide such a start, so a subgroup titled
`=2+3+cmd|' /C calc'!A0` would run on the computer of whoever opens a download. Every CSV and
XLSX file jamlik writes goes through this module: a text cell with such a start gets a single
quote in front (OWASP's rule), and XLSX text is stored as text, never as a formula. Numbers are
left alone (a negative number is a number, not text). Kept at the bottom of the package, beside
`jamlik.errors`, so data, report, web, audit and invest all use the one rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
QUOTED = tuple(PREFIX + t for t in TRIGGERS)


def safe_text(value: Any) -> Any:
    """`value` with a quote in front when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return PREFIX + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells (for `csv.writer`, `sheet.append`) with every text cell made safe."""
    return [safe_text(v) for v in values]


def safe_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row as a mapping (for `csv.DictWriter`) with every text cell made safe."""
    return {k: safe_text(v) for k, v in row.items()}


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names are safe (for `to_csv`, `to_excel`).

    Only columns that can hold text are looked at, so a million-row export stays vectorised.
    """
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.StringDtype):
            risky = column.str.startswith(TRIGGERS).fillna(False).astype(bool)
        elif column.dtype == object or isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)  # text mixed with numbers or None
            risky = column.map(lambda v: isinstance(v, str) and v.startswith(TRIGGERS))
            risky = risky.astype(bool)
        else:  # numbers, booleans, dates: never formulas
            continue
        if risky.any():
            column = column.copy()
            column[risky] = PREFIX + column[risky].astype(str)
            out[name] = column
    out.columns = [safe_text(c) for c in out.columns]
    return out


def unquote_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the quote `safe_frame` adds taken off again, so that a file jamlik wrote
    imports as the values it was written from (`'=2+3` is read as `=2+3`). A spreadsheet
    program does the same: a leading quote marks text, it is not part of it."""
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.StringDtype):
            quoted = column.str.startswith(QUOTED).fillna(False).astype(bool)
        elif column.dtype == object:
            quoted = column.map(lambda v: isinstance(v, str) and v.startswith(QUOTED))
            quoted = quoted.astype(bool)
        else:
            continue
        if quoted.any():
            column = column.copy()
            column[quoted] = column[quoted].astype(str).str[len(PREFIX) :]
            frame[name] = column
    return frame


def append_text_safe(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet: text made safe and stored as text ("s")."""
    sheet.append(safe_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"

"""Cell-level parsing for observation tables, vectorised: text, numbers, and collected problems."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from jamlik.errors import Problem

MISSING = ("", "na", "n/a", "nan", "null", "none", "<na>")
ROW_NOTE = "radnummer som i kalkylbladet: rubrikraden är rad 1 / row numbers as in the spreadsheet: the header is row 1"


def text(column: pd.Series) -> pd.Series:
    """Cells as trimmed text (object dtype), None where empty; 2024.0 becomes '2024'."""
    if is_numeric_dtype(column) and not is_bool_dtype(column):
        values = column.astype("float64")
        integral = values.notna() & np.isfinite(values) & (values == np.round(values))
        out = values.astype(str).astype(object)
        out[integral] = values[integral].astype("int64").astype(str)
        return out.where(values.notna(), None)
    as_text = column.astype(object).where(column.notna(), None)
    # Spreadsheets hold numbers and text in one column: render integral floats without ".0".
    uniques = pd.unique(as_text.dropna())
    rendered = {}
    for u in uniques:  # unique values only: ids and periods repeat, so this stays small
        if isinstance(u, float) and u.is_integer():
            rendered[u] = str(int(u))
        else:
            s = str(u).strip()
            rendered[u] = None if s.lower() in MISSING else s
    return as_text.map(rendered).astype(object).where(as_text.notna(), None)


def numbers(column: pd.Series, decimal: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(values as float64, mask of cells that are not numbers, the cells as text).

    `decimal` is "," (Swedish Excel CSV), "." (plain CSV) or "either" (spreadsheet cells and
    frames: a lone comma is a decimal comma). Spaces, also non-breaking ones, are digit
    grouping and are dropped; a typographic minus counts as minus.
    """
    if is_numeric_dtype(column):
        values = column.astype("float64")
        bad = pd.Series(~np.isfinite(values) & values.notna(), index=column.index)
        return values, bad, column.astype(object)
    raw = text(column)
    s = raw.astype("string")
    s = s.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace("\u2212", "-", regex=False)
    has_comma = s.str.contains(",", regex=False).fillna(False)
    has_dot = s.str.contains(".", regex=False).fillna(False)
    ambiguous = has_comma & has_dot
    if decimal == ".":
        ambiguous = ambiguous | has_comma
    else:
        s = s.str.replace(",", ".", regex=False)
    values = pd.to_numeric(s.mask(ambiguous), errors="coerce").astype("float64")
    values = values.where(np.isfinite(values), np.nan)
    bad = (raw.notna() & values.isna()).astype(bool)
    return values, bad, raw


class Num:
    """A number column in a problem message, formatted (3 rather than 3.0) only where needed."""

    def __init__(self, values: pd.Series):
        self.values = values


Part = str | pd.Series | Num


class Collector:
    """Problems found in a table, collected per column as masks (no loop over rows).

    A message is built from parts, strings and columns, and only for the rows that have the
    problem, so checks on a million good rows cost no string work.
    """

    def __init__(self, source: str):
        self.source = source
        self._parts: list[pd.DataFrame] = []
        self._single: list[Problem] = []

    def add(self, mask: pd.Series, field: str | None, *parts: Part) -> None:
        """One problem for every row where `mask` is True."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        rows = mask.index[mask.to_numpy()]
        message = pd.Series("", index=rows, dtype=object)
        for part in parts:
            if isinstance(part, Num):
                v = part.values.reindex(rows)
                message = message + v.map(lambda x: "" if pd.isna(x) else f"{x:g}")
            elif isinstance(part, pd.Series):
                message = message + part.reindex(rows).astype(str)
            else:
                message = message + part
        self._parts.append(
            pd.DataFrame({"row": rows, "field": field, "message": message.to_numpy()})
        )

    def one(self, message: str, *, row: int | None = None, field: str | None = None) -> None:
        self._single.append(Problem(self.source, message, row=row, field=field))

    def __bool__(self) -> bool:
        return bool(self._parts or self._single)

    def problems(self) -> list[Problem]:
        out = list(self._single)
        if self._parts:
            table = pd.concat(self._parts, ignore_index=True).sort_values(
                ["row", "field"], kind="stable"
            )
            out += [
                Problem(self.source, str(m), row=int(r), field=f)
                for r, f, m in table.itertuples(index=False)
            ]
        return sorted(out, key=lambda p: (p.row or 0, p.field or ""))


def row_list(rows: Iterable[int], limit: int = 8) -> str:
    rows = list(rows)
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" … (+{len(rows) - limit})" if len(rows) > limit else "")

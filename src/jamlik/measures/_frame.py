"""From a table of subgroup rows to a sorted `Batch`, and back to a table of results.

The input is read once into numpy arrays (HEAT Plus column names); every malformed column is
collected into one `MeasureInputError`. Values that are merely unusable for some measures
(missing population, NaN estimates, inconsistent series metadata) are not errors: they become
per-series facts that `compute()` turns into notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jamlik.measures._batch import Batch, per_row, seg_max
from jamlik.measures._errors import MeasureInputError
from jamlik.measures._tablekind import Kind, as_pandas

DEFAULT_BY = ("indicator", "indicator_abbr", "period", "date", "area", "setting", "dimension")
NUMERIC = (
    "estimate",
    "se",
    "population",
    "subgroup_order",
    "indicator_scale",
    "setting_average",
    "lmin",
    "lmax",
)
FLAGS = ("reference_subgroup", "favourable_indicator", "ordered_dimension")
REQUIRED = ("estimate", "favourable_indicator", "ordered_dimension")
# Values that describe the series rather than the subgroup: they must agree within a series.
SERIES_LEVEL = (
    "favourable_indicator",
    "ordered_dimension",
    "indicator_scale",
    "setting_average",
    "lmin",
    "lmax",
)


@dataclass
class Series:
    """The batch plus what the batch itself cannot say about each series."""

    batch: Batch
    kind: Kind
    keys: pd.DataFrame  # the `by` columns, one row per series, in series order
    bad_estimate: np.ndarray  # bool: some estimate missing or not finite
    dropped: np.ndarray  # int: subgroups dropped for a missing estimate (missing="drop")
    inconsistent: np.ndarray  # bool: series-level columns differ between subgroups
    ordered_known: np.ndarray  # bool
    favourable_known: np.ndarray  # bool
    columns: frozenset[str]  # which optional input columns the table has

    def key_hash(self) -> np.ndarray:
        """A stable 64-bit hash of each series' key, for reproducible simulation draws."""
        if self.keys.shape[1] == 0:
            return np.zeros(self.batch.n_series, dtype=np.uint64)
        return pd.util.hash_pandas_object(self.keys, index=False).to_numpy(np.uint64)


def resolve_by(columns: Sequence[str], by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return [c for c in DEFAULT_BY if c in columns]
    return [by] if isinstance(by, str) else list(by)


def _numeric(df: pd.DataFrame, col: str, problems: list[str]) -> np.ndarray:
    s = df[col]
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    converted = pd.to_numeric(s, errors="coerce")
    bad = converted.isna() & s.notna()
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        problems.append(
            f"'{col}' must hold numbers: {int(bad.sum())} value(s) are not, "
            f"e.g. {s.iloc[first]!r} in row {first + 1}"
        )
    return converted.to_numpy(dtype=np.float64, na_value=np.nan)


def _flag(df: pd.DataFrame, col: str, problems: list[str]) -> np.ndarray:
    values = _numeric(df, col, problems)
    bad = ~np.isnan(values) & (values != 0) & (values != 1)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        problems.append(
            f"'{col}' must be 0 or 1 (or empty): {int(bad.sum())} value(s) are not, "
            f"e.g. {df[col].iloc[first]!r} in row {first + 1}"
        )
    return values


def _series_codes(df: pd.DataFrame, by: list[str]) -> np.ndarray:
    """Series id per row, numbered in order of first appearance."""
    if not by:
        return np.zeros(len(df), dtype=np.int64)
    combined = np.zeros(len(df), dtype=np.int64)
    capacity = 1
    for col in by:
        codes, uniques = pd.factorize(df[col], use_na_sentinel=False)
        size = max(len(uniques), 1)
        capacity *= size
        if capacity > 2**62:  # too many combinations for one integer: let pandas group
            return df.groupby(by, sort=False, dropna=False).ngroup().to_numpy(np.int64)
        combined = combined * size + codes
    return pd.factorize(combined)[0].astype(np.int64)


def read_series(frame: Any, by: str | Sequence[str] | None, missing: str) -> Series:
    try:
        df, kind = as_pandas(frame)
    except TypeError as exc:
        raise MeasureInputError([str(exc)]) from None
    by_cols = resolve_by(list(df.columns), by)
    absent = [c for c in dict.fromkeys([*REQUIRED, *by_cols]) if c not in df.columns]
    if absent:
        raise MeasureInputError(
            [f"missing column '{c}'" for c in absent]
            + [f"the table has: {', '.join(map(str, df.columns))}"]
        )
    clash = [c for c in by_cols if c in NUMERIC or c in FLAGS]
    problems = [f"'{c}' is an input column and cannot be a `by` column" for c in clash]
    n = len(df)
    col: dict[str, np.ndarray] = {}
    for name in NUMERIC:
        col[name] = _numeric(df, name, problems) if name in df.columns else np.full(n, np.nan)
    for name in FLAGS:
        col[name] = _flag(df, name, problems) if name in df.columns else np.full(n, np.nan)
    if "reference_subgroup" not in df.columns:
        col["reference_subgroup"] = np.zeros(n)
    if problems:
        raise MeasureInputError(problems)
    if n == 0:
        raise MeasureInputError(["the table has no rows"])

    sid = _series_codes(df, by_cols)
    position = np.arange(n)
    finite_y = np.isfinite(col["estimate"])
    dropped_rows = np.zeros(n, dtype=bool)
    if missing == "drop":
        n_series = int(sid.max()) + 1
        usable = np.bincount(sid, finite_y, n_series) > 0
        dropped_rows = ~finite_y & usable[sid]
    keep = ~dropped_rows

    ordered_row = col["ordered_dimension"] == 1
    order_key = np.where(ordered_row, col["subgroup_order"], 0.0)
    k_sid, k_key, k_pos = sid[keep], order_key[keep], position[keep]
    in_order = np.all(np.diff(k_sid) >= 0) and np.all((np.diff(k_sid) > 0) | (np.diff(k_key) >= 0))
    rows = k_pos if in_order else k_pos[np.lexsort((k_pos, k_key, k_sid))]
    identity = in_order and keep.all()  # the common case: the table is already grouped

    def take(values: np.ndarray) -> np.ndarray:
        if not identity:
            return values[rows]
        view = values.view()  # may share memory with the caller's table: never write to it
        view.flags.writeable = False
        return view

    sid_sorted = take(sid)
    n_series = int(sid.max()) + 1
    counts = np.bincount(sid_sorted, minlength=n_series)
    starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    first_rows = rows[starts[:-1]]

    def series_value(name: str) -> np.ndarray:
        return col[name][first_rows]

    ordered = series_value("ordered_dimension") == 1
    batch = Batch(
        y=take(col["estimate"]),
        se=take(col["se"]),
        w=take(col["population"]),
        order=np.where(np.repeat(ordered, counts), take(col["subgroup_order"]), np.nan),
        ref=take(col["reference_subgroup"]) == 1,
        starts=starts,
        favourable=series_value("favourable_indicator") == 1,
        ordered=ordered,
        scale=series_value("indicator_scale"),
        setting_average=series_value("setting_average"),
        lmin=series_value("lmin"),
        lmax=series_value("lmax"),
    )
    mismatch = np.zeros(rows.size, dtype=bool)
    for name in SERIES_LEVEL:
        v = take(col[name])
        head = per_row(series_value(name), batch)
        mismatch |= ~((v == head) | (np.isnan(v) & np.isnan(head)))
    keys = df.loc[:, by_cols].iloc[first_rows].reset_index(drop=True)
    return Series(
        batch=batch,
        kind=kind,
        keys=keys,
        bad_estimate=seg_max(~np.isfinite(batch.y), batch),
        dropped=np.bincount(sid[dropped_rows], minlength=n_series),
        inconsistent=seg_max(mismatch, batch),
        ordered_known=~np.isnan(series_value("ordered_dimension")),
        favourable_known=~np.isnan(series_value("favourable_indicator")),
        columns=frozenset(c for c in (*NUMERIC, *FLAGS) if c in df.columns),
    )

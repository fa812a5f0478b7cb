"""Exact decomposition of the mutual information index M.

M is the mutual information between where a person lives (area U) and which group they belong to
(G). For a grouping of areas into parts C (districts into city parts) and of groups into parts K
(countries of birth into regions of the world), the chain rule of information gives exact sums:

    areas only:   M(U;G) = M(C;G) + Σ_c p_c M_c(U;G)                    between + within_area_parts
    groups only:  M(U;G) = M(U;K) + Σ_k p_k M_k(U;G)                    between + within_group_parts
    both:         M(U;G) = M(C;K) + Σ_k p_k M_k(C;G) + Σ_c p_c M_c(U;G)  between + within_group_parts
                                                                        + within_area_parts

where p_c, p_k are population shares and M_c, M_k the index computed inside one part
(Mora and Ruiz-Castillo 2011; Frankel and Volij 2011). Every term is computed from counts on its own,
so a test can check that the terms add up to M.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from jamlik.measures._tablekind import FrameT

from ._tablekind import as_list, as_pandas, input_error, like_input, require_columns, series_ids


def _mutual_information(sid, row, col, n, n_series) -> np.ndarray:
    """M per series from long counts: Σ (n/T) ln(n T / (t_row t_col)), cells summed first."""
    cell, _ = series_ids(pd.DataFrame({"s": sid, "r": row, "c": col}), ["s", "r", "c"])
    keys = np.zeros((cell.max() + 1, 3), dtype=np.int64)
    keys[cell] = np.column_stack([sid, row, col])
    n_cell = np.bincount(cell, n)
    s, r, c = keys.T
    T = np.bincount(s, n_cell, n_series)
    t_row = _sum_by(np.column_stack([s, r]), n_cell)
    t_col = _sum_by(np.column_stack([s, c]), n_cell)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(n_cell > 0, n_cell / T[s] * np.log(n_cell * T[s] / (t_row * t_col)), 0.0)
    return np.bincount(s, terms, n_series)


def _sum_by(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each row, the sum of `values` over all rows with the same key."""
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    return np.bincount(inverse, values)[inverse]


def _part_of(
    df: pd.DataFrame, parts: str | Mapping | None, key: str, by: list[str], what: str
) -> tuple[np.ndarray, np.ndarray] | None:
    """Part id and label per row: from a column, or a mapping of `key` values to parts."""
    if parts is None:
        return None
    if isinstance(parts, str):
        require_columns(df, [parts], "mutual_information_decomposition")
        labels = df[parts]
        varies = df.groupby([*by, key], dropna=False)[parts].nunique(dropna=False) > 1
        if varies.any():
            raise input_error(
                "mutual_information_decomposition",
                f"{what} column '{parts}' gives more than one "
                f"part for {key} {list(varies[varies].index[:5])}; each must lie in one part",
            )
    else:
        labels = df[key].map(parts)
        unmapped = df.loc[labels.isna(), key].unique()
        if unmapped.size:
            raise input_error(
                "mutual_information_decomposition",
                f"no {what} given for {key} value(s) {list(unmapped[:5])}; add them to the mapping",
            )
    return series_ids(labels.to_frame("p"), ["p"])[0], labels.to_numpy()


def mutual_information_decomposition(
    frame: FrameT,
    *,
    area: str = "area",
    group: str = "group",
    count: str = "count",
    by: str | Iterable[str] | None = None,
    area_parts: str | Mapping[Any, Any] | None = None,
    group_parts: str | Mapping[Any, Any] | None = None,
) -> FrameT:
    """Split M into exact between and within parts, for many series at once.

    `area_parts` / `group_parts` are a column of `frame` (constant within each area / group) or a
    mapping from area / group to its part; give one or both. Returns long rows: the `by` columns,
    `component` (`total`, `between`, `within_area_parts`, `within_group_parts`), `part` (null on the
    summary rows; on detail rows the part whose local index is shown), `population_share`, `index`
    (M inside the part) and `contribution` (population_share × index on detail rows; the component's
    value on summary rows). Summary rows other than `total` add up to `total`; detail rows add up
    to their component. Rows with a missing or negative count are left out (clean them first).
    """
    df, kind = as_pandas(frame, "mutual_information_decomposition")
    by_cols: list[str] = as_list(by)
    require_columns(df, [*by_cols, area, group, count], "mutual_information_decomposition")
    if area_parts is None and group_parts is None:
        raise input_error(
            "mutual_information_decomposition", "give area_parts, group_parts or both"
        )
    n = pd.to_numeric(df[count], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(n) | (n < 0)
    if bad.any():
        raise input_error(
            "mutual_information_decomposition",
            f"{int(bad.sum())} row(s) have a missing or negative "
            f"'{count}' (first at row {int(np.argmax(bad)) + 1}); clean them first",
        )
    s, series_keys = series_ids(df, by_cols)
    S = len(series_keys)
    u = series_ids(df, [area])[0]
    g = series_ids(df, [group])[0]
    cp = _part_of(df, area_parts, area, by_cols, "area part")
    kp = _part_of(df, group_parts, group, by_cols, "group part")
    T = np.bincount(s, n, S)

    rows = [("total", None, None, _mutual_information(s, u, g, n, S))]
    coarse_row = cp[0] if cp else u
    coarse_col = kp[0] if kp else g
    rows.append(("between", None, None, _mutual_information(s, coarse_row, coarse_col, n, S)))
    # Within-part terms: each part of each series becomes its own sub-series.
    if kp:
        rows += _within(s, kp, n, T, S, row=coarse_row, col=g, name="within_group_parts")
    if cp:
        rows += _within(s, cp, n, T, S, row=u, col=g, name="within_area_parts")

    out = []
    for component, part, share, values in rows:
        block = series_keys.iloc[np.arange(S) if part is None else part[0]].reset_index(drop=True)
        if not by_cols:
            block = pd.DataFrame(index=range(S if part is None else part[0].size))
        block["component"] = component
        block["part"] = None if part is None else part[1]
        block["population_share"] = np.nan if share is None else share
        block["index"] = np.nan if share is None else values
        block["contribution"] = values if share is None else share * values
        out.append(block)
    return like_input(pd.concat(out, ignore_index=True), kind)


def _within(s, parts, n, T, S, *, row, col, name):
    """The summary row and one detail row per (series, part) for a within-parts component."""
    pid, labels = parts
    sub, sub_keys = series_ids(pd.DataFrame({"s": s, "p": pid}), ["s", "p"])
    n_sub = len(sub_keys)
    local = _mutual_information(sub, row, col, n, n_sub)
    sub_series = sub_keys["s"].to_numpy()
    share = np.bincount(sub, n, n_sub) / T[sub_series]
    first = np.zeros(n_sub, dtype=np.int64)
    first[sub[::-1]] = np.arange(s.size)[::-1]  # a row of each sub-series, to read its label
    summary = (name, None, None, np.bincount(sub_series, share * local, S))
    detail = (name, (sub_series, labels[first]), share, local)
    return [summary, detail]

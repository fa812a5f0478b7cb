"""Exact between/within decomposition of Theil's T and L over any grouping.

For a grouping g (one column, or the intersection of several: district × sex), with population
share p_g = W_g/W, value share s_g = W_g μ_g / (W μ) and T_g, L_g the index computed inside group g:

    T = Σ_g s_g T_g  +  Σ_g s_g ln(μ_g/μ)       (within + between)
    L = Σ_g p_g L_g  +  Σ_g p_g ln(μ/μ_g)

Both identities are exact (Shorrocks 1980); the between part is the index of a world where everyone
in a group holds the group mean. Every part is computed from its own definition here, so a test can
check that they add up instead of having it hold by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.special import xlogy

from jamlik.measures._tablekind import FrameT

from ._tablekind import as_list, as_pandas, input_error, like_input, require_columns, series_ids

Index = Literal["T", "L"]
_CODES = {"T": "THEIL_T", "L": "THEIL_L"}


class TheilDecomposition(NamedTuple):
    """`total == between + within`; `groups` has one row per group with its parts."""

    total: float
    between: float
    within: float
    groups: pd.DataFrame


def _parts(y, w, s, c, cell_series, n_series: int, index: Index) -> dict[str, np.ndarray]:
    """Per series (total) and per cell (share, mean, within-cell index, contributions)."""
    n_cells = cell_series.size
    W_s = np.bincount(s, w, n_series)
    Y_s = np.bincount(s, w * y, n_series)
    W_c = np.bincount(c, w, n_cells)
    Y_c = np.bincount(c, w * y, n_cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_s, mu_c = Y_s / W_s, Y_c / W_c
        pop_share = W_c / W_s[cell_series]
        value_share = Y_c / Y_s[cell_series]
        if index == "T":
            total = np.bincount(s, w * xlogy(y, y / mu_s[s]), n_series) / Y_s
            inside = np.bincount(c, w * xlogy(y, y / mu_c[c]), n_cells) / Y_c
            # A group whose values are all 0 holds no share of the total: it contributes nothing.
            inside = np.where(Y_c > 0, inside, 0.0)
            within_c = value_share * inside
            between_c = xlogy(value_share, mu_c / mu_s[cell_series])
        else:
            total = np.bincount(s, w * np.log(mu_s[s] / y), n_series) / W_s
            inside = np.bincount(c, w * np.log(mu_c[c] / y), n_cells) / W_c
            within_c = pop_share * inside
            between_c = pop_share * np.log(mu_s[cell_series] / mu_c)
    return {
        "total": total,
        "between": np.bincount(cell_series, between_c, n_series),
        "within": np.bincount(cell_series, within_c, n_series),
        "population": W_c,
        "population_share": pop_share,
        "value_share": value_share,
        "mean": mu_c,
        "theil": inside,
        "within_contribution": within_c,
        "between_contribution": between_c,
    }


def _group_columns(groups: Any, n: int) -> pd.DataFrame:
    """One column per grouping variable, whatever shape the caller used."""
    if isinstance(groups, pd.DataFrame):
        table = groups.reset_index(drop=True)
    elif isinstance(groups, Mapping):
        table = pd.DataFrame({str(k): np.asarray(v) for k, v in groups.items()})
    elif isinstance(groups, pd.Series):
        table = pd.DataFrame(
            {groups.name if groups.name is not None else "group": groups.to_numpy()}
        )
    elif isinstance(groups, Sequence | np.ndarray) and len(groups) and np.ndim(groups[0]) == 1:
        cols = list(groups)
        names = [
            c.name if isinstance(c, pd.Series) and c.name is not None else f"group_{i + 1}"
            for i, c in enumerate(cols)
        ]
        table = pd.DataFrame({nm: np.asarray(c) for nm, c in zip(names, cols, strict=True)})
    else:
        table = pd.DataFrame({"group": np.asarray(groups)})
    if len(table) != n:
        raise ValueError(
            f"theil_decomposition: groups has {len(table)} rows but values has {n}; "
            "give one group label per value (or one column per grouping variable)"
        )
    return table


def theil_decomposition(
    values: ArrayLike, weights: ArrayLike | None, groups: Any, *, index: Index = "T"
) -> TheilDecomposition:
    """Split Theil's T (`index="T"`) or L (`index="L"`) into between and within groups.

    `groups` is one label per value, or several grouping variables for an intersectional
    breakdown: a DataFrame or dict of columns, or a list of label arrays (district × sex gives
    one group per district-and-sex cell). Returns `(total, between, within, groups)` where the
    per-group table holds each group's population, population and value shares, mean, its own
    index, and its contributions to `within` and `between` (these sum to the two parts).
    """
    if index not in _CODES:
        raise ValueError(f"theil_decomposition: index must be 'T' or 'L', got {index!r}")
    y = np.asarray(values, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise ValueError("theil_decomposition: values must be a non-empty one-dimensional array")
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    labels = _group_columns(groups, y.size)
    problems = []
    if w.shape != y.shape:
        problems.append(f"weights has {w.size} elements but values has {y.size}")
    elif not (np.all(np.isfinite(y)) and np.all(np.isfinite(w))):
        problems.append("values and weights must be finite (drop or fill missing ones first)")
    elif np.any(w < 0) or not w.sum() > 0 or np.any(y < 0) or not np.dot(w, y) > 0:
        problems.append("weights and values must be non-negative with a positive weighted mean")
    elif index == "L" and np.any(y[w > 0] == 0):
        problems.append("Theil L needs every value to be positive (ln 0); use index='T'")
    if problems:
        raise ValueError("theil_decomposition: " + "; ".join(problems))
    keep = w > 0
    y, w, labels = y[keep], w[keep], labels[keep].reset_index(drop=True)
    c, keys = series_ids(labels, list(labels.columns))
    s = np.zeros(y.size, dtype=np.int64)
    p = _parts(y, w, s, c, np.zeros(len(keys), dtype=np.int64), 1, index)
    table = keys.assign(**{k: p[k] for k in _GROUP_FIELDS})
    return TheilDecomposition(
        float(p["total"][0]), float(p["between"][0]), float(p["within"][0]), table
    )


_GROUP_FIELDS = (
    "population",
    "population_share",
    "value_share",
    "mean",
    "theil",
    "within_contribution",
    "between_contribution",
)


def theil_decomposition_frame(
    frame: FrameT,
    groups: str | Iterable[str],
    by: str | Iterable[str] | None = None,
    *,
    value: str = "estimate",
    weight: str | None = "population",
    index: Index | Iterable[Index] = ("T", "L"),
    detail: bool = False,
) -> FrameT:
    """The decomposition for many series at once (one pass, no loop over series).

    Rows of `frame` are units (people, areas, or subgroup cells) with a `value` and a `weight`
    (None: every row weighs 1). `groups` names one or more grouping columns, `by` the columns that
    define a series (e.g. indicator, period). Returns one row per series × index: the `by` columns,
    `measure` (THEIL_T, THEIL_L), `total`, `between`, `within`, `between_share` and `note` (why a
    series has no numbers: a missing, negative or — for THEIL_L — zero value). With `detail=True`
    it returns one row per series × index × group with that group's parts instead.
    Accepts pandas, Polars or PyArrow and returns the same kind.
    """
    df, kind = as_pandas(frame, "theil_decomposition_frame")
    by_cols: list[str] = as_list(by)
    group_cols: list[str] = as_list(groups)
    if not group_cols:
        raise input_error(
            "theil_decomposition_frame", "name at least one grouping column in groups"
        )
    require_columns(
        df,
        [*by_cols, *group_cols, value, *([weight] if weight else [])],
        "theil_decomposition_frame",
    )
    indices = [index] if isinstance(index, str) else list(index)
    for ix in indices:
        if ix not in _CODES:
            raise input_error("theil_decomposition_frame", f"index must be 'T' or 'L', got {ix!r}")
    y = pd.to_numeric(df[value], errors="coerce").to_numpy(dtype=float)
    w = (
        np.ones(len(df))
        if weight is None
        else pd.to_numeric(df[weight], errors="coerce").to_numpy(dtype=float)
    )
    s, series_keys = series_ids(df, by_cols)
    c, cell_keys = series_ids(df, [*by_cols, *group_cols])
    n_series = len(series_keys)
    cell_series = np.zeros(len(cell_keys), dtype=np.int64)
    cell_series[c] = s

    missing = np.bincount(s, ~(np.isfinite(y) & np.isfinite(w)), n_series) > 0
    negative = np.bincount(s, (y < 0) | (w < 0), n_series) > 0
    zero = np.bincount(s, (y == 0) & (w > 0), n_series) > 0
    no_mean = ~(np.bincount(s, np.where(np.isfinite(y * w), y * w, 0), n_series) > 0)
    # Rows that weigh nothing or are unusable are set aside; their series get a note, not a number.
    use = np.isfinite(y) & np.isfinite(w) & (w > 0) & (y >= 0)

    out = []
    for ix in indices:
        bad = missing | negative | no_mean | (zero if ix == "L" else False)
        p = _parts(y[use], w[use], s[use], c[use], cell_series, n_series, ix)
        note = np.select(
            [missing, negative, no_mean, bad],
            [
                "missing value or weight",
                "negative value or weight",
                "no positive mean",
                "a value is 0: Theil L is undefined (ln 0)",
            ],
            default="",
        )
        if detail:
            part = cell_keys.assign(measure=_CODES[ix])
            for k in _GROUP_FIELDS:
                part[k] = np.where(bad[cell_series], np.nan, p[k])
            part["note"] = note[cell_series]
            out.append(part[[*by_cols, "measure", *group_cols, *_GROUP_FIELDS, "note"]])
        else:
            part = series_keys.copy() if by_cols else pd.DataFrame(index=range(1))
            part["measure"] = _CODES[ix]
            for k in ("total", "between", "within"):
                part[k] = np.where(bad, np.nan, p[k])
            with np.errstate(divide="ignore", invalid="ignore"):
                part["between_share"] = np.where(
                    part["total"] > 0, part["between"] / part["total"], np.nan
                )
            part["note"] = note
            out.append(part)
    result = pd.concat(out, ignore_index=True)
    result["note"] = result["note"].replace("", None)
    return like_input(result, kind)

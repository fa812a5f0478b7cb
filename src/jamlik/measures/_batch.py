"""Many series laid end to end, so every measure is computed for all series at once.

This is the contract between `compute()` and the modules that hold the measure families: each
measure is a function `f(batch) -> ndarray` of one value per series (NaN where it cannot be
computed), built from the segment helpers below instead of a Python loop over series.

Rows are sorted by series, then by subgroup_order (ordered series) or input order; series `s`
occupies rows `starts[s]:starts[s + 1]` and is never empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np


@dataclass(frozen=True)
class Batch:
    # per row (subgroup)
    y: np.ndarray  # estimate, float64
    se: np.ndarray  # standard error, NaN when unknown
    w: np.ndarray  # population, NaN when unknown
    order: np.ndarray  # subgroup_order as float64, NaN for non-ordered series
    ref: np.ndarray  # bool: the reference subgroup
    # per series
    starts: np.ndarray  # int64 offsets, length n_series + 1
    favourable: np.ndarray  # bool: higher is better
    ordered: np.ndarray  # bool: ordered dimension
    scale: np.ndarray  # indicator_scale, float64
    setting_average: np.ndarray  # float64, NaN when not given
    sid: np.ndarray = field(init=False)  # per row: its series index
    # per series, optional: theoretical bounds of a bounded indicator (NaN when not given)
    # None (no bounds) becomes NaNs in __post_init__: after construction these are arrays.
    lmin: np.ndarray = None  # type: ignore[assignment]
    lmax: np.ndarray = None  # type: ignore[assignment]
    # Quantities several measures share (shares, ranks, a fitted model); never copied by
    # `replace`, so a batch with other estimates starts with an empty memo.
    _memo: dict[str, Any] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        counts = np.diff(self.starts)
        object.__setattr__(self, "sid", np.repeat(np.arange(counts.size), counts))
        nan = np.full(counts.size, np.nan)
        if self.lmin is None:
            object.__setattr__(self, "lmin", nan)
        if self.lmax is None:
            object.__setattr__(self, "lmax", nan)

    @property
    def n_series(self) -> int:
        return self.starts.size - 1

    @property
    def counts(self) -> np.ndarray:
        return self.memo("counts", lambda: np.diff(self.starts))

    def with_estimates(self, y: np.ndarray) -> Batch:
        """The same series with other estimates: how simulation-based intervals redraw."""
        return replace(self, y=y)

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """`make()` once per batch: measures that share a quantity compute it once."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def subset(self, keep: np.ndarray) -> Batch:
        """Only the series where `keep` (bool per series) is true, in the same order."""
        if keep.all():
            return self
        rows = keep[self.sid]
        counts = self.counts[keep]
        starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return Batch(
            y=self.y[rows],
            se=self.se[rows],
            w=self.w[rows],
            order=self.order[rows],
            ref=self.ref[rows],
            starts=starts,
            favourable=self.favourable[keep],
            ordered=self.ordered[keep],
            scale=self.scale[keep],
            setting_average=self.setting_average[keep],
            lmin=self.lmin[keep],
            lmax=self.lmax[keep],
        )


def example_batch(
    y,
    w=None,
    *,
    order=None,
    ref=None,
    favourable: bool = True,
    scale: float = 100.0,
    lmin: float = np.nan,
    lmax: float = np.nan,
    se=None,
) -> Batch:
    """One series as a batch, for examples: ordered when `order` is given.

    >>> example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3]).counts
    array([3])
    """
    y = np.asarray(y, dtype=np.float64)
    n = y.size
    ordered = order is not None
    return Batch(
        y=y,
        se=np.ones(n) if se is None else np.asarray(se, dtype=np.float64),
        w=np.ones(n) if w is None else np.asarray(w, dtype=np.float64),
        order=np.asarray(order, dtype=np.float64) if ordered else np.full(n, np.nan),
        ref=np.zeros(n, bool) if ref is None else np.asarray(ref, dtype=bool),
        starts=np.array([0, n]),
        favourable=np.array([favourable]),
        ordered=np.array([ordered]),
        scale=np.array([scale], dtype=np.float64),
        setting_average=np.array([np.nan]),
        lmin=np.array([lmin], dtype=np.float64),
        lmax=np.array([lmax], dtype=np.float64),
    )


def seg_sum(values: np.ndarray, b: Batch) -> np.ndarray:
    """Sum of a per-row array within each series."""
    return np.add.reduceat(values, b.starts[:-1])


def seg_max(values: np.ndarray, b: Batch) -> np.ndarray:
    return np.maximum.reduceat(values, b.starts[:-1])


def seg_min(values: np.ndarray, b: Batch) -> np.ndarray:
    return np.minimum.reduceat(values, b.starts[:-1])


def seg_argmax(values: np.ndarray, b: Batch) -> np.ndarray:
    """Row index of the largest value in each series (the last one when tied)."""
    hit = values == per_row(seg_max(values, b), b)
    return seg_max(np.where(hit, np.arange(values.size), -1), b)


def seg_argmin(values: np.ndarray, b: Batch) -> np.ndarray:
    """Row index of the smallest value in each series (the first one when tied, so that a
    series of equal values still compares two different subgroups)."""
    hit = values == per_row(seg_min(values, b), b)
    return seg_min(np.where(hit, np.arange(values.size), values.size), b)


def per_row(values: np.ndarray, b: Batch) -> np.ndarray:
    """Spread one value per series over that series' rows."""
    return np.repeat(values, b.counts)  # several times faster than values[b.sid]


def seg_cumsum(values: np.ndarray, b: Batch) -> np.ndarray:
    """Cumulative sum restarting at each series (inclusive of the current row).

    Summed series by series, not as one running total minus an offset: a running total over a
    million rows would cost the ranks of later series several digits of precision.
    """
    out = np.empty_like(values, dtype=np.float64)
    counts = b.counts
    # Series of equal length are summed together as the rows of one 2-D block.
    for c in np.unique(counts):
        first = b.starts[:-1][counts == c]
        idx = first[:, None] + np.arange(c)
        out[idx] = np.cumsum(values[idx], axis=1)
    return out


def shares(b: Batch) -> np.ndarray:
    """Population share p_i = w_i / Σw of each row within its series."""
    return b.memo("shares", lambda: b.w / per_row(seg_sum(b.w, b), b))


def weighted_mean(b: Batch) -> np.ndarray:
    """Population-weighted mean μ = Σ p_i y_i per series."""
    return b.memo("weighted_mean", lambda: seg_sum(shares(b) * b.y, b))


def population_or_setting_mean(b: Batch) -> np.ndarray:
    """μ from the population when every subgroup has one, else the setting average (WHO's PAR)."""

    def make() -> np.ndarray:
        have_w = seg_sum(np.isnan(b.w).astype(np.int64), b) == 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = seg_sum(np.where(np.isnan(b.w), 0.0, b.w) * b.y, b) / seg_sum(
                np.nan_to_num(b.w), b
            )
        return np.where(have_w, mu, b.setting_average)

    return b.memo("population_or_setting_mean", make)


def setting_or_population_mean(b: Batch) -> np.ndarray:
    """The setting average when given, else μ from the population (WHO's MDMU and IDISU)."""
    return b.memo(
        "setting_or_population_mean",
        lambda: np.where(
            np.isnan(b.setting_average), population_or_setting_mean(b), b.setting_average
        ),
    )


def fractional_rank(w: np.ndarray, b: Batch) -> np.ndarray:
    """Mid-point of each subgroup's slice of the population, from 0 (first) to 1 (last).

    r_i = (W_before + w_i / 2) / Σw; subgroups that share a subgroup_order share one slice and so
    one rank (WHO's rule for ties).
    """
    total = seg_sum(w, b)
    cum = seg_cumsum(w, b)
    n = w.size
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (b.order[1:] != b.order[:-1]) | (b.sid[1:] != b.sid[:-1])
    run_starts = np.flatnonzero(new_run)
    run_id = np.cumsum(new_run) - 1
    run_ends = np.append(run_starts[1:], n) - 1
    lo = (cum - w)[run_starts]
    hi = cum[run_ends]
    return (lo[run_id] + hi[run_id]) / 2.0 / per_row(total, b)


@dataclass(frozen=True)
class Requirement:
    """When a measure applies to a series; `compute()` checks these and writes the `note`
    for series that fail, so measure functions only see series they can handle."""

    min_subgroups: int = 2
    ordered: bool | None = None  # True: ordered dimensions only; False: non-ordered only
    weighted: bool = False  # needs a population for every subgroup
    reference: bool = False  # needs exactly one reference subgroup
    positive_mean: bool = False  # relative measures divide by the mean
    # Added for the WHO families; every default keeps a measure unaffected.
    uses_reference: bool = False  # reads the reference subgroup when there is one: at most one
    # Which μ: the population-weighted mean; that or else the setting average (PAR, PAF); the
    # setting average when given, else the population-weighted mean (MDMU, IDISU).
    mean: Literal["population", "population_or_setting", "setting_or_population"] = "population"
    favourable: bool = False  # needs favourable_indicator
    scale: bool = False  # needs a positive indicator_scale
    within_scale: bool = False  # every estimate in 0..indicator_scale (a proportion)
    bounds: bool = False  # needs lmin < lmax with every estimate in lmin..lmax
    nonnegative: bool = False  # every estimate >= 0 (logarithms)

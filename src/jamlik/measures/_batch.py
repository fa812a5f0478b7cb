"""Many series laid end to end, so every measure is computed for all series at once.

This is the contract between `compute()` and the modules that hold the measure families: each
measure is a function `f(batch) -> ndarray` of one value per series (NaN where it cannot be
computed), built from the segment helpers below instead of a Python loop over series.

Rows are sorted by series, then by subgroup_order (ordered series) or input order; series `s`
occupies rows `starts[s]:starts[s + 1]` and is never empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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

    def __post_init__(self) -> None:
        counts = np.diff(self.starts)
        object.__setattr__(self, "sid", np.repeat(np.arange(counts.size), counts))

    @property
    def n_series(self) -> int:
        return self.starts.size - 1

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.starts)

    def with_estimates(self, y: np.ndarray) -> Batch:
        """The same series with other estimates: how simulation-based intervals redraw."""
        return replace(self, y=y)


def seg_sum(values: np.ndarray, b: Batch) -> np.ndarray:
    """Sum of a per-row array within each series."""
    return np.add.reduceat(values, b.starts[:-1])


def seg_max(values: np.ndarray, b: Batch) -> np.ndarray:
    return np.maximum.reduceat(values, b.starts[:-1])


def seg_min(values: np.ndarray, b: Batch) -> np.ndarray:
    return np.minimum.reduceat(values, b.starts[:-1])


def per_row(values: np.ndarray, b: Batch) -> np.ndarray:
    """Spread one value per series over that series' rows."""
    return values[b.sid]


def seg_cumsum(values: np.ndarray, b: Batch) -> np.ndarray:
    """Cumulative sum restarting at each series (inclusive of the current row)."""
    total = np.cumsum(values)
    before = np.concatenate(([0.0], total))[b.starts[:-1]]
    return total - per_row(before, b)


@dataclass(frozen=True)
class Requirement:
    """When a measure applies to a series; `compute()` checks these and writes the `note`
    for series that fail, so measure functions only see series they can handle."""

    min_subgroups: int = 2
    ordered: bool | None = None  # True: ordered dimensions only; False: non-ordered only
    weighted: bool = False  # needs a population for every subgroup
    reference: bool = False  # needs exactly one reference subgroup
    positive_mean: bool = False  # relative measures divide by the mean

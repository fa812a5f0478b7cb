"""Panels for effect estimation: a tidy frame in, a balanced unit × period matrix out.

The estimators take a frame with columns `unit`, `period` (text, e.g. "2023" or "2023-04"),
`time` (numeric, e.g. `jamlik.data.period_midpoint(period)`) and `value`. Units with a missing
value in any period are left out, and the result says which: the two-way estimators here need
a balanced panel, and imputing outcomes would put invented data into an effect estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jamlik.errors import JamlikError


@dataclass(frozen=True)
class Matrix:
    """A balanced panel: values (units × periods), with the labels of both axes."""

    values: np.ndarray
    units: list[str]
    periods: list[str]
    times: np.ndarray
    dropped: list[str]

    def rows(self, units: list[str]) -> np.ndarray:
        """Indices of `units` that are in the matrix (in that order)."""
        where = {u: i for i, u in enumerate(self.units)}
        return np.array([where[u] for u in units if u in where], dtype=int)

    def notes(self) -> list[str]:
        if not self.dropped:
            return []
        return [
            "Enheter utan värden för alla perioder togs bort / units without values for every "
            f"period were left out: {', '.join(self.dropped)}"
        ]


def balanced(frame: pd.DataFrame) -> Matrix:
    """The balanced matrix of a tidy panel (columns unit, period, time, value)."""
    missing = {"unit", "period", "time", "value"} - set(frame.columns)
    if missing:
        raise JamlikError(f"panel frame lacks columns {sorted(missing)}")
    clean = frame.dropna(subset=["time"])
    if clean.duplicated(["unit", "period"]).any():
        dup = clean[clean.duplicated(["unit", "period"], keep=False)].iloc[0]
        raise JamlikError(
            f"panel has more than one value for unit {dup['unit']} in {dup['period']}"
        )
    wide = clean.pivot(index="unit", columns="period", values="value").astype(float)
    times = clean.drop_duplicates("period").set_index("period")["time"].astype(float)
    order = times.sort_values().index
    wide = wide.reindex(columns=order)
    complete = wide.notna().all(axis=1)
    kept = wide[complete]
    return Matrix(
        values=kept.to_numpy(dtype=float),
        units=[str(u) for u in kept.index],
        periods=[str(p) for p in order],
        times=times[order].to_numpy(dtype=float),
        dropped=sorted(str(u) for u in wide.index[~complete]),
    )

"""Coverage study: how often the intervals of `compute()` contain the true value.

A scenario is one series with true subgroup values, standard errors and populations. Each
replicate draws observed estimates y_i ~ Normal(true_i, se_i), independently, and all replicates
go through `compute()` together as separate series; the coverage of a measure is the share of
replicates whose interval contains the measure's value at the true subgroup values.

Used by the test suite (few replicates, a band that a wrong method fails) and by
`benchmarks/interval_coverage.py` (many replicates; its table is in docs/measures.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jamlik.measures._compute import compute


@dataclass(frozen=True)
class Scenario:
    name: str
    y: tuple[float, ...]
    se: tuple[float, ...]
    population: tuple[float, ...]
    ordered: bool
    reference: int | None = None  # index of the reference subgroup (non-ordered)
    favourable: int = 1
    scale: float = 100.0

    def frame(self, y: np.ndarray) -> pd.DataFrame:
        """Rows for many series at once: `y` has shape (series, subgroups)."""
        n_series, k = y.shape
        ref = np.zeros(k, dtype=int)
        if self.reference is not None:
            ref[self.reference] = 1
        return pd.DataFrame(
            {
                "replicate": np.repeat(np.arange(n_series), k),
                "estimate": y.ravel(),
                "se": np.tile(self.se, n_series),
                "population": np.tile(self.population, n_series),
                "subgroup_order": np.tile(np.arange(1.0, k + 1), n_series)
                if self.ordered
                else np.nan,
                "ordered_dimension": int(self.ordered),
                "reference_subgroup": np.tile(ref, n_series),
                "favourable_indicator": self.favourable,
                "indicator_scale": self.scale,
                "lmin": 0.0,
                "lmax": self.scale,
            }
        )


# Gaps that are clear against the sampling error: the setting the intervals are made for.
ORDERED = Scenario(
    "ordered, clear gradient",
    y=(62.0, 71.0, 80.0, 86.0, 93.0),
    se=(2.5, 2.0, 1.8, 1.5, 1.2),
    population=(900.0, 1400.0, 2100.0, 1700.0, 1200.0),
    ordered=True,
)
NON_ORDERED = Scenario(
    "non-ordered, clear gaps",
    y=(55.0, 61.0, 64.0, 70.0, 72.0, 75.0, 78.0, 81.0, 85.0, 91.0),
    se=(3.0, 2.5, 3.5, 2.0, 2.2, 2.8, 1.5, 2.6, 3.2, 2.4),
    population=(800.0, 1500.0, 600.0, 2200.0, 1900.0, 1000.0, 3000.0, 1200.0, 700.0, 1300.0),
    ordered=False,
    reference=6,
)
# The same districts squeezed together: gaps about as large as the sampling error.
NON_ORDERED_SMALL = Scenario(
    "non-ordered, small gaps",
    y=(70.0, 71.0, 71.5, 72.0, 72.5, 73.0, 74.0, 74.5, 75.0, 76.0),
    se=NON_ORDERED.se,
    population=NON_ORDERED.population,
    ordered=False,
    reference=6,
)
SCENARIOS = (ORDERED, NON_ORDERED, NON_ORDERED_SMALL)


def coverage(
    scenario: Scenario,
    measures: Sequence[str] | None = None,
    replicates: int = 1000,
    conf_level: float = 0.95,
    draws: int = 1000,
    seed: int = 1,
) -> pd.DataFrame:
    """One row per measure: scenario, measure, replicates, coverage, mean interval width."""
    truth_y = np.asarray(scenario.y, dtype=float)[None, :]
    truth = compute(scenario.frame(truth_y), measures=measures, by="replicate", draws=0)
    true_value = truth.set_index("measure")["estimate"]
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((replicates, truth_y.shape[1])) * np.asarray(scenario.se)
    out = compute(
        scenario.frame(truth_y + noise),
        measures=list(true_value.index),
        by="replicate",
        conf_level=conf_level,
        draws=draws,
        seed=seed + 1,
    )
    theta = out["measure"].map(true_value).to_numpy()
    covered = (out["ci_lb"].to_numpy() <= theta) & (theta <= out["ci_ub"].to_numpy())
    result = (
        out.assign(covered=covered, width=out["ci_ub"] - out["ci_lb"], has=out["ci_lb"].notna())
        .groupby("measure", sort=False)
        .agg(replicates=("has", "sum"), coverage=("covered", "mean"), width=("width", "mean"))
        .reset_index()
    )
    result.insert(0, "scenario", scenario.name)
    return result

"""Synthetic tables for the benchmarks: realistic shapes, fixed seeds, no real data."""

from __future__ import annotations

import numpy as np
import pandas as pd


def subgroup_table(n_series: int = 100_000, k: int = 10, seed: int = 0) -> pd.DataFrame:
    """n_series × k rows in HEAT Plus columns: half ordered series (k ordered subgroups, e.g.
    deciles), half non-ordered (k districts, the first one the reference); percentages."""
    rng = np.random.default_rng(seed)
    sid = np.repeat(np.arange(n_series), k)
    pos = np.tile(np.arange(k), n_series)
    ordered = (np.arange(n_series) % 2 == 0)[sid]
    level = rng.uniform(20, 80, n_series)[sid]
    slope = rng.normal(0, 2, n_series)[sid]
    y = np.clip(level + slope * (pos - (k - 1) / 2) + rng.normal(0, 3, sid.size), 0.5, 99.5)
    indicator = np.char.add("indicator-", (np.arange(n_series) % 20).astype(str))
    area = np.char.add("area-", (np.arange(n_series) // 20).astype(str))
    return pd.DataFrame(
        {
            "indicator": indicator[sid],
            "area": area[sid],
            "estimate": y,
            "se": rng.uniform(0.5, 3.0, sid.size),
            "population": rng.uniform(200, 5000, sid.size).round(),
            "subgroup_order": np.where(ordered, pos + 1.0, np.nan),
            "ordered_dimension": ordered.astype(int),
            "reference_subgroup": (~ordered & (pos == 0)).astype(int),
            "favourable_indicator": (rng.uniform(size=n_series) < 0.7).astype(int)[sid],
            "indicator_scale": 100,
        }
    )


def segregation_table(n_cities: int = 10_000, n_areas: int = 20, seed: int = 0) -> pd.DataFrame:
    """Counts of two groups in the areas of many cities (long: city × area × group)."""
    rng = np.random.default_rng(seed)
    n = n_cities * n_areas
    total = rng.integers(500, 5000, n)
    share = rng.beta(2, 5, n)
    minority = rng.binomial(total, share)
    return pd.DataFrame(
        {
            "city": np.repeat(np.arange(n_cities), n_areas * 2),
            "area": np.repeat(np.arange(n), 2),
            "group": np.tile(["minority", "majority"], n),
            "count": np.column_stack([minority, total - minority]).ravel(),
        }
    )

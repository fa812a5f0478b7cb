"""Fictitious comparison panels for the social-investment demo (Fiktiva exempeldata).

Two series, both generated from a documented model with a seed:

1. Eligibility for upper secondary school (share of year-9 pupils, %), yearly 2012–2025, for
   the three treated municipalities and twenty invented comparison municipalities:

       y_it = μ_i + λ_i1·f_1t + λ_i2·f_2t + ε_it,   ε_it ~ N(0, s_i²)

   with common factors f (random walks), unit loadings λ ~ U(0, 1), levels μ ~ N(84, 3²) (the
   treated units' levels are set inside the comparison range, so a synthetic control can match
   them) and sampling noise s_i = 100·√(0.84·0.16 / cohort_i) from a year-9 cohort size.
   Planted: +8 percentage points for Åmål from 2023 (LE); nothing for Borås or Vänersborg.

2. Preschool attendance in Vänersborg (% of scheduled time), monthly 2019-01 – 2025-11, with
   a seasonal pattern (low in July), a slow trend and AR(1) noise (ρ = 0.4, σ = 1.2);
   planted: a level change of +4 percentage points from 2022-12 (Sedd och saknad).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jamlik.data import OBSERVATION_COLUMNS

DEMO_SEED = 2024
SOURCE = "Fiktiva exempeldata (jamlik invest demo)"
ELIGIBILITY = "vgrsi-eligible-upper-secondary"
ATTENDANCE = "vgrsi-preschool-attendance"
YEARS = tuple(range(2012, 2026))
COMPARISON = tuple(f"jmf-{i:02d}" for i in range(1, 21))
# (area id, level μ, year-9 cohort size): invented sizes of the right order for each place.
TREATED = (("kn-1492", 83.0, 120), ("kn-1487", 85.0, 430), ("kn-1490", 84.5, 1200))


@dataclass(frozen=True)
class PanelTruth:
    """What was planted: effect (percentage points) by area and indicator, from which period."""

    effects: dict[tuple[str, str], tuple[float, str]]
    seed: int


PLANTED = {
    ("kn-1492", ELIGIBILITY): (8.0, "2023"),
    ("kn-1490", ELIGIBILITY): (0.0, "2023"),
    ("kn-1487", ATTENDANCE): (4.0, "2022-12"),
}


def eligibility_panel(seed: int = DEMO_SEED) -> pd.DataFrame:
    """Yearly eligibility for every treated and comparison municipality (observation layout)."""
    rng = np.random.default_rng([seed, 1])
    n_years = len(YEARS)
    factors = np.cumsum(rng.normal(0, 0.8, (2, n_years)), axis=1)
    units = [(a, mu, size) for a, mu, size in TREATED]
    units += [(a, float(rng.normal(84, 3)), int(rng.integers(100, 1500))) for a in COMPARISON]
    rows = []
    for area, mu, size in units:
        loading = rng.uniform(0, 1, 2)
        noise = 100 * np.sqrt(0.84 * 0.16 / size)
        y = mu + loading @ factors + rng.normal(0, noise, n_years)
        effect, start = PLANTED.get((area, ELIGIBILITY), (0.0, "9999"))
        y = y + effect * (np.array(YEARS) >= int(start))
        for year, value in zip(YEARS, np.clip(y, 0, 100), strict=True):
            rows.append({"indicator": ELIGIBILITY, "period": str(year), "area": area,
                         "estimate": round(float(value), 1), "population": size})  # fmt: skip
    return _layout(rows)


def attendance_series(seed: int = DEMO_SEED) -> pd.DataFrame:
    """Monthly preschool attendance in Vänersborg (observation layout)."""
    rng = np.random.default_rng([seed, 2])
    months = pd.period_range("2019-01", "2025-11", freq="M")
    noise = np.zeros(len(months))
    for k in range(len(months)):
        noise[k] = 0.4 * (noise[k - 1] if k else 0.0) + rng.normal(0, 1.2)
    season = np.array([{7: -14.0, 6: -3.0, 8: -4.0, 12: -3.0}.get(m.month, 0.0) for m in months])
    effect, start = PLANTED[("kn-1487", ATTENDANCE)]
    post = np.array([str(m) >= start for m in months])
    y = 82.0 + 0.02 * np.arange(len(months)) + season + noise + effect * post
    rows = [
        {
            "indicator": ATTENDANCE,
            "period": str(m),
            "area": "kn-1487",
            "estimate": round(float(v), 1),
            "population": 1450,
        }  # fmt: skip
        for m, v in zip(months, np.clip(y, 0, 100), strict=True)
    ]
    return _layout(rows)


def _layout(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["dimension"] = "total"
    frame["subgroup"] = "total"
    frame["source"] = SOURCE
    for col in OBSERVATION_COLUMNS:
        if col not in frame:
            frame[col] = np.nan
    return frame[OBSERVATION_COLUMNS]


def demo_observations(seed: int = DEMO_SEED) -> tuple[pd.DataFrame, PanelTruth]:
    """Both panels in one observation frame, and what was planted in them."""
    frame = pd.concat([eligibility_panel(seed), attendance_series(seed)], ignore_index=True)
    return frame, PanelTruth(effects=dict(PLANTED), seed=seed)

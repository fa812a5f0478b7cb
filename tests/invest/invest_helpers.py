"""Small investments and panels built in code for the invest tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jamlik.invest.model import Investment

# A unit value in 2023 prices (no re-pricing) that pays 30,000 a year to municipality and
# region in equal shares, one year per unit unless an outcome sets `duration`.
LOCAL_VALUE = {
    "id": "test-value",
    "title": "Testvärde",
    "unit": "person-år",
    "value": 30000,
    "price_year": 2023,
    "bearers": {"municipality": 0.5, "region": 0.5},
    "source": "Invented for the tests.",
}


def investment(**changes: Any) -> Investment:
    """The hand-calculated example of test_invest_economics, with fields replaced."""
    doc: dict[str, Any] = {
        "initiative": "test-initiative",
        "price_year": 2023,
        "horizon": 5,
        "discount": {"rate": 0.05},
        "costs": [
            {"year": 2023, "payer": "region", "amount": 100000},
            {"year": 2024, "payer": "municipality", "amount": 20000},
        ],
        "unit_values": [LOCAL_VALUE],
        "outcomes": [
            {"id": "o1", "title": "Utfall", "unit_value": "test-value", "quantity": 2,
             "years": [2024], "duration": 3},
        ],
    }  # fmt: skip
    for key, value in changes.items():
        if key.startswith("outcome_"):
            doc["outcomes"][0][key.removeprefix("outcome_")] = value
        else:
            doc[key] = value
    return Investment.model_validate(doc)


def panel(values: np.ndarray, start_year: int = 2012) -> pd.DataFrame:
    """A tidy yearly panel (unit u00 … , period, time, value) from a units × years matrix."""
    n, t = values.shape
    years = np.arange(start_year, start_year + t)
    return pd.DataFrame(
        {
            "unit": np.repeat([f"u{i:02d}" for i in range(n)], t),
            "period": np.tile(years.astype(str), n),
            "time": np.tile(years + 0.5, n).astype(float),
            "value": values.ravel(),
        }
    )


def factor_panel(
    rng: np.random.Generator, n: int = 21, t: int = 14, noise: float = 1.0
) -> np.ndarray:
    """Units driven by two common random-walk factors, each with its own level and loadings;
    unit 0 (the treated one in the tests) is a mix of units 1–5, so a synthetic control fits."""
    factors = np.cumsum(rng.normal(0, 1, (2, t)), axis=1)
    y = (
        rng.normal(80, 3, (n, 1))
        + rng.uniform(0, 1, (n, 2)) @ factors
        + rng.normal(0, noise, (n, t))
    )
    y[0] = y[1:6].mean(axis=0) + rng.normal(0, noise, t)
    return y


def exchangeable_panel(
    rng: np.random.Generator, n: int = 21, t: int = 14, noise: float = 2.0
) -> np.ndarray:
    """Unit and year effects plus independent noise: every unit is alike, so any unit could have
    been the treated one (the premise of permutation inference)."""
    return rng.normal(80, 4, (n, 1)) + rng.normal(0, 1, (1, t)) + rng.normal(0, noise, (n, t))


def monthly(values: np.ndarray, first: str = "2019-01") -> pd.DataFrame:
    """A monthly series frame (period, time, value)."""
    months = pd.period_range(first, periods=len(values), freq="M")
    return pd.DataFrame(
        {
            "period": [str(m) for m in months],
            "time": [m.year + (m.month - 0.5) / 12 for m in months],
            "value": values,
        }
    )


def ar1(rng: np.random.Generator, n: int, rho: float, sd: float) -> np.ndarray:
    e = np.zeros(n)
    for k in range(n):
        e[k] = rho * (e[k - 1] if k else 0.0) + rng.normal(0, sd)
    return e


PANEL_START = 1989.0  # 19 years before (1970–1988), 12 after (1989–2000)


def heavy_tailed_panel(seed: int, effect: float = 0.0) -> pd.DataFrame:
    """39 units × 31 years (1970–2000), one treated unit (u00) from 1989 carrying `effect`: the
    shape of the Proposition 99 cigarette-sales panel, generated here. Units load on two common
    random-walk factors; each unit's AR(1) noise has its own scale from a log-normal, so a few
    units wander far more than the rest and placebo estimates have heavy tails, as in the real
    panel. The treated unit is a mix of four units loading heavily on the second factor, so
    plain DiD is biased there while a weighted comparison (synthetic control, SDiD) is not."""
    rng = np.random.default_rng(seed)
    n, t = 39, 31
    factors = np.cumsum(rng.normal(0, 1.5, (2, t)), axis=1)
    loadings = rng.uniform(0, 1, (n, 2))
    scale = rng.lognormal(0.0, 1.2, (n, 1))
    noise = np.zeros((n, t))
    for k in range(t):
        noise[:, k] = 0.7 * (noise[:, k - 1] if k else 0.0) + rng.normal(0, 1, n)
    y = rng.normal(120, 25, (n, 1)) + 10 * loadings @ factors + scale * noise
    donors = np.argsort(-loadings[1:, 1])[:4] + 1
    y[0] = y[donors].mean(axis=0) + rng.normal(0, 1, t)
    y[0, 19:] += effect
    return panel(y, start_year=1970)

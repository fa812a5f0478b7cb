"""Small builders for measure tests: one series as a frame, several stacked, one result value."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# WHO's sample data sit beside the checkout in the development setup; a fresh clone has none.
WHO_SAMPLE = Path(
    os.environ.get(
        "JAMLIK_WHO_SAMPLE",
        Path(__file__).resolve().parents[3] / "shared" / "data" / "who-heat-sample",
    )
)


def series(
    y,
    *,
    se=None,
    pop=None,
    order=None,
    ref=None,
    favourable=1,
    scale=100,
    setting_average=None,
    lmin=None,
    lmax=None,
    name="s",
) -> pd.DataFrame:
    """One series: ordered when `order` is given, else non-ordered."""
    y = np.asarray(y, dtype=float)
    n = y.size
    frame = pd.DataFrame(
        {
            "indicator": name,
            "subgroup": [f"g{i}" for i in range(n)],
            "estimate": y,
            "se": np.ones(n) if se is None else np.asarray(se, dtype=float),
            "population": np.full(n, 100.0) if pop is None else np.asarray(pop, dtype=float),
            "favourable_indicator": favourable,
            "ordered_dimension": int(order is not None),
            "subgroup_order": np.nan if order is None else np.asarray(order, dtype=float),
            "reference_subgroup": 0 if ref is None else np.asarray(ref),
            "indicator_scale": scale,
            "setting_average": np.nan if setting_average is None else setting_average,
        }
    )
    if lmin is not None:
        frame["lmin"], frame["lmax"] = lmin, lmax
    return frame


def value(result: pd.DataFrame, measure: str, column: str = "estimate", name: str = "s"):
    """One number (or note) of one measure for one series from a compute() result."""
    row = result[(result["measure"] == measure) & (result["indicator"] == name)]
    assert len(row) == 1, f"expected one {measure} row for {name}, got {len(row)}"
    return row[column].iloc[0]


def who_sample(name: str) -> pd.DataFrame:
    """A file of WHO's sample data (../shared/data/who-heat-sample, or $JAMLIK_WHO_SAMPLE).

    The one skip policy: a developer's checkout without ../shared skips these tests and says
    so; CI (CI=true), where ../shared is always laid beside the clone, fails instead, so the
    published numbers can never silently go unchecked there.
    """
    path = WHO_SAMPLE / name
    if not path.exists():
        missing = f"WHO sample data not found at {path} (../shared/data/who-heat-sample)"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{missing}; CI must check WHO's published numbers", pytrace=False)
        pytest.skip(f"{missing}: only present in the development setup; set JAMLIK_WHO_SAMPLE")
    return pd.read_csv(path)

"""WHO's interval methods, re-implemented from healthequal 1.0.1, to measure their coverage
beside jamlik's (benchmarks/interval_coverage.py). Only used for that comparison.

- BGSD, COV, MD*, IDIS*: the 2.5th and 97.5th percentiles of 100 simulated values, each subgroup
  drawn from a normal truncated to 0..100 (scale 100) or to 0.. (other scales).
- TI, MLD: the delta-method standard error without the factor 1000 the estimate carries.
- PAF: Walter's standard error of the fraction, applied to the percentage.
- ACI, RCI: the residual standard error of the "convenient regression".
- D, R, BGV, PAR: the same formulas as jamlik (PAR's differs slightly; not reproduced).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from jamlik.measures import meandiff, variance
from jamlik.measures._batch import Batch
from jamlik.measures._interval import _stack

Z = ndtri(0.975)
PERCENTILE_MEASURES = {
    "BGSD": variance.bgsd,
    "COV": variance.cov,
    **{code: getattr(meandiff, code.lower()) for code in meandiff.MEASURES},
}


def percentile_limits(code: str, b: Batch, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """WHO's percentile interval from 100 truncated draws, for every series of the batch."""
    rng = np.random.default_rng(seed)
    draws = 100
    upper = np.where(np.repeat(b.scale, b.counts) == 100, 100.0, np.inf)
    y = np.tile(b.y, (draws, 1))
    se = np.tile(b.se, (draws, 1))
    sample = rng.normal(y, se)
    bad = (sample < 0) | (sample > upper)
    while bad.any():  # redraw until inside, as healthequal's repeat loop does
        sample[bad] = rng.normal(y[bad], se[bad])
        bad = (sample < 0) | (sample > upper)
    values = PERCENTILE_MEASURES[code](
        _stack(b, 0, b.n_series, draws).with_estimates(sample.ravel())
    )
    values = values.reshape(draws, b.n_series)
    return np.nanquantile(values, 0.025, axis=0), np.nanquantile(values, 0.975, axis=0)


def regression_se(y: np.ndarray, w: np.ndarray, relative: bool) -> float:
    """Standard error of the rank coefficient in WHO's convenient regression (one series)."""
    total = w.sum()
    rank = (np.cumsum(w) - w / 2) / total
    sigma2 = np.sum(w / total * (rank - 0.5) ** 2)
    mu = np.sum(w * y) / total
    lhs = 2 * sigma2 * (y / mu) * np.sqrt(w) * (1.0 if relative else mu)
    X = np.column_stack([rank * np.sqrt(w), np.sqrt(w)])
    coef, *_ = np.linalg.lstsq(X, lhs, rcond=None)
    resid = lhs - X @ coef
    s2 = resid @ resid / (len(y) - 2)
    return float(np.sqrt(s2 * np.linalg.inv(X.T @ X)[0, 0]))


def walter_paf_se(y: np.ndarray, w: np.ndarray, ref: int, scale: float) -> float:
    """healthequal's paf() standard error (Walter 1978) for one series."""
    mu = np.sum(w * y) / w.sum()
    c = y[ref] / scale * w[ref]
    d = w[ref] - c
    a = mu / scale * w.sum() - c
    b = w.sum() - a - w[ref]
    n = a + b + c + d
    return float(np.sqrt(c * n * (a * d * (n - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3)))

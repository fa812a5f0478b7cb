"""Funnel plots: districts of different sizes against a target, with control limits that widen
for small districts and account for overdispersion where the data show it.

Method (Spiegelhalter DJ. Funnel plots for comparing institutional performance. Statistics in
Medicine 2005;24:1185–1202; and Handling over-dispersion of performance indicators. Quality and
Safety in Health Care 2005;14:347–351):

- Target θ₀: the benchmark's value (the municipality's total). Size nᵢ: the district's
  denominator, else its population.
- Variance of a district's value at size n under the target, v(n):
  proportions (unit a share, scale 1 or 100): θ₀(1 − θ₀)/n on the share scale (binomial);
  other indicators: σ²/n with σ² = the mean of seᵢ²·nᵢ over the districts (the sampling
  variance as the source states it, carried to any size).
- z-scores zᵢ = (yᵢ − θ₀)/√v(nᵢ).
- Overdispersion: the z-scores are winsorised at 10 % in each tail (the most extreme 10 % at
  each end set to the 10th/90th percentile) and φ = Σ z_w²/I. When I·φ exceeds the 95th
  percentile of χ² with I − 1 degrees of freedom, the districts differ more than chance allows
  and an additive random effect is added (DerSimonian–Laird, on the winsorised z-scores):
  τ² = (I·φ − (I − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ), wᵢ = 1/v(nᵢ).
- Control limits at level L: θ₀ ± z_L·√(v(n) + τ²), for L = 95 % and 99.8 %. A district
  outside a limit differs significantly at that level; the indicator's polarity says better or
  worse.

Suppressed districts have no value and are listed, not plotted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from jamlik.followup.significance import LEVELS, Category, z_of

WINSOR = 0.10
GRID_POINTS = 60


@dataclass(frozen=True)
class FunnelInput:
    key: str
    estimate: float | None
    se: float | None
    size: float | None  # denominator, else population
    suppressed: bool = False


@dataclass(frozen=True)
class FunnelPoint:
    key: str
    estimate: float
    size: float
    z: float
    category: Category


@dataclass(frozen=True)
class Funnel:
    target: float
    points: list[FunnelPoint]
    limits: list[dict[str, float]]  # size, lower_95, upper_95, lower_998, upper_998
    phi: float
    chi2_p: float
    overdispersed: bool
    tau2: float
    kind: str  # "proportion" or "se"
    left_out: list[str] = field(default_factory=list)  # suppressed or without size


def winsorise(z: np.ndarray, fraction: float = WINSOR) -> np.ndarray:
    """The most extreme `fraction` at each end set to the fraction's percentile."""
    lo, hi = np.quantile(z, [fraction, 1 - fraction])
    return np.clip(z, lo, hi)


def funnel(
    inputs: Sequence[FunnelInput],
    target: float,
    *,
    favourable: bool | None,
    scale: float | None,
) -> Funnel | None:
    """The funnel of `inputs` around `target` (module docstring); `scale` 1 or 100 when the
    indicator is a proportion, else None. None when fewer than three districts can be drawn."""
    usable = [
        i
        for i in inputs
        if not i.suppressed and i.estimate is not None and i.size is not None and i.size > 0
    ]
    left_out = [i.key for i in inputs if i not in usable]
    if len(usable) < 3:
        return None
    y = np.array([i.estimate for i in usable], dtype=float)
    n = np.array([i.size for i in usable], dtype=float)
    if scale:
        p0 = target / scale
        if not 0 < p0 < 1:
            return None
        kind = "proportion"

        def var(size: np.ndarray) -> np.ndarray:
            return p0 * (1 - p0) / size * scale * scale
    else:
        se = np.array([np.nan if i.se is None else i.se for i in usable], dtype=float)
        known = np.isfinite(se)
        if known.sum() < 3:
            return None
        sigma2 = float(np.mean(se[known] ** 2 * n[known]))
        kind = "se"

        def var(size: np.ndarray) -> np.ndarray:
            return sigma2 / size

    v = var(n)
    z = (y - target) / np.sqrt(v)
    count = len(z)
    zw = winsorise(z)
    phi = float(np.sum(zw**2) / count)
    chi2_p = float(stats.chi2.sf(count * phi, count - 1))
    overdispersed = chi2_p < 0.05
    tau2 = 0.0
    if overdispersed:
        w = 1 / v
        tau2 = max(0.0, (count * phi - (count - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    total_sd = np.sqrt(v + tau2)
    points = []
    for i, inp in enumerate(usable):
        d = (y[i] - target) / total_sd[i]
        points.append(
            FunnelPoint(inp.key, float(y[i]), float(n[i]), float(d), _category(d, favourable))
        )
    grid = np.geomspace(max(1.0, n.min() / 2), n.max() * 1.5, GRID_POINTS)
    sd = np.sqrt(var(grid) + tau2)
    limits = []
    for size, s in zip(grid, sd, strict=True):
        row = {"size": float(size)}
        for level in LEVELS:
            tag = "95" if level == 0.95 else "998"
            lo, hi = target - z_of(level) * s, target + z_of(level) * s
            if scale:
                lo, hi = max(lo, 0.0), min(hi, float(scale))
            row[f"lower_{tag}"], row[f"upper_{tag}"] = float(lo), float(hi)
        limits.append(row)
    return Funnel(target, points, limits, phi, chi2_p, overdispersed, tau2, kind, left_out)


def _category(z: float, favourable: bool | None) -> Category:
    if not math.isfinite(z) or abs(z) <= z_of(0.95):
        return "similar"
    strong = abs(z) > z_of(0.998)
    suffix = "998" if strong else "95"
    if favourable is None:
        return f"{'higher' if z > 0 else 'lower'}_{suffix}"  # type: ignore[return-value]
    return f"{'better' if (z > 0) == favourable else 'worse'}_{suffix}"  # type: ignore[return-value]

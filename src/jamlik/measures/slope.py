"""Regression-based measures for ordered dimensions: the slope index (SII) and relative index
(RII) of inequality, from WHO's logistic fit, and their linear variants SII_LIN and RII_LIN.

Subgroups are placed at their fractional rank x_i (0 = most disadvantaged, 1 = most advantaged)
computed from the population rounded up, n_i = ceil(w_i). WHO's logistic fit (R's
`glm(cbind(cases, n - cases) ~ rank, weights = n, family = quasibinomial)`) uses
cases_i = round(y_i / scale · n_i); because the prior weight n_i multiplies the n_i trials, every
subgroup counts with n_i² in the likelihood. The point estimates reproduce that fit exactly:

    logit π(x) = b0 + b1 x
    SII = scale · (π(1) - π(0)),   RII = π(1) / π(0)

The fit runs for all series at once: Newton-Raphson (IRLS) on two parameters per series, whose
sums are segment sums over the rows, starting from R's start values. The linear variants fit
y = a + b x by weighted least squares with weights n_i: SII_LIN = b, RII_LIN = (a + b) / a.

Intervals: the delta method through the fit. The fitted parameters solve the score equations
U(β; y) = 0, so ∂β/∂y_i = H⁻¹ x_i n_i² / scale with H = Σ n² π(1-π) x xᵀ; this turns the
subgroup standard errors into the standard error of SII (identity scale) and log RII. WHO
instead reports a heteroscedasticity-consistent (HC1) standard error of the fit to the few
subgroup points, and for SII on the probability scale while the limits are on the indicator's.

Reference: Schlotheuber & Hosseinpoor 2022, IJERPH 19(6):3697; Mackenbach JP, Kunst AE. Soc Sci
Med 1997;44(6):757-71.

Example through the public API (five ordered quintiles of equal size)::

    >>> import pandas as pd
    >>> from jamlik.measures import compute
    >>> frame = pd.DataFrame({"estimate": [60.0, 68.0, 75.0, 81.0, 88.0], "population": 1000,
    ...                       "se": 1.0, "indicator_scale": 100, "subgroup_order": [1, 2, 3, 4, 5],
    ...                       "favourable_indicator": 1, "ordered_dimension": 1})
    >>> out = compute(frame, measures=['SII', 'RII'], draws=0)
    >>> dict(zip(out["measure"], out["estimate"].round(3).tolist()))
    {'SII': 34.194, 'RII': 1.625}
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit

from jamlik.measures._batch import Batch, Requirement, fractional_rank, per_row, seg_sum
from jamlik.measures._entry import Entry
from jamlik.measures._interval import LOG, Analytic, se_from_gradient

_REF = "Mackenbach & Kunst 1997, Soc Sci Med 44(6):757-71; WHO healthequal sii(), rii()"
MAX_ITERATIONS = 50


def _design(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    """(n_i = ceil(population), x_i = fractional rank from n)."""

    def make() -> tuple[np.ndarray, np.ndarray]:
        n = np.ceil(b.w)
        return n, fractional_rank(n, b)

    return b.memo("slope_design", make)


def _wls(omega: np.ndarray, x: np.ndarray, z: np.ndarray, b: Batch) -> tuple[np.ndarray, ...]:
    """Per-series weighted least squares of z on (1, x): (intercept, slope)."""
    s0, s1, s2 = seg_sum(omega, b), seg_sum(omega * x, b), seg_sum(omega * x * x, b)
    t0, t1 = seg_sum(omega * z, b), seg_sum(omega * x * z, b)
    slope = (s0 * t1 - s1 * t0) / (s0 * s2 - s1 * s1)
    return (t0 - slope * s1) / s0, slope


def logistic_fit(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(b0, b1, converged) of WHO's grouped logistic fit, for every series at once."""

    def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n, x = _design(b)
        scale = per_row(b.scale, b)
        cases = np.round(b.y / scale * n)
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(n > 0, cases / n, 0.0)
        prior = n * n  # prior weight n times n trials
        # R's binomial start: mu = (weight · f + 0.5) / (weight + 1)
        mu = (prior * f + 0.5) / (prior + 1.0)
        eta = np.log(mu / (1.0 - mu))
        b0 = b1 = np.zeros(b.n_series)
        converged = np.zeros(b.n_series, dtype=bool)
        with np.errstate(all="ignore"):
            for _ in range(MAX_ITERATIONS):
                v = mu * (1.0 - mu)
                z = eta + (f - mu) / v
                new0, new1 = _wls(prior * v, x, z, b)
                step = np.maximum(np.abs(new0 - b0), np.abs(new1 - b1))
                b0, b1 = new0, new1
                converged = step <= 1e-10 * (1.0 + np.abs(b0) + np.abs(b1))
                eta = per_row(b0, b) + per_row(b1, b) * x
                mu = expit(eta)
                if converged.all():
                    break
        # All cases 0 (or all n): the likelihood has no maximum; the fit only drifts away.
        degenerate = (seg_sum(cases, b) == 0) | (seg_sum(n - cases, b) == 0)
        return b0, b1, converged & ~degenerate

    return b.memo("logistic_fit", make)


def sii(b: Batch) -> np.ndarray:
    """SII = scale · (expit(b0 + b1) - expit(b0)), in the indicator's unit.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([20, 30, 45], [50, 50, 50], order=[1, 2, 3])  # cases 10, 15, 22 of 50
    >>> sii(b).round(4)  # statsmodels GLM(Binomial, var_weights=50²) agrees
    array([35.3262])
    """
    b0, b1, ok = logistic_fit(b)
    return np.where(ok, b.scale * (expit(b0 + b1) - expit(b0)), np.nan)


def rii(b: Batch) -> np.ndarray:
    """RII = expit(b0 + b1) / expit(b0).

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([20, 30, 45], [50, 50, 50], order=[1, 2, 3])  # cases 10, 15, 22 of 50
    >>> rii(b).round(4)  # the same fit
    array([3.2644])
    """
    b0, b1, ok = logistic_fit(b)
    return np.where(ok, expit(b0 + b1) / expit(b0), np.nan)


def _fit_gradient(b: Batch, wrt_b0: np.ndarray, wrt_b1: np.ndarray) -> np.ndarray:
    """Per-row ∂θ/∂y_i for θ with ∂θ/∂β = (wrt_b0, wrt_b1), through the score equations."""
    n, x = _design(b)
    b0, b1, _ = logistic_fit(b)
    pi = expit(per_row(b0, b) + per_row(b1, b) * x)
    omega = n * n * pi * (1.0 - pi)
    h00, h01, h11 = seg_sum(omega, b), seg_sum(omega * x, b), seg_sum(omega * x * x, b)
    det = h00 * h11 - h01 * h01
    # (a, c) = (∂θ/∂β)ᵀ H⁻¹
    a = (wrt_b0 * h11 - wrt_b1 * h01) / det
    c = (wrt_b1 * h00 - wrt_b0 * h01) / det
    return (per_row(a, b) + per_row(c, b) * x) * n * n / per_row(b.scale, b)


def _se_sii(b: Batch) -> np.ndarray:
    b0, b1, _ = logistic_fit(b)
    with np.errstate(all="ignore"):
        p1, p0 = expit(b0 + b1), expit(b0)
        d1, d0 = p1 * (1 - p1), p0 * (1 - p0)
        return se_from_gradient(_fit_gradient(b, b.scale * (d1 - d0), b.scale * d1), b)


def _se_log_rii(b: Batch) -> np.ndarray:
    b0, b1, _ = logistic_fit(b)
    with np.errstate(all="ignore"):
        p1, p0 = expit(b0 + b1), expit(b0)
        return se_from_gradient(_fit_gradient(b, p0 - p1, 1.0 - p1), b)


def _linear(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(row weight n_i / N, centred rank x_i - x̄, Σ n (x - x̄)², weighted mean x̄)."""

    def make():
        n, x = _design(b)
        total = seg_sum(n, b)
        xbar = seg_sum(n * x, b) / total
        dx = x - per_row(xbar, b)
        return n / per_row(total, b), dx, seg_sum(n * dx * dx, b) / total, xbar

    return b.memo("slope_linear", make)


def _linear_fit(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(slope, prediction at rank 0, prediction at rank 1) of the weighted line."""
    q, dx, sxx, xbar = _linear(b)
    ybar = seg_sum(q * b.y, b)
    slope = seg_sum(q * dx * b.y, b) / sxx
    return slope, ybar - slope * xbar, ybar + slope * (1.0 - xbar)


def sii_linear(b: Batch) -> np.ndarray:
    """SII_LIN = the slope b of the weighted least-squares line y = a + b x.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([20, 30, 45], [50, 50, 50], order=[1, 2, 3])  # cases 10, 15, 22 of 50
    >>> sii_linear(b).round(4)  # ranks 1/6, 1/2, 5/6
    array([37.5])
    """
    return _linear_fit(b)[0]


def rii_linear(b: Batch) -> np.ndarray:
    """RII_LIN = (a + b) / a: the line at rank 1 over the line at rank 0.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([20, 30, 45], [50, 50, 50], order=[1, 2, 3])  # cases 10, 15, 22 of 50
    >>> rii_linear(b).round(4)
    array([3.9032])
    """
    _, at0, at1 = _linear_fit(b)
    return np.where((at0 > 0) & (at1 > 0), at1 / at0, np.nan)


def _se_sii_linear(b: Batch) -> np.ndarray:
    q, dx, sxx, _ = _linear(b)
    return se_from_gradient(q * dx / per_row(sxx, b), b)


def _se_log_rii_linear(b: Batch) -> np.ndarray:
    q, dx, sxx, xbar = _linear(b)
    _, at0, at1 = _linear_fit(b)
    d_slope = q * dx / per_row(sxx, b)
    d_at0 = q - d_slope * per_row(xbar, b)
    d_at1 = q + d_slope * per_row(1.0 - xbar, b)
    return se_from_gradient(d_at1 / per_row(at1, b) - d_at0 / per_row(at0, b), b)


_ORDERED: dict[str, Any] = dict(min_subgroups=3, ordered=True, weighted=True)
_LOGISTIC = Requirement(**_ORDERED, scale=True, within_scale=True)

MEASURES = {"SII": sii, "RII": rii, "SII_LIN": sii_linear, "RII_LIN": rii_linear}
REQUIRES = {
    "SII": _LOGISTIC,
    "RII": _LOGISTIC,
    "SII_LIN": Requirement(**_ORDERED),
    "RII_LIN": Requirement(**_ORDERED),
}
INTERVALS = {
    "SII": Analytic(_se_sii, method="analytic (delta method through the logistic fit)"),
    "RII": Analytic(
        _se_log_rii, link=LOG, method="analytic (delta method through the fit, log scale)"
    ),
    "SII_LIN": Analytic(_se_sii_linear, method="analytic (exact: linear in the estimates)"),
    "RII_LIN": Analytic(_se_log_rii_linear, link=LOG, method="analytic (delta method, log scale)"),
}
UNDEFINED = {
    "SII": "logistic fit has no solution (all estimates 0 or all at the scale's maximum)",
    "RII": "logistic fit has no solution (all estimates 0 or all at the scale's maximum)",
    "RII_LIN": "the fitted line is not positive at both ends, so the ratio is undefined",
}

_APPLIES = "ordered dimensions with more than 2 subgroups; population needed"
_SII_SV = (
    "Den skattade skillnaden mellan den mest och den minst gynnade änden av befolkningen, i "
    "indikatorns enhet, med hänsyn till alla grupper. Positivt värde: högre hos de mer "
    "gynnade. 0 betyder ingen skillnad."
)
_SII_EN = (
    "The estimated gap between the most and the least advantaged end of the population, in "
    "the indicator's unit, using every subgroup. Positive: higher among the more advantaged. "
    "0 means no gap."
)
_RII_SV = (
    "Hur många gånger högre det skattade värdet är i den mest gynnade änden än i den minst "
    "gynnade, med hänsyn till alla grupper. 1 betyder ingen skillnad."
)
_RII_EN = (
    "How many times higher the estimated value is at the most advantaged end than at the "
    "least advantaged end, using every subgroup. 1 means no gap."
)


_INTERVAL_SV = {
    "SII": "Räknas ur gruppernas medelfel med deltametoden (en närmevärdesformel) genom den "
    "logistiska anpassningen.",
    "RII": "Räknas ur gruppernas medelfel med deltametoden (en närmevärdesformel) genom "
    "anpassningen, på logaritmisk skala så att intervallet aldrig går under noll.",
    "SII_LIN": "Räknas exakt ur gruppernas medelfel, eftersom lutningen är linjär i "
    "gruppernas värden.",
    "RII_LIN": "Räknas ur gruppernas medelfel med deltametoden (en närmevärdesformel) på "
    "logaritmisk skala, så att intervallet aldrig går under noll.",
}


def _entry(code: str, kind: str, sv: str, en: str, formula: str, isv: str, ien: str) -> Entry:
    linear = code.endswith("_LIN")
    return Entry(
        code=code,
        name_sv=sv,
        name_en=en,
        kind=kind,  # type: ignore[arg-type]
        weighted=True,
        applies_to=_APPLIES + ("" if linear else "; estimates within 0..indicator_scale"),
        formula=formula,
        interpretation_sv=isv,
        interpretation_en=ien,
        interval=INTERVALS[code].method,
        interval_sv=_INTERVAL_SV[code],
        reference=_REF,
        family="slope",
    )


ENTRIES = [
    _entry("SII", "absolute", "Lutningsindex för ojämlikhet", "Slope index of inequality",
           "SII = scale (expit(b0 + b1) - expit(b0)), logistic fit", _SII_SV, _SII_EN),
    _entry("RII", "relative", "Relativt ojämlikhetsindex", "Relative index of inequality",
           "RII = expit(b0 + b1) / expit(b0), logistic fit", _RII_SV, _RII_EN),
    _entry("SII_LIN", "absolute", "Lutningsindex för ojämlikhet (linjärt)",
           "Slope index of inequality (linear)", "SII_LIN = b, weighted line y = a + b x",
           _SII_SV, _SII_EN),
    _entry("RII_LIN", "relative", "Relativt ojämlikhetsindex (linjärt)",
           "Relative index of inequality (linear)", "RII_LIN = (a + b) / a, weighted line",
           _RII_SV, _RII_EN),
]  # fmt: skip

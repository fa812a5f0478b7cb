"""Delta-method standard errors for the distribution measures of subgroup estimates.

Populations are held fixed and the subgroup estimates y_k are independent with standard error
se_k, so se(m) = √Σ (∂m/∂y_k)² se_k². With p_k = w_k/W, r_k = y_k/μ:

    Gini      ∂G/∂y_k = (p_k/μ)(2F_k − 1 − G)          F_k: mid-point population rank (fixed locally)
    Atkinson  ∂A/∂y_k = (p_k/μ)(e − (e/r_k)^ε)           e = 1 − A, the equally-distributed share
    Palma     ∂P/∂y_k = (a_k − P c_k) / B                a_k, c_k: subgroup k's people in the top
                                                         10 % / bottom 40 %, B = Σ c_k y_k
    Hoover    ∂H/∂y_k = (p_k/2μ)(sgn(y_k − μ) − Σ p_i sgn(y_i − μ) − 2H)
    Theil T   ∂T/∂y_k = (p_k/μ)(ln r_k − T)
    Theil L   ∂L/∂y_k = (p_k/μ)(1 − 1/r_k)

Gini, Palma and Hoover are piecewise linear in the estimates, so between ties the gradient is
exact. Intervals are formed on the measure's own scale and clipped to its range (0..1 for Gini,
Atkinson and Hoover; ≥ 0 for Theil), except the Palma ratio, whose interval is formed on the log
scale so it stays positive. Like every delta-method interval, these are poor when the true
inequality is close to 0 (the measures are bounded there); the simulated coverage is in
docs/measures-beyond-who.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ._batch import Batch, per_row, seg_sum
from ._interval import LOG, Analytic, se_from_gradient
from ._segments import Sorted, people_below


def _basics(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    """(p_k per row, μ per series)."""
    W = seg_sum(b.w, b)
    return b.w / per_row(W, b), seg_sum(b.w * b.y, b) / W


def _in_original_order(values_sorted: np.ndarray, srt: Sorted) -> np.ndarray:
    out = np.empty_like(values_sorted)
    out[srt.order] = values_sorted
    return out


def _bounds(lower: float, upper: float) -> Callable[[Batch], tuple[np.ndarray, np.ndarray]]:
    def bounds(b: Batch) -> tuple[np.ndarray, np.ndarray]:
        return np.full(b.n_series, lower), np.full(b.n_series, upper)

    return bounds


def intervals(
    measures: Mapping[str, Callable[[Batch], np.ndarray]],
    sorted_view: Callable[[Batch], Sorted],
    epsilons: Mapping[str, float],
) -> dict[str, Analytic]:
    """`INTERVALS` for distribution.py: one `Analytic` per measure code."""

    def gini_se(b: Batch) -> np.ndarray:
        srt = sorted_view(b)
        p, mu = _basics(b)
        g = measures["GINI"](b)
        rank = _in_original_order(srt.rank, srt)
        return se_from_gradient(p / per_row(mu, b) * (2 * rank - 1 - per_row(g, b)), b)

    def palma_se(b: Batch) -> np.ndarray:
        srt = sorted_view(b)
        top = srt.w - people_below(srt, b.sid, b.starts, 0.9)
        bottom = people_below(srt, b.sid, b.starts, 0.4)
        B = seg_sum(srt.y * bottom, b)
        P = measures["PALMA"](b)
        grad = (top - per_row(P, b) * bottom) / per_row(B, b)
        # Working scale ln P: se(ln P) = se(P) / P.
        return se_from_gradient(_in_original_order(grad, srt), b) / P

    def hoover_se(b: Batch) -> np.ndarray:
        p, mu = _basics(b)
        sgn = np.sign(b.y - per_row(mu, b))
        mean_sgn = seg_sum(p * sgn, b)
        h = measures["HOOVER"](b)
        grad = p / (2 * per_row(mu, b)) * (sgn - per_row(mean_sgn + 2 * h, b))
        return se_from_gradient(grad, b)

    def theil_t_se(b: Batch) -> np.ndarray:
        p, mu = _basics(b)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = b.y / per_row(mu, b)
            grad = p / per_row(mu, b) * (np.log(r) - per_row(measures["THEIL_T"](b), b))
        return se_from_gradient(grad, b)

    def theil_l_se(b: Batch) -> np.ndarray:
        p, mu = _basics(b)
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = p / per_row(mu, b) * (1 - per_row(mu, b) / b.y)
        return se_from_gradient(grad, b)

    def atkinson_se(code: str, epsilon: float) -> Callable[[Batch], np.ndarray]:
        def se(b: Batch) -> np.ndarray:
            p, mu = _basics(b)
            e = per_row(1 - measures[code](b), b)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                r = b.y / per_row(mu, b)
                grad = p / per_row(mu, b) * (e - (e / r) ** epsilon)
            return se_from_gradient(grad, b)

        return se

    unit, positive = _bounds(0.0, 1.0), _bounds(0.0, np.inf)
    method = "analytic (delta method)"
    return {
        "GINI": Analytic(gini_se, bounds=unit, method=method),
        **{
            code: Analytic(atkinson_se(code, eps), bounds=unit, method=method)
            for code, eps in epsilons.items()
        },
        "PALMA": Analytic(palma_se, link=LOG, method=method + " on the log scale"),
        "HOOVER": Analytic(hoover_se, bounds=unit, method=method),
        "THEIL_T": Analytic(theil_t_se, bounds=positive, method=method),
        "THEIL_L": Analytic(theil_l_se, bounds=positive, method=method),
    }

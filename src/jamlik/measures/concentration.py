"""Concentration indices for ordered dimensions: ACI and RCI, with bounded, Wagstaff and
Erreygers variants.

Subgroups are ranked from the most disadvantaged (rank 0) to the most advantaged (rank 1) by
the fractional rank r_i = (population before i + w_i / 2) / Σw (tied subgroup_order values
share one rank). WHO computes the index with the "convenient regression" (2σ²(y/μ)√w on r√w
and √w without intercept; σ² = Σ p (r - ½)²); its slope is exactly twice the weighted
covariance of y and r, which is what is computed here:

    ACI = 2 Σ p_i (r_i - ½) y_i = Σ c_i y_i,   c_i = p_i (2 r_i - 1)
    RCI = ACI / μ   (on the -1..1 scale)

Both are linear in the estimates (RCI nearly so), so the delta method gives their standard
errors from the subgroup standard errors. WHO instead reports the regression's residual-based
standard error, which measures how far the subgroups are from a straight line, not how precise
the estimates are.

Bounded indicators (columns lmin, lmax, e.g. 0 and 100 for a percentage) use y_n = (y - lmin) /
(lmax - lmin) and μ_n likewise; the codes follow WHO's healthequal aci()/rci() options:

    ACI_B = ACI(y_n)                      aci(lmin, lmax)
    RCI_B = ACI(y_n) / μ_n                rci(lmin, lmax)
    RCI_W = ACI(y_n) / (μ_n (1 - μ_n))    rci(method = "wagstaff")  (Wagstaff 2005)
    RCI_E = 4 ACI(y_n)                    rci(method = "erreygers") (Erreygers 2009)

Reference: O'Donnell O, van Doorslaer E, Wagstaff A, Lindelow M. Analyzing health equity using
household survey data. World Bank 2008, ch. 8; Wagstaff A. Health Econ 2005;14:429-32;
Erreygers G. J Health Econ 2009;28:504-15.

Example through the public API (five ordered quintiles of equal size)::

    >>> import pandas as pd
    >>> from jamlik.measures import compute
    >>> frame = pd.DataFrame({"estimate": [60.0, 68.0, 75.0, 81.0, 88.0], "population": 1000,
    ...                       "subgroup_order": [1, 2, 3, 4, 5],
    ...                       "favourable_indicator": 1, "ordered_dimension": 1})
    >>> out = compute(frame, measures=['ACI', 'RCI'], draws=0)
    >>> dict(zip(out["measure"], out["estimate"].round(3).tolist()))
    {'ACI': 5.52, 'RCI': 0.074}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jamlik.measures._batch import (
    Batch,
    Requirement,
    fractional_rank,
    per_row,
    seg_sum,
    shares,
    weighted_mean,
)
from jamlik.measures._entry import Entry
from jamlik.measures._interval import Analytic, se_from_gradient

_REF = "O'Donnell et al. 2008, Analyzing Health Equity, World Bank, ch. 8; WHO healthequal aci(), rci()"


def _coefficients(b: Batch) -> np.ndarray:
    """c_i = p_i (2 r_i - 1), so that ACI = Σ c_i y_i."""
    return b.memo("concentration_c", lambda: shares(b) * (2.0 * fractional_rank(b.w, b) - 1.0))


def aci(b: Batch) -> np.ndarray:
    """ACI = 2 Σ p_i (r_i - ½) y_i, in the indicator's unit.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3], lmin=0, lmax=100)
    >>> aci(b).round(6)  # r = (1/8, 1/2, 7/8): 2 (0.25 · -0.375 · 60 + 0.25 · 0.375 · 90)
    array([5.625])
    """
    return b.memo("aci", lambda: seg_sum(_coefficients(b) * b.y, b))


def rci(b: Batch) -> np.ndarray:
    """RCI = ACI / μ.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3], lmin=0, lmax=100)
    >>> rci(b).round(6)  # 5.625 / 72.5
    array([0.077586])
    """
    return aci(b) / weighted_mean(b)


def _bounded(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ACI_n, μ_n, L = lmax - lmin)."""
    span = b.lmax - b.lmin
    return aci(b) / span, (weighted_mean(b) - b.lmin) / span, span


def aci_bounded(b: Batch) -> np.ndarray:
    """ACI_B = ACI of (y - lmin) / (lmax - lmin).

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3], lmin=0, lmax=100)
    >>> aci_bounded(b).round(6)  # 5.625 / 100
    array([0.05625])
    """
    return _bounded(b)[0]


def rci_bounded(b: Batch) -> np.ndarray:
    """RCI_B = ACI_n / μ_n = ACI / (μ - lmin).

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3], lmin=0, lmax=100)
    >>> rci_bounded(b).round(6)  # 0.05625 / 0.725
    array([0.077586])
    """
    a, m, _ = _bounded(b)
    return a / m


def rci_wagstaff(b: Batch) -> np.ndarray:
    """RCI_W = ACI_n / (μ_n (1 - μ_n)).

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3], lmin=0, lmax=100)
    >>> rci_wagstaff(b).round(6)  # 0.05625 / (0.725 · 0.275)
    array([0.282132])
    """
    a, m, _ = _bounded(b)
    return a / (m * (1.0 - m))


def rci_erreygers(b: Batch) -> np.ndarray:
    """RCI_E = 4 ACI_n.

    >>> from jamlik.measures._batch import example_batch
    >>> b = example_batch([60, 70, 90], [1, 2, 1], order=[1, 2, 3], lmin=0, lmax=100)
    >>> rci_erreygers(b).round(6)  # 4 · 0.05625
    array([0.225])
    """
    return 4.0 * _bounded(b)[0]


def _se(grad_of: str):
    def se(b: Batch) -> np.ndarray:
        c, p = _coefficients(b), shares(b)
        a, mu = per_row(aci(b), b), per_row(weighted_mean(b), b)
        span, lmin = per_row(b.lmax - b.lmin, b), per_row(b.lmin, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            if grad_of == "ACI":
                grad = c
            elif grad_of == "RCI":
                grad = c / mu - a * p / mu**2
            elif grad_of == "ACI_B":
                grad = c / span
            elif grad_of == "RCI_B":
                grad = c / (mu - lmin) - a * p / (mu - lmin) ** 2
            elif grad_of == "RCI_W":
                m = (mu - lmin) / span
                g = m * (1.0 - m)
                grad = (c / span) / g - (a / span) * (1.0 - 2.0 * m) * (p / span) / g**2
            else:  # RCI_E
                grad = 4.0 * c / span
        return se_from_gradient(grad, b)

    return se


_ORDERED: dict[str, Any] = dict(min_subgroups=3, ordered=True, weighted=True)

MEASURES = {
    "ACI": aci,
    "RCI": rci,
    "ACI_B": aci_bounded,
    "RCI_B": rci_bounded,
    "RCI_W": rci_wagstaff,
    "RCI_E": rci_erreygers,
}

REQUIRES = {
    "ACI": Requirement(**_ORDERED),
    "RCI": Requirement(**_ORDERED, positive_mean=True),
    "ACI_B": Requirement(**_ORDERED, bounds=True),
    "RCI_B": Requirement(**_ORDERED, bounds=True),
    "RCI_W": Requirement(**_ORDERED, bounds=True),
    "RCI_E": Requirement(**_ORDERED, bounds=True),
}

_LINEAR = {"ACI", "ACI_B", "RCI_E"}  # linear in the estimates: the delta method is exact
INTERVALS = {
    code: Analytic(
        _se(code),
        method="analytic (exact: linear in the estimates)"
        if code in _LINEAR
        else "analytic (delta method)",
    )
    for code in MEASURES
}

UNDEFINED = {
    "RCI_B": "the mean equals lmin, so the bounded RCI is undefined",
    "RCI_W": "the mean is at lmin or lmax, so Wagstaff's index is undefined",
}

_APPLIES = "ordered dimensions with more than 2 subgroups; population needed"
_BOUNDED = _APPLIES + "; bounds lmin and lmax"
_SIGN_SV = (
    " Positivt värde: indikatorn är koncentrerad till de mer gynnade grupperna; negativt: till "
    "de mindre gynnade. 0 betyder ingen skillnad."
)
_SIGN_EN = (
    " Positive: the indicator is concentrated among the more advantaged; negative: among the "
    "less advantaged. 0 means no inequality."
)

# code: (name_sv, name_en, kind, applies, formula, what it is in Swedish, in English)
_TEXTS = {
    "ACI": ("Absolut koncentrationsindex", "Absolute concentration index", "absolute", _APPLIES,
            "ACI = 2 Σ p_i (r_i - ½) y_i",
            "Hur mycket av indikatorn som ligger hos de mer gynnade grupperna, i indikatorns enhet.",
            "How much of the indicator lies with the more advantaged subgroups, in the indicator's unit."),
    "RCI": ("Relativt koncentrationsindex", "Relative concentration index", "relative", _APPLIES,
            "RCI = ACI / μ",
            "Som ACI men i förhållande till snittet, mellan -1 och 1.",
            "Like ACI but relative to the average, between -1 and 1."),
    "ACI_B": ("Absolut koncentrationsindex, begränsad skala", "Bounded absolute concentration index",
              "absolute", _BOUNDED, "ACI_B = ACI((y - lmin) / (lmax - lmin))",
              "ACI för en indikator med givna gränser, på skalan 0-1.",
              "ACI of a bounded indicator, rescaled to 0-1."),
    "RCI_B": ("Relativt koncentrationsindex, begränsad skala", "Bounded relative concentration index",
              "relative", _BOUNDED, "RCI_B = ACI_n / μ_n",
              "RCI för en indikator med givna gränser, räknat från den nedre gränsen.",
              "RCI of a bounded indicator, measured from its lower bound."),
    "RCI_W": ("Wagstaffs normaliserade koncentrationsindex", "Wagstaff-normalised concentration index",
              "relative", _BOUNDED, "RCI_W = ACI_n / (μ_n (1 - μ_n))",
              "RCI justerat så att det kan nå -1 och 1 även för en andel (Wagstaff).",
              "RCI rescaled so that it can reach -1 and 1 for a proportion too (Wagstaff)."),
    "RCI_E": ("Erreygers korrigerade koncentrationsindex", "Erreygers-corrected concentration index",
              "absolute", _BOUNDED, "RCI_E = 4 ACI_n",
              "ACI för en indikator med givna gränser, skalat till -1..1 (Erreygers).",
              "ACI of a bounded indicator, scaled to -1..1 (Erreygers)."),
}  # fmt: skip

_EXACT_SV = (
    "Räknas exakt ur gruppernas medelfel, eftersom måttet är en vägd summa av gruppernas värden."
)
_DELTA_SV = "Räknas ur gruppernas medelfel med deltametoden (en närmevärdesformel)."

ENTRIES = [
    Entry(
        code=code,
        name_sv=sv,
        name_en=en,
        kind=kind,  # type: ignore[arg-type]
        weighted=True,
        applies_to=applies,
        formula=formula,
        interpretation_sv=what_sv + _SIGN_SV,
        interpretation_en=what_en + _SIGN_EN,
        interval=INTERVALS[code].method,
        interval_sv=_EXACT_SV if code in _LINEAR else _DELTA_SV,
        reference=_REF,
        family="concentration",
    )
    for code, (sv, en, kind, applies, formula, what_sv, what_en) in _TEXTS.items()
]

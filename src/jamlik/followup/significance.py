"""Is a value significantly better, similar or worse than a benchmark? (Fingertips' method)

Public Health England's Fingertips compares an area's confidence interval with the benchmark's
value, taken as fixed: when the whole interval lies above (or below) the benchmark the area
differs significantly, and the indicator's polarity says whether that is better or worse. This
is done at two levels, 95 % and 99.8 % (about two and three standard errors), so that each
value falls in one of five categories: better (99.8 %), better (95 %), similar, worse (95 %),
worse (99.8 %).

The interval of a value at a level is, in this order:

- a proportion with its numerator and denominator (the indicator's unit is a share, scale 1 or
  100): the Wilson score interval, as Fingertips uses for proportions (Wilson 1927; Newcombe
  1998), so small denominators and values near 0 or 100 % get honest, asymmetric limits;
- a value with a standard error: estimate ± z·se (normal);
- a value with only the source's 95 % interval: se = (upper − lower) / (2 × 1.96), then normal;
- otherwise no interval: the value is not compared ("not_compared"), never guessed.

Suppressed values are never compared: they carry no estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy.special import ndtri

LEVELS = (0.95, 0.998)
Category = Literal[
    "better_998",
    "better_95",
    "similar",
    "worse_95",
    "worse_998",
    "higher_998",
    "higher_95",
    "lower_95",
    "lower_998",
    "not_compared",
    "benchmark",
    "suppressed",
    "no_data",
]
Method = Literal["wilson", "normal", "normal_from_ci", "none"]
Z95 = 1.959963984540054


def z_of(level: float) -> float:
    """The two-sided normal quantile of a confidence level (1.96 for 0.95)."""
    return float(ndtri(0.5 + level / 2))


@dataclass(frozen=True)
class Value:
    """A value and what is known of its uncertainty."""

    estimate: float | None
    se: float | None = None
    ci_lb: float | None = None  # the source's 95 % interval
    ci_ub: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    scale: float | None = None  # 100 for percent, 1 for a share: a proportion; else None


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def wilson(numerator: float, denominator: float, level: float) -> tuple[float, float]:
    """The Wilson score interval of numerator / denominator (as a share, 0–1)."""
    z = z_of(level)
    n = denominator
    p = numerator / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def interval(v: Value, level: float) -> tuple[float, float, Method] | None:
    """The value's interval at `level` and how it was formed (module docstring)."""
    if not _finite(v.estimate):
        return None
    est = float(v.estimate)  # type: ignore[arg-type]
    if (
        v.scale
        and _finite(v.numerator)
        and _finite(v.denominator)
        and v.denominator > 0  # type: ignore[operator]
        and 0 <= v.numerator <= v.denominator  # type: ignore[operator]
        # the counts must be the estimate's own (a rate standardised or modelled is not)
        and _counts_match(v, est)
    ):
        lo, hi = wilson(float(v.numerator), float(v.denominator), level)  # type: ignore[arg-type]
        return lo * v.scale, hi * v.scale, "wilson"
    z = z_of(level)
    if _finite(v.se) and v.se >= 0:  # type: ignore[operator]
        return est - z * v.se, est + z * v.se, "normal"  # type: ignore[operator]
    if _finite(v.ci_lb) and _finite(v.ci_ub) and v.ci_ub >= v.ci_lb:  # type: ignore[operator]
        se = (v.ci_ub - v.ci_lb) / (2 * Z95)  # type: ignore[operator]
        return est - z * se, est + z * se, "normal_from_ci"
    return None


def _counts_match(v: Value, est: float) -> bool:
    """The counts are the estimate's own (to its rounding): a standardised or modelled value
    delivered beside raw counts is not their proportion, and gets its own interval instead."""
    share = v.numerator / v.denominator * v.scale  # type: ignore[operator]
    return abs(share - est) <= 0.001 * v.scale  # type: ignore[operator]


def side(lo: float, hi: float, benchmark: float) -> int:
    """+1 when the interval lies wholly above the benchmark, −1 wholly below, else 0."""
    if lo > benchmark:
        return 1
    if hi < benchmark:
        return -1
    return 0


def categorise(
    v: Value, benchmark: float | None, favourable: bool | None
) -> tuple[Category, Method]:
    """The value's category against the benchmark at 95 % and 99.8 %, honouring polarity
    (`favourable`: True when higher is better, False when higher is worse, None when neither:
    then "higher"/"lower")."""
    if not _finite(v.estimate):
        return "no_data", "none"
    if not _finite(benchmark):
        return "not_compared", "none"
    found = {level: interval(v, level) for level in LEVELS}
    if found[0.95] is None:
        return "not_compared", "none"
    sides = {level: side(r[0], r[1], benchmark) for level, r in found.items() if r}  # type: ignore[arg-type]
    s95, s998 = sides[0.95], sides[0.998]
    if s95 == 0:
        return "similar", found[0.95][2]
    suffix = "998" if s998 == s95 else "95"
    if favourable is None:
        word = "higher" if s95 > 0 else "lower"
    else:
        word = "better" if (s95 > 0) == favourable else "worse"
    return f"{word}_{suffix}", found[0.95][2]  # type: ignore[return-value]


# Colour-blind-safe diverging palette (ColorBrewer RdBu, 5 classes): blue for better, red for
# worse, the darker shade for 99.8 %; "higher"/"lower" (no polarity) use a neutral purple scale.
# Every cell also carries its category in words, so colour is never the only cue.
COLOURS: dict[str, tuple[str, str]] = {  # category → (fill, text colour)
    "better_998": ("#2166ac", "#ffffff"),
    "better_95": ("#92c5de", "#1a1a1a"),
    "similar": ("#f7f7f7", "#1a1a1a"),
    "worse_95": ("#f4a582", "#1a1a1a"),
    "worse_998": ("#b2182b", "#ffffff"),
    "higher_998": ("#54278f", "#ffffff"),
    "higher_95": ("#bcbddc", "#1a1a1a"),
    "lower_95": ("#dadaeb", "#1a1a1a"),
    "lower_998": ("#756bb1", "#ffffff"),
    "not_compared": ("#ffffff", "#1a1a1a"),
    "benchmark": ("#1a1a1a", "#ffffff"),
    "suppressed": ("#ffffff", "#1a1a1a"),
    "no_data": ("#ffffff", "#595959"),
}
ORDER: tuple[Category, ...] = (
    "better_998", "better_95", "similar", "worse_95", "worse_998",
    "higher_998", "higher_95", "lower_95", "lower_998",
    "not_compared", "benchmark", "suppressed", "no_data",
)  # fmt: skip

"""Verdicts that never overclaim, in Swedish and English.

- effect found: the interval excludes zero (p ≤ alpha) and the design's checks passed;
- no effect found (the design could have detected X): X is the minimum detectable effect,
  the true effect this design would find with 80 % probability;
- too little data: the rule that was not met is named;
- inconclusive: the design's own check failed (pre-trends differ, poor pre-period fit).
"""

from __future__ import annotations

from scipy import stats

from jamlik.invest.effects.result import MDE_POWER, Verdict


def mde_multiplier(alpha: float = 0.05, power: float = MDE_POWER, df: float | None = None) -> float:
    """(quantile for the two-sided test) + (quantile for the power): 2.80 at 5 % and 80 %."""
    if df is None:
        return float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))
    return float(stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df))


def number_sv(x: float, digits: int = 1) -> str:
    """Swedish number: decimal comma, minus sign, thin space for thousands."""
    text = f"{abs(x):,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return ("−" if x < 0 and round(abs(x), digits) != 0 else "") + text


def number_en(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def _signed(x: float, fmt) -> str:
    return ("+" if x > 0 else "") + fmt(x)


Units = tuple[
    str, str
]  # the indicator's unit in Swedish and English, e.g. ("procentenheter", "percentage points")


def effect_found(
    estimate: float, lo: float, hi: float, p: float, unit: Units, level: float
) -> Verdict:
    pct = round(level * 100)
    return Verdict(
        code="effect_found",
        text_sv=(
            f"Effekt påvisad: {_signed(estimate, number_sv)} {unit[0]} "
            f"({pct} % KI {number_sv(lo)} till {number_sv(hi)}; p = {number_sv(p, 3)})."
        ),
        text_en=(
            f"Effect found: {_signed(estimate, number_en)} {unit[1]} "
            f"({pct}% CI {number_en(lo)} to {number_en(hi)}; p = {p:.3f})."
        ),
    )


def no_effect_found(estimate: float, mde: float | None, unit: Units) -> Verdict:
    if mde is None:
        could_sv = could_en = ""
    else:
        could_sv = (
            f" (upplägget kunde ha upptäckt en effekt på omkring ±{number_sv(mde)} {unit[0]} "
            "med 80 % sannolikhet)"
        )
        could_en = f" (the design could have detected an effect of about ±{number_en(mde)} {unit[1]} with 80% power)"
    return Verdict(
        code="no_effect_found",
        text_sv=f"Ingen effekt påvisad{could_sv}; skattningen är {_signed(estimate, number_sv)} {unit[0]}.",
        text_en=f"No effect found{could_en}; the estimate is {_signed(estimate, number_en)} {unit[1]}.",
    )


def too_little_data(rule_sv: str, rule_en: str) -> Verdict:
    return Verdict(
        code="too_little_data",
        text_sv=f"För lite data: {rule_sv}.",
        text_en=f"Too little data: {rule_en}.",
    )


def inconclusive(reason_sv: str, reason_en: str) -> Verdict:
    return Verdict(
        code="inconclusive",
        text_sv=f"Inget säkert besked: {reason_sv}.",
        text_en=f"Inconclusive: {reason_en}.",
    )


def decide(
    estimate: float,
    lo: float | None,
    hi: float | None,
    p: float,
    alpha: float,
    mde: float | None,
    unit: Units,
) -> Verdict:
    """Effect found when p ≤ alpha, otherwise no effect found with the detectable size."""
    if p <= alpha and lo is not None and hi is not None:
        return effect_found(estimate, lo, hi, p, unit, 1 - alpha)
    return no_effect_found(estimate, mde, unit)

"""Verdicts that never overclaim, in Swedish and English.

- effect found: the interval excludes zero (p ≤ alpha) and the design's checks passed;
- no effect found: the estimate with its interval and p-value, and the effect the design
  detects in 80 % of placebo runs of its own test (permutation designs) or with 80 % power by
  the normal approximation (ITS, cluster-robust DiD); a smaller effect may still exist;
- too little data: the rule that was not met is named;
- inconclusive: the design's own check failed (pre-trends differ, poor pre-period fit).
"""

from __future__ import annotations

from scipy import stats

from jamlik.invest.effects.power import PlaceboPower
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


def no_effect_found(
    estimate: float,
    mde: float | None,
    unit: Units,
    *,
    p: float | None = None,
    lo: float | None = None,
    hi: float | None = None,
    level: float = 0.95,
    placebo: PlaceboPower | None = None,
) -> Verdict:
    """No effect found: the estimate with its interval and p-value, and what the design could
    have detected — from placebo runs of the same test when `placebo` is given, else the normal
    approximation — and that a smaller effect may still exist."""
    pct = round(level * 100)
    numbers_sv = numbers_en = ""
    if p is not None:
        ci_sv = ci_en = ""
        if lo is not None and hi is not None:  # the interval's two ends come together
            ci_sv = f"{pct} % KI {number_sv(lo)} till {number_sv(hi)}; "
            ci_en = f"{pct}% CI {number_en(lo)} to {number_en(hi)}; "
        numbers_sv = f" ({ci_sv}p = {number_sv(p, 3)})"
        numbers_en = f" ({ci_en}p = {p:.3f})"
    smaller_sv = " En mindre effekt kan ändå finnas."
    smaller_en = " A smaller effect may still exist."
    if placebo is not None and placebo.detectable is not None:
        could_sv = (
            f" I platsbytesförsök (placebo) med samma test upptäcktes en effekt på "
            f"±{number_sv(placebo.detectable)} {unit[0]} i 80 % av {placebo.cases} fall."
        )
        could_en = (
            f" In placebo runs of the same test an effect of ±{number_en(placebo.detectable)} "
            f"{unit[1]} was detected in 80% of {placebo.cases} cases."
        )
    elif placebo is not None:
        could_sv = (
            f" Inte ens en effekt på ±{number_sv(placebo.searched)} {unit[0]} upptäcktes i 80 % "
            f"av {placebo.cases} platsbytesförsök (placebo); upplägget kan inte skilja ens stora "
            "effekter från slumpen."
        )
        could_en = (
            f" Not even an effect of ±{number_en(placebo.searched)} {unit[1]} was detected in 80% "
            f"of {placebo.cases} placebo runs; the design cannot tell even large effects from chance."
        )
        smaller_sv = smaller_en = ""
    elif mde is not None:
        could_sv = (
            f" Upplägget kunde ha upptäckt en effekt på omkring ±{number_sv(mde)} {unit[0]} "
            "med 80 % sannolikhet."
        )
        could_en = (
            f" The design could have detected an effect of about ±{number_en(mde)} {unit[1]} "
            "with 80% power."
        )
    else:
        could_sv = could_en = ""
    return Verdict(
        code="no_effect_found",
        text_sv=(
            f"Ingen effekt påvisad: skattningen är {_signed(estimate, number_sv)} {unit[0]}"
            f"{numbers_sv}.{could_sv}{smaller_sv}"
        ),
        text_en=(
            f"No effect found: the estimate is {_signed(estimate, number_en)} {unit[1]}"
            f"{numbers_en}.{could_en}{smaller_en}"
        ),
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
    placebo: PlaceboPower | None = None,
) -> Verdict:
    """Effect found when p ≤ alpha, otherwise no effect found with the detectable size."""
    if p <= alpha and lo is not None and hi is not None:
        return effect_found(estimate, lo, hi, p, unit, 1 - alpha)
    return no_effect_found(estimate, mde, unit, p=p, lo=lo, hi=hi, level=1 - alpha, placebo=placebo)

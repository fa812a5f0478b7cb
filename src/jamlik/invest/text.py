"""Numbers and sentences for people: money in Swedish style, the break-even sentence.

Shared by the CLI summary and (later) the report chapter and the web page, so all three say
the same thing the same way.
"""

from __future__ import annotations

from jamlik.invest.effects.verdict import number_en, number_sv
from jamlik.invest.results import BreakEven, PerspectiveResult


def money(x: float | None, lang: str = "sv") -> str:
    """An amount in millions: "2,53 mnkr" / "SEK 2.53m"; small amounts in thousands."""
    if x is None:
        return "–"
    if abs(x) >= 1e6:
        return f"{number_sv(x / 1e6, 2)} mnkr" if lang == "sv" else f"SEK {number_en(x / 1e6, 2)}m"
    return f"{number_sv(x / 1e3, 0)} tkr" if lang == "sv" else f"SEK {number_en(x / 1e3, 0)}k"


def value(x: float, lang: str = "sv") -> str:
    """A parameter value with three significant digits ("0,082", "10 500 000")."""
    if abs(x) >= 1e4:
        return number_sv(x, 0) if lang == "sv" else number_en(x, 0)
    text = f"{x:.3g}"
    return text.replace(".", ",").replace("-", "−") if lang == "sv" else text


def ratio(x: float | None, lang: str = "sv") -> str:
    if x is None:
        return "–"
    return number_sv(x, 2) if lang == "sv" else number_en(x, 2)


def percent(p: float, lang: str = "sv") -> str:
    return f"{number_sv(p * 100, 0)} %" if lang == "sv" else f"{p * 100:.0f}%"


def break_even_sentence(p: PerspectiveResult, b: BreakEven, lang: str = "sv") -> str:
    """The break-even in words: how many units of the outcome the initiative itself must
    achieve for a perspective to recover its costs, beside what the plan expects."""
    who_sv, who_en = p.label_sv.lower(), p.label_en.lower()
    if b.units_needed is None:
        if lang == "sv":
            return f"{b.title}: ger inget värde för {who_sv}, så det finns ingen brytpunkt."
        return f"{b.title}: worth nothing to the {who_en}, so there is no break-even."
    if lang == "sv":
        return (
            f"{b.title}: för att {who_sv} ska få tillbaka sina kostnader behöver insatsen åstadkomma "
            f"{number_sv(b.units_needed)} (enhet: {b.unit}); planen räknar med {number_sv(b.units_expected)}."
        )
    return (
        f"{b.title}: for the {who_en} to recover its costs the initiative must achieve "
        f"{number_en(b.units_needed)} (unit: {b.unit}); the plan expects {number_en(b.units_expected)}."
    )

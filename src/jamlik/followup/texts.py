"""Numbers and phrases for the follow-up's sentences, in Swedish and English side by side.

Swedish writes a decimal comma and a real minus sign (−); English a point and a hyphen-minus.
Sentences state what the data show and no more; every judgement names the interval it rests on.
"""

from __future__ import annotations

import math

# Units as indicators write them (Swedish) → (Swedish, English; unit of a difference sv, en).
_UNITS: dict[str, tuple[str, str, str, str]] = {
    "procent": ("procent", "per cent", "procentenheter", "percentage points"),
    "%": ("%", "%", "procentenheter", "percentage points"),
    "år": ("år", "years", "år", "years"),
    "promille": ("promille", "per thousand", "promilleenheter", "per-thousand points"),
}


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    """A number as a reader of `lang` writes it ("–" when there is none)."""
    if value is None or not math.isfinite(value):
        return "–"
    rounded = round(value, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{abs(rounded):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    sign = ("−" if lang == "sv" else "-") if rounded < 0 else ""
    return sign + text


def unit_words(unit: str | None) -> tuple[str, str, str, str]:
    """(unit sv, unit en, difference unit sv, difference unit en) for an indicator's unit."""
    if not unit:
        return "", "", "", ""
    return _UNITS.get(unit.strip().lower(), (unit, unit, unit, unit))


def with_unit(value: float | None, unit: str | None, lang: str, *, difference: bool = False) -> str:
    """ "84,7 procent" / "84.7 per cent"; a difference gets "procentenheter" / "percentage points"."""
    sv, en, dsv, den = unit_words(unit)
    word = (dsv if difference else sv) if lang == "sv" else (den if difference else en)
    text = number(value, lang)
    return f"{text} {word}" if word and text != "–" else text


def lower_first(text: str) -> str:
    """A title as it reads inside a sentence: "Födelseland" → "födelseland" (acronyms kept)."""
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def join(items: list[str], lang: str) -> str:
    """ "a, b och c" / "a, b and c"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    last = " och " if lang == "sv" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def count(n: int, one_sv: str, many_sv: str, one_en: str, many_en: str) -> tuple[str, str]:
    """ "1 insats" / "3 insatser" and the English, as a pair."""
    return (f"{n} {one_sv if n == 1 else many_sv}", f"{n} {one_en if n == 1 else many_en}")


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."

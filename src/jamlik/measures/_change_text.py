"""Sentences a follow-up report can quote, in Swedish and English, for trend and change verdicts.

Numbers keep three significant digits; Swedish text uses a decimal comma, a true minus sign and a
space before the per cent sign, as Språkrådet recommends.
"""

from __future__ import annotations

import math

import pandas as pd

VERDICTS: dict[str, dict[str, str]] = {
    "narrowing": {"sv": "minskar", "en": "narrowing"},
    "widening": {"sv": "ökar", "en": "widening"},
    "no clear change": {"sv": "ingen tydlig förändring", "en": "no clear change"},
    "too few points": {"sv": "för få mätpunkter", "en": "too few points"},
}
"""Short labels of the four verdicts."""

_TREND = {
    "narrowing": (
        "Gapet minskar: {m} förändras med {b} per år ({cl} KI {lo} till {hi}), {n} mätpunkter {a}–{z}.",
        "The gap is narrowing: {m} changes by {b} per year ({cl} CI {lo} to {hi}), {n} points {a}–{z}.",
    ),
    "widening": (
        "Gapet ökar: {m} förändras med {b} per år ({cl} KI {lo} till {hi}), {n} mätpunkter {a}–{z}.",
        "The gap is widening: {m} changes by {b} per year ({cl} CI {lo} to {hi}), {n} points {a}–{z}.",
    ),
    "no clear change": (
        "Ingen tydlig förändring av gapet: {m} förändras med {b} per år ({cl} KI {lo} till {hi}, "
        "förenligt med oförändrat gap), {n} mätpunkter {a}–{z}.",
        "No clear change in the gap: {m} changes by {b} per year ({cl} CI {lo} to {hi}, "
        "consistent with no change), {n} points {a}–{z}.",
    ),
    "too few points": (
        "För få mätpunkter för att bedöma trenden för {m}: {n} mätpunkter över {span} år, "
        "det behövs minst {need} över minst {years} år.",
        "Too few points to judge the trend of {m}: {n} points over {span} years, "
        "at least {need} over at least {years} years are needed.",
    ),
}

_CHANGE = {
    "narrowing": (
        "Gapet har minskat: {m} gick från {y0} ({a}) till {y1} ({z}), en förändring med {d} "
        "({cl} KI {lo} till {hi}).",
        "The gap narrowed: {m} went from {y0} ({a}) to {y1} ({z}), a change of {d} "
        "({cl} CI {lo} to {hi}).",
    ),
    "widening": (
        "Gapet har ökat: {m} gick från {y0} ({a}) till {y1} ({z}), en förändring med {d} "
        "({cl} KI {lo} till {hi}).",
        "The gap widened: {m} went from {y0} ({a}) to {y1} ({z}), a change of {d} "
        "({cl} CI {lo} to {hi}).",
    ),
    "no clear change": (
        "Ingen tydlig förändring av gapet: {m} gick från {y0} ({a}) till {y1} ({z}), en förändring "
        "med {d} ({cl} KI {lo} till {hi}, förenligt med oförändrat gap).",
        "No clear change in the gap: {m} went from {y0} ({a}) to {y1} ({z}), a change of {d} "
        "({cl} CI {lo} to {hi}, consistent with no change).",
    ),
    "too few points": (
        "För få mätpunkter: {m} saknar skattning med medelfel för {a} eller {z}.",
        "Too few points: {m} lacks an estimate with a standard error for {a} or {z}.",
    ),
}


def fmt(x: float, lang: str, signed: bool = False) -> str:
    """Three significant digits; Swedish with decimal comma and a true minus sign."""
    if x is None or not math.isfinite(x):
        return "–"
    if x == 0:
        text = "0"
    else:
        rounded = float(f"{abs(x):.3g}")  # 0.99999 is 1.00, not 0.99999 → "1.000"
        decimals = min(6, max(0, 2 - math.floor(math.log10(rounded))))
        text = f"{x:{'+' if signed else ''}.{decimals}f}"
    if lang == "sv":
        text = text.replace("-", "−").replace(".", ",")
    return text


def _plain(x: float, lang: str) -> str:
    """A count-like number without padding zeros: 3, 2.5."""
    text = f"{x:.3g}" if math.isfinite(x) else "–"
    return text.replace(".", ",") if lang == "sv" else text


def _level(conf_level: float, lang: str) -> str:
    pct = f"{conf_level * 100:.4g}"
    return f"{pct.replace('.', ',')} %" if lang == "sv" else f"{pct}%"


def trend_texts(
    out: pd.DataFrame, measure: str, conf_level: float, min_points: int, min_span: float
) -> pd.DataFrame:
    """Add verdict labels and quotable sentences to `trend()` output."""
    out = out.copy()
    cols = ["verdict", "slope", "ci_lb", "ci_ub", "n_points", "first", "last", "span"]
    for lang, i in (("sv", 0), ("en", 1)):
        cl = _level(conf_level, lang)
        out[f"verdict_{lang}"] = [VERDICTS[v][lang] for v in out["verdict"]]
        out[f"text_{lang}"] = [
            _TREND[r.verdict][i].format(
                m=r.measure,
                b=fmt(r.slope, lang, signed=True),
                lo=fmt(r.ci_lb, lang, signed=True),
                hi=fmt(r.ci_ub, lang, signed=True),
                cl=cl,
                n=r.n_points,
                a=r.first,
                z=r.last,
                span=_plain(r.span, lang),
                need=min_points,
                years=_plain(min_span, lang),
            )
            for r in out[cols].assign(measure=out[measure]).itertuples()
        ]
    return _note_last(out)


def change_texts(out: pd.DataFrame, measure: str, conf_level: float) -> pd.DataFrame:
    """Add verdict labels and quotable sentences to `change()` output."""
    out = out.copy()
    cols = [
        "verdict",
        "estimate_start",
        "estimate_end",
        "difference",
        "ci_lb",
        "ci_ub",
        "start",
        "end",
    ]
    for lang, i in (("sv", 0), ("en", 1)):
        cl = _level(conf_level, lang)
        out[f"verdict_{lang}"] = [VERDICTS[v][lang] for v in out["verdict"]]
        out[f"text_{lang}"] = [
            _CHANGE[r.verdict][i].format(
                m=r.measure,
                y0=fmt(r.estimate_start, lang),
                y1=fmt(r.estimate_end, lang),
                d=fmt(r.difference, lang, signed=True),
                lo=fmt(r.ci_lb, lang, signed=True),
                hi=fmt(r.ci_ub, lang, signed=True),
                cl=cl,
                a=r.start,
                z=r.end,
            )
            for r in out[cols].assign(measure=out[measure]).itertuples()
        ]
    return _note_last(out)


def _note_last(out: pd.DataFrame) -> pd.DataFrame:
    return out[[c for c in out.columns if c != "note"] + ["note"]]

"""Numbers and sentences for people: money in Swedish style, the break-even sentence.

Shared by the CLI summary, the report's chapter and the web page, so all three say the same
thing the same way: the economics for society, the effect design and its verdict with what the
verdict does not say, the discounting used.
"""

from __future__ import annotations

from jamlik.invest.effects.result import EffectResult
from jamlik.invest.effects.verdict import number_en, number_sv
from jamlik.invest.results import BreakEven, InvestmentResult, PerspectiveResult, Settings


def money(x: float | None, lang: str = "sv") -> str:
    """An amount in millions: "2,53 mnkr" / "SEK 2.53m"; small amounts in thousands."""
    if x is None:
        return "–"
    if abs(x) >= 1e6:
        return (
            f"{number_sv(x / 1e6, 2)}\u00a0mnkr"
            if lang == "sv"
            else f"SEK\u00a0{number_en(x / 1e6, 2)}m"
        )
    return (
        f"{number_sv(x / 1e3, 0)}\u00a0tkr"
        if lang == "sv"
        else f"SEK\u00a0{number_en(x / 1e3, 0)}k"
    )


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
    return f"{number_sv(p * 100, 0)}\u00a0%" if lang == "sv" else f"{p * 100:.0f}%"


def break_even_sentence(p: PerspectiveResult, b: BreakEven, lang: str = "sv") -> str:
    """The break-even in words: how many units of the outcome the initiative itself must
    achieve for a perspective to recover its costs, beside what the plan expects."""
    who_sv = p.label_sv.lower()
    # "society" takes no article; "the region", "the municipality" do
    who_en = p.label_en.lower() if p.perspective == "society" else f"the {p.label_en.lower()}"
    title_en = b.title_en or b.title
    if b.units_needed is None:
        if lang == "sv":
            return f"{b.title}: ger inget värde för {who_sv}, så det finns ingen brytpunkt."
        return f"{title_en}: worth nothing to {who_en}, so there is no break-even."
    if lang == "sv":
        return (
            f"{b.title}: för att {who_sv} ska få tillbaka sina kostnader behöver insatsen åstadkomma "
            f"{number_sv(b.units_needed)} (enhet: {b.unit}); planen räknar med {number_sv(b.units_expected)}."
        )
    return (
        f"{title_en}: for {who_en} to recover its costs the initiative must achieve "
        f"{number_en(b.units_needed)} (unit: {b.unit}); the plan expects {number_en(b.units_expected)}."
    )


DESIGNS = {
    "did": ("skillnad i skillnader mot jämförelseenheter", "difference-in-differences against "
            "comparison units"),
    "synthetic_control": ("syntetisk kontroll", "synthetic control"),
    "sdid": ("syntetisk skillnad i skillnader", "synthetic difference-in-differences"),
    "its": ("avbruten tidsserie", "interrupted time series"),
}  # fmt: skip

# What each verdict does and does not say (docs/invest.md, "Reading the verdicts").
CAVEATS = {
    "effect_found": (
        "Det betyder att indikatorn har rört sig mer än slumpen och jämförelsen kan förklara, "
        "inte att insatsen ensam har orsakat förändringen.",
        "This means the indicator moved more than chance and the comparison can explain, not "
        "that the initiative alone caused the change.",
    ),
    "no_effect_found": (
        "Det betyder inte att insatsen saknar effekt: en mindre effekt än den upplägget kan "
        "upptäcka kan finnas.",
        "This does not mean the initiative has no effect: an effect smaller than the design can "
        "detect may exist.",
    ),
    "too_little_data": (
        "Ingen slutsats om effekten kan dras ännu.",
        "No conclusion about the effect can be drawn yet.",
    ),
    "inconclusive": (
        "Upplägget klarade inte sin egen kontroll, så ingen slutsats om effekten dras.",
        "The design failed its own check, so no conclusion about the effect is drawn.",
    ),
}


def design_sentence(effect: EffectResult, lang: str = "sv") -> str:
    """How the effect is followed up, in one sentence: design, indicator, units, periods."""
    sv, en = DESIGNS[effect.design]
    indicator = indicator_title(effect, lang)
    n_treated, n_comparison = len(effect.treated), len(effect.comparison)
    if lang == "sv":
        if effect.design == "its":  # one series against its own past: no units to count
            units = f"{effect.n_pre} mätpunkter före start och {effect.n_post} efter"
        else:
            units = (
                f"{n_treated} {'insatsenhet' if n_treated == 1 else 'insatsenheter'} och "
                f"{n_comparison} jämförelseenheter, {effect.n_pre} perioder före start och "
                f"{effect.n_post} efter"
            )
        about = indicator[:1].lower() + indicator[1:] if indicator else "indikatorn"
        return f"Effekten på {about} följs upp med {sv}: {units}."
    if effect.design == "its":
        units = f"{effect.n_pre} points before the start and {effect.n_post} after"
    else:
        units = (
            f"{n_treated} treated {'unit' if n_treated == 1 else 'units'} and {n_comparison} "
            f"comparison units, {effect.n_pre} periods before the start and {effect.n_post} after"
        )
    about = indicator[:1].lower() + indicator[1:] if indicator else "the indicator"
    return f"The effect on {about} is followed up with {en}: {units}."


def indicator_title(effect: EffectResult, lang: str = "sv") -> str:
    """The followed indicator's title in `lang` (its id when the result holds no title)."""
    title = effect.indicator_title_en if lang == "en" else None
    return title or effect.indicator_title or effect.indicator or ""


def verdict_caveat(code: str, lang: str = "sv") -> str:
    """What a verdict does not say, so no reader takes more from it than the design supports."""
    sv, en = CAVEATS[code]
    return sv if lang == "sv" else en


def discount_words(settings: Settings, lang: str = "sv") -> str:
    """The discounting used, in one language (older results hold only the mixed text)."""
    words = settings.discount_sv if lang == "sv" else settings.discount_en
    return words or settings.discount


def economics_sentences(result: InvestmentResult, lang: str = "sv") -> list[str]:
    """What the calculation says for society as a whole, in plain words, and what it rests on.

    Every figure is the calculation's, under its assumptions: the sentences say "the
    calculation gives", never "the investment saves"."""
    s = result.settings
    p = result.perspective("society")
    level = round(s.interval_level * 100)
    lo, hi = p.npv_interval.lo, p.npv_interval.hi
    last = s.base_year + s.horizon - 1
    sv = lang == "sv"
    if sv:
        out = [
            f"För samhället som helhet ger kalkylen ett nettonuvärde på {money(p.npv, lang)} "
            f"({level} % intervall {money(lo, lang)} till {money(hi, lang)})"
            + (f"; nyttan är {ratio(p.bcr, lang)} gånger kostnaden." if p.bcr is not None else ".")
        ]
        out.append(
            f"Investeringen betalar sig för samhället år {p.payback_year}."
            if p.payback_year is not None
            else f"Investeringen betalar sig inte för samhället under kalkylens år "
            f"{s.base_year}–{last}."
        )
        out.append(
            f"I {percent(p.p_benefits_exceed_costs, lang)} av {number_sv(s.draws, 0)} "
            "dragningar med osäkra antaganden är nyttan större än kostnaden."
        )
        out.append(
            "Siffrorna bygger på kalkylens antaganden om effekter och värden; de är inte "
            "uppmätta besparingar."
        )
        return out
    out = [
        f"For society as a whole the calculation gives a net present value of "
        f"{money(p.npv, lang)} ({level}% interval {money(lo, lang)} to {money(hi, lang)})"
        + (f"; benefits are {ratio(p.bcr, lang)} times the costs." if p.bcr is not None else ".")
    ]
    out.append(
        f"The investment pays back for society in {p.payback_year}."
        if p.payback_year is not None
        else f"The investment does not pay back for society within the calculation's years "
        f"{s.base_year}–{last}."
    )
    out.append(
        f"In {percent(p.p_benefits_exceed_costs, lang)} of {number_en(s.draws, 0)} draws of the "
        "uncertain assumptions, benefits exceed costs."
    )
    out.append(
        "The figures rest on the calculation's assumptions about effects and values; they are "
        "not measured savings."
    )
    return out


def main_payer(result: InvestmentResult) -> PerspectiveResult:
    """The perspective (other than society) that bears the largest share of the costs."""
    return max(
        (p for p in result.perspectives if p.perspective != "society"), key=lambda p: p.pv_costs
    )


def method_note(lang: str = "sv") -> tuple[str, str]:
    """(title, text): how the economics and the effect verdicts are worked out, for a report's
    appendix (docs/invest.md has the formulas)."""
    if lang == "sv":
        return (
            "Sociala investeringar",
            "Kalkylen räknar kostnader och nyttor år för år, räknar om dem till nuvärde med "
            "diskonteringsräntan och summerar dem för kommunen, regionen, staten, individen och "
            "samhället som helhet. Nyttorna är förändringar i utfall gånger värden ur ett "
            "bibliotek med angivna källor, minskade för det som hade hänt ändå, det som andra "
            "insatser bidrar till och det som bara flyttas. Osäkra antaganden dras många gånger "
            "(10\u00a0000 som standard): intervallen är 2,5:e och 97,5:e percentilen, och chansen att "
            "nyttan överstiger kostnaden är andelen dragningar där den gör det. Tornadodiagrammet "
            "sätter ett antagande i taget till sin 10:e och 90:e percentil. En effekt kallas "
            "påvisad bara när intervallet utesluter noll och upplägget klarar sin egen kontroll; "
            "annars anges hur stor effekt upplägget hade kunnat upptäcka.",
        )
    return (
        "Social investments",
        "The calculation counts costs and benefits year by year, converts them to present value "
        "with the discount rate and adds them up for the municipality, the region, the state, "
        "the individual and society as a whole. Benefits are changes in outcomes times values "
        "from a library with stated sources, reduced for what would have happened anyway, what "
        "other efforts contribute and what is merely displaced. Uncertain assumptions are drawn "
        "many times (10,000 by default): the intervals are the 2.5th and 97.5th percentiles, "
        "and the chance that benefits exceed costs is the share of draws in which they do. The "
        "tornado chart sets one assumption at a time to its 10th and 90th percentile. An effect "
        "is called found only when the interval excludes zero and the design passes its own "
        "check; otherwise the size of effect the design could have detected is given.",
    )

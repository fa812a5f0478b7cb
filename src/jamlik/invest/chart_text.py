"""What a reader without the picture needs of each investment chart: one sentence of alt text
and the chart's numbers as a table (columns, the kind of each column, rows of raw values).

The rows are exactly the data the specification in `jamlik.invest.charts` draws, so a table
beside a chart says what the chart shows. Values stay raw (kronor, shares, parameter values);
the reader formats them (`kinds`: "label", "year", "period", "money", "value", "number",
"share"), so the report can print millions of kronor with its own number conventions.
"""

from __future__ import annotations

from dataclasses import dataclass

from jamlik.invest.charts import TEXT, TORNADO_TOP
from jamlik.invest.effects.verdict import number_en, number_sv
from jamlik.invest.results import PERSPECTIVE_LABELS, InvestmentResult
from jamlik.invest.text import indicator_title

Value = float | int | str | None


@dataclass(frozen=True)
class ChartTable:
    """A chart's data as a table: `kinds[i]` says how column i is to be written."""

    caption: str
    columns: list[str]
    kinds: list[str]
    rows: list[list[Value]]


def _sv(lang: str) -> bool:
    return lang == "sv"


def _who(perspective: str, lang: str) -> str:
    sv, en = PERSPECTIVE_LABELS[perspective]
    return sv.lower() if _sv(lang) else en.lower()


def _prices(result: InvestmentResult, lang: str) -> str:
    year = result.settings.price_year
    return f"i {year} års priser" if _sv(lang) else f"in {year} prices"


def _level(result: InvestmentResult, lang: str) -> str:
    pct = round(result.settings.interval_level * 100)
    return f"{pct} %" if _sv(lang) else f"{pct}%"


def _money_m(x: float, lang: str) -> str:
    """Millions of kronor in a sentence: "2,53 mnkr" / "SEK 2.53m"."""
    if _sv(lang):
        return f"{number_sv(x / 1e6, 2)} mnkr"
    return f"SEK {number_en(x / 1e6, 2)}m"


def _span(years: list[int]) -> str:
    return f"{min(years)}–{max(years)}" if years else ""


def chart_alt(result: InvestmentResult, name: str, lang: str = "sv") -> str:
    """One sentence saying what chart `name` of `chart_specs(result)` shows."""
    sv = _sv(lang)
    if name == "cumulative":
        years = [r.year for r in result.cumulative if r.perspective == "society"]
        payback = result.perspective("society").payback_year
        if sv:
            end = (
                f"återbetalningsåret {payback} är markerat"
                if payback is not None
                else "investeringen betalar sig inte inom perioden"
            )
            return (
                f"Linjediagram över samhällets ackumulerade nettonuvärde år för år {_span(years)}, "
                f"med {_level(result, lang)} intervall som skuggat band och en streckad linje "
                f"vid noll; {end}."
            )
        end = (
            f"the payback year {payback} is marked"
            if payback is not None
            else "the investment does not pay back within the period"
        )
        return (
            f"Line chart of society's cumulative net present value year by year {_span(years)}, "
            f"with the {_level(result, lang)} interval as a shaded band and a dashed line at zero; "
            f"{end}."
        )
    if name == "tornado":
        n = min(TORNADO_TOP, len(result.tornado))
        npv = _money_m(result.perspective("society").npv, lang)
        if sv:
            return (
                f"Stapeldiagram över de {n} antaganden som påverkar samhällets nettonuvärde mest: "
                "varje stapel går från nettonuvärdet när antagandet har sitt låga värde (P10) "
                f"till nettonuvärdet när det har sitt höga värde (P90), kring {npv}."
            )
        return (
            f"Bar chart of the {n} assumptions that move society's net present value most: each "
            "bar runs from the net present value with the assumption at its low value (P10) to "
            f"that with it at its high value (P90), around {npv}."
        )
    if name == "effect" and result.effect is not None:
        e = result.effect
        indicator = indicator_title(e, lang)
        first, last = (e.series[0].period, e.series[-1].period) if e.series else ("", "")
        other = _counterfactual(e.design, lang).lower()
        if sv:
            return (
                f"Linjediagram över {indicator} {first}–{last} för insatsområdet och för "
                f"{other}, med en streckad linje där insatsen börjar."
            )
        return (
            f"Line chart of {indicator} {first}–{last} for the treated unit and for the "
            f"{other}, with a dashed line where the initiative starts."
        )
    if name == "cash_flows":
        years = sorted({r.year for r in result.cash_flows})
        if sv:
            return (
                f"Stapeldiagram över kostnader per betalare (under noll) och nyttor per "
                f"mottagare (över noll), år för år {_span(years)}, {_prices(result, lang)}."
            )
        return (
            f"Bar chart of costs by payer (below zero) and benefits by bearer (above zero), "
            f"year by year {_span(years)}, {_prices(result, lang)}."
        )
    if name == "distribution":
        p = result.perspective("society").p_benefits_exceed_costs
        draws = result.settings.draws
        if sv:
            return (
                f"Histogram över samhällets nettonuvärde i {number_sv(draws, 0)} dragningar, med "
                f"en streckad linje vid noll; i {number_sv(p * 100, 0)} % av dragningarna är "
                "nyttan större än kostnaden."
            )
        return (
            f"Histogram of society's net present value in {number_en(draws, 0)} draws, with a "
            f"dashed line at zero; in {p * 100:.0f}% of the draws benefits exceed costs."
        )
    raise KeyError(f"no chart '{name}' for {result.initiative}")


def _counterfactual(design: str, lang: str) -> str:
    return TEXT[f"counterfactual_{design}"][0 if _sv(lang) else 1]


def chart_table(result: InvestmentResult, name: str, lang: str = "sv") -> ChartTable:
    """The numbers chart `name` draws, as a table."""
    sv = _sv(lang)
    t = {k: v[0 if sv else 1] for k, v in TEXT.items()}
    if name == "cumulative":
        rows = [[r.year, r.central, r.lo, r.hi] for r in result.cumulative
                if r.perspective == "society"]  # fmt: skip
        caption = (
            f"Samhällets ackumulerade nettonuvärde per år, {_prices(result, lang)}, med "
            f"{_level(result, lang)} intervall"
            if sv
            else f"Society's cumulative net present value by year, {_prices(result, lang)}, "
            f"with the {_level(result, lang)} interval"
        )
        columns = [t["year"], t["cum_title"], *(("Nedre gräns", "Övre gräns") if sv
                                                 else ("Lower bound", "Upper bound"))]  # fmt: skip
        return ChartTable(caption, columns, ["year", "money", "money", "money"], rows)
    if name == "tornado":
        rows = [
            [r.label_sv if sv else r.label_en, r.low_value, r.high_value, r.npv_low, r.npv_high]
            for r in result.tornado[:TORNADO_TOP]
        ]
        caption = (
            f"Samhällets nettonuvärde när ett antagande i taget sätts till sitt låga och sitt "
            f"höga värde, {_prices(result, lang)}"
            if sv
            else f"Society's net present value with one assumption at a time at its low and its "
            f"high value, {_prices(result, lang)}"
        )
        columns = (
            ["Antagande", t["low"], t["high"], "Nettonuvärde vid lågt", "Nettonuvärde vid högt"]
            if sv
            else ["Assumption", t["low"], t["high"], "Net present value at low",
                  "Net present value at high"]
        )  # fmt: skip
        return ChartTable(caption, columns, ["label", "value", "value", "money", "money"], rows)
    if name == "effect" and result.effect is not None:
        e = result.effect
        other = t[f"counterfactual_{e.design}"]
        rows = [[s.period, s.treated, s.counterfactual] for s in e.series]
        indicator = indicator_title(e, lang)
        caption = (
            f"{indicator}: insatsområdet och {other.lower()}"
            if sv
            else f"{indicator}: the treated unit and the {other.lower()}"
        )
        return ChartTable(caption, ["Period", t["treated"], other], ["period", "number", "number"],
                          rows)  # fmt: skip
    if name == "cash_flows":
        rows = [[r.year, r.label_sv if sv else r.label_en, t[r.kind], r.amount]
                for r in result.cash_flows]  # fmt: skip
        caption = (
            f"Kostnader och nyttor per år och part, {_prices(result, lang)}"
            if sv
            else f"Costs and benefits by year and party, {_prices(result, lang)}"
        )
        columns = [t["year"], t["party"], "Slag" if sv else "Kind", "Belopp" if sv else "Amount"]
        return ChartTable(caption, columns, ["year", "label", "label", "money"], rows)
    if name == "distribution":
        h = next(x for x in result.histograms if x.perspective == "society")
        total = sum(h.counts) or 1
        rows = [[lo, hi, c / total] for lo, hi, c in zip(h.edges[:-1], h.edges[1:], h.counts,
                                                         strict=True)]  # fmt: skip
        caption = (
            "Samhällets nettonuvärde i dragningarna, fördelat på intervall"
            if sv
            else "Society's net present value in the draws, by interval"
        )
        columns = ["Från" if sv else "From", "Till" if sv else "To", t["share"]]
        return ChartTable(caption, columns, ["money", "money", "share"], rows)
    raise KeyError(f"no chart '{name}' for {result.initiative}")

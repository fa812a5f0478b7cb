"""Vega-Lite chart specifications (plain dicts) for an investment result.

Four charts for the report chapter and the web page, each with its data inline so the page can
also show the same rows as a table beside the chart:

- `cash_flow_chart`: costs (below zero) by payer and benefits (above zero) by bearer, per year;
- `cumulative_chart`: cumulative discounted net value with its Monte Carlo band, and the
  payback year marked;
- `tornado_chart`: the parameters that move net present value most, low and high value;
- `distribution_chart`: the Monte Carlo distribution of net present value, with zero marked.

And `effect_chart` for the effect estimate: the treated unit against its counterfactual.
`chart_specs` gives them all, each with its alt text as `description`; the table beside each
chart comes from `jamlik.invest.chart_text.chart_table`.
Texts are Swedish by default (`lang="en"` for English); demo results carry "Fiktiva
exempeldata" in every subtitle.
"""

from __future__ import annotations

from typing import Any

from jamlik.invest.results import FICTITIOUS_EN, FICTITIOUS_SV, PERSPECTIVE_LABELS, InvestmentResult

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
TORNADO_TOP = 10  # bars in the tornado chart (and rows in its table)
TEXT = {
    "cash_title": ("Kostnader och nyttor per år", "Costs and benefits by year"),
    "cum_title": ("Ackumulerat nuvärde", "Cumulative net present value"),
    "tornado_title": ("Vilka antaganden betyder mest?", "Which assumptions matter most?"),
    "dist_title": ("Osäkerhet i nettonuvärdet", "Uncertainty in net present value"),
    "effect_title": ("Effektuppföljning", "Effect follow-up"),
    "sek": ("kronor", "SEK"),
    "year": ("År", "Year"),
    "party": ("Part", "Party"),
    "npv": ("Nettonuvärde (kr)", "Net present value (SEK)"),
    "share": ("Andel av dragningarna", "Share of draws"),
    "payback": ("Återbetalning", "Payback"),
    "cost": ("Kostnad", "Cost"),
    "benefit": ("Nytta", "Benefit"),
    "low": ("Lågt värde (P10)", "Low value (P10)"),
    "high": ("Högt värde (P90)", "High value (P90)"),
    "treated": ("Insatsområdet", "Treated"),
    "counterfactual_did": (
        "Jämförelseenheterna, på insatsområdets nivå",
        "Comparison units, at the treated level",
    ),
    "counterfactual_synthetic_control": ("Syntetisk kontroll", "Synthetic control"),
    "counterfactual_sdid": (
        "Viktade jämförelseenheter, på insatsområdets nivå",
        "Weighted comparison units, at the treated level",
    ),
    "counterfactual_its": ("Trenden före start, förlängd", "Pre-start trend, extended"),
}


def _t(key: str, lang: str) -> str:
    return TEXT[key][0 if lang == "sv" else 1]


def _title(
    result: InvestmentResult, key: str, lang: str, extra: str | None = None
) -> dict[str, Any]:
    name = (
        result.title_en if lang == "en" and result.title_en else result.title
    ) or result.initiative
    subtitle = [name]
    if extra:
        subtitle.append(extra)
    if result.fictitious:
        subtitle.append(FICTITIOUS_SV if lang == "sv" else FICTITIOUS_EN)
    return {"text": _t(key, lang), "subtitle": subtitle}


def cash_flow_chart(result: InvestmentResult, lang: str = "sv") -> dict[str, Any]:
    """Stacked bars per year: benefits by bearer above zero, costs by payer below."""
    s = result.settings
    rows = [
        {
            "year": r.year,
            "party": r.label_sv if lang == "sv" else r.label_en,
            "kind": _t(r.kind, lang),
            "amount": r.amount if r.kind == "benefit" else -r.amount,
        }
        for r in result.cash_flows
    ]
    return {
        "$schema": SCHEMA,
        "title": _title(
            result, "cash_title", lang, f"{_t('sek', lang)}, {result.settings.price_year}"
        ),
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            # Every year of the horizon on the axis, also those without flows.
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": _t("year", lang),
                "scale": {"domain": list(range(s.base_year, s.base_year + s.horizon))},
            },
            "y": {
                "field": "amount",
                "type": "quantitative",
                "aggregate": "sum",
                "title": _t("sek", lang),
            },
            "color": {"field": "party", "type": "nominal", "title": _t("party", lang)},
            "tooltip": [
                {"field": "year", "type": "ordinal"},
                {"field": "party", "type": "nominal"},
                {"field": "kind", "type": "nominal"},
                {"field": "amount", "type": "quantitative", "aggregate": "sum", "format": ",.0f"},
            ],
        },
    }


def cumulative_chart(
    result: InvestmentResult, perspective: str = "society", lang: str = "sv"
) -> dict[str, Any]:
    """Cumulative discounted net value with its interval band, zero line and payback year."""
    rows = [r.model_dump() for r in result.cumulative if r.perspective == perspective]
    p = result.perspective(perspective)
    label = PERSPECTIVE_LABELS[perspective][0 if lang == "sv" else 1]
    level = round(result.settings.interval_level * 100)
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "area", "opacity": 0.25},
         "encoding": {"y": {"field": "lo", "type": "quantitative", "title": _t("npv", lang)}, "y2": {"field": "hi"}}},
        {"mark": {"type": "line", "point": True},
         "encoding": {"y": {"field": "central", "type": "quantitative"},
                      "tooltip": [{"field": "year"}, {"field": "central", "format": ",.0f"},
                                  {"field": "lo", "format": ",.0f"}, {"field": "hi", "format": ",.0f"}]}},
        {"data": {"values": [{"zero": 0}]}, "mark": {"type": "rule", "strokeDash": [4, 4]},
         "encoding": {"y": {"field": "zero", "type": "quantitative"}}},
    ]  # fmt: skip
    if p.payback_year is not None:
        layers.append(
            {"data": {"values": [{"year": p.payback_year, "label": f"{_t('payback', lang)} {p.payback_year}"}]},
             "layer": [{"mark": {"type": "rule", "color": "green"}},
                       {"mark": {"type": "text", "align": "left", "dx": 4, "dy": -6}, "encoding": {"text": {"field": "label"}}}],
             "encoding": {"x": {"field": "year", "type": "quantitative"}}}
        )  # fmt: skip
    return {
        "$schema": SCHEMA,
        "title": _title(result, "cum_title", lang, f"{label}; {level} % intervall / interval"),
        "data": {"values": rows},
        "encoding": {
            "x": {
                "field": "year",
                "type": "quantitative",
                "title": _t("year", lang),
                "axis": {"format": "d"},
            }
        },
        "layer": layers,
    }


def tornado_chart(
    result: InvestmentResult, top: int = TORNADO_TOP, lang: str = "sv"
) -> dict[str, Any]:
    """Horizontal bars from the NPV at each parameter's low value to its high value."""
    base = result.perspective("society").npv
    rows = []
    for r in result.tornado[:top]:
        label = r.label_sv if lang == "sv" else r.label_en
        rows.append(
            {
                "parameter": label,
                "end": _t("low", lang),
                "npv": r.npv_low,
                "base": base,
                "swing": r.swing,
            }
        )
        rows.append(
            {
                "parameter": label,
                "end": _t("high", lang),
                "npv": r.npv_high,
                "base": base,
                "swing": r.swing,
            }
        )
    return {
        "$schema": SCHEMA,
        "title": _title(result, "tornado_title", lang, PERSPECTIVE_LABELS["society"][0 if lang == "sv" else 1]),
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {
                 "y": {"field": "parameter", "type": "nominal", "sort": {"field": "swing", "order": "descending"}, "title": None, "axis": {"labelLimit": 360}},
                 "x": {"field": "npv", "type": "quantitative", "title": _t("npv", lang)},
                 "x2": {"field": "base"},
                 "color": {"field": "end", "type": "nominal", "title": None, "scale": {"domain": [_t("low", lang), _t("high", lang)]}},
                 "tooltip": [{"field": "parameter"}, {"field": "end"}, {"field": "npv", "format": ",.0f"}]}},
            {"mark": {"type": "rule"}, "encoding": {"x": {"field": "base", "type": "quantitative"}}},
        ],
    }  # fmt: skip


def distribution_chart(
    result: InvestmentResult, perspective: str = "society", lang: str = "sv"
) -> dict[str, Any]:
    """Histogram of the Monte Carlo NPV draws (pre-binned), zero marked, P(benefit > cost) said."""
    h = next(x for x in result.histograms if x.perspective == perspective)
    total = sum(h.counts) or 1
    rows = [
        {"from": lo, "to": hi, "share": c / total}
        for lo, hi, c in zip(h.edges[:-1], h.edges[1:], h.counts, strict=True)
    ]
    p = result.perspective(perspective)
    chance = round(p.p_benefits_exceed_costs * 100)
    said = (f"Sannolikhet att nyttan överstiger kostnaden: {chance} %" if lang == "sv"
            else f"Chance that benefits exceed costs: {chance}%")  # fmt: skip
    return {
        "$schema": SCHEMA,
        "title": _title(result, "dist_title", lang, said),
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"x": {"field": "from", "type": "quantitative", "bin": {"binned": True}, "title": _t("npv", lang)},
                          "x2": {"field": "to"},
                          "y": {"field": "share", "type": "quantitative", "title": _t("share", lang), "axis": {"format": "%"}}}},
            {"data": {"values": [{"zero": 0}]}, "mark": {"type": "rule", "color": "black", "strokeDash": [4, 4]},
             "encoding": {"x": {"field": "zero", "type": "quantitative"}}},
        ],
    }  # fmt: skip


def effect_chart(result: InvestmentResult, lang: str = "sv") -> dict[str, Any] | None:
    """The treated unit and its counterfactual over time, start marked (None without effect)."""
    e = result.effect
    if e is None or not e.series:
        return None
    rows = []
    for s in e.series:
        for key, value in (
            ("treated", s.treated),
            (f"counterfactual_{e.design}", s.counterfactual),
        ):
            if value is not None:
                rows.append(
                    {
                        "period": s.period,
                        "time": s.time,
                        "series": _t(key, lang),
                        "value": value,
                        "post": s.post,
                    }
                )
    # The start line between the last period before and the first period in effect.
    pre = [s.time for s in e.series if not s.post]
    post = [s.time for s in e.series if s.post]
    start = (max(pre) + min(post)) / 2 if pre and post else None
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "point": len(e.series) <= 40},
         "encoding": {"x": {"field": "time", "type": "quantitative", "title": _t("year", lang), "axis": {"format": "d"}},
                      "y": {"field": "value", "type": "quantitative", "scale": {"zero": False}, "title": (e.indicator_title_en if lang == "en" else None) or e.indicator_title or e.indicator},
                      "color": {"field": "series", "type": "nominal", "title": None, "scale": {"domain": [_t("treated", lang), _t(f"counterfactual_{e.design}", lang)]}},
                      "tooltip": [{"field": "period"}, {"field": "series"}, {"field": "value", "format": ".1f"}]}},
    ]  # fmt: skip
    if start is not None:
        layers.append({"data": {"values": [{"start": start}]}, "mark": {"type": "rule", "strokeDash": [4, 4]},
                       "encoding": {"x": {"field": "start", "type": "quantitative"}}})  # fmt: skip
    verdict = e.verdict.text_sv if lang == "sv" else e.verdict.text_en
    return {
        "$schema": SCHEMA,
        "title": _title(result, "effect_title", lang, verdict),
        "data": {"values": rows},
        "layer": layers,
    }


def chart_specs(result: InvestmentResult, lang: str = "sv") -> dict[str, dict[str, Any]]:
    """All charts for a result, by name (effect only when there is an effect estimate)."""
    out = {
        "cash_flows": cash_flow_chart(result, lang),
        "cumulative": cumulative_chart(result, "society", lang),
        "tornado": tornado_chart(result, lang=lang),
        "distribution": distribution_chart(result, "society", lang),
    }
    effect = effect_chart(result, lang)
    if effect is not None:
        out["effect"] = effect
    # The alt text travels in the specification (Vega-Lite's `description`), as the report's
    # charts carry theirs; `jamlik.invest.chart_text` also gives each chart's data as a table.
    from jamlik.invest.chart_text import chart_alt  # it reads this module's words

    for name, spec in out.items():
        spec["description"] = chart_alt(result, name, lang)
    return out

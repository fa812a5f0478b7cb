"""An investment's charts and tables for the report, from `jamlik.invest`'s own specifications.

The specifications come from `jamlik.invest.charts.chart_specs` (the ones the web shows) and
their alt texts and data from `jamlik.invest.chart_text`; here they only get the report's look
(size, palette, fonts) and their numbers the report's conventions. The chart's own title gives
way to the report's caption above it; a demo result keeps "Fiktiva exempeldata" on the chart,
so the mark travels with the picture if it is copied out of the report.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from jamlik.invest.chart_text import ChartTable, chart_table
from jamlik.invest.charts import chart_specs
from jamlik.invest.results import InvestmentResult
from jamlik.invest.text import indicator_title
from jamlik.invest.text import value as parameter_value
from jamlik.report.chartstyle import HEIGHT, MUTED, PALETTE, WIDTH, chart_config
from jamlik.report.document import Cell, Chart, Table
from jamlik.report.i18n import Lang, number, t

# The charts the chapter shows, in reading order (cash flows are the cost table's business,
# the distribution is said in words: the chance that benefits exceed costs).
SHOWN = ("cumulative", "tornado", "effect")
MONEY_DECIMALS = 2  # millions of kronor: to the nearest 10 000 kronor
PERIOD_TABLE_ROWS = 16  # a table by period this short is turned on its side on paper
TORNADO_WIDTH = 300  # pixels of plot beside up to 360 pixels of labels


def investment_charts(
    result: InvestmentResult, anchor: str, lang: Lang, hidden: frozenset[str] = frozenset()
) -> list[Chart]:
    """The chapter's charts for one result, not yet drawn (the document draws all at once).

    `hidden`: periods whose treated value the report's threshold suppresses; the chart leaves
    them out and the table says they are suppressed."""
    result = _without(result, hidden)
    specs = chart_specs(result, lang)
    charts = []
    for name in SHOWN:
        if name not in specs:
            continue
        data = chart_table(result, name, lang)
        table = _table(data, f"{anchor}-{name}", lang, hidden if name == "effect" else frozenset())
        spec = _styled(specs[name], name, result.fictitious, lang)
        charts.append(
            Chart(
                id=f"{anchor}-{name}",
                title=_caption(result, name, lang),
                alt=spec["description"],
                spec=spec,
                table=table,
                wide=name == "tornado",
            )
        )
    return charts


def _without(result: InvestmentResult, hidden: frozenset[str]) -> InvestmentResult:
    """The result with the treated values of `hidden` periods removed (a copy)."""
    effect = result.effect
    if effect is None or not hidden:
        return result
    series = [p.model_copy(update={"treated": None}) if p.period in hidden else p
              for p in effect.series]  # fmt: skip
    return result.model_copy(update={"effect": effect.model_copy(update={"series": series})})


def _caption(result: InvestmentResult, name: str, lang: Lang) -> str:
    if name == "effect" and result.effect is not None:
        e = result.effect
        return t("chart_effect", lang, indicator=indicator_title(e, lang))
    return t(f"chart_{name}", lang)


def _styled(spec: dict[str, Any], name: str, fictitious: bool, lang: Lang) -> dict[str, Any]:
    out = copy.deepcopy(spec)
    if name == "tornado":
        # Its height follows the number of bars; its long labels take width of their own, so
        # the plot is narrower and the whole stays legible at the page's width.
        out["width"] = TORNADO_WIDTH
        # Labels are measured in the renderer's font; a browser's sans-serif runs wider, and
        # right-aligned labels would run off the left edge without this margin.
        out["padding"] = {"left": 56, "top": 5, "right": 5, "bottom": 5}
    else:
        out["width"], out["height"] = WIDTH, HEIGHT
    config = chart_config()
    config["legend"] = {**config["legend"], "labelLimit": 320}  # "Jämförelseenheterna, på …"
    out["config"] = {**config, "range": {"category": list(PALETTE)}}
    if name == "tornado":  # amounts in kronor are long: fewer of them side by side
        out["config"]["axisX"] = {"tickCount": 3}
    out.pop("title", None)
    if fictitious:
        out["title"] = {"text": t("fictitious", lang), "fontSize": 11, "fontWeight": "normal",
                        "color": MUTED, "anchor": "start"}  # fmt: skip
    return out


def money_cell(x: float | None, lang: Lang) -> Cell:
    """An amount in millions of kronor (the CSV file gets the same millions, more decimals)."""
    if x is None or not math.isfinite(x):
        return Cell(t("missing", lang), None, numeric=True)
    millions = x / 1e6
    return Cell(number(millions, lang, MONEY_DECIMALS), round(millions, MONEY_DECIMALS + 4),
                numeric=True)  # fmt: skip


def _cell(value: Any, kind: str, lang: Lang) -> Cell:
    if value is None:
        return Cell(t("missing", lang), None, numeric=kind not in ("label", "period", "year"))
    if kind == "money":
        return money_cell(float(value), lang)
    if kind == "value":
        return Cell(parameter_value(float(value), lang), float(value), numeric=True)
    if kind == "number":
        return Cell(number(float(value), lang, 1), round(float(value), 3), numeric=True)
    if kind == "share":
        return Cell(number(float(value) * 100, lang, 1), round(float(value) * 100, 3),
                    numeric=True)  # fmt: skip
    return Cell(str(value), value)


def _table(data: ChartTable, table_id: str, lang: Lang, hidden: frozenset[str]) -> Table:
    columns = [
        t("money_column", lang, column=c) if kind == "money" else c
        for c, kind in zip(data.columns, data.kinds, strict=True)
    ]
    rows = [
        [_cell(v, kind, lang) for v, kind in zip(row, data.kinds, strict=True)] for row in data.rows
    ]
    for row in rows:  # the treated unit is the column after the period
        if row[0].value in hidden:
            row[1] = Cell(t("suppressed", lang), None, suppressed=True, numeric=True)
    by_period = data.kinds[0] in ("year", "period") and len(rows) <= PERIOD_TABLE_ROWS
    return Table(id=table_id, caption=data.caption, columns=columns, rows=rows,
                 by_period=by_period)  # fmt: skip

"""Charts with their data tables, drawn from the follow-up's series.

One function per chart kind turns follow-up objects into chart points (`jamlik.report.charts`)
and the table beside the chart (the web uses them too, for the specification and the table).
Both come from the same points, so the table says exactly what the chart draws. A point is shown
only when it was not suppressed and, as a second guard, when its population is not below the
report's threshold. CSV files get two more decimals than the printed tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from jamlik.followup.model import (
    GapFollowUp,
    IndicatorFollowUp,
    MeasurePoint,
    Point,
    ReachVsNeed,
    SubgroupSeries,
)
from jamlik.followup.texts import unit_words
from jamlik.measures import entry
from jamlik.report import charts
from jamlik.report.charts import mid_sentence
from jamlik.report.document import Cell, Chart, Table
from jamlik.report.i18n import Lang, number, t

LEVEL_DECIMALS = 1


def hidden(point: Point, min_population: float) -> bool:
    """True when a point must not be shown: suppressed upstream, or too few people behind it."""
    small = point.population is not None and point.population < min_population
    return point.suppressed or small


class Titled(Protocol):
    # Read-only members so frozen dataclasses (NodeStatus, IndicatorFollowUp, ...) satisfy it.
    @property
    def title_sv(self) -> str: ...

    @property
    def title_en(self) -> str: ...


def title(obj: Titled, lang: Lang) -> str:
    """The Swedish or English title of a follow-up object (`title_sv` / `title_en`)."""
    return obj.title_sv if lang == "sv" else (obj.title_en or obj.title_sv)


def value_cell(
    value: float | None, lang: Lang, decimals: int, suppressed: bool, secondary: bool = False
) -> Cell:
    """A numeric table cell; suppressed cells carry their words (and why) and no value."""
    if suppressed:
        word = t("suppressed_secondary" if secondary else "suppressed", lang)
        return Cell(word, None, suppressed=True, numeric=True)
    if value is None or not math.isfinite(value):
        return Cell(t("missing", lang), None, numeric=True)
    return Cell(number(value, lang, decimals), round(value, decimals + 2), numeric=True)


def gap_decimals(values: Sequence[float | None]) -> int:
    """Decimals that give about three significant digits on the largest value (0 to 3)."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v) and v != 0]
    if not finite:
        return 2
    return max(0, min(3, 2 - math.floor(math.log10(max(finite)))))


def _periods(points: Sequence[Point | MeasurePoint]) -> list[str]:
    by_time = {p.period: p.time for p in points}
    return sorted(by_time, key=lambda p: (by_time[p], p))


def unit_label(ind: IndicatorFollowUp, lang: Lang) -> str:
    """The indicator's unit in `lang` (procent / per cent, år / years, …)."""
    sv, en, _, _ = unit_words(ind.unit)
    return (sv if lang == "sv" else en) or ""


def level_chart(
    ind: IndicatorFollowUp,
    series: Sequence[SubgroupSeries],
    dimension_title: str,
    lang: Lang,
    min_population: float,
    *,
    multiples: bool = False,
) -> Chart | None:
    """Level by subgroup over time for one dimension of an indicator.

    `multiples` draws many groups (`charts.MULTIPLES_FROM` or more, e.g. ten districts) as
    small multiples instead of one line each in one plot: the reports ask for it (on paper ten
    colours cannot be told apart); the web keeps its one interactive plot."""
    if not series:
        return None
    ordered = sorted(enumerate(series), key=lambda s: (s[1].order is None, s[1].order or 0, s[0]))
    groups = [title(s, lang) for _, s in ordered]
    points: list[charts.Point] = []
    for (_, s), group in zip(ordered, groups, strict=True):
        for p in s.points:
            hide = hidden(p, min_population)
            points.append(
                charts.Point(
                    p.period, group, None if hide else p.estimate, suppressed=hide,
                    secondary=hide and p.secondary and not p.population_too_small(min_population),
                )
            )  # fmt: skip
    all_points = [p for _, s in ordered for p in s.points]
    periods = _periods(all_points)
    ind_title = title(ind, lang)
    unit = unit_label(ind, lang)
    many = multiples and len(groups) >= charts.MULTIPLES_FROM
    make_spec = charts.level_multiples_spec if many else charts.level_spec
    spec = make_spec(
        points,
        periods=periods,
        groups=groups,
        indicator=ind_title,
        dimension=dimension_title,
        unit=unit.capitalize(),
        lang=lang,
        decimals=LEVEL_DECIMALS,
    )
    lookup = {(p.group, p.period): p for p in points}
    rows = []
    for period in periods:
        row = [Cell(period, period)]
        for group in groups:
            p = lookup.get((group, period))
            row.append(
                value_cell(
                    p.value if p else None,
                    lang,
                    LEVEL_DECIMALS,
                    bool(p and p.suppressed),
                    bool(p and p.secondary),
                )  # fmt: skip
            )
        rows.append(row)
    chart_id = f"{ind.indicator}-{_dim_id(series)}-level"
    table = Table(
        id=chart_id,
        caption=t("level_table", lang, indicator=ind_title, dimension=mid_sentence(dimension_title))
        + (f" ({unit})" if unit else ""),
        columns=[t("period", lang), *groups],
        rows=rows,
        by_period=True,
    )
    heading = t("chart_level", lang, indicator=ind_title, dimension=mid_sentence(dimension_title))
    chart = _chart(chart_id, heading, spec, table)
    chart.wide = many  # the panels need the full text width
    return chart


def gap_chart(ind: IndicatorFollowUp, gap: GapFollowUp, lang: Lang) -> Chart | None:
    """The gap with its interval over time, and a reference line at no gap."""
    if not gap.series:
        return None
    ind_title = title(ind, lang)
    dimension = gap.dimension_title_sv if lang == "sv" else gap.dimension_title_en
    measure = gap.measure_name_sv if lang == "sv" else gap.measure_name_en
    decimals = gap_decimals([v for p in gap.series for v in (p.estimate, p.ci_lb, p.ci_ub)])
    points = [charts.Point(p.period, gap.measure, p.estimate, p.ci_lb, p.ci_ub) for p in gap.series]
    periods = _periods(gap.series)
    null_value = gap.trend.null_value if gap.trend.null_value is not None else 0.0
    spec = charts.gap_spec(
        points,
        periods=periods,
        measure=measure,
        null_value=null_value,
        indicator=ind_title,
        dimension=dimension,
        axis_title=_gap_axis(ind, gap.measure, measure, lang),
        lang=lang,
        conf_level=gap.trend.conf_level,
        decimals=decimals,
    )
    rows = [
        [
            Cell(p.period, p.period),
            value_cell(p.value, lang, decimals, False),
            value_cell(p.ci_lb, lang, decimals, False),
            value_cell(p.ci_ub, lang, decimals, False),
        ]
        for p in points
    ]
    chart_id = f"{ind.indicator}-{gap.dimension}-{gap.measure}".lower()
    table = Table(
        id=chart_id,
        caption=t(
            "gap_table",
            lang,
            measure=measure,
            indicator=mid_sentence(ind_title),
            dimension=mid_sentence(dimension),
        ),  # fmt: skip
        columns=[t("period", lang), measure, t("lower", lang), t("upper", lang)],
        rows=rows,
        by_period=True,
    )
    heading = t(
        "chart_gap", lang, indicator=ind_title, measure=mid_sentence(measure),
        dimension=mid_sentence(dimension),
    )  # fmt: skip
    return _chart(chart_id, heading, spec, table)


def reach_chart(rvn: ReachVsNeed, need_title: str, lang: Lang) -> Chart | None:
    """Reach per 1 000 against need, one point per district, with the table beside it."""
    if not rvn.areas:
        return None
    initiative = title(rvn, lang)
    points = [
        charts.ReachPoint(a.name, a.need, None if a.suppressed else a.rate_per_1000, a.suppressed)
        for a in rvn.areas
    ]
    spec = charts.reach_spec(
        points, initiative=initiative, need_title=need_title, period=rvn.period, lang=lang
    )
    rows = [
        [
            Cell(a.name, a.name),
            value_cell(a.need, lang, 1, False),
            value_cell(None if a.suppressed else a.reached, lang, 0, a.suppressed),
            value_cell(a.population, lang, 0, False),
            value_cell(None if a.suppressed else a.rate_per_1000, lang, 1, a.suppressed),
        ]
        for a in rvn.areas
    ]
    chart_id = f"{rvn.initiative}-reach-need".lower()
    table = Table(
        id=chart_id,
        caption=t("reach_table", lang, initiative=initiative, period=rvn.period),
        columns=[
            t("district", lang),
            need_title,
            t("reached", lang),
            t("population_target_group", lang),
            t("per_1000", lang),
        ],
        rows=rows,
    )
    heading = t("chart_reach", lang, initiative=initiative)
    return _chart(chart_id, heading, spec, table)


def _gap_axis(ind: IndicatorFollowUp, code: str, name: str, lang: Lang) -> str:
    try:
        kind = entry(code).kind
    except KeyError:
        kind = "relative"
    _, _, diff_sv, diff_en = unit_words(ind.unit)
    unit = diff_sv if lang == "sv" else diff_en
    if kind == "absolute" and unit:
        return t("gap_axis_unit", lang, measure=name, code=code, unit=unit)
    return t("gap_axis", lang, measure=name, code=code)


def _dim_id(series: Sequence[SubgroupSeries]) -> str:
    return series[0].dimension


def _chart(chart_id: str, heading: str, spec: dict, table: Table) -> Chart:
    """A chart not yet drawn (`jamlik.report.svg.draw_charts` draws a document's charts)."""
    return Chart(id=chart_id.lower(), title=heading, alt=spec["description"], spec=spec,
                 table=table)  # fmt: skip

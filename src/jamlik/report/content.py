"""From a follow-up to the report's document, in one language.

The follow-up has decided everything (statuses, verdicts, sentences, suppression, initiatives'
latest reach, whether the data are invented); this module chooses what goes where: the
summary, a chapter per target area, coverage, reach versus need, the social investments
(`jamlik.report.invest_content`) and the appendix.
"""

from __future__ import annotations

from datetime import date

from jamlik.followup.model import (
    FollowUp,
    IndicatorFollowUp,
    NodeStatus,
    ReachVsNeed,
    SubgroupSeries,
)
from jamlik.invest.text import method_note
from jamlik.measures import entry
from jamlik.programme import Programme
from jamlik.report import figures
from jamlik.report.council import council_summary
from jamlik.report.cycle_content import chapter_cycle
from jamlik.report.cycle_input import CycleRecords
from jamlik.report.document import (
    Chapter,
    Document,
    Fact,
    Finding,
    FindingGroup,
    GapBlock,
    IndicatorBlock,
    InitiativeLine,
    Method,
    ReachBlock,
    SourceLine,
    SummaryRow,
    anchor,
)
from jamlik.report.i18n import Lang, number, t
from jamlik.report.invest_content import investment_chapter
from jamlik.report.investments import InvestmentSelection
from jamlik.report.svg import draw_charts

CHAPTER_KIND = "target_area"
SUMMARY_KINDS = ("goal", "target_area", "focus_area")
COVERAGE_ORDER = (
    "node_without_initiative",
    "initiative_unlinked",
    "initiative_overdue",
    "indicator_without_target",
)
# Words the templates print that do not depend on the data.
TEMPLATE_LABELS = (
    "report_kind", "fictitious", "fictitious_note", "skip_link", "toc", "summary",
    "summary_intro", "status", "reasons", "level", "target", "flags", "initiatives",
    "initiatives_none", "initiative", "reach", "coverage", "coverage_intro", "coverage_none",
    "reach_need", "reach_need_intro", "reach_need_none", "appendix", "methods", "methods_intro",
    "sources", "sources_intro", "source", "suppression", "page", "flags_summary", "no_flags",
    "programme_part", "method_notes_intro", "measures", "interval", "costs",
    "economics", "break_even", "effect", "investment_followup", "cycle_assessments",
    "cycle_reports",
)  # fmt: skip


def build_document(
    fu: FollowUp,
    programme: Programme,
    lang: Lang,
    *,
    csv_folder: str | None = None,
    draw: bool = True,
    investments: InvestmentSelection | None = None,
    cycle: CycleRecords | None = None,
) -> Document:
    """The report's content for a follow-up and its programme, in `lang`.

    The follow-up carries everything the report prints about the programme (titles, statuses,
    initiatives' reach); `programme` is the one it was built from.

    `cycle` (`jamlik.report.cycle_input.read_cycle`) brings the follow-up cycle's approved
    assessments and initiative reports into the council summary and the chapters.
    `investments` (from `jamlik.report.investments.select_investments`) adds the
    social-investment chapter. `draw=False` leaves the charts' SVG empty (for callers that need
    only the specifications).
    """
    doc = Document(
        lang=lang,
        title=t("report_title", lang, year=fu.year),
        programme=fu.title_sv if lang == "sv" else fu.title_en,
        area=fu.area_name,
        year=fu.year,
        fictitious=fu.fictitious,
        generated=t("generated", lang, date=date.today().isoformat()),
        labels={key: t(key, lang) for key in TEMPLATE_LABELS},
    )
    doc.council = council_summary(fu, programme, lang, cycle)
    indicators = {i.indicator: i for i in fu.indicators}
    chapters = _chapter_nodes(fu)
    shown: dict[str, Chapter] = {}  # an indicator under two target areas is shown once
    for node in chapters:
        doc.chapters.append(_chapter(fu, node, indicators, lang, shown, cycle))
    leftover = _indicators_outside(fu, chapters)
    if leftover:
        doc.chapters.append(_overall_chapter(fu, leftover, indicators, lang))
    doc.summary = [_summary_row(n, lang) for n in fu.nodes if n.kind in SUMMARY_KINDS]
    doc.summary_flags = [_text(f, lang) for f in fu.flags if f.code == "worse_and_widening"]
    doc.coverage = _coverage(fu, lang)
    doc.reach = [_reach(r, indicators, lang) for r in fu.reach_vs_need]
    if investments is not None:
        doc.investments = investment_chapter(investments, lang)
    doc.methods = _methods(fu, lang)
    doc.method_notes = [Fact(_text(m, lang, "title"), _text(m, lang)) for m in fu.methods]
    if doc.investments is not None:
        doc.method_notes.append(Fact(*method_note(lang)))
    doc.sources = [SourceLine(s.source, s.attribution, s.url) for s in fu.sources]
    doc.suppression = t(
        "suppression_rule",
        lang,
        n=number(fu.min_population, lang, 0),
        word=t("suppressed", lang),
        word2=t("suppressed_secondary", lang),
    )
    if csv_folder:
        doc.csv_note = t("csv_note", lang, folder=csv_folder)
    if draw:
        draw_charts(doc.charts(), lang)
    return doc


def _text(obj: object, lang: Lang, field: str = "text") -> str:
    return getattr(obj, f"{field}_{lang}")


def _status(code: str, lang: Lang) -> str:
    return t(f"status_{code}", lang)


def _summary_row(node: NodeStatus, lang: Lang) -> SummaryRow:
    return SummaryRow(
        id=anchor(node.node),
        has_chapter=node.kind == CHAPTER_KIND,
        kind_label=t(f"kind_{node.kind}", lang),
        title=figures.title(node, lang),
        status=node.status,
        status_label=_status(node.status, lang),
        reason=_text(node, lang, "reason"),
    )


def _chapter_nodes(fu: FollowUp) -> list[NodeStatus]:
    return [n for n in fu.nodes if n.kind == CHAPTER_KIND]


def _indicators_outside(fu: FollowUp, chapters: list[NodeStatus]) -> list[str]:
    """Indicators the follow-up covers that no target area lists (e.g. the goal's own)."""
    inside = {i for n in chapters for i in n.indicators_below}
    return [i.indicator for i in fu.indicators if i.indicator not in inside]


def _chapter(
    fu: FollowUp,
    node: NodeStatus,
    indicators: dict[str, IndicatorFollowUp],
    lang: Lang,
    shown: dict[str, Chapter],
    cycle: CycleRecords | None = None,
) -> Chapter:
    heading, assessments, reports = chapter_cycle(fu, node, cycle, lang)
    chapter = Chapter(
        id=anchor(node.node),
        kind_label=t(f"kind_{node.kind}", lang),
        title=figures.title(node, lang),
        status=node.status,
        status_label=_status(node.status, lang),
        reason=_text(node, lang, "reason"),
        indicators=[],
        cycle_heading=heading,
        assessments=assessments,
        reports=reports,
    )
    for ind_id in node.indicators_below:
        if ind_id not in indicators:
            continue
        if ind_id in shown:
            chapter.indicators.append(_reference(indicators[ind_id], shown[ind_id], lang))
        else:
            chapter.indicators.append(_indicator(fu, indicators[ind_id], lang))
            shown[ind_id] = chapter
    return chapter


def _reference(ind: IndicatorFollowUp, where: Chapter, lang: Lang) -> IndicatorBlock:
    """A short entry for an indicator already shown under an earlier target area."""
    return IndicatorBlock(
        id=anchor(ind.indicator),
        title=figures.title(ind, lang),
        unit=figures.unit_label(ind, lang),
        status=ind.status,
        status_label=_status(ind.status, lang),
        reason=_text(ind, lang, "reason"),
        level_text=_text(ind.level, lang),
        targets=[],
        flags=[],
        gaps=[],
        initiatives=[],
        shown_in=f"{where.id}-{anchor(ind.indicator)}",
        shown_in_text=t("shown_in", lang, chapter=where.title),
    )


def _overall_chapter(
    fu: FollowUp,
    ids: list[str],
    indicators: dict[str, IndicatorFollowUp],
    lang: Lang,
) -> Chapter:
    """Indicators no target area lists: usually the goal's own, so the chapter is the goal's."""
    roots = [n for n in fu.nodes if n.depth == 0]
    root = roots[0] if roots else None
    return Chapter(
        id="overall",
        kind_label=t(f"kind_{root.kind}", lang) if root else "",
        title=figures.title(root, lang) if root else t("other_indicators", lang),
        status=root.status if root else "no_data",
        status_label=_status(root.status if root else "no_data", lang),
        reason=_text(root, lang, "reason") if root else "",
        indicators=[_indicator(fu, indicators[i], lang) for i in ids],
    )


def _indicator(fu: FollowUp, ind: IndicatorFollowUp, lang: Lang) -> IndicatorBlock:
    return IndicatorBlock(
        id=anchor(ind.indicator),
        title=figures.title(ind, lang),
        unit=figures.unit_label(ind, lang),
        status=ind.status,
        status_label=_status(ind.status, lang),
        reason=_text(ind, lang, "reason"),
        level_text=_text(ind.level, lang),
        targets=[_text(target, lang, "reason") for target in ind.targets]
        or [_text(ind, lang, "target_reason")],
        flags=[_text(f, lang) for f in ind.flags],
        gaps=_gaps(fu, ind, lang),
        initiatives=[_initiative(i, fu, lang) for i in ind.initiatives],
    )


def _gaps(fu: FollowUp, ind: IndicatorFollowUp, lang: Lang) -> list[GapBlock]:
    """The headline gap of every dimension of the area followed, each with its level chart."""
    by_dimension: dict[str, list[SubgroupSeries]] = {}
    for series in ind.subgroups:
        by_dimension.setdefault(series.dimension, []).append(series)
    blocks = []
    for gap in ind.gaps:
        if gap.area != ind.area or not gap.headline:
            continue
        dimension = gap.dimension_title_sv if lang == "sv" else gap.dimension_title_en
        level = figures.level_chart(
            ind, by_dimension.get(gap.dimension, []), dimension, lang, fu.min_population,
            multiples=True,
        )  # fmt: skip
        blocks.append(
            GapBlock(
                id=anchor(f"{ind.indicator}-{gap.dimension}"),
                indicator_id=ind.indicator,
                dimension_id=gap.dimension,
                measure_code=gap.measure,
                dimension=dimension,
                measure=gap.measure_name_sv if lang == "sv" else gap.measure_name_en,
                verdict=gap.trend.verdict,
                verdict_label=t(f"verdict_{gap.trend.verdict}", lang),
                sentence=_text(gap.trend, lang),
                level=level,
                gap=figures.gap_chart(ind, gap, lang),
            )
        )
    return blocks


def _initiative(initiative_id: str, fu: FollowUp, lang: Lang) -> InitiativeLine:
    try:
        ini = fu.initiative(initiative_id)
    except KeyError:  # an initiative the follow-up does not know: show its id, claim nothing
        return InitiativeLine(initiative_id, initiative_id, "", "", t("no_reach", lang))
    if ini.reach_period is None:
        reach_text = t("no_reach", lang)
    elif ini.reach_suppressed:
        reach_text = t("reached_hidden", lang, period=ini.reach_period, word=t("suppressed", lang))
    else:
        reach_text = t("reached_people", lang, n=number(ini.reached, lang, 0),
                       period=ini.reach_period)  # fmt: skip
    return InitiativeLine(
        id=ini.initiative,
        title=_text(ini, lang, "title"),
        status=ini.status or "",
        status_label=" · ".join(
            [t(f"initiative_{ini.status}", lang)] * bool(ini.status)
            + [t("initiative_past_end", lang)] * ini.past_end
        ),
        reach=reach_text,
    )


def _coverage(fu: FollowUp, lang: Lang) -> list[FindingGroup]:
    groups = []
    codes = [*COVERAGE_ORDER, *sorted({f.code for f in fu.coverage.findings} - set(COVERAGE_ORDER))]
    for code in codes:
        found = [f for f in fu.coverage.findings if f.code == code]
        if found:
            groups.append(
                FindingGroup(
                    heading=t(f"coverage_{code}", lang),
                    findings=[Finding(figures.title(f, lang), _text(f, lang)) for f in found],
                )
            )
    return groups


def _reach(rvn: ReachVsNeed, indicators: dict[str, IndicatorFollowUp], lang: Lang) -> ReachBlock:
    need = indicators.get(rvn.need_indicator)
    need_title = figures.title(need, lang) if need else rvn.need_indicator
    if need is not None and figures.unit_label(need, lang):
        need_title = f"{need_title} ({figures.unit_label(need, lang)})"
    return ReachBlock(
        id=anchor(f"reach-{rvn.initiative}"),
        title=figures.title(rvn, lang),
        verdict=t(f"reach_verdict_{rvn.verdict}", lang),
        sentence=_text(rvn, lang),
        chart=figures.reach_chart(rvn, need_title, lang),
    )


def _methods(fu: FollowUp, lang: Lang) -> list[Method]:
    out = []
    for code in fu.measures:
        try:
            e = entry(code)
        except KeyError:
            continue
        out.append(
            Method(
                code=e.code,
                name=e.name_sv if lang == "sv" else e.name_en,
                interpretation=e.interpretation_sv if lang == "sv" else e.interpretation_en,
                interval=e.interval_sv if lang == "sv" else e.interval,
                reference=e.reference,
            )
        )
    return out

"""The summary for the municipal executive board and council (sammanfattning för
kommunstyrelsen och kommunfullmäktige): two to four pages at the front of the report.

It says, in plain words and in this order: the goal; how the gaps changed (counts of narrowing,
widening and unclear gaps, and the ones that matter most); what the actors judged (approved
node assessments and initiative reports of the follow-up cycle, when there are any; otherwise
the computed statuses, marked as computed); and what needs decisions (widening gaps that no
initiative addresses, strategies without initiatives, overdue corrective actions, initiatives
past their end date).

Nothing here is computed anew: every fact comes from the follow-up (`jamlik.followup`) or the
cycle's approved records (`jamlik.report.cycle_input`). Lists are cut to a few items with a
"and N more" line, so the summary stays within its pages whatever the programme's size.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from jamlik.followup.model import FollowUp, GapFollowUp, IndicatorFollowUp, NodeStatus, Verdict
from jamlik.programme import Programme
from jamlik.report import figures
from jamlik.report.charts import mid_sentence
from jamlik.report.cycle_input import CycleRecords
from jamlik.report.document import (
    Cell,
    CouncilSection,
    CouncilSummary,
    Finding,
    FindingGroup,
    Table,
)
from jamlik.report.i18n import Lang, t

COUNCIL_ID = "council-summary"
MAX_WIDENING = 5  # the most important widening gaps named in the summary
MAX_NARROWING = 3
MAX_DECISIONS = 6  # items per kind of decision before "and N more"
MAX_TEXT = 420  # characters of a person's assessment quoted in the summary
VERDICTS: tuple[Verdict, ...] = ("narrowing", "widening", "no clear change", "too few points")
STRATEGY_KINDS = ("strategy",)


def council_summary(
    fu: FollowUp, programme: Programme, lang: Lang, cycle: CycleRecords | None = None
) -> CouncilSummary:
    """The council summary of a follow-up (and of the cycle's approved records, if given)."""
    gaps = _headline_gaps(fu)
    return CouncilSummary(
        id=COUNCIL_ID,
        title=t("council_title", lang),
        intro=t("council_intro", lang, year=fu.year),
        sections=[
            _goal(fu, programme, lang),
            _gap_section(fu, gaps, lang),
            _actors(fu, lang, cycle),
            _decisions(fu, gaps, lang, cycle),
        ],
    )


def _headline_gaps(fu: FollowUp) -> list[tuple[IndicatorFollowUp, GapFollowUp]]:
    """Every headline gap of the area followed (one per indicator and dimension), as the
    report's chapters show them."""
    return [
        (ind, gap)
        for ind in fu.indicators
        for gap in ind.gaps
        if gap.area == ind.area and gap.headline
    ]


def _root(fu: FollowUp) -> NodeStatus | None:
    roots = [n for n in fu.nodes if n.depth == 0]
    return roots[0] if roots else None


def _goal(fu: FollowUp, programme: Programme, lang: Lang) -> CouncilSection:
    root = _root(fu)
    paragraphs: list[str] = []
    groups: list[FindingGroup] = []
    if root is not None:
        node = next((n for n in programme.nodes if n.id == root.node), None)
        description = None
        if node is not None:
            description = node.description_en if lang == "en" else node.description
            description = description or node.description
        title = figures.title(root, lang)
        paragraphs.append(f"{title}. {description}" if description else f"{title}.")
        status = t(f"status_{root.status}", lang)
        paragraphs.append(t("council_goal_status", lang, status=status.lower()))
    areas = [n for n in fu.nodes if n.kind == "target_area"]
    if areas:
        groups.append(
            FindingGroup(
                heading="",
                findings=[
                    Finding(figures.title(n, lang), t(f"status_{n.status}", lang)) for n in areas
                ],
            )
        )
    return CouncilSection("council-goal", t("council_goal", lang), paragraphs, None, groups)


def _worse(fu: FollowUp) -> set[tuple[str, str | None]]:
    return {(f.indicator, f.dimension) for f in fu.flags if f.code == "worse_and_widening"}


def _strength(gap: GapFollowUp) -> float:
    """How clearly a gap moved: the trend's slope in standard errors (0 when unknown)."""
    slope, se = gap.trend.slope, gap.trend.se
    if slope is None or not se:
        return 0.0
    return abs(slope) / se


def _dimension(gap: GapFollowUp, lang: Lang) -> str:
    return mid_sentence(gap.dimension_title_sv if lang == "sv" else gap.dimension_title_en)


def _gap_findings(
    gaps: list[tuple[IndicatorFollowUp, GapFollowUp]],
    lang: Lang,
    worse: set[tuple[str, str | None]],
) -> list[Finding]:
    """One line per indicator, naming every dimension whose gap moved that way, in the order
    the gaps come (most important first)."""
    by_indicator: dict[str, list[tuple[IndicatorFollowUp, GapFollowUp]]] = {}
    for ind, gap in gaps:
        by_indicator.setdefault(ind.indicator, []).append((ind, gap))
    out = []
    for items in by_indicator.values():
        ind, first_gap = items[0]
        dims = [_dimension(g, lang) for _, g in items]
        joined = dims[0] if len(dims) == 1 else ", ".join(dims[:-1]) + t("and", lang) + dims[-1]
        trend = first_gap.trend
        text = t(f"council_gap_{trend.verdict}", lang, dimension=joined,
                 first=trend.first or "", last=trend.last or "")  # fmt: skip
        if trend.verdict == "widening" and any((ind.indicator, g.dimension) in worse
                                               for _, g in items):  # fmt: skip
            text += t("council_gap_worse", lang)
        out.append(Finding(figures.title(ind, lang), _capital(text)))
    return out


def _cut(findings: list[Finding], limit: int, lang: Lang) -> list[Finding]:
    if len(findings) <= limit:
        return findings
    return [*findings[:limit], Finding("", t("council_more", lang, n=len(findings) - limit))]


def _gap_section(
    fu: FollowUp, gaps: list[tuple[IndicatorFollowUp, GapFollowUp]], lang: Lang
) -> CouncilSection:
    counts = Counter(gap.trend.verdict for _, gap in gaps)
    few = counts["too few points"]
    sentence = t(
        "council_gaps_sentence", lang, n=len(gaps), narrowing=counts["narrowing"],
        widening=counts["widening"], unclear=counts["no clear change"],
        few=t("council_gaps_few", lang, n=few) if few else "",
    )  # fmt: skip
    table = Table(
        id="council-gaps",
        caption=t("council_gaps_table", lang),
        columns=[t("council_gaps_direction", lang), t("council_gaps_count", lang)],
        rows=[
            [Cell(t(f"verdict_{v}", lang), v), Cell(str(counts[v]), counts[v], numeric=True)]
            for v in VERDICTS
        ],
    )
    worse = _worse(fu)
    # Most important first: widening while the level worsens, then the clearest trends.
    widening = sorted(
        (g for g in gaps if g[1].trend.verdict == "widening"),
        key=lambda g: ((g[0].indicator, g[1].dimension) not in worse, -_strength(g[1])),
    )
    narrowing = sorted(
        (g for g in gaps if g[1].trend.verdict == "narrowing"), key=lambda g: -_strength(g[1])
    )
    groups = []
    if widening:
        groups.append(
            FindingGroup(
                t("council_widening", lang),
                _cut(_gap_findings(widening, lang, worse), MAX_WIDENING, lang),
            )
        )
    if narrowing:
        groups.append(
            FindingGroup(
                t("council_narrowing", lang),
                _cut(_gap_findings(narrowing, lang, worse), MAX_NARROWING, lang),
            )
        )
    return CouncilSection("council-gaps", t("council_gaps", lang), [sentence], table, groups)


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    if len(text) <= MAX_TEXT:
        return text
    return text[: MAX_TEXT - 1].rsplit(" ", 1)[0] + " …"


def _actors(fu: FollowUp, lang: Lang, cycle: CycleRecords | None) -> CouncilSection:
    heading = t("council_actors", lang)
    areas = [n for n in fu.nodes if n.kind in ("goal", "target_area")]
    if cycle is None or not (cycle.assessments or cycle.reports):
        findings = [
            Finding(
                figures.title(n, lang),
                f"{t(f'status_{n.status}', lang)} ({t('council_computed', lang)}). "
                + (n.reason_sv if lang == "sv" else n.reason_en),
            )
            for n in areas
        ]
        return CouncilSection(
            "council-actors", heading, [t("council_actors_none", lang)], None,
            [FindingGroup("", findings)],
        )  # fmt: skip
    by_node = {a.node_id: a for a in cycle.assessments}
    findings = []
    for n in areas:
        a = by_node.get(n.node)
        computed = t(f"status_{n.status}", lang)
        if a is None:
            findings.append(
                Finding(figures.title(n, lang),
                        t("council_no_assessment", lang, status=computed.lower()))
            )  # fmt: skip
            continue
        judged = cycle.word(a.judged_status, lang) if a.judged_status else ""
        parts = [
            f"{judged[:1].upper()}{judged[1:]} ({t('council_judged', lang)})." if judged else ""
        ]
        parts.append(_short(a.judgement or a.analysis))
        if a.judged_reason and a.overrides_proposal:
            parts.append(_short(a.judged_reason))
        findings.append(Finding(figures.title(n, lang), " ".join(p for p in parts if p)))
    paragraphs = [t("council_actors_period", lang, period=cycle.period)]
    if cycle.reports:
        counts = Counter(r.status for r in cycle.reports if r.status)
        words = ", ".join(f"{k} {cycle.word(code, lang)}" for code, k in counts.most_common())
        paragraphs.append(t("council_reports_counts", lang, n=len(cycle.reports), counts=words))
    groups = [FindingGroup("", findings)]
    troubled = [r for r in cycle.reports if r.status in ("at_risk", "delayed", "not_assessable")]
    if troubled:
        groups.append(
            FindingGroup(
                t("council_troubled", lang),
                _cut(
                    [
                        Finding(
                            cycle.initiative_title(r, lang),
                            f"{cycle.word(r.status, lang)}: {_short(r.status_comment)}",
                        )
                        for r in troubled
                    ],  # fmt: skip
                    MAX_DECISIONS,
                    lang,
                ),
            )
        )
    return CouncilSection("council-actors", heading, paragraphs, None, groups)


def _decisions(
    fu: FollowUp,
    gaps: list[tuple[IndicatorFollowUp, GapFollowUp]],
    lang: Lang,
    cycle: CycleRecords | None,
) -> CouncilSection:
    groups: list[FindingGroup] = []
    alone = [
        Finding(figures.title(ind, lang),
                _capital(t("council_widening_alone_text", lang, dimension=_dimension(gap, lang))))
        for ind, gap in gaps
        if gap.trend.verdict == "widening" and not ind.initiatives
    ]  # fmt: skip
    if alone:
        groups.append(
            FindingGroup(t("council_widening_alone", lang), _cut(alone, MAX_DECISIONS, lang))
        )
    strategies = _strategies_alone(fu, lang)
    if strategies:
        groups.append(FindingGroup(t("council_strategies_alone", lang), strategies))
    if cycle is not None and cycle.actions_overdue:
        actions = [
            Finding(_short(a.text), _capital(t(
                "council_action_text", lang, due=a.due.isoformat() if a.due else "",
                owner=t("council_action_owner", lang, owner=cycle.actor_name(a.owner_id))
                if a.owner_id else "",
            )))
            for a in cycle.actions_overdue
        ]  # fmt: skip
        groups.append(
            FindingGroup(t("council_actions_overdue", lang), _cut(actions, MAX_DECISIONS, lang))
        )
    ended = [
        Finding(figures.title(f, lang), f.text_sv if lang == "sv" else f.text_en)
        for f in fu.coverage.findings
        if f.code == "initiative_overdue"
    ]
    if ended:
        groups.append(
            FindingGroup(t("council_initiatives_ended", lang), _cut(ended, MAX_DECISIONS, lang))
        )
    paragraphs = [] if groups else [t("council_decisions_none", lang)]
    return CouncilSection(
        "council-decisions", t("council_decisions", lang), paragraphs, None, groups
    )


def _strategies_alone(fu: FollowUp, lang: Lang) -> list[Finding]:
    """Strategies without any initiative, one line per target area (or focus area) above them:
    "3 of 7 have no initiative: …"."""
    nodes = {n.node: n for n in fu.nodes}
    without = {f.item for f in fu.coverage.findings if f.code == "node_without_initiative"}
    by_parent: dict[str, list[NodeStatus]] = defaultdict(list)
    for n in fu.nodes:
        if n.kind in STRATEGY_KINDS and n.parent is not None:
            by_parent[n.parent].append(n)
    out = []
    for parent_id, children in by_parent.items():
        lacking = [c for c in children if c.node in without]
        if not lacking or parent_id not in nodes:
            continue
        titles = "; ".join(figures.title(c, lang) for c in lacking)
        out.append(
            Finding(
                figures.title(nodes[parent_id], lang),
                t(
                    "council_strategies_alone_text",
                    lang,
                    n=len(lacking),
                    total=len(children),
                    titles=titles,
                ),
            )  # fmt: skip
        )
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

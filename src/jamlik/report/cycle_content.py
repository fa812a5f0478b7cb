"""The follow-up cycle inside a target area's chapter: the approved assessments of the area and
of the strategies under it, and the approved reports of the initiatives serving it, beside the
indicators the chapter shows.

A judged status is printed beside the status the roll-up rule computed, each named for what it
is; neither replaces the other. Reach from a report is printed as a total only, and hidden like
every other count when it rests on fewer people than the report's threshold.
"""

from __future__ import annotations

from typing import Any

from jamlik.followup.model import FollowUp, NodeStatus
from jamlik.report import figures
from jamlik.report.cycle_input import CycleRecords
from jamlik.report.document import CycleBlock, Fact, anchor
from jamlik.report.i18n import Lang, number, t


def below(fu: FollowUp, node_id: str) -> list[NodeStatus]:
    """The node and every node under it, in the follow-up's order."""
    children: dict[str, list[str]] = {}
    for n in fu.nodes:
        if n.parent is not None:
            children.setdefault(n.parent, []).append(n.node)
    wanted, stack = set(), [node_id]
    while stack:
        current = stack.pop()
        wanted.add(current)
        stack.extend(children.get(current, []))
    return [n for n in fu.nodes if n.node in wanted]


def chapter_cycle(
    fu: FollowUp, node: NodeStatus, cycle: CycleRecords | None, lang: Lang
) -> tuple[str, list[CycleBlock], list[CycleBlock]]:
    """(heading, assessments, reports) for a target area's chapter; empty without records."""
    if cycle is None:
        return "", [], []
    nodes = below(fu, node.node)
    by_node = {a.node_id: a for a in cycle.assessments}
    assessments = [_assessment(n, by_node[n.node], cycle, lang) for n in nodes if n.node in by_node]
    initiatives = set(node.initiatives_below)
    reports = [
        _report(r, cycle, lang, fu.min_population)
        for r in cycle.reports
        if r.initiative_id in initiatives
    ]
    if not (assessments or reports):
        return "", [], []
    return t("cycle_heading", lang, period=cycle.period), assessments, reports


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _assessment(node: NodeStatus, a: Any, cycle: CycleRecords, lang: Lang) -> CycleBlock:
    judged = cycle.word(a.judged_status, lang) if a.judged_status else t("cycle_none", lang)
    computed = cycle.word(a.computed_status, lang) if a.computed_status else t("cycle_none", lang)
    line = t("cycle_status_line", lang, judged=judged, computed=computed)
    facts = [
        Fact(t(label, lang), text)
        for label, text in (
            ("cycle_analysis", a.analysis),
            ("cycle_judgement", a.judgement),
            ("cycle_measures", a.measures),
            ("cycle_judged_reason", a.judged_reason),
        )
        if text
    ]
    title = f"{t(f'kind_{node.kind}', lang)}: {figures.title(node, lang)}"
    return CycleBlock(anchor(f"assessment-{node.node}"), title, line, facts)


def _report(r: Any, cycle: CycleRecords, lang: Lang, min_population: float) -> CycleBlock:
    status = _capital(cycle.word(r.status, lang)) if r.status else t("cycle_none", lang)
    facts = [
        Fact(t(label, lang), text)
        for label, text in (
            ("cycle_comment", r.status_comment),
            ("cycle_done", r.done),
            ("cycle_next", r.next_steps),
        )
        if text
    ]
    if r.money_used_sek is not None:
        used = number(r.money_used_sek, lang, 0)
        money = (
            t("cycle_money_of", lang, used=used, budget=number(r.budget_sek, lang, 0))
            if r.budget_sek
            else t("cycle_money", lang, used=used)
        )
        facts.append(Fact(t("cycle_money_label", lang), money))
    totals = [c.reached for c in r.reach if c.dimension == "total" and c.subgroup == "total"]
    if totals:
        reached = sum(totals)
        text = (
            t("suppressed", lang)
            if 0 < reached < min_population
            else t("cycle_reached", lang, n=number(reached, lang, 0), areas=len(totals))
        )
        facts.append(Fact(t("reach", lang), text))
    owner = cycle.actor_name(r.actor_id) if r.actor_id else ""
    title = cycle.initiative_title(r, lang) + (f" ({owner})" if owner else "")
    line = t("cycle_report_status", lang, status=status)
    return CycleBlock(anchor(f"report-{r.initiative_id}"), title, line, facts)

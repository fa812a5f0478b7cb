"""Statuses with their reasons: one per indicator, one per programme node.

Indicator. Its signals are the level's change since the baseline (improved +, worsened −), the
trend of each headline gap of the area followed (narrowing +, widening −) and its targets (met
or on track +, off track −). Only good signals: "improving"; only bad: "worsening"; both:
"mixed"; data but no clear signal: "unchanged"; nothing to judge: "no_data".

Node. The indicators linked to the node or to any node below it, by their status: only
improving ones (among those with a clear signal): "improving"; only worsening: "worsening";
any mix, or any "mixed" indicator: "mixed"; none with a clear signal: "unchanged"; no indicator
with data: "no_data". The reason counts the indicators, names those worsening or mixed, and
counts the initiatives serving the node and the nodes below it. A status never comes without
its reason.
"""

from __future__ import annotations

from jamlik.followup import texts as tx
from jamlik.followup.model import (
    GapFollowUp,
    IndicatorFollowUp,
    LevelFollowUp,
    NodeStatus,
    TargetStatus,
)
from jamlik.programme import Programme

STATUS_WORDS: dict[str, tuple[str, str]] = {
    "improving": ("förbättras", "improving"),
    "worsening": ("försämras", "worsening"),
    "mixed": ("blandad bild", "mixed"),
    "unchanged": ("ingen säker förändring", "no clear change"),
    "no_data": ("saknar underlag", "no data"),
}
_ACTIVE = ("ongoing",)


def _combine(pos: int, neg: int, any_data: bool) -> str:
    if pos and neg:
        return "mixed"
    if pos:
        return "improving"
    if neg:
        return "worsening"
    return "unchanged" if any_data else "no_data"


def indicator_status(
    level: LevelFollowUp, gaps: list[GapFollowUp], targets: list[TargetStatus], base: str | None
) -> tuple[str, str, str]:
    """(status, reason_sv, reason_en) of one indicator (see the module docstring)."""
    pos = neg = 0
    sv: list[str] = []
    en: list[str] = []
    since_sv = f" sedan {base}" if base else ""
    since_en = f" since {base}" if base else ""
    level_words = {
        "improved": (f"nivån har förbättrats{since_sv}", f"the level has improved{since_en}"),
        "worsened": (f"nivån har försämrats{since_sv}", f"the level has worsened{since_en}"),
        "no clear change": (
            f"nivån har inte förändrats säkert{since_sv}",
            f"no clear change in the level{since_en}",
        ),
        "no data": ("nivån saknar jämförbara värden", "the level lacks comparable values"),
    }
    pos += level.verdict == "improved"
    neg += level.verdict == "worsened"
    any_data = level.verdict != "no data"
    sv.append(level_words[level.verdict][0])
    en.append(level_words[level.verdict][1])

    heads = [g for g in gaps if g.headline and g.area == level.area]
    by_verdict: dict[str, list[GapFollowUp]] = {}
    for g in heads:
        by_verdict.setdefault(g.trend.verdict, []).append(g)
    gap_words = {
        "narrowing": ("gapet minskar efter", "the gap is narrowing by"),
        "widening": ("gapet ökar efter", "the gap is widening by"),
        "no clear change": (
            "ingen säker förändring av gapet efter",
            "no clear change in the gap by",
        ),
        "too few points": ("för få mätpunkter för gapet efter", "too few points for the gap by"),
    }
    for verdict, (w_sv, w_en) in gap_words.items():
        found = by_verdict.get(verdict, [])
        if not found:
            continue
        sv.append(f"{w_sv} {tx.join([tx.lower_first(g.dimension_title_sv) for g in found], 'sv')}")
        en.append(f"{w_en} {tx.join([tx.lower_first(g.dimension_title_en) for g in found], 'en')}")
        pos += len(found) * (verdict == "narrowing")
        neg += len(found) * (verdict == "widening")
        any_data = any_data or verdict != "too few points"

    target_words = {
        "met": ("är nått", "is met"),
        "on_track": ("nås i nuvarande takt", "is on track"),
        "off_track": ("nås inte i nuvarande takt", "is off track"),
        "no_data": ("kan inte bedömas", "cannot be judged"),
    }
    for t in targets:
        pos += t.status in ("met", "on_track")
        neg += t.status == "off_track"
        any_data = any_data or t.status != "no_data"
        kind_sv = f"målet för gapet ({t.measure})" if t.measure else "målet"
        kind_en = f"the gap target ({t.measure})" if t.measure else "the target"
        words = target_words[t.status]
        sv.append(f"{kind_sv} för {t.year} {words[0]}")
        en.append(f"{kind_en} for {t.year} {words[1]}")
    if not targets:
        sv.append("inget mål är satt")
        en.append("no target is set")
    status = _combine(pos, neg, any_data)
    return status, tx.sentence("; ".join(sv)), tx.sentence("; ".join(en))


def _some(names: list[str], lang: str, most: int = 3) -> str:
    """Up to `most` names, then how many more."""
    if len(names) <= most:
        return tx.join(names, lang)
    rest = len(names) - most
    more = f"{rest} till" if lang == "sv" else f"{rest} more"
    return tx.join([*names[:most], more], lang)


def node_statuses(
    programme: Programme, indicators: dict[str, IndicatorFollowUp]
) -> list[NodeStatus]:
    """A status with its reason for every node of the programme, in tree order."""
    below_ind: dict[str, list[str]] = {}
    below_ini: dict[str, list[str]] = {}

    def gather(node_id: str) -> tuple[list[str], list[str]]:
        if node_id in below_ind:
            return below_ind[node_id], below_ini[node_id]
        node = programme.node(node_id)
        inds = dict.fromkeys(node.indicators)
        inis = dict.fromkeys(i.id for i in programme.initiatives_for(node_id))
        for child in programme.children(node_id):
            ci, cn = gather(child.id)
            inds.update(dict.fromkeys(ci))
            inis.update(dict.fromkeys(cn))
        below_ind[node_id], below_ini[node_id] = list(inds), list(inis)
        return below_ind[node_id], below_ini[node_id]

    out = []
    for depth, node in programme.walk():
        inds, inis = gather(node.id)
        status, counts, reason_sv, reason_en = _node_reason(programme, inds, inis, indicators)
        out.append(
            NodeStatus(
                node=node.id,
                kind=node.kind,
                title_sv=node.title,
                title_en=node.title_en or node.title,
                parent=node.parent,
                depth=depth,
                status=status,
                reason_sv=reason_sv,
                reason_en=reason_en,
                indicators=list(node.indicators),
                indicators_below=inds,
                initiatives=[i.id for i in programme.initiatives_for(node.id)],
                initiatives_below=inis,
                counts=counts,
            )
        )
    return out


def _node_reason(programme, inds, inis, indicators) -> tuple[str, dict[str, int], str, str]:
    followed = [indicators[i] for i in inds if i in indicators]
    counts = {code: 0 for code in STATUS_WORDS}
    for f in followed:
        counts[f.status] += 1
    with_data = [f for f in followed if f.status != "no_data"]
    if not with_data:
        status = "no_data"
        sv = ["inga indikatorer med värden är kopplade hit eller under"]
        en = ["no indicators with values are linked here or below"]
    else:
        mixed = counts["mixed"] or (counts["improving"] and counts["worsening"])
        status = (
            "mixed"
            if mixed
            else "improving"
            if counts["improving"]
            else "worsening"
            if counts["worsening"]
            else "unchanged"
        )
        n_sv, n_en = tx.count(len(followed), "indikator", "indikatorer", "indicator", "indicators")
        parts = [(c, counts[c]) for c in STATUS_WORDS if counts[c]]
        sv = [f"{n_sv}: " + ", ".join(f"{k} {STATUS_WORDS[c][0]}" for c, k in parts)]
        en = [f"{n_en}: " + ", ".join(f"{k} {STATUS_WORDS[c][1]}" for c, k in parts)]
        for code in ("worsening", "mixed"):
            names = [f for f in followed if f.status == code]
            if names:
                w_sv, w_en = STATUS_WORDS[code]
                sv.append(f"{w_sv}: {_some([f.title_sv for f in names], 'sv')}")
                en.append(f"{w_en}: {_some([f.title_en for f in names], 'en')}")
    if inis:
        active = sum(1 for i in inis if programme.initiative(i).status in _ACTIVE)
        i_sv, i_en = tx.count(len(inis), "insats", "insatser", "initiative", "initiatives")
        sv.append(f"{i_sv} här eller under, varav {active} pågående")
        en.append(f"{i_en} here or below, {active} ongoing")
    else:
        sv.append("ingen insats är kopplad hit eller under")
        en.append("no initiative is linked here or below")
    return status, counts, tx.sentence("; ".join(sv)), tx.sentence("; ".join(en))

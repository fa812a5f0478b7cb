"""Coverage: where the programme's own bookkeeping has holes.

- node_without_initiative: a strategy or an aim that no initiative serves, neither the node
  itself nor any node below it;
- initiative_unlinked: an initiative that names no programme node;
- initiative_overdue: an initiative past its end date and not marked completed or cancelled
  (as of `today`; `jamlik.programme.dates.past_end`, the rule of the lists' badge);
- indicator_without_target: an indicator the programme follows that has no target.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from jamlik.data import Indicator
from jamlik.followup import texts as tx
from jamlik.followup.model import Coverage, CoverageFinding
from jamlik.programme import Programme
from jamlik.programme.dates import past_end

COVERED_KINDS = ("strategy", "aim")
_KIND_WORDS = {"strategy": ("strategin", "the strategy"), "aim": ("inriktningen", "the aim")}


def coverage(programme: Programme, indicators: list[Indicator], today: date) -> Coverage:
    """Every coverage finding of a programme, with counts per kind of finding."""
    findings = [
        *_nodes_without_initiative(programme),
        *_initiatives(programme, today),
        *_indicators_without_target(indicators),
    ]
    return Coverage(findings=findings, counts=dict(Counter(f.code for f in findings)))


def _nodes_without_initiative(programme: Programme) -> list[CoverageFinding]:
    served = {n for i in programme.initiatives for n in i.nodes}
    out = []
    for _, node in programme.walk():
        if node.kind not in COVERED_KINDS:
            continue
        below = [node.id]
        stack = [node.id]
        while stack:
            kids = [c.id for c in programme.children(stack.pop())]
            below += kids
            stack += kids
        if served.isdisjoint(below):
            word_sv, word_en = _KIND_WORDS[node.kind]
            title_en = node.title_en or node.title
            out.append(
                CoverageFinding(
                    code="node_without_initiative",
                    item=node.id,
                    item_kind="node",
                    title_sv=node.title,
                    title_en=title_en,
                    text_sv=tx.sentence(f"Ingen insats är kopplad till {word_sv} ”{node.title}”"),
                    text_en=tx.sentence(f"No initiative is linked to {word_en} “{title_en}”"),
                )
            )
    return out


def _initiatives(programme: Programme, today: date) -> list[CoverageFinding]:
    out = []
    for ini in programme.initiatives:
        title_en = ini.title_en or ini.title
        if not ini.nodes:
            out.append(
                CoverageFinding(
                    code="initiative_unlinked",
                    item=ini.id,
                    item_kind="initiative",
                    title_sv=ini.title,
                    title_en=title_en,
                    text_sv=tx.sentence(
                        f"Insatsen ”{ini.title}” är inte kopplad till någon del av programmet"
                    ),
                    text_en=tx.sentence(
                        f"The initiative “{title_en}” is not linked to any part of the programme"
                    ),
                )
            )
        end = ini.period.end if ini.period else None
        if end is not None and past_end(ini, today):  # the rule every list's badge follows
            marked_sv = (
                "är fortfarande markerad som pågående"
                if ini.status == "ongoing"
                else "är inte markerad som avslutad"
            )
            marked_en = (
                "is still marked ongoing" if ini.status == "ongoing" else "is not marked completed"
            )
            out.append(
                CoverageFinding(
                    code="initiative_overdue",
                    item=ini.id,
                    item_kind="initiative",
                    title_sv=ini.title,
                    title_en=title_en,
                    text_sv=tx.sentence(
                        f"Insatsen ”{ini.title}” skulle sluta {end.isoformat()} men {marked_sv}"
                    ),
                    text_en=tx.sentence(
                        f"The initiative “{title_en}” was to end on "
                        f"{end.isoformat()} but {marked_en}"
                    ),
                )
            )
    return out


def _indicators_without_target(indicators: list[Indicator]) -> list[CoverageFinding]:
    return [
        CoverageFinding(
            code="indicator_without_target",
            item=ind.id,
            item_kind="indicator",
            title_sv=ind.title,
            title_en=ind.title_en or ind.title,
            text_sv=tx.sentence(f"Indikatorn ”{ind.title}” har inget mål"),
            text_en=tx.sentence(f"The indicator “{ind.title_en or ind.title}” has no target"),
        )
        for ind in indicators
        if not ind.targets
    ]

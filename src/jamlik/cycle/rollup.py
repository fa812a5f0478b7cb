"""The roll-up rule (sammanvägd bedömning): the status a node's assessment is proposed, from
the statuses below it. A pure function; the person assessing confirms or overrides it.

THE RULE

1. Signals. Each of these counts once, as positive (+), partial (~) or negative (−):
   - each initiative serving the node (its report this period, submitted or approved):
     on_track (enligt plan) and completed (avslutad) +; at_risk (risk) ~; delayed (försenad)
     and cancelled (avbruten) −; not_assessable (kan ej bedömas) does not count;
   - each assessed child node (its judged status, else its computed one): good +, partly ~,
     not −, not_assessable does not count;
   - each indicator the node follows (its status in `jamlik.followup`): improving +, mixed and
     unchanged ~ (no clear change does not narrow a gap), worsening −, no_data does not count.
   Initiatives and indicators of nodes below that are not assessed themselves (priority areas,
   aims) count for the nearest assessed node above them; those of an assessed child count
   through the child's status only, never twice.
2. Status, with n = the number of counted signals:
   - n = 0: not_assessable (kan ej bedömas);
   - at least half of the n signals negative: not (inte i önskad riktning);
   - no negative signal and at least two thirds positive: good (i önskad riktning);
   - otherwise: partly (delvis i önskad riktning).
3. Initiatives expected to report that have not (missing, draft or returned) do not count;
   the reason says how many, so nobody mistakes silence for success.

Every signal weighs the same: ten initiatives on track and one worsening indicator give
"partly", because the rule must not let activity hide a widening gap, nor one indicator
hide ten initiatives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from jamlik.cycle.codes import word

POSITIVE, PARTIAL, NEGATIVE = "+", "~", "-"

INITIATIVE_SIGNAL: dict[str, str | None] = {
    "on_track": POSITIVE,
    "completed": POSITIVE,
    "at_risk": PARTIAL,
    "delayed": NEGATIVE,
    "cancelled": NEGATIVE,
    "not_assessable": None,
}
NODE_SIGNAL: dict[str, str | None] = {
    "good": POSITIVE,
    "partly": PARTIAL,
    "not": NEGATIVE,
    "not_assessable": None,
}
INDICATOR_SIGNAL: dict[str, str | None] = {
    "improving": POSITIVE,
    "mixed": PARTIAL,
    "unchanged": PARTIAL,
    "worsening": NEGATIVE,
    "no_data": None,
}
INDICATOR_WORDS = {
    "improving": ("förbättras", "improving"),
    "mixed": ("blandad bild", "mixed"),
    "unchanged": ("ingen säker förändring", "no clear change"),
    "worsening": ("försämras", "worsening"),
    "no_data": ("saknar underlag", "no data"),
}


@dataclass(frozen=True)
class Rollup:
    """The proposed status with its reason and the counts behind it."""

    status: str  # good | partly | not | not_assessable
    reason_sv: str
    reason_en: str
    positive: int = 0
    partial: int = 0
    negative: int = 0
    uncounted: int = 0
    missing: int = 0
    # source (initiatives, children, indicators) -> status code -> count
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _signals(codes: Sequence[str], table: dict[str, str | None], source: str) -> list[str | None]:
    unknown = sorted({c for c in codes if c not in table})
    if unknown:
        raise ValueError(f"unknown {source} status {unknown}; one of {sorted(table)}")
    return [table[c] for c in codes]


def _words(counts: Counter, lang: str, indicator: bool = False) -> str:
    parts = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        label = INDICATOR_WORDS[code][lang == "en"] if indicator else word(code, lang)
        parts.append(f"{n} {label}")
    return ", ".join(parts)


def roll_up(
    initiatives: Sequence[str] = (),
    children: Sequence[str] = (),
    indicators: Sequence[str] = (),
    *,
    missing: int = 0,
) -> Rollup:
    """The proposed status of a node from its initiatives' report statuses, its assessed
    children's statuses and its indicators' statuses, by the rule in the module docstring."""
    signals = (
        _signals(initiatives, INITIATIVE_SIGNAL, "initiative")
        + _signals(children, NODE_SIGNAL, "node")
        + _signals(indicators, INDICATOR_SIGNAL, "indicator")
    )
    pos, part, neg = (sum(s == k for s in signals) for k in (POSITIVE, PARTIAL, NEGATIVE))
    n = pos + part + neg
    if n == 0:
        status = "not_assessable"
    elif 2 * neg >= n:
        status = "not"
    elif neg == 0 and 3 * pos >= 2 * n:
        status = "good"
    else:
        status = "partly"

    groups = [
        ("initiatives", Counter(initiatives), ("insatser", "initiatives"), False),
        ("children", Counter(children), ("underliggande delar", "parts below"), False),
        ("indicators", Counter(indicators), ("indikatorer", "indicators"), True),
    ]
    detail_sv = [f"{sv}: {_words(c, 'sv', ind)}" for _, c, (sv, _en), ind in groups if c]
    detail_en = [f"{en}: {_words(c, 'en', ind)}" for _, c, (_sv, en), ind in groups if c]
    if n == 0:
        sv = "Inget underlag med bedömbar status"
        en = "Nothing below has a status that can be weighed"
    else:
        sv = f"{pos} av {n} underlag pekar i önskad riktning, {part} delvis och {neg} inte"
        en = f"{pos} of {n} signals point in the desired direction, {part} partly and {neg} not"
    if detail_sv:
        sv += f" ({'; '.join(detail_sv)})"
        en += f" ({'; '.join(detail_en)})"
    if missing:
        sv += (
            f". {missing} insats{'er' if missing != 1 else ''} har inte rapporterat och räknas inte"
        )
        en += f". {missing} initiative{'s' if missing != 1 else ''} not reported, not counted"
    sv += f". Förslag: {word(status, 'sv')}."
    en += f". Proposal: {word(status, 'en')}."
    return Rollup(
        status=status,
        reason_sv=sv,
        reason_en=en,
        positive=pos,
        partial=part,
        negative=neg,
        uncounted=len(signals) - n,
        missing=missing,
        counts={name: dict(c) for name, c, _w, _i in groups},
    )

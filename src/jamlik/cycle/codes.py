"""The follow-up cycle's fixed vocabularies: period kinds and states, levels, workflow states,
initiative report statuses and node assessment statuses, with their Swedish and English words.

Initiatives and nodes get different status scales on purpose. An initiative says how its own
work went (enligt plan, risk, försenad, avslutad, avbruten, kan ej bedömas). A node (strategy,
focus area, target area, the goal) is a judgement of a direction that many initiatives and
indicators feed; Swedish municipalities' annual reports say whether it is reached
"helt / delvis / inte", so nodes use good / partly / not / not_assessable.
"""

from __future__ import annotations

from typing import Literal, get_args

PeriodKind = Literal["year", "tertial", "half_year"]
PERIOD_KINDS: tuple[PeriodKind, ...] = get_args(PeriodKind)
PeriodState = Literal["open", "closed"]

# Deadline levels, in the order they report: each builds on the one before.
Level = Literal["initiative", "strategy", "target_area", "goal"]
LEVELS: tuple[Level, ...] = get_args(Level)

# Node kinds that get a written assessment, and the deadline level each reports at. Other kinds
# (priority areas, aims, prerequisites) are not assessed: their initiatives and indicators count
# towards the nearest assessed node above them.
ASSESSED_KINDS: dict[str, Level] = {
    "goal": "goal",
    "target_area": "target_area",
    "strategy": "strategy",
    "focus_area": "strategy",
}

WorkflowState = Literal["draft", "submitted", "returned", "approved"]
WORKFLOW_STATES: tuple[WorkflowState, ...] = get_args(WorkflowState)

ReportStatus = Literal["on_track", "at_risk", "delayed", "completed", "cancelled", "not_assessable"]
REPORT_STATUSES: tuple[ReportStatus, ...] = get_args(ReportStatus)

NodeStatus = Literal["good", "partly", "not", "not_assessable"]
NODE_STATUSES: tuple[NodeStatus, ...] = get_args(NodeStatus)

WORDS: dict[str, tuple[str, str]] = {
    # period kinds
    "year": ("år", "year"),
    "tertial": ("tertial", "four months"),
    "half_year": ("halvår", "half-year"),
    "open": ("öppen", "open"),
    "closed": ("stängd", "closed"),
    # levels
    "initiative": ("insatser", "initiatives"),
    "strategy": ("strategier och fokusområden", "strategies and focus areas"),
    "target_area": ("målområden", "target areas"),
    "goal": ("målet", "the goal"),
    # workflow
    "missing": ("saknas", "missing"),
    "draft": ("utkast", "draft"),
    "submitted": ("inskickad", "submitted"),
    "returned": ("återsänd", "returned"),
    "approved": ("godkänd", "approved"),
    # initiative statuses
    "on_track": ("enligt plan", "on track"),
    "at_risk": ("risk", "at risk"),
    "delayed": ("försenad", "delayed"),
    "completed": ("avslutad", "completed"),
    "cancelled": ("avbruten", "cancelled"),
    "not_assessable": ("kan ej bedömas", "cannot be assessed"),
    # node statuses
    "good": ("i önskad riktning", "in the desired direction"),
    "partly": ("delvis i önskad riktning", "partly in the desired direction"),
    "not": ("inte i önskad riktning", "not in the desired direction"),
}


def word(code: str, lang: str = "sv") -> str:
    """The plain word for a code (Swedish by default); the code itself when unknown."""
    sv, en = WORDS.get(code, (code, code))
    return en if lang == "en" else sv

"""What the report takes from the follow-up cycle (`jamlik.cycle`): the approved node
assessments, the approved initiative reports and the overdue corrective actions of the period
that covers the report's year.

Only approved records reach the report: a draft, a submitted or a returned record is never
printed, whoever builds the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CycleRecords:
    """The cycle's approved records for one period, as the report reads them."""

    period: str  # the period's label ("2025")
    assessments: Sequence[Any] = ()  # jamlik.cycle.model.Assessment, approved only
    reports: Sequence[Any] = ()  # jamlik.cycle.model.Report, approved only
    actions_overdue: Sequence[Any] = ()  # jamlik.cycle.model.Action
    actors: dict[str, str] = field(default_factory=dict)  # actor id → name in the language
    initiatives: dict[str, str] = field(default_factory=dict)  # initiative id → title
    words: dict[str, str] = field(default_factory=dict)  # status code → word in the language

    def word(self, code: str, lang: str) -> str:
        return self.words.get(code, code)

    def actor_name(self, actor_id: str | None) -> str:
        return self.actors.get(actor_id or "", actor_id or "")

    def initiative_title(self, report: Any, lang: str) -> str:
        return (
            self.initiatives.get(report.initiative_id)
            or report.initiative_title
            or (report.initiative_id)
        )

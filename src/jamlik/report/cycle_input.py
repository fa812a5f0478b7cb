"""What the report takes from the follow-up cycle (`jamlik.cycle`): the approved node
assessments, the approved initiative reports and the overdue corrective actions of the period
that covers the report's year.

Only approved records reach the report: a draft, a submitted or a returned record is never
printed, whoever builds the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
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


def pick_period(periods: Sequence[Any], year: int) -> Any | None:
    """The period a yearly report on `year` draws on: the one that ends last within the year
    (a whole year, or the year's last tertial or half-year); None when no period ends in it."""
    ending = [p for p in periods if p.end.year == year]
    if not ending:
        return None
    return max(ending, key=lambda p: (p.end, p.kind == "year", -p.start.toordinal()))


def read_cycle(
    workspace: Any, programme: Any, year: int, lang: str, *, today: date | None = None
) -> CycleRecords | None:
    """The approved records of the follow-up period that ends in `year` (None: no such period,
    or the workspace has no cycle tables yet). `programme` is the `jamlik.programme.Programme`
    (for actors' names and initiatives' titles)."""
    from sqlalchemy import inspect

    from jamlik.cycle import approved_assessments, approved_reports, list_actions, list_periods
    from jamlik.cycle.codes import WORDS
    from jamlik.cycle.tables import PeriodRow

    today = today or date.today()
    with workspace.session() as session:
        if not inspect(session.get_bind()).has_table(PeriodRow.__tablename__):
            return None
        period = pick_period(list_periods(session, programme.id), year)
        if period is None:
            return None
        assessments = approved_assessments(session, programme.id, period.id)
        reports = approved_reports(session, programme.id, period.id)
        # Overdue: due by the end of the period (or today, if earlier) and not followed up as
        # done, whichever period decided them.
        by = min(period.end, today)
        overdue = [
            a
            for a in list_actions(session, programme.id)
            if a.due is not None and a.due <= by and a.followup_done is not True
        ]
    index = 1 if lang == "en" else 0

    def name(obj: Any) -> str:
        return (getattr(obj, "name_en", None) if lang == "en" else None) or obj.name

    def title(obj: Any) -> str:
        return (getattr(obj, "title_en", None) if lang == "en" else None) or obj.title

    return CycleRecords(
        period=period.label,
        assessments=assessments,
        reports=reports,
        actions_overdue=overdue,
        actors={a.id: name(a) for a in programme.actors},
        initiatives={i.id: title(i) for i in programme.initiatives},
        words={code: words[index] for code, words in WORDS.items()},
    )

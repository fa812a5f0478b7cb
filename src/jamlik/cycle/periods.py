"""Follow-up periods: opening, closing (which locks everything in them) and reopening.

Deadlines are staggered by level so that each level can build on the one below: initiatives
report first, then strategies and focus areas, then target areas, then the goal. The defaults
count from the period's last day: 4, 6, 8 and 10 weeks after it (a year ending 31 December:
28 January, 11 February, 25 February, 11 March). Any of them may be set instead, as long as
the order holds.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.cycle.access import require_periods
from jamlik.cycle.codes import LEVELS, PERIOD_KINDS, Level, word
from jamlik.cycle.errors import CycleError, NotFound
from jamlik.cycle.model import Period
from jamlik.cycle.records import period_row, snapshot, text, trace, utcnow, who
from jamlik.cycle.tables import PeriodRow

DEFAULT_WEEKS: dict[Level, int] = {"initiative": 4, "strategy": 6, "target_area": 8, "goal": 10}
_PARTS = {"year": 1, "half_year": 2, "tertial": 3}
_LABEL_PART = {"year": "", "half_year": " H{n}", "tertial": " T{n}"}


def default_deadlines(end: date) -> dict[Level, date]:
    """The default deadline of each level: 4, 6, 8 and 10 weeks after the period's end."""
    return {level: end + timedelta(weeks=DEFAULT_WEEKS[level]) for level in LEVELS}


def period_span(kind: str, year: int, part: int = 1) -> tuple[date, date]:
    """First and last day of a year, a half-year (part 1–2) or a tertial (part 1–3)."""
    if kind not in PERIOD_KINDS:
        raise CycleError(
            f"Okänd periodtyp {kind!r} / unknown period kind: choose one of {', '.join(PERIOD_KINDS)}."
        )
    parts = _PARTS[kind]
    if not 1 <= part <= parts:
        raise CycleError(
            f"{word(kind)} {year} har delarna 1–{parts}, inte {part} / a {kind} has parts "
            f"1–{parts}, not {part}."
        )
    months = 12 // parts
    first = (part - 1) * months + 1
    last = first + months - 1
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def default_label(kind: str, year: int, part: int = 1) -> str:
    """ "Uppföljning 2026", "Uppföljning 2026 T2", "Uppföljning 2026 H1"."""
    return f"Uppföljning {year}" + _LABEL_PART[kind].format(n=part)


def to_period(row: PeriodRow) -> Period:
    return Period(
        id=row.id,
        programme_id=row.programme_id,
        label=row.label,
        kind=row.kind,
        start=row.start_date,
        end=row.end_date,
        deadlines={level: getattr(row, f"deadline_{level}") for level in LEVELS},
        state=row.state,
        created_at=row.created_at,
        created_by=row.created_by,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
    )


def _check_deadlines(deadlines: Mapping[Level, date], start: date) -> None:
    unknown = sorted(set(deadlines) - set(LEVELS))
    if unknown:
        raise CycleError(
            f"Okänd nivå {', '.join(unknown)} / unknown level: the levels are {', '.join(LEVELS)}."
        )
    ordered = [deadlines[level] for level in LEVELS]
    for i in range(1, len(LEVELS)):
        a, da, b, db = LEVELS[i - 1], ordered[i - 1], LEVELS[i], ordered[i]
        if db < da:
            raise CycleError(
                f"Sista dag för {word(b)} ({db}) ligger före den för {word(a)} ({da}): varje nivå "
                f"bygger på nivån under, så ordningen är {', '.join(word(x) for x in LEVELS)}. / "
                f"The deadline for {b} ({db}) is before the one for {a} ({da}); each level builds "
                "on the one below."
            )
    if ordered[0] < start:
        raise CycleError(
            f"Sista dag för insatser ({ordered[0]}) ligger före periodens början ({start}) / the "
            "initiatives' deadline is before the period starts."
        )


def open_period(
    session: Session,
    user,
    programme_id: str,
    label: str,
    kind: str,
    start: date,
    end: date,
    deadlines: Mapping[Level, date] | None = None,
    *,
    now: datetime | None = None,
) -> Period:
    """Open a new follow-up period on a programme. `deadlines` overrides some or all of the
    defaults (`default_deadlines(end)`). Audited as `open cycle_period`."""
    from jamlik.programme.tables import ProgrammeRow

    require_periods(user)
    if session.get(ProgrammeRow, programme_id) is None:
        raise NotFound(
            f"Inget program med id {programme_id!r} / no programme {programme_id!r}: see "
            "`jamlik programme list`."
        )
    label = text(label, "label") or ""
    if not label:
        raise CycleError("Perioden behöver ett namn / the period needs a label.")
    if kind not in PERIOD_KINDS:
        raise CycleError(
            f"Okänd periodtyp {kind!r} / unknown period kind: choose one of {', '.join(PERIOD_KINDS)}."
        )
    if end < start:
        raise CycleError(
            f"Perioden slutar ({end}) före den börjar ({start}) / the period ends before it starts."
        )
    taken = session.scalar(
        select(PeriodRow.id).where(PeriodRow.programme_id == programme_id, PeriodRow.label == label)
    )
    if taken is not None:
        raise CycleError(
            f"Programmet har redan en period som heter ”{label}” / the programme already has a "
            "period with this label: choose another label or use the existing period."
        )
    when = {**default_deadlines(end), **(deadlines or {})}
    _check_deadlines(when, start)
    at = now or utcnow()
    row = PeriodRow(
        programme_id=programme_id,
        label=label,
        kind=kind,
        start_date=start,
        end_date=end,
        state="open",
        created_at=at,
        created_by=who(user),
        **{f"deadline_{level}": when[level] for level in LEVELS},
    )
    session.add(row)
    session.flush()
    trace(session, user, "open", "cycle_period", row.id, None, snapshot(row), now=at)
    return to_period(row)


def set_deadlines(
    session: Session, user, period_id: int, deadlines: Mapping[Level, date], *, now=None
) -> Period:
    """Change some deadlines of an open period (audited)."""
    from jamlik.cycle.records import open_period_row

    require_periods(user)
    row = open_period_row(session, period_id)
    before = snapshot(row)
    when = {**{lv: getattr(row, f"deadline_{lv}") for lv in LEVELS}, **deadlines}
    _check_deadlines(when, row.start_date)
    for level in LEVELS:
        setattr(row, f"deadline_{level}", when[level])
    session.flush()
    trace(session, user, "edit", "cycle_period", row.id, before, snapshot(row), now=now)
    return to_period(row)


def close_period(session: Session, user, period_id: int, *, now: datetime | None = None) -> Period:
    """Close a period: from now on nothing in it (reports, assessments, corrective actions
    decided in it) can change; it is the official record. Audited as `close`."""
    require_periods(user)
    row = period_row(session, period_id)
    if row.state == "closed":
        raise CycleError(f"Perioden ”{row.label}” är redan stängd / the period is already closed.")
    before = snapshot(row)
    at = now or utcnow()
    row.state, row.closed_at, row.closed_by = "closed", at, who(user)
    session.flush()
    trace(session, user, "close", "cycle_period", row.id, before, snapshot(row), now=at)
    return to_period(row)


def reopen_period(
    session: Session, user, period_id: int, reason: str, *, now: datetime | None = None
) -> Period:
    """Reopen a closed period (process leader or administrator), giving a reason that the
    audit log keeps (`reopen`, with the reason in `after`)."""
    require_periods(user)
    row = period_row(session, period_id)
    reason = text(reason, "reason") or ""
    if not reason:
        raise CycleError(
            "Ange varför perioden öppnas igen / give a reason for reopening the period: it is "
            "kept in the audit log."
        )
    if row.state != "closed":
        raise CycleError(f"Perioden ”{row.label}” är inte stängd / the period is not closed.")
    before = snapshot(row)
    row.state, row.closed_at, row.closed_by = "open", None, None
    session.flush()
    trace(
        session, user, "reopen", "cycle_period", row.id, before,
        {**snapshot(row), "reason": reason}, now=now,
    )  # fmt: skip
    return to_period(row)


def get_period(session: Session, period_id: int) -> Period:
    """One period by id (`NotFound` otherwise)."""
    return to_period(period_row(session, period_id))


def find_period(session: Session, programme_id: str, label: str) -> Period:
    """One period by its label within a programme (`NotFound` otherwise)."""
    row = session.scalar(
        select(PeriodRow).where(PeriodRow.programme_id == programme_id, PeriodRow.label == label)
    )
    if row is None:
        raise NotFound(
            f"Programmet {programme_id} har ingen period ”{label}” / no period with this label: "
            "see `jamlik cycle list`."
        )
    return to_period(row)


def list_periods(session: Session, programme_id: str | None = None) -> list[Period]:
    """Periods, newest first (by end date, then id)."""
    query = select(PeriodRow).order_by(PeriodRow.end_date.desc(), PeriodRow.id.desc())
    if programme_id is not None:
        query = query.where(PeriodRow.programme_id == programme_id)
    return [to_period(r) for r in session.scalars(query)]


def previous_period(session: Session, period_id: int) -> Period | None:
    """The period a new one carries forward from: the latest one of the same programme that
    ended before this one starts, of the same kind if there is one, else of any kind."""
    row = period_row(session, period_id)
    earlier = session.scalars(
        select(PeriodRow)
        .where(PeriodRow.programme_id == row.programme_id, PeriodRow.end_date < row.start_date)
        .order_by(PeriodRow.end_date.desc(), PeriodRow.id.desc())
    ).all()
    same = [r for r in earlier if r.kind == row.kind]
    pick = same[0] if same else (earlier[0] if earlier else None)
    return None if pick is None else to_period(pick)

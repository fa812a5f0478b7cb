"""Editing one stored indicator and its targets (the web's administration pages use this).

`edit_indicator` works in the caller's transaction: it claims the indicator's version
(optimistic locking: a form opened before someone else's save is refused with
`ConflictError`), checks the edited indicator with the same rules as a definitions import
(targets: a gap target names its dimension and measure, no target twice; the dimensions it
names exist in the workspace), stores it through the import's own upsert, and records an
audit entry with the indicator before and after. Any error raises before the transaction
commits, so nothing is written unless everything succeeded.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

import pydantic
from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.audit import claim_version, record
from jamlik.audit.log import Named
from jamlik.data.checks import check_against_workspace, check_definitions
from jamlik.data.models import Definitions, Indicator, Source, Target
from jamlik.data.store_definitions import ensure_total, store_definitions, stored_state
from jamlik.data.tables import IndicatorRow, TargetRow
from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.yamlio import Document

INDICATOR = "indicator"
# Everything but the id, which observations, programmes and reports refer to.
EDITABLE = (
    "title",
    "title_en",
    "description",
    "unit",
    "scale",
    "polarity",
    "source",
    "targets",
    "dimensions",
)


class NoSuchIndicator(JamlikError):
    """The indicator is not stored."""

    def __init__(self, indicator_id: str) -> None:
        self.indicator_id = indicator_id
        super().__init__(f"Ingen indikator / no indicator '{indicator_id}' is stored")


def read_indicator(session: Session, indicator_id: str) -> Indicator:
    """The stored indicator with its targets (in the order they were stored)."""
    row = session.get(IndicatorRow, indicator_id)
    if row is None:
        raise NoSuchIndicator(indicator_id)
    targets = session.scalars(
        select(TargetRow).where(TargetRow.indicator_id == indicator_id).order_by(TargetRow.id)
    )
    return Indicator(
        id=row.id,
        title=row.title,
        title_en=row.title_en,
        description=row.description,
        unit=row.unit,
        scale=row.scale,
        polarity=row.polarity,
        source=Source(kind=row.source_kind, ref=row.source_ref)
        if row.source_kind and row.source_ref
        else None,
        targets=[
            Target(year=t.year, value=t.value, measure=t.measure, dimension=t.dimension_id)
            for t in targets
        ],
        dimensions=row.dimensions,
    )


def edit_indicator(
    session: Session,
    by: Named | str | None,
    indicator_id: str,
    changes: Mapping[str, Any],
    expected: int,
    *,
    measures: Collection[str] | None = None,
) -> tuple[Indicator, Indicator]:
    """Change an indicator's editable fields (`EDITABLE`); (before, after).

    `changes["targets"]` is the whole new list of targets (added, changed and removed ones
    alike). With `measures`, a gap target's measure must be one of those codes. Raises
    ValidationError naming each bad field relative to the indicator (`title`,
    `targets[1].dimension`), ConflictError when the version is no longer `expected`. A save
    that changes nothing writes nothing.
    """
    fixed = sorted(set(changes) - set(EDITABLE))
    if fixed:
        raise ValueError(f"cannot change {', '.join(fixed)} of an indicator here")
    before = read_indicator(session, indicator_id)
    raw = {**before.model_dump(), **changes}
    source = f"indikator / indicator '{indicator_id}'"
    try:
        after = Indicator.model_validate(raw)
    except pydantic.ValidationError as exc:
        problems = Document(source).pydantic_problems(exc, Indicator, data=raw)
        raise ValidationError(problems) from None
    if after == before:
        return before, after
    claim_version(session, INDICATOR, indicator_id, expected)
    origin = Document(source)
    edited = Definitions(indicators=[after])
    ensure_total(session)
    problems = check_definitions(edited, origin)
    problems += check_against_workspace(edited, origin, stored_state(session))
    if measures is not None:
        problems += [
            origin.problem(
                ("indicators", 0, "targets", j, "measure"),
                f"okänt gapmått / unknown gap measure '{t.measure}'",
            )
            for j, t in enumerate(after.targets)
            if t.measure is not None and t.measure not in measures
        ]
    if problems:
        raise ValidationError(_relative(problems))
    store_definitions(session, edited, origin)  # checks again, finding nothing new
    record(
        session, by, "edit", INDICATOR, indicator_id,
        before.model_dump(mode="json"), after.model_dump(mode="json"),
    )  # fmt: skip
    return before, after


_PREFIX = re.compile(r"^indicators\[0\]\.?")


def _relative(problems: list[Problem]) -> list[Problem]:
    """Problems with their field named from the indicator (`targets[1].year`)."""
    return [
        Problem(p.source, p.message, field=_PREFIX.sub("", p.field or "") or None) for p in problems
    ]

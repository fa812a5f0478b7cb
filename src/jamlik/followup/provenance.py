"""Whether a follow-up rests on invented data: one stored rule for every page, JSON answer and
report. The programme carries a `fictitious` flag (a file declares `fictitious: true`; the demo
sets it) and so does each data import's provenance record (`import_observations(...,
fictitious=True)`); either one is enough, because one invented series makes every figure beside
it an example, not a finding. Nothing is decided by matching text any more: a real programme
that quotes the words "fiktiva exempeldata" is not marked, and an invented one is marked in
whatever language it is written."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.data.tables import ImportRow
from jamlik.programme import Programme


def is_fictitious(programme: Programme, data_fictitious: bool) -> bool:
    """The rule: the programme's flag or the data's."""
    return programme.fictitious or data_fictitious


def data_fictitious(session: Session) -> bool:
    """Whether any import in the workspace brought invented data."""
    found = session.scalar(select(ImportRow.id).where(ImportRow.fictitious).limit(1))
    return found is not None


def workspace_fictitious(session: Session, programme: Programme) -> bool:
    """`is_fictitious` for a programme and the workspace's imports, as stored."""
    return is_fictitious(programme, data_fictitious(session))

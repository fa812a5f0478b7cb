"""Programmes in a workspace: import (all or nothing), read back, export, list.

Importing a programme whose id is already stored replaces it in one transaction; importing the
same programme again writes nothing. What is read back equals what was imported, field for
field, so an export is byte-identical to `dump_programme` of the imported programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.programme.edit import replace_items
from jamlik.programme.model import Initiative, Programme
from jamlik.programme.references import workspace_issues
from jamlik.programme.rows import (
    delete_programme_rows,
    read_programme,
    write_initiative_rows,
    write_programme_rows,
)
from jamlik.programme.rules import Parts, field_path, programme_issues
from jamlik.programme.tables import (
    ActorRow,
    InitiativeRow,
    NodeRow,
    ProgrammeRow,
)
from jamlik.programme.yamlio import Located, dump_programme, parse_programme
from jamlik.workspace import Workspace


@dataclass(frozen=True)
class ProgrammeImportSummary:
    """What `import_programme` did. `changed` is False when the same programme was stored."""

    programme_id: str
    nodes: int
    actors: int
    initiatives: int
    reach: int
    changed: bool
    replaced: bool

    def __str__(self) -> str:
        counts = (
            f"{self.nodes} noder / nodes, {self.actors} aktörer / actors, "
            f"{self.initiatives} insatser / initiatives, {self.reach} nåddarader / reach rows"
        )
        if not self.changed:
            return f"Program '{self.programme_id}': oförändrat / unchanged ({counts})"
        verb = "ersatt / replaced" if self.replaced else "importerat / imported"
        return f"Program '{self.programme_id}' {verb}: {counts}"


@dataclass(frozen=True)
class ProgrammeInfo:
    """One stored programme, for listings."""

    id: str
    title: str
    title_en: str | None
    nodes: int
    actors: int
    initiatives: int


def check_programme(
    path: str | Path, workspace: Workspace | None = None, *, today: date | None = None
) -> list[Problem]:
    """Every problem with a programme file; with a workspace, also its references to areas,
    indicators and dimensions there, and ids another stored programme already uses."""
    parsed = parse_programme(path, today=today)
    problems = list(parsed.problems)
    if workspace is None or parsed.parts is None or parsed.located is None:
        return problems
    if not workspace.exists:
        problems.append(
            Problem(str(workspace.path), "no workspace here; run `jamlik init --workspace DIR`")
        )
        return problems
    workspace.init()
    with workspace.session() as session:
        own_id = parsed.programme.id if parsed.programme else _raw_id(parsed.located)
        issues = workspace_issues(session, parsed.parts, own_id)
    problems += [parsed.located.problem(i.loc, i.message) for i in issues]
    problems.sort(key=lambda p: p.line or 0)
    return problems


def import_programme(
    workspace: Workspace, programme: Programme | str | Path, *, today: date | None = None
) -> ProgrammeImportSummary:
    """Store a programme (a `Programme` or the path of a YAML file) in a workspace.

    Validates everything first, including that the areas, indicators and dimensions it refers
    to are defined in the workspace; raises ValidationError and writes nothing when anything
    fails. A stored programme with the same id is replaced; an identical one is left untouched.
    """
    located: Located | None = None
    if isinstance(programme, Programme):
        parts = Parts.of(programme)
        source = f"programme '{programme.id}'"
        problems = [
            Problem(source, i.message, field=field_path(i.loc))
            for i in programme_issues(programme, today=today)
        ]
    else:
        parsed = parse_programme(programme, today=today)
        problems, located, parts = parsed.problems, parsed.located, parsed.parts
        if parsed.programme is None:
            raise ValidationError(problems)
        programme = parsed.programme
        source = str(located.source) if located else str(programme)
    if problems:
        raise ValidationError(problems)

    workspace.init()
    with workspace.session() as session:
        assert parts is not None
        issues = workspace_issues(session, parts, programme.id)
        if issues:
            raise ValidationError(
                [
                    located.problem(i.loc, i.message)
                    if located
                    else Problem(source, i.message, field=field_path(i.loc))
                    for i in issues
                ]
            )
        stored = session.get(ProgrammeRow, programme.id) is not None
        if stored and read_programme(session, programme.id) == programme:
            return _summary(programme, changed=False, replaced=False)
        if stored:
            delete_programme_rows(session, programme.id)
        write_programme_rows(session, programme)
    return _summary(programme, changed=True, replaced=stored)


def update_initiative(
    session: Session, initiative: Initiative, *, today: date | None = None
) -> Initiative:
    """Replace one stored initiative (same id) in `session`'s transaction; return it as it was.

    The programme with the new initiative is checked as a whole, and the initiative's areas,
    indicators and reach against the workspace; ValidationError (every problem, fields named
    `initiatives[i].…`) and nothing written when anything fails. Other initiatives, the tree
    and the initiative's place in the list are left as they are.
    """
    row = session.get(InitiativeRow, initiative.id)
    if row is None:
        raise JamlikError(f"Ingen insats / no initiative '{initiative.id}' is stored")
    programme = read_programme(session, row.programme_id)
    before = programme.initiative(initiative.id)
    changed = replace_items(programme, initiative)  # raises ValidationError, naming fields
    position = [i.id for i in changed.initiatives].index(initiative.id)
    issues = workspace_issues(session, Parts(initiatives=[(position, initiative)]), None)
    if issues:
        source = f"programme '{programme.id}'"
        raise ValidationError([Problem(source, i.message, field=field_path(i.loc)) for i in issues])
    write_initiative_rows(session, programme.id, row.position, initiative)
    return before


def export_programme(workspace: Workspace, programme_id: str) -> str:
    """The stored programme as YAML text (the same layout as `dump_programme`)."""
    _require(workspace)
    with workspace.session() as session:
        return dump_programme(read_programme(session, programme_id))


def list_programmes(workspace: Workspace) -> list[ProgrammeInfo]:
    """The programmes stored in a workspace, by id."""
    _require(workspace)
    workspace.init()
    with workspace.session() as s:

        def count(table: Any) -> dict[str, int]:
            q = select(table.programme_id, func.count()).group_by(table.programme_id)
            return {pid: n for pid, n in s.execute(q)}

        nodes, actors, inits = count(NodeRow), count(ActorRow), count(InitiativeRow)
        return [
            ProgrammeInfo(
                r.id,
                r.title,
                r.title_en,
                nodes.get(r.id, 0),
                actors.get(r.id, 0),
                inits.get(r.id, 0),
            )
            for r in s.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id))
        ]


# -- helpers --------------------------------------------------------------------------------


def _require(workspace: Workspace) -> None:
    if not workspace.exists:
        raise JamlikError(
            f"Ingen arbetsyta / no workspace at {workspace.path}: run `jamlik init` or "
            "`jamlik programme import FILE --workspace DIR` first"
        )


def _raw_id(located: Located) -> str | None:
    value = located.tree.get("id") if hasattr(located.tree, "get") else None
    return str(value) if isinstance(value, str) else None


def _summary(p: Programme, *, changed: bool, replaced: bool) -> ProgrammeImportSummary:
    reach = sum(len(i.reach) for i in p.initiatives)
    return ProgrammeImportSummary(
        p.id, len(p.nodes), len(p.actors), len(p.initiatives), reach, changed, replaced
    )


def create_initiative(session: Session, programme_id: str, initiative: Initiative) -> None:
    """Add one new initiative, last in the programme's list, in `session`'s transaction.

    Checked as `update_initiative` checks an edit (the programme as a whole with the new
    initiative, its areas, indicators and reach against the workspace, and its id against every
    id stored in the workspace); ValidationError (fields named `initiatives[i].…`) and nothing
    written when anything fails.
    """
    from jamlik.programme.edit import add_items

    programme = read_programme(session, programme_id)
    changed = add_items(programme, initiative)  # raises ValidationError, naming fields
    position = len(changed.initiatives) - 1
    parts = Parts(initiatives=[(position, initiative)])
    issues = workspace_issues(session, parts, programme.id)
    if issues:
        source = f"programme '{programme.id}'"
        raise ValidationError([Problem(source, i.message, field=field_path(i.loc)) for i in issues])
    last = session.scalar(
        select(func.max(InitiativeRow.position)).where(InitiativeRow.programme_id == programme_id)
    )
    row_position = 0 if last is None else last + 1
    # The smallest row first, then the one writer of an initiative's columns, links and reach.
    session.add(
        InitiativeRow(
            id=initiative.id,
            programme_id=programme_id,
            position=row_position,
            title=initiative.title,
        )
    )
    session.flush()
    write_initiative_rows(session, programme_id, row_position, initiative)

"""Programmes in a workspace: import (all or nothing), read back, export, list.

Importing a programme whose id is already stored replaces it in one transaction; importing the
same programme again writes nothing. What is read back equals what was imported, field for
field, so an export is byte-identical to `dump_programme` of the imported programme.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pydantic
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jamlik.audit import bump_version, record
from jamlik.audit.log import Named
from jamlik.audit.tables import AuditRow
from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.programme.edit import replace_items
from jamlik.programme.merge import LISTS, WHOLE, Conflict, Merge, dump, dumps, merge
from jamlik.programme.model import Initiative, Programme
from jamlik.programme.references import workspace_issues
from jamlik.programme.rows import (
    delete_programme_rows,
    read_programme,
    write_initiative_rows,
    write_programme_rows,
)
from jamlik.programme.rules import Parts, field_path, programme_issues, validate_programme
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
    kept: int = 0  # web edits the import kept
    overwritten: int = 0  # web edits a replace overwrote

    def __str__(self) -> str:
        counts = (
            f"{self.nodes} noder / nodes, {self.actors} aktörer / actors, "
            f"{self.initiatives} insatser / initiatives, {self.reach} nåddarader / reach rows"
        )
        if self.kept:
            counts += f"; ändringar från webben behållna / web edits kept: {self.kept}"
        if self.overwritten:
            counts += (
                f"; ändringar från webben överskrivna / web edits replaced: {self.overwritten}"
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
    workspace: Workspace,
    programme: Programme | str | Path,
    *,
    today: date | None = None,
    replace: bool = False,
    by: Named | str | None = "cli",
) -> ProgrammeImportSummary:
    """Store a programme (a `Programme` or the path of a YAML file) in a workspace.

    Validates everything first, including that the areas, indicators and dimensions it refers
    to are defined in the workspace; raises ValidationError and writes nothing when anything
    fails. A stored programme with the same id is merged with the file
    (`jamlik.programme.merge`): what people changed in the web is kept, and where the file
    would change or remove something people changed, `ImportConflictError` lists every such
    field and nothing is written. `replace=True` makes the stored programme the file's exactly,
    overwriting the web's changes. Every import that changes something is audited (`by`), with
    counts of what it added, changed, removed and which web edits it kept or replaced.
    """
    located, programme, parts, source = _validated(programme, today)
    workspace.init()
    with workspace.session() as session:
        _check_workspace(session, parts, programme, located, source)
        plan = _plan(session, programme)
        if plan.conflicts and not replace:
            raise ImportConflictError(source, plan.conflicts)
        if plan.problems and not replace:
            raise _merged_problems(source, plan.problems)
        target = programme if replace else plan.target
        if plan.stored is not None and target == plan.stored and plan.base == dumps(programme):
            return _summary(target, changed=False, replaced=False, kept=plan.kept)
        overwritten = plan.merge.replaced + plan.merge.kept if replace and plan.merge else []
        if target != plan.stored:
            if plan.stored is not None:
                _bump_changed(session, plan.stored, target)
                delete_programme_rows(session, programme.id)
            write_programme_rows(session, target)
            _audit(session, by, source, plan, target, replace, overwritten)
        session.get(ProgrammeRow, programme.id).imported = dumps(programme)
    return _summary(
        target, changed=True, replaced=plan.stored is not None, kept=0 if replace else plan.kept,
        overwritten=len(overwritten),
    )  # fmt: skip


def programme_conflicts(
    workspace: Workspace, programme: Programme | str | Path, *, today: date | None = None
) -> list[Conflict]:
    """What importing the programme would change or remove of what people changed in the web
    (empty when the import would keep every web edit). Writes nothing. Raises ValidationError
    when the file together with the web's changes would not be a valid programme."""
    _, programme, _, source = _validated(programme, today)
    if not workspace.exists:
        return []
    workspace.init()
    with workspace.session() as session:
        plan = _plan(session, programme)
    if plan.problems and not plan.conflicts:
        raise _merged_problems(source, plan.problems)
    return plan.conflicts


class ImportConflictError(ValidationError):
    """The file would change or remove what people changed in the web; nothing was written."""

    def __init__(self, source: str, conflicts: list[Conflict]) -> None:
        self.conflicts = list(conflicts)
        super().__init__([Problem(source, c.message(), field=c.where) for c in conflicts])
        n = len(conflicts)
        self.args = (
            f"{n} konflikt{'er' if n != 1 else ''} mellan webben och filen; inget ändrades. "
            "Ändra filen så att den har webbens värden, eller importera med --replace för att "
            f"skriva över webbens ändringar. / {n} conflict{'s' if n != 1 else ''} between the "
            "web and the file; nothing was changed. Give the file the web's values, or import "
            "with --replace to overwrite the web's changes.\n"
            + "\n".join(f"  - {p}" for p in self.problems),
        )


@dataclass(frozen=True)
class _Plan:
    stored: Programme | None
    base: str | None
    merge: Merge | None
    target: Programme
    problems: list[Problem] = ()  # type: ignore[assignment]  # of the merged programme

    @property
    def conflicts(self) -> list[Conflict]:
        return self.merge.conflicts if self.merge else []

    @property
    def kept(self) -> int:
        return len(self.merge.kept) if self.merge else 0


def _validated(
    programme: Programme | str | Path, today: date | None
) -> tuple[Located | None, Programme, Parts, str]:
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
    assert parts is not None
    return located, programme, parts, source


def _check_workspace(
    session: Session, parts: Parts, programme: Programme, located: Located | None, source: str
) -> None:
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


def _plan(session: Session, programme: Programme) -> _Plan:
    """The stored programme, its base and the merge of the file into it (with the problems of
    the merged programme, if it is not valid)."""
    row = session.get(ProgrammeRow, programme.id)
    if row is None:
        return _Plan(None, None, None, programme)
    stored = read_programme(session, programme.id)
    base = row.imported
    base_data = json.loads(base) if base else legacy_base(session, stored)
    result = merge(base_data, dump(stored), dump(programme))
    if result.conflicts:
        return _Plan(stored, base, result, programme)
    here = f"programme '{programme.id}'"
    try:
        target = validate_programme(Programme.model_validate(result.merged))
    except ValidationError as exc:
        return _Plan(stored, base, result, programme, exc.problems)
    except pydantic.ValidationError as exc:
        return _Plan(stored, base, result, programme, [Problem(here, str(exc))])
    issues = workspace_issues(session, Parts.of(target), programme.id)
    if issues:
        problems = [Problem(here, i.message, field=field_path(i.loc)) for i in issues]
        return _Plan(stored, base, result, programme, problems)
    return _Plan(stored, base, result, target)


def _merged_problems(source: str, problems: list[Problem]) -> ValidationError:
    lead = (
        "Filen tillsammans med webbens ändringar ger ett ogiltigt program; rätta filen eller "
        "importera med --replace. / The file together with the web's changes makes an invalid "
        "programme; fix the file or import with --replace. "
    )
    return ValidationError([Problem(source, lead + p.message, field=p.field) for p in problems])


def legacy_base(session: Session, stored: Programme) -> dict[str, Any]:
    """The base of a programme imported before bases were stored, rebuilt from the audit log:
    each initiative and node the web created is left out of it, each one the web edited or
    removed is put back as it was before its first web change, and so is publication. Where a later import has
    since replaced such an edit, the rebuilt base only makes a re-import ask more often (a
    conflict rather than an overwrite), never overwrite silently."""
    base = dump(stored)
    entities = (("initiative", "initiatives"), ("node", "nodes"))
    for entity, kind in entities:
        items = {item["id"]: item for item in base[kind]}
        first: dict[str, Any] = {}
        rows = session.scalars(
            select(AuditRow).where(AuditRow.entity == entity).order_by(AuditRow.id)
        )
        for row in rows:
            first.setdefault(row.entity_id, row)
        for item_id, row in first.items():
            if row.action == "create":
                items.pop(item_id, None)
            elif row.before is not None and (item_id in items or row.action == "delete"):
                before = json.loads(row.before)
                if isinstance(before, dict) and before.get("id") == item_id:
                    items[item_id] = before
        base[kind] = list(items.values())
    # Header fields the web changes (publication): as they were before their first change.
    rows = session.scalars(
        select(AuditRow)
        .where(AuditRow.entity == "programme", AuditRow.entity_id == stored.id)
        .where(AuditRow.action.in_(("publish", "unpublish")))
        .order_by(AuditRow.id)
        .limit(1)
    )
    for row in rows:
        before = json.loads(row.before) if row.before else {}
        base.update({k: v for k, v in before.items() if k in base and k not in LISTS})
    return base


def _bump_changed(session: Session, stored: Programme, target: Programme) -> None:
    """Advance the version of every initiative and node the import changes, so a form opened
    before it is refused instead of saving over the file's values."""
    for entity, old, new in (
        ("initiative", stored.initiatives, target.initiatives),
        ("node", stored.nodes, target.nodes),
    ):
        after = {item.id: item for item in new}
        for item in old:
            if after.get(item.id) != item:
                bump_version(session, entity, item.id)


def _audit(
    session: Session,
    by: Named | str | None,
    source: str,
    plan: _Plan,
    target: Programme,
    replace: bool,
    overwritten: list[tuple[str, str, str]],
) -> None:
    stored = plan.stored
    counts: dict[str, Any] = {"source": source}
    for kind in LISTS:
        new = {i.id: i for i in getattr(target, kind)}
        old = {i.id: i for i in getattr(stored, kind)} if stored else {}
        counts[kind] = {
            "added": sum(1 for i in new if i not in old),
            "changed": sum(1 for i in new if i in old and new[i] != old[i]),
            "removed": sum(1 for i in old if i not in new),
            "total": len(new),
        }
    counts["web_edits_kept"] = plan.kept if not replace else 0
    counts["web_edits_replaced"] = len(overwritten)
    before = None
    if overwritten and stored is not None:
        data = dump(stored)
        before = {"web_edits": [_value_at(data, kind, i, f) for kind, i, f in overwritten]}
        counts["replaced"] = [_where(kind, i, f) for kind, i, f in overwritten]
    action = "replace" if replace and stored is not None else "import"
    record(session, by, action, "programme", target.id, before, counts)


def _where(kind: str, item_id: str, field: str) -> str:
    if kind == "programme":
        return field
    return f"{kind}[{item_id}]" + ("" if field == WHOLE else f".{field}")


def _value_at(data: dict[str, Any], kind: str, item_id: str, field: str) -> dict[str, Any]:
    """What the web had where a replace overwrote it (so it can be restored by hand)."""
    if kind == "programme":
        value = data.get(field)
    else:
        item = next((i for i in data[kind] if i["id"] == item_id), None)
        value = item if field == WHOLE or item is None else item.get(field)
    return {"where": _where(kind, item_id, field), "web": value}


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


def _summary(
    p: Programme, *, changed: bool, replaced: bool, kept: int = 0, overwritten: int = 0
) -> ProgrammeImportSummary:
    reach = sum(len(i.reach) for i in p.initiatives)
    return ProgrammeImportSummary(
        p.id, len(p.nodes), len(p.actors), len(p.initiatives), reach, changed, replaced,
        kept, overwritten,
    )  # fmt: skip


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

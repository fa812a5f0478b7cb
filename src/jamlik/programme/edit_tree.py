"""Editing a stored programme's tree and publication, one change at a time (the web's
administration pages use these).

Each function works in the caller's transaction and does the whole of one change there: it
claims the record's version (optimistic locking: a form opened before someone else's save is
refused with `ConflictError`), checks the programme as a whole with the change (the same rules
as an import, and the workspace's indicators), writes only the rows the change touches, and
records an audit entry with the record before and after. Any error raises before the
transaction commits, so nothing is written unless everything succeeded.

Rows are updated in place rather than by re-importing the programme: initiatives link to nodes
by foreign key, and their rows must not be rewritten to edit a node's title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pydantic
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from jamlik.audit import claim_version, record
from jamlik.audit.log import Named
from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.programme.edit import add_items, remove_items, replace_items
from jamlik.programme.model import Node, Programme
from jamlik.programme.references import workspace_issues
from jamlik.programme.rows import _target_group_columns, read_programme
from jamlik.programme.rules import Parts, field_path
from jamlik.programme.tables import NodeIndicatorRow, NodeRow, ProgrammeRow
from jamlik.yamlio import Document

NODE = "node"
PROGRAMME = "programme"
# What an administrator may change on a node; its id, kind and parent give it its place in
# the tree and stay as they are.
EDITABLE = (
    "title",
    "title_en",
    "description",
    "description_en",
    "order",
    "target_group",
    "indicators",
)


class TreeError(JamlikError):
    """A change the tree refuses as a whole (e.g. removing a node that is still in use)."""


class NoSuchNode(JamlikError):
    """The node is not stored (removed meanwhile, or never there)."""

    def __init__(self, node_id: str) -> None:
        self.node_id = node_id
        super().__init__(f"Ingen nod / no node '{node_id}' is stored")


def programme_of_node(session: Session, node_id: str) -> Programme:
    """The stored programme that holds the node (NoSuchNode when there is none)."""
    pid = session.scalar(select(NodeRow.programme_id).where(NodeRow.id == node_id))
    if pid is None:
        raise NoSuchNode(node_id)
    return read_programme(session, pid)


def edit_node(
    session: Session,
    by: Named | str | None,
    node_id: str,
    changes: Mapping[str, Any],
    expected: int,
) -> tuple[Node, Node]:
    """Change a node's editable fields (`EDITABLE`); (before, after).

    Raises ValidationError naming each bad field relative to the node (`title`,
    `target_group.age_max`, `indicators[1]`), ConflictError when the node's version is no
    longer `expected`. A save that changes nothing writes nothing.
    """
    fixed = sorted(set(changes) - set(EDITABLE))
    if fixed:
        raise ValueError(f"cannot change {', '.join(fixed)} of a node here")
    programme = programme_of_node(session, node_id)
    before = programme.node(node_id)
    after = _node({**before.model_dump(), **changes}, node_id)
    if after == before:
        return before, after
    claim_version(session, NODE, node_id, expected)
    pos = [n.id for n in programme.nodes].index(node_id)
    _check(session, programme, pos, lambda: replace_items(programme, after), after)
    row = session.get(NodeRow, node_id)
    for key, value in _node_columns(after).items():
        setattr(row, key, value)
    session.execute(delete(NodeIndicatorRow).where(NodeIndicatorRow.node_id == node_id))
    session.flush()
    _insert_indicators(session, after)
    record(session, by, "edit", NODE, node_id, _snap(before), _snap(after))
    return before, after


def add_node(
    session: Session,
    by: Named | str | None,
    programme_id: str,
    values: Mapping[str, Any],
    expected: int,
) -> Node:
    """Add a node (under `values["parent"]`, or as the root of a programme without one).

    The version claimed is the parent's (the form that adds a child is the parent's form), or
    the programme's for a root. ValidationError names bad fields relative to the new node: an
    id already used anywhere in the workspace, a kind that may not hang under the parent, a
    second root.
    """
    programme = read_programme(session, programme_id)
    node = _node(dict(values), str(values.get("id") or "?"))
    parent = node.parent
    claim_version(session, NODE if parent else PROGRAMME, parent or programme_id, expected)
    pos = len(programme.nodes)
    _check(session, programme, pos, lambda: add_items(programme, node), node, new=True)
    last = session.scalar(
        select(func.max(NodeRow.position)).where(NodeRow.programme_id == programme_id)
    )
    columns = {"id": node.id, "programme_id": programme_id, "kind": node.kind}
    columns |= {"parent_id": parent, "position": -1 if last is None else last}
    columns["position"] += 1
    session.execute(insert(NodeRow), [{**columns, **_node_columns(node)}])
    _insert_indicators(session, node)
    record(session, by, "create", NODE, node.id, None, _snap(node))
    return node


def remove_node(
    session: Session,
    by: Named | str | None,
    node_id: str,
    expected: int,
) -> Node:
    """Remove a node that has no child nodes and that no initiative serves; the node as it
    was. TreeError says why a node in use is refused (and names what uses it)."""
    programme = programme_of_node(session, node_id)
    node = programme.node(node_id)
    claim_version(session, NODE, node_id, expected)
    reasons = removal_blockers(programme, node_id)
    if reasons:
        raise TreeError(" ".join(reasons))
    pos = [n.id for n in programme.nodes].index(node_id)
    _check(session, programme, pos, lambda: remove_items(programme, node_id), None)
    session.execute(delete(NodeIndicatorRow).where(NodeIndicatorRow.node_id == node_id))
    session.execute(delete(NodeRow).where(NodeRow.id == node_id))
    record(session, by, "delete", NODE, node_id, _snap(node), None)
    return node


def removal_blockers(programme: Programme, node_id: str) -> list[str]:
    """Why the node cannot be removed, in words (empty when it can)."""
    reasons = []
    children = programme.children(node_id)
    if children:
        names = "; ".join(f"{c.title} ({c.id})" for c in children)
        reasons.append(
            f"Noden har {len(children)} undernod(er): {names}. Ta bort eller flytta dem först. "
            f"/ The node has {len(children)} child node(s); remove them first."
        )
    served = programme.initiatives_for(node_id)
    if served:
        names = "; ".join(f"{i.title} ({i.id})" for i in served)
        reasons.append(
            f"{len(served)} insats(er) är kopplade till noden: {names}. Ta bort kopplingen i "
            f"insatserna först. / {len(served)} initiative(s) serve this node; unlink them first."
        )
    return reasons


def set_published(
    session: Session, by: Named | str | None, programme_id: str, published: bool, expected: int
) -> bool:
    """Publish the programme to visitors without an account, or stop; what it was before.

    Asking for the state the programme is already in writes nothing.
    """
    row = session.get(ProgrammeRow, programme_id)
    if row is None:
        raise JamlikError(f"Inget program / no programme '{programme_id}' is stored")
    before = bool(row.published)
    if before == published:
        return before
    claim_version(session, PROGRAMME, programme_id, expected)
    row.published = published
    session.flush()
    action = "publish" if published else "unpublish"
    record(
        session, by, action, PROGRAMME, programme_id,
        {"published": before}, {"published": published},
    )  # fmt: skip
    return before


# -- helpers --------------------------------------------------------------------------------


def _node(raw: dict[str, Any], node_id: str) -> Node:
    try:
        return Node.model_validate(raw)
    except pydantic.ValidationError as exc:
        source = f"node '{node_id}'"
        raise ValidationError(Document(source).pydantic_problems(exc, Node, data=raw)) from None


def _check(
    session: Session,
    programme: Programme,
    pos: int,
    change: Callable[[], Programme],
    node: Node | None,
    *,
    new: bool = False,
) -> None:
    """Run the programme's rules with the change, then check `node` (at `pos`) against the
    workspace; problems located on the node itself are named relative to it."""
    try:
        change()
    except ValidationError as exc:
        raise ValidationError(_relative(exc.problems, pos, programme.id)) from None
    if node is not None:
        issues = workspace_issues(
            session, Parts(nodes=[(pos, node)]), programme.id if new else None
        )
        if issues:
            problems = [
                Problem(f"programme '{programme.id}'", i.message, field=field_path(i.loc))
                for i in issues
            ]
            raise ValidationError(_relative(problems, pos, programme.id))


def _relative(problems: list[Problem], pos: int, pid: str) -> list[Problem]:
    prefix = re.compile(rf"^nodes\[{pos}\]\.?")
    out = []
    for p in problems:
        field = p.field or ""
        if prefix.match(field):
            field = prefix.sub("", field)
        out.append(Problem(f"programme '{pid}'", p.message, field=field or None))
    return out


def _node_columns(n: Node) -> dict[str, Any]:
    return dict(
        title=n.title,
        title_en=n.title_en,
        sort_order=n.order,
        description=n.description,
        description_en=n.description_en,
        **_target_group_columns(n.target_group),
    )


def _insert_indicators(session: Session, n: Node) -> None:
    if n.indicators:
        rows = [dict(node_id=n.id, indicator_id=i, position=k) for k, i in enumerate(n.indicators)]
        session.execute(insert(NodeIndicatorRow), rows)


def _snap(n: Node) -> dict[str, Any]:
    return n.model_dump(mode="json")

"""Building a programme from another one in code (e.g. the demo adapts Gothenburg's programme).

Every function returns a new, validated programme; the original is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jamlik.programme.model import Actor, Initiative, Node, Programme, Section
from jamlik.programme.rules import validate_programme

_LISTS: dict[type, str] = {
    Node: "nodes",
    Actor: "actors",
    Initiative: "initiatives",
    Section: "sections",
}
Item = Node | Actor | Initiative | Section


def _lists(programme: Programme) -> dict[str, list[Any]]:
    return {name: list(getattr(programme, name)) for name in _LISTS.values()}


def _list_of(item: Any) -> str:
    try:
        return _LISTS[type(item)]
    except KeyError:
        raise TypeError(f"a programme holds no {type(item).__name__}") from None


def add_items(programme: Programme, *items: Item) -> Programme:
    """A copy with nodes, actors, initiatives or sections appended, checked as a whole."""
    lists = _lists(programme)
    for item in items:
        lists[_list_of(item)].append(item)
    return validate_programme(programme.model_copy(update=lists))


def replace_items(programme: Programme, *items: Item) -> Programme:
    """A copy in which each item replaces the item of the same kind and id, in place.

    E.g. give an initiative areas and reach: ``replace_items(p, it.model_copy(update=...))``.
    KeyError when there is no such item to replace.
    """
    lists = _lists(programme)
    for item in items:
        current = lists[_list_of(item)]
        where = [i for i, old in enumerate(current) if old.id == item.id]
        if not where:
            raise KeyError(f"no {_list_of(item)[:-1]} with id '{item.id}' to replace")
        current[where[0]] = item
    return validate_programme(programme.model_copy(update=lists))


def remove_items(programme: Programme, *ids: str) -> Programme:
    """A copy without the nodes, actors, initiatives or sections with these ids.

    References to removed items are not dropped silently: the copy is validated, so a removed
    actor that still owns an initiative raises ValidationError naming the reference.
    """
    gone = set(ids)
    lists = {
        name: [i for i in items if i.id not in gone] for name, items in _lists(programme).items()
    }
    missing = gone - {i.id for items in _lists(programme).values() for i in items}
    if missing:
        raise KeyError(
            f"no item with id {', '.join(sorted(missing))} in programme '{programme.id}'"
        )
    return validate_programme(programme.model_copy(update=lists))


def rename_ids(
    programme: Programme,
    rename: Mapping[str, str] | Callable[[str], str],
    *,
    programme_id: str | None = None,
) -> Programme:
    """A copy whose node, actor and initiative ids are renamed, with every reference to them
    (parents, owners, partners, funders, served nodes) renamed alike. Ids of areas, indicators
    and dimensions belong to the data side and are left as they are."""
    fn = rename if callable(rename) else (lambda i: rename.get(i, i))

    def opt(value: str | None) -> str | None:
        return None if value is None else fn(value)

    nodes = [
        n.model_copy(update={"id": fn(n.id), "parent": opt(n.parent)}) for n in programme.nodes
    ]
    actors = [
        a.model_copy(update={"id": fn(a.id), "parent": opt(a.parent)}) for a in programme.actors
    ]
    initiatives = []
    for it in programme.initiatives:
        update: dict[str, Any] = {
            "id": fn(it.id),
            "owner": opt(it.owner),
            "partners": [fn(a) for a in it.partners],
            "nodes": [fn(n) for n in it.nodes],
        }
        if it.budget is not None:
            update["budget"] = it.budget.model_copy(update={"funder": opt(it.budget.funder)})
        initiatives.append(it.model_copy(update=update))
    copy = programme.model_copy(
        update={
            "id": programme_id or programme.id,
            "nodes": nodes,
            "actors": actors,
            "initiatives": initiatives,
        }
    )
    # model_copy skips validation: re-validate so a bad new id is caught here, not on import.
    return validate_programme(Programme.model_validate(copy.model_dump()))


def replace_prefix(
    programme: Programme, old: str, new: str, *, programme_id: str | None = None
) -> Programme:
    """`rename_ids` for the common case: ids starting with `old` start with `new` instead."""
    return rename_ids(
        programme,
        lambda i: new + i.removeprefix(old) if i.startswith(old) else i,
        programme_id=programme_id,
    )

"""Checks on definitions that span records: duplicates, hierarchy, subgroup orders, references.

`check_definitions` needs only the file; `check_against_workspace` adds what the workspace holds
(parents stored earlier, dimensions referred to by indicators, subgroups that observations use).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jamlik.data.models import LEVEL_RANK, TOTAL, Definitions, Dimension, Indicator
from jamlik.data.salvage import COLLECTIONS, Parts
from jamlik.data.yamlfile import Origin
from jamlik.errors import Problem


@dataclass
class StoredState:
    """What the workspace already holds, as far as definition checks need it."""

    area_parent: dict[str, str | None] = field(default_factory=dict)
    area_level: dict[str, str] = field(default_factory=dict)
    dimensions: set[str] = field(default_factory=set)
    # (dimension, subgroup) → number of observations that use it
    subgroup_use: dict[tuple[str, str], int] = field(default_factory=dict)


def _reserved(k: int, origin: Origin) -> Problem:
    return origin.problem(
        ("dimensions", k, "id"),
        "'total' är reserverad / is reserved: every workspace has the dimension "
        "'total' with the subgroup 'total' for the whole area",
    )


def _check_dimension(
    k: int, dim: Dimension, origin: Origin, positions: list[int] | None = None
) -> list[Problem]:
    """Problems within one dimension; `positions` are the file positions of its subgroups
    when some of them failed their own validation (then the order check waits for them)."""
    problems: list[Problem] = []
    at = ("dimensions", k)
    pos = positions or list(range(len(dim.subgroups)))
    if dim.id == TOTAL:
        problems.append(_reserved(k, origin))
    first: dict[str, int] = {}
    for j, sub in enumerate(dim.subgroups):
        if sub.id in first:
            problems.append(
                origin.problem(
                    (*at, "subgroups", pos[j], "id"),
                    f"undergruppen finns redan / duplicate subgroup id '{sub.id}'",
                )
            )
        first.setdefault(sub.id, j)
    refs = [j for j, s in enumerate(dim.subgroups) if s.reference]
    for j in refs[1:]:
        problems.append(
            origin.problem(
                (*at, "subgroups", pos[j], "reference"),
                "högst en referensgrupp per dimension / at most one reference subgroup per "
                f"dimension ('{dim.subgroups[refs[0]].id}' is already the reference)",
            )
        )
    if dim.ordered:
        missing = [j for j, s in enumerate(dim.subgroups) if s.order is None]
        for j in missing:
            problems.append(
                origin.problem(
                    (*at, "subgroups", pos[j], "order"),
                    "ordnad dimension: varje undergrupp behöver 'order' / ordered dimension: "
                    "every subgroup needs an order (1 = most disadvantaged)",
                )
            )
        orders = sorted(s.order for s in dim.subgroups if s.order is not None)
        k_ = len(dim.subgroups)
        if not missing and positions is None and orders != list(range(1, k_ + 1)):
            problems.append(
                origin.problem(
                    (*at, "subgroups"),
                    f"ordningen ska vara 1..{k_} utan luckor / orders must be 1..{k_} without "
                    f"gaps or repeats, found {orders}",
                )
            )
    else:
        for j, sub in enumerate(dim.subgroups):
            if sub.order is not None:
                problems.append(
                    origin.problem(
                        (*at, "subgroups", pos[j], "order"),
                        "'order' gäller bara ordnade dimensioner / order is only for ordered "
                        "dimensions (set 'ordered: true', or mark a 'reference' subgroup)",
                    )
                )
    return problems


def _check_ids(parts: Parts, origin: Origin) -> list[Problem]:
    """Duplicate ids within each collection, among valid and failed records alike."""
    problems: list[Problem] = []
    for kind in COLLECTIONS:
        ids = [(k, rec.id) for k, rec in parts.records(kind)]
        ids += [(k, rid) for coll, k, rid in parts.failed_ids if coll == kind]
        first: dict[str, int] = {}
        for k, rid in sorted(ids):
            if rid in first:
                where = origin.line((kind, first[rid], "id"))
                problems.append(
                    origin.problem(
                        (kind, k, "id"),
                        f"id:t finns redan / duplicate id '{rid}'"
                        + (f" (first at line {where})" if where else ""),
                    )
                )
            first.setdefault(rid, k)
    return problems


def _check_targets(k: int, ind: Indicator, origin: Origin) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for j, t in enumerate(ind.targets):
        at = ("indicators", k, "targets", j)
        if t.measure and not t.dimension:
            problems.append(
                origin.problem(
                    (*at, "dimension"),
                    f"ett gapmål ({t.measure}) behöver en dimension / a gap target needs "
                    "the dimension it measures the gap in",
                )
            )
        if t.dimension and not t.measure:
            problems.append(
                origin.problem(
                    (*at, "measure"),
                    "ett mål per dimension behöver ett gapmått / a target for a dimension "
                    "needs a gap measure code such as D or R",
                )
            )
        key = (t.year, t.measure, t.dimension)
        if key in seen:
            problems.append(
                origin.problem(
                    at,
                    f"samma mål två gånger / duplicate target for {t.year}"
                    + (f" ({t.measure}, {t.dimension})" if t.measure else ""),
                )
            )
        seen[key] = j
    return problems


def check_definitions(defs: Definitions | Parts, origin: Origin) -> list[Problem]:
    """Problems found within one definitions value, without looking at any workspace.

    Given `Parts` (the records of a file that are valid on their own), the same checks run on
    those records, so that they are reported together with the file's type errors.
    """
    parts = defs if isinstance(defs, Parts) else Parts.of(defs)
    problems = _check_ids(parts, origin)
    for k, dim in parts.dimensions:
        problems += _check_dimension(k, dim, origin, parts.subgroup_positions.get(k))
    problems += [
        _reserved(k, origin)
        for coll, k, rid in parts.failed_ids
        if coll == "dimensions" and rid == TOTAL
    ]
    for k, ind in parts.indicators:
        problems += _check_targets(k, ind, origin)
    for k, area in parts.areas:
        if area.parent == area.id:
            problems.append(
                origin.problem(
                    ("areas", k, "parent"),
                    "ett område kan inte vara sin egen förälder / an area cannot be its own parent",
                )  # fmt: skip
            )
    return problems


def _cycles(parent: dict[str, str | None]) -> set[str]:
    """Areas that lie on a cycle of parent links."""
    on_cycle: set[str] = set()
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = parent.get(node)
        if node is not None and node in path:
            on_cycle.update(path[path.index(node) :])
        done.update(path)
    return on_cycle


def check_against_workspace(defs: Definitions, origin: Origin, state: StoredState) -> list[Problem]:
    """Problems that appear only once the file meets what the workspace already holds."""
    problems: list[Problem] = []
    parent = dict(state.area_parent)
    level = dict(state.area_level)
    for area in defs.areas:
        parent[area.id] = area.parent
        level[area.id] = area.level
    for k, area in enumerate(defs.areas):
        at = ("areas", k)
        if area.parent is None:
            if area.level != "municipality":
                problems.append(
                    origin.problem(
                        (*at, "parent"),
                        f"ett område på nivån {area.level} behöver 'parent' / a {area.level} "
                        "needs a parent area",
                    )
                )
            continue
        if area.parent not in level:
            problems.append(
                origin.problem(
                    (*at, "parent"),
                    f"okänt område / unknown area '{area.parent}': define it in this file or "
                    "import it first",
                )
            )
        elif LEVEL_RANK[level[area.parent]] >= LEVEL_RANK[area.level]:
            problems.append(
                origin.problem(
                    (*at, "parent"),
                    f"'{area.parent}' är {level[area.parent]} och kan inte vara förälder till "
                    f"{area.level} / a {level[area.parent]} cannot be the parent of a "
                    f"{area.level} (municipality → district → subarea)",
                )
            )
    on_cycle = _cycles(parent)
    for k, area in enumerate(defs.areas):
        if area.id in on_cycle:
            problems.append(
                origin.problem(
                    ("areas", k, "parent"),
                    f"cirkel i områdeshierarkin / cycle in the area hierarchy through '{area.id}'",
                )
            )
    dimensions = state.dimensions | {d.id for d in defs.dimensions} | {TOTAL}
    for k, ind in enumerate(defs.indicators):
        for j, dim in enumerate(ind.dimensions or []):
            if dim not in dimensions:
                problems.append(
                    origin.problem(
                        ("indicators", k, "dimensions", j),
                        f"okänd dimension / unknown dimension '{dim}'",
                    )
                )
        for j, t in enumerate(ind.targets):
            if t.dimension and t.dimension not in dimensions:
                problems.append(
                    origin.problem(
                        ("indicators", k, "targets", j, "dimension"),
                        f"okänd dimension / unknown dimension '{t.dimension}'",
                    )
                )
    for k, dim in enumerate(defs.dimensions):
        kept = {s.id for s in dim.subgroups}
        for (d, sub), n in state.subgroup_use.items():
            if d == dim.id and sub not in kept and n > 0:
                problems.append(
                    origin.problem(
                        ("dimensions", k, "subgroups"),
                        f"undergruppen '{sub}' saknas men används av {n} observationer / "
                        f"subgroup '{sub}' is left out but {n} observations use it: keep it",
                    )
                )
    return problems

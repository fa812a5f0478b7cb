"""Rules that need the whole programme: unique ids, references, node kinds, cycles, periods.

The node-kind rule. A programme lists the kinds it uses in `node_kinds`, in rank order, e.g.
Gothenburg: ``[goal, target_area, focus_area, priority_area, strategy, aim]``. A node's kind must
come *later* in that list than its parent's kind; levels may be skipped. So with Gothenburg's
list a strategy may hang under a target area (goal → target area → strategy) or, cross-cutting,
directly under a focus area or the goal, while a target area can never hang under a strategy.
Put the kinds that can appear at many levels (strategy, aim) late in the list. There is one
root node (no parent); its kind is free.

Ids of nodes, actors and initiatives share one namespace, so a reference can never be
ambiguous. Checks run on whatever items were individually valid, so a file with a type error in
one initiative still gets its dangling references reported elsewhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from jamlik.errors import Problem, ValidationError
from jamlik.programme.model import Actor, Initiative, Node, Period, Programme, Section
from jamlik.programme.periods import span
from jamlik.yamlio import Loc
from jamlik.yamlio import field_name as field_path  # `("nodes", 3, "parent")` → "nodes[3].parent"


@dataclass(frozen=True)
class Issue:
    """A problem located by its path in the programme, before it is tied to a file line."""

    loc: Loc
    message: str


@dataclass
class Parts:
    """What the rules look at: items that passed their own validation, with their positions.

    `other_ids` holds (collection, position, id) of items that failed their own validation, so
    that references to them are not also reported as references to nothing.
    """

    node_kinds: list[str] | None = None
    period: Period | None = None
    sections: list[tuple[int, Section]] = field(default_factory=list)
    nodes: list[tuple[int, Node]] = field(default_factory=list)
    actors: list[tuple[int, Actor]] = field(default_factory=list)
    initiatives: list[tuple[int, Initiative]] = field(default_factory=list)
    other_ids: list[tuple[str, int, str]] = field(default_factory=list)
    kind_unknown: set[int] = field(default_factory=set)  # positions of nodes with a bad kind

    @classmethod
    def of(cls, programme: Programme) -> Parts:
        return cls(
            node_kinds=list(programme.node_kinds),
            period=programme.period,
            sections=list(enumerate(programme.sections)),
            nodes=list(enumerate(programme.nodes)),
            actors=list(enumerate(programme.actors)),
            initiatives=list(enumerate(programme.initiatives)),
        )


_KIND_OF = {"nodes": "node", "actors": "actor", "initiatives": "initiative"}


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def check(
    parts: Parts, *, today: date | None = None, where: Callable[[Loc], str] = field_path
) -> list[Issue]:
    """Every rule violation in `parts`. `where` renders another item's location in messages."""
    return _Checker(parts, today or date.today(), where).run()


def programme_issues(programme: Programme, *, today: date | None = None) -> list[Issue]:
    """Every rule violation in a programme built in memory."""
    return check(Parts.of(programme), today=today)


def validate_programme(programme: Programme, *, today: date | None = None) -> Programme:
    """Return the programme unchanged, or raise ValidationError listing every rule it breaks.

    Use after building or editing a programme in code (e.g. `model_copy(update=...)`), which
    bypasses the checks a file load runs.
    """
    issues = programme_issues(programme, today=today)
    if issues:
        source = f"programme '{programme.id}'"
        raise ValidationError([Problem(source, i.message, field=field_path(i.loc)) for i in issues])
    return programme


class _Checker:
    def __init__(self, parts: Parts, today: date, where: Callable[[Loc], str]):
        self.p = parts
        self.today = today
        self.where = where
        self.issues: list[Issue] = []
        # id -> (kind, loc of its id); first occurrence wins.
        self.ids: dict[str, tuple[str, Loc]] = {}

    def add(self, loc: Loc, message: str) -> None:
        self.issues.append(Issue(loc, message))

    def run(self) -> list[Issue]:
        self._ids()
        self._header()
        self._sections()
        self._nodes()
        self._actors()
        for pos, item in self.p.initiatives:
            self._initiative(("initiatives", pos), item)
        return self.issues

    # -- ids and references -------------------------------------------------------------

    def _ids(self) -> None:
        entries = [
            (coll, pos, item.id)
            for coll in ("nodes", "actors", "initiatives")
            for pos, item in getattr(self.p, coll)
        ]
        entries += self.p.other_ids
        order = {"nodes": 0, "actors": 1, "initiatives": 2}
        for coll, pos, item_id in sorted(entries, key=lambda e: (order[e[0]], e[1])):
            loc: Loc = (coll, pos, "id")
            if item_id in self.ids:
                kind, first = self.ids[item_id]
                self.add(
                    loc,
                    f"duplicate id '{item_id}': already used at {self.where(first)} ({kind}); "
                    "ids must be unique across nodes, actors and initiatives",
                )
            else:
                self.ids[item_id] = (_KIND_OF[coll], loc)

    def _ref(self, loc: Loc, value: str, kind: str, label: str) -> bool:
        """Report `value` unless it is the id of a `kind`; True when it is."""
        found = self.ids.get(value)
        if found is None:
            same_kind = [i for i, (k, _) in self.ids.items() if k == kind]
            close = difflib.get_close_matches(value, same_kind, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.add(loc, f"{label} '{value}' refers to no {kind} in this programme{hint}")
            return False
        if found[0] != kind:
            self.add(loc, f"{label} '{value}' is {_a(found[0])}, not {_a(kind)}")
            return False
        return True

    def _unique(self, loc: Loc, values: Iterable[str], label: str) -> None:
        seen: set[str] = set()
        for j, v in enumerate(values):
            if v in seen:
                self.add((*loc, j), f"{label} '{v}' is listed twice")
            seen.add(v)

    def _cycles(self, coll: str, parents: dict[str, str], positions: dict[str, int]) -> None:
        reported: set[str] = set()
        for start in parents:
            path, seen = [start], {start}
            cur = parents.get(start)
            while cur is not None and cur in parents and cur not in seen:
                path.append(cur)
                seen.add(cur)
                cur = parents[cur]
            if cur is None or cur not in seen:
                continue
            cycle = path[path.index(cur) :]
            if reported & set(cycle):
                continue
            reported |= set(cycle)
            first = min(cycle, key=positions.__getitem__)
            k = cycle.index(first)
            ring = [*cycle[k:], *cycle[:k], first]
            self.add(
                (coll, positions[first], "parent"),
                "parents form a cycle: " + " → ".join(ring) + " (the tree must have no loops)",
            )

    # -- header, sections ---------------------------------------------------------------

    def _period(self, loc: Loc, period: Period | None) -> None:
        if period is not None and period.end is not None and period.end < period.start:
            self.add((*loc, "end"), f"end {period.end} is before start {period.start}")

    def _header(self) -> None:
        if self.p.node_kinds is not None:
            self._unique(("node_kinds",), self.p.node_kinds, "node kind")
        self._period(("period",), self.p.period)

    def _sections(self) -> None:
        seen: dict[str, int] = {}
        for pos, s in self.p.sections:
            if s.id in seen:
                first = self.where(("sections", seen[s.id], "id"))
                self.add(
                    ("sections", pos, "id"), f"duplicate section id '{s.id}' (first at {first})"
                )
            seen.setdefault(s.id, pos)
            if not s.items and s.description is None:
                self.add(("sections", pos), f"section '{s.id}' needs items or a description")

    # -- nodes, actors ------------------------------------------------------------------

    def _nodes(self) -> None:
        declared = self.p.node_kinds
        rank = {} if declared is None else {k: i for i, k in reversed(list(enumerate(declared)))}
        unknown = self.p.kind_unknown
        by_id = {n.id: (pos, n) for pos, n in reversed(self.p.nodes)}
        roots: list[tuple[int, Node]] = []
        for pos, n in self.p.nodes:
            loc: Loc = ("nodes", pos)
            if declared is not None and pos not in unknown and n.kind not in rank:
                self.add(
                    (*loc, "kind"),
                    f"node kind '{n.kind}' is not declared in the programme's node_kinds "
                    f"[{', '.join(declared)}]; declare it there or use a declared kind",
                )
            self._target_group((*loc, "target_group"), n.target_group)
            self._unique((*loc, "indicators"), n.indicators, "indicator")
            if n.parent is None:
                roots.append((pos, n))
            elif n.parent == n.id:
                self.add((*loc, "parent"), f"node '{n.id}' cannot be its own parent")
            elif self._ref((*loc, "parent"), n.parent, "node", "parent") and n.parent in by_id:
                up_pos, up = by_id[n.parent]
                known = pos not in unknown and up_pos not in unknown
                if known and n.kind in rank and up.kind in rank and rank[n.kind] <= rank[up.kind]:
                    self.add(
                        (*loc, "parent"),
                        f"{_a(n.kind)} cannot hang under '{up.id}', {_a(up.kind)}: a node's kind "
                        f"must come after its parent's kind in node_kinds "
                        f"[{', '.join(declared or [])}]",
                    )
        for pos, n in roots[1:]:
            self.add(
                ("nodes", pos, "parent"),
                f"node '{n.id}' has no parent, but '{roots[0][1].id}' is already the root; "
                "a programme has one root node: give this node a parent",
            )
        parents = {n.id: n.parent for _, n in self.p.nodes if n.parent and n.parent != n.id}
        self._cycles("nodes", parents, {n.id: pos for pos, n in reversed(self.p.nodes)})

    def _actors(self) -> None:
        for pos, a in self.p.actors:
            if a.parent is None:
                continue
            if a.parent == a.id:
                self.add(("actors", pos, "parent"), f"actor '{a.id}' cannot be its own parent")
            else:
                self._ref(("actors", pos, "parent"), a.parent, "actor", "parent")
        parents = {a.id: a.parent for _, a in self.p.actors if a.parent and a.parent != a.id}
        self._cycles("actors", parents, {a.id: pos for pos, a in reversed(self.p.actors)})

    def _target_group(self, loc: Loc, tg) -> None:
        if tg is None or tg.age_min is None or tg.age_max is None:
            return
        if tg.age_max < tg.age_min:
            self.add((*loc, "age_max"), f"age_max {tg.age_max} is below age_min {tg.age_min}")

    # -- initiatives --------------------------------------------------------------------

    def _initiative(self, loc: Loc, it: Initiative) -> None:
        if it.owner is not None:
            self._ref((*loc, "owner"), it.owner, "actor", "owner")
        for j, a in enumerate(it.partners):
            if a == it.owner:
                self.add((*loc, "partners", j), f"'{a}' is the owner; list it only as owner")
            else:
                self._ref((*loc, "partners", j), a, "actor", "partner")
        self._unique((*loc, "partners"), it.partners, "partner")
        for j, n in enumerate(it.nodes):
            self._ref((*loc, "nodes", j), n, "node", "node")
        self._unique((*loc, "nodes"), it.nodes, "node")
        self._unique((*loc, "areas"), it.areas, "area")
        self._unique((*loc, "indicators"), it.indicators, "indicator")
        if it.budget is not None and it.budget.funder is not None:
            self._ref((*loc, "budget", "funder"), it.budget.funder, "actor", "funder")
        self._period((*loc, "period"), it.period)
        self._target_group((*loc, "target_group"), it.target_group)
        if it.status == "completed" and it.period is not None and it.period.start > self.today:
            self.add(
                (*loc, "status"),
                f"status 'completed', but the period only starts {it.period.start} (today is "
                f"{self.today}); use 'planned' or correct the period",
            )
        self._reach(loc, it)

    def _reach(self, loc: Loc, it: Initiative) -> None:
        seen: dict[tuple[str, str, str, str], int] = {}
        for j, r in enumerate(it.reach):
            key = (r.period, r.area, r.dimension, r.subgroup)
            if key in seen:
                self.add(
                    (*loc, "reach", j),
                    f"reach for period {r.period}, area '{r.area}', {r.dimension}/{r.subgroup} "
                    f"is given twice (first as reach[{seen[key]}])",
                )
            seen.setdefault(key, j)
            if it.period is None:
                continue
            first, last = span(r.period)
            start, end = it.period.start, it.period.end
            if last < start or (end is not None and first > end):
                self.add(
                    (*loc, "reach", j, "period"),
                    f"reach period {r.period} ({first} – {last}) lies outside the initiative's "
                    f"period ({start} – {end or 'open'})",
                )

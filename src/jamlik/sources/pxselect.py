"""PxWeb selections: from a short YAML selection to explicit value lists, and from one query that is
too large to several that each fit the server's limits.

Selections are resolved on the client against the table's metadata (for v1 and v2 alike), so every
query sent lists its codes explicitly and can be split. Value expressions follow PxWeb v2:
`*` (all), `TOP(n)`, `BOTTOM(n)`, `FROM(x)`, `TO(x)`, `RANGE(x,y)`, and `?`/`*` wildcards in codes.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jamlik.errors import Problem, ValidationError

Selection = dict[str, list[str]]  # variable code → value codes, in the table's variable order


@dataclass(frozen=True)
class Variable:
    """One variable of a PxWeb table (a JSON-stat dimension in v2)."""

    code: str
    text: str
    values: list[str]
    value_texts: list[str]
    elimination: bool = False
    time: bool = False
    # PxWeb v2: other value sets and aggregations the variable can be asked in
    # ([{id, label, type: Aggregation|Valueset}]), and the codelist these values come from.
    codelists: list[dict[str, Any]] = field(default_factory=list)
    codelist: str | None = None
    role: str | None = None  # JSON-stat role: time, geo, metric
    units: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → JSON-stat unit
    children: dict[str, list[str]] = field(default_factory=dict)  # code → child codes

    def label(self, code: str) -> str:
        try:
            return self.value_texts[self.values.index(code)]
        except (ValueError, IndexError):
            return code


@dataclass
class TableMeta:
    """A table's title, variables and (when the server says) when it was last updated."""

    title: str
    variables: list[Variable]
    updated: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def variable(self, code: str) -> Variable | None:
        return next((v for v in self.variables if v.code == code), None)

    @property
    def time_variable(self) -> Variable | None:
        return next((v for v in self.variables if v.time), None)


def split_codelists(
    select: Mapping[str, Any], *, source: str = "selection"
) -> tuple[dict[str, Any], dict[str, str]]:
    """A selection whose variables may say `{codelist: ID, values: …}` → (plain selection,
    variable → codelist id). `values` defaults to all values of the codelist."""
    plain: dict[str, Any] = {}
    codelists: dict[str, str] = {}
    problems: list[Problem] = []
    for code, spec in select.items():
        if isinstance(spec, Mapping):
            unknown = sorted(set(spec) - {"codelist", "values"})
            cl = spec.get("codelist")
            if unknown or not isinstance(cl, str) or not cl.strip():
                problems.append(
                    Problem(source, "write {codelist: ID, values: [...]} (values may be left out "
                            "for all); ids are listed by 'jamlik source pxweb metadata'",
                            field=f"select.{code}")
                )  # fmt: skip
                continue
            codelists[code] = cl.strip()
            plain[code] = spec.get("values", "*")
        else:
            plain[code] = spec
    if problems:
        raise ValidationError(problems)
    return plain, codelists


_EXPR = re.compile(r"^(TOP|BOTTOM|FROM|TO|RANGE)\((.*)\)$", re.IGNORECASE)


def resolve_selection(
    meta: TableMeta, select: Mapping[str, Any], *, source: str = "selection"
) -> Selection:
    """Explicit codes for every selected variable, in table order; all problems raised at once.

    A variable left out is eliminated when the table allows that; otherwise it is an error, because
    guessing which values the user meant would silently change the numbers.
    """
    problems: list[Problem] = []
    known = {v.code for v in meta.variables}
    for code in select:
        if code not in known:
            problems.append(
                Problem(
                    source,
                    f"the table has no variable {code!r}; it has {', '.join(sorted(known))}",
                    field=f"select.{code}",
                )
            )
    resolved: Selection = {}
    for var in meta.variables:
        if var.code not in select:
            if not var.elimination:
                problems.append(
                    Problem(
                        source,
                        f"{var.code} ({var.text}) cannot be left out; choose values, e.g. "
                        f"{', '.join(var.values[:5])} or '*' for all",
                        field=f"select.{var.code}",
                    )
                )
            continue
        codes = _resolve_values(var, select[var.code], source, problems)
        if codes is not None:
            resolved[var.code] = codes
    if problems:
        raise ValidationError(problems)
    return resolved


def _resolve_values(
    var: Variable, spec: Any, source: str, problems: list[Problem]
) -> list[str] | None:
    where = f"select.{var.code}"
    items = spec if isinstance(spec, list) else [spec]
    chosen: list[str] = []
    for item in items:
        item = str(item).strip()
        found = _expand(var, item)
        if found is None:
            problems.append(
                Problem(source, f"cannot read {item!r} as a value expression", field=where)
            )
            return None
        if not found:
            sample = ", ".join(var.values[:8]) + (" …" if len(var.values) > 8 else "")
            problems.append(
                Problem(
                    source,
                    f"{item!r} matches no value of {var.code} (values: {sample})",
                    field=where,
                )
            )
            return None
        chosen.extend(found)
    unique = list(dict.fromkeys(chosen))
    if not unique:
        problems.append(Problem(source, "no values selected", field=where))
        return None
    return unique


def _expand(var: Variable, item: str) -> list[str] | None:
    values = var.values
    if item == "*":
        return list(values)
    m = _EXPR.match(item)
    if m:
        op, args = m[1].upper(), [a.strip().strip("'\"") for a in m[2].split(",")]
        if op in ("TOP", "BOTTOM"):
            if len(args) != 1 or not args[0].isdigit():
                return None
            n = int(args[0])
            # PxWeb orders time ascending, so TOP(n) is the latest n periods.
            return values[-n:] if op == "TOP" else values[:n]
        positions = [values.index(a) if a in values else -1 for a in args]
        if -1 in positions:
            return []
        if op == "FROM" and len(args) == 1:
            return values[positions[0] :]
        if op == "TO" and len(args) == 1:
            return values[: positions[0] + 1]
        if op == "RANGE" and len(args) == 2:
            lo, hi = sorted(positions)
            return values[lo : hi + 1]
        return None
    if any(ch in item for ch in "*?"):
        return [v for v in values if fnmatch.fnmatchcase(v, item)]
    return [item] if item in values else []


def cell_count(selection: Selection) -> int:
    return math.prod(len(codes) for codes in selection.values())


def split_selection(selection: Selection, max_cells: int) -> list[Selection]:
    """Queries that together ask for exactly the cells of `selection`, each at most `max_cells`.

    The largest variable is cut first into pieces as big as the limit allows; when even one of its
    values leaves the rest too large, it is cut into single values and the rest is split in turn.
    """
    if max_cells < 1:
        raise ValueError("max_cells must be at least 1")
    out: list[Selection] = []
    _split(dict(selection), max_cells, out)
    return out


def _split(sel: Selection, max_cells: int, out: list[Selection]) -> None:
    cells = cell_count(sel)
    if cells <= max_cells:
        out.append(sel)
        return
    code = max(sel, key=lambda k: len(sel[k]))
    values = sel[code]
    if len(values) == 1:  # every variable is down to one value: one cell, cannot shrink further
        out.append(sel)
        return
    rest_cells = cells // len(values)
    size = max(1, max_cells // rest_cells)
    size = min(size, math.ceil(len(values) / 2))  # always make progress
    for i in range(0, len(values), size):
        _split({**sel, code: values[i : i + size]}, max_cells, out)

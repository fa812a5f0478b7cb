"""JSON-stat 2.0 datasets to long tables.

PxWeb (v1 with `json-stat2`, v2 by default) and many statistics offices answer in JSON-stat. The
format stores values as one flat array in row-major order (the last dimension in `id` varies fastest)
and says which category sits at which position in `category.index` — a dict (code → position) whose
key order means nothing, or a list. Clients that read codes in key order put values on the wrong
categories; this reader only ever trusts the positions.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jamlik.errors import Problem, ValidationError

VALUE = "value"
STATUS = "status"


@dataclass(frozen=True)
class Dimension:
    """One dimension: its codes in position order, their labels, and its role (time, geo, metric)."""

    id: str
    label: str
    codes: list[str]
    labels: dict[str, str]
    role: str | None = None
    extension: dict[str, Any] = field(default_factory=dict)
    # category code → the codes of its children (JSON-stat `category.child`), in the source's order
    children: dict[str, list[str]] = field(default_factory=dict)
    # category code → its unit (`category.unit`: label, symbol, decimals, and the 2.0 extras
    # base, multiplier, position as the source states them)
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)  # the dimension's and its categories' notes

    def parent_of(self, code: str) -> str | None:
        return next((p for p, kids in self.children.items() if code in kids), None)


@dataclass(frozen=True)
class Note:
    """A note of the source: on the dataset, a dimension, or one category of a dimension.

    `mandatory` notes (SCB's `noteMandatory`) must be shown wherever the values are shown.
    """

    text: str
    mandatory: bool = False
    dimension: str | None = None
    category: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "mandatory": self.mandatory}
        if self.dimension:
            out["dimension"] = self.dimension
        if self.category:
            out["category"] = self.category
        return out


@dataclass
class Dataset:
    """A parsed JSON-stat dataset. `values`/`status` are None for metadata-only documents."""

    ids: list[str]
    dimensions: dict[str, Dimension]
    values: np.ndarray | None
    status: list[str | None] | None
    label: str = ""
    source: str = ""
    updated: str | None = None
    extension: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)  # the dataset's own notes

    def all_notes(self) -> list[Note]:
        """The dataset's notes, then each dimension's (and its categories'), in `id` order."""
        return [*self.notes, *(n for i in self.ids for n in self.dimensions[i].notes)]

    @property
    def sizes(self) -> list[int]:
        return [len(self.dimensions[i].codes) for i in self.ids]

    def frame(self) -> pd.DataFrame:
        """Long table: one column per dimension (codes), then `value` (float, NaN = missing) and
        `status` (the symbol, or None)."""
        if self.values is None:
            raise ValueError("this JSON-stat document holds metadata only, no values")
        sizes = self.sizes
        total = int(np.prod(sizes, dtype=np.int64)) if sizes else 1
        columns: dict[str, Any] = {}
        for i, dim_id in enumerate(self.ids):
            codes = np.asarray(self.dimensions[dim_id].codes, dtype=object)
            inner = int(np.prod(sizes[i + 1 :], dtype=np.int64)) if i + 1 < len(sizes) else 1
            outer = total // (len(codes) * inner) if codes.size else 0
            columns[dim_id] = np.tile(np.repeat(codes, inner), outer)
        columns[VALUE] = self.values
        status = self.status if self.status is not None else [None] * total
        # object dtype: a missing symbol stays None (pandas would otherwise make it NaN)
        columns[STATUS] = pd.Series(status, dtype=object)
        return pd.DataFrame(columns)


def read_jsonstat(doc: dict | str | bytes, *, source: str = "JSON-stat") -> pd.DataFrame:
    """Parse a JSON-stat 2.0 dataset and return its long table (see `Dataset.frame`)."""
    return parse_jsonstat(doc, source=source).frame()


def parse_jsonstat(
    doc: dict | str | bytes, *, source: str = "JSON-stat", require_values: bool = True
) -> Dataset:
    """Validate and parse a JSON-stat 2.0 dataset.

    `source` names the input in error messages (a URL or file name). Every problem found is
    reported at once as a ValidationError.
    """
    if isinstance(doc, str | bytes):
        try:
            doc = json.loads(doc)
        except ValueError as exc:
            raise ValidationError([Problem(source, f"not valid JSON: {exc}")]) from None
    problems: list[Problem] = []

    def bad(message: str, where: str | None = None) -> None:
        problems.append(Problem(source, message, field=where))

    if not isinstance(doc, dict):
        raise ValidationError([Problem(source, "a JSON-stat dataset must be a JSON object")])
    if doc.get("class") not in (None, "dataset"):
        raise ValidationError(
            [
                Problem(
                    source,
                    f"class is {doc.get('class')!r}; only 'dataset' can be read",
                    field="class",
                )
            ]
        )
    doc = _as_version_2(doc, source)

    ids = doc.get("id")
    raw_dims = doc.get("dimension")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValidationError([Problem(source, "'id' must be a list of dimension ids", field="id")])
    if not isinstance(raw_dims, dict):
        raise ValidationError([Problem(source, "'dimension' must be an object", field="dimension")])
    sizes = doc.get("size")
    if not isinstance(sizes, list) or len(sizes) != len(ids):
        bad(f"'size' must list one size per id ({len(ids)})", "size")
        sizes = [None] * len(ids)
    for reserved in (VALUE, STATUS):
        if reserved in ids:
            bad(f"a dimension called {reserved!r} clashes with the value columns", "id")

    roles: dict[str, str] = {}
    for role, members in (doc.get("role") or {}).items():
        for member in members or []:
            roles[member] = role

    dimensions: dict[str, Dimension] = {}
    for dim_id, size in zip(ids, sizes, strict=True):
        where = f"dimension.{dim_id}"
        raw = raw_dims.get(dim_id)
        if not isinstance(raw, dict):
            bad("listed in 'id' but not described in 'dimension'", where)
            continue
        category = raw.get("category") or {}
        labels = {str(k): str(v) for k, v in (category.get("label") or {}).items()}
        codes = _category_codes(category.get("index"), labels, f"{where}.category.index", bad)
        if codes is None:
            continue
        if size is not None and size != len(codes):
            bad(f"size says {size} categories but the index has {len(codes)}", where)
        extension = raw.get("extension") if isinstance(raw.get("extension"), dict) else {}
        dimensions[dim_id] = Dimension(
            id=dim_id,
            label=str(raw.get("label") or dim_id),
            codes=codes,
            labels=labels,
            role=roles.get(dim_id),
            extension=dict(extension),
            children=_children(category.get("child"), codes, f"{where}.category.child", bad),
            units=_units(category.get("unit"), codes, f"{where}.category.unit", bad),
            notes=_dimension_notes(dim_id, raw, category, extension),
        )
    if problems:
        raise ValidationError(problems)

    total = math.prod(len(dimensions[i].codes) for i in ids)
    values: np.ndarray | None = None
    status: list[str | None] | None = None
    if not require_values:
        # Metadata: PxWeb v2 (SCB) writes `"value": []` or leaves it out; either way, no data.
        pass
    elif "value" in doc:
        values = _values(doc["value"], total, bad)
        status = _status(doc.get("status"), total, bad)
    else:
        bad("no 'value': the document holds no data", "value")
    if problems:
        raise ValidationError(problems)
    return Dataset(
        ids=list(ids),
        dimensions=dimensions,
        values=values,
        status=status,
        label=str(doc.get("label", "")),
        source=str(doc.get("source", "")),
        updated=doc.get("updated"),
        extension=dict(doc.get("extension") or {}),
        notes=[
            Note(text, mandatory)
            for text, mandatory in _notes(doc.get("note"), _mandatory(doc.get("extension")))
        ],
    )


def _as_version_2(doc: dict, source: str) -> dict:
    """A JSON-stat 2.0 dataset from what came: 2.0 as it is, a 1.x bundle holding one dataset
    (many PxWeb v1 servers), or a refusal that says what was received and what to do."""
    if "id" in doc or "dimension" in doc and "id" not in (doc.get("dimension") or {}):
        return doc
    if "columns" in doc and "data" in doc:
        raise ValidationError(
            [Problem(source, "received PxWeb's px-json (columns/data), not JSON-stat "
                     "(PxWeb API v1 answers it for format 'json'); read it with "
                     "jamlik.sources.pxweb.read_pxjson / fick px-json, inte JSON-stat")]
        )  # fmt: skip
    bundle = doc.get("dimension") and {"": doc} or doc  # a bare 1.x dataset, or a bundle
    datasets = {
        k: v
        for k, v in bundle.items()
        if isinstance(v, dict) and isinstance(v.get("dimension"), dict)
    }
    if not datasets:
        keys = ", ".join(list(doc)[:8]) or "nothing"
        raise ValidationError(
            [Problem(source, f"not JSON-stat: no 'id' and 'dimension' (received keys: {keys}); "
                     "check that the URL answers JSON-stat 2.0 / inte JSON-stat")]
        )  # fmt: skip
    if len(datasets) > 1:
        raise ValidationError(
            [Problem(source, f"a JSON-stat 1.x bundle of {len(datasets)} datasets "
                     f"({', '.join(datasets)}); ask for one table at a time / en tabell i taget")]
        )  # fmt: skip
    old = next(iter(datasets.values()))
    dims = dict(old["dimension"])
    ids, size, role = dims.pop("id", None), dims.pop("size", None), dims.pop("role", None)
    if not isinstance(ids, list):
        raise ValidationError(
            [Problem(source, "JSON-stat 1.x dataset without dimension.id", field="dimension.id")]
        )
    return {**{k: v for k, v in old.items() if k != "dimension"},
            "version": "2.0", "class": "dataset", "id": ids, "size": size,
            "role": role or {}, "dimension": dims}  # fmt: skip


def _mandatory(extension: Any) -> set[int]:
    """Positions of the mandatory notes: PxWeb writes `noteMandatory` as {"0": true, …}."""
    raw = extension.get("noteMandatory") if isinstance(extension, dict) else None
    if isinstance(raw, dict):
        return {int(k) for k, v in raw.items() if str(k).isdigit() and v}
    if isinstance(raw, list):  # tolerate a list of positions
        return {int(k) for k in raw if str(k).isdigit()}
    return set()


def _notes(raw: Any, mandatory: set[int]) -> list[tuple[str, bool]]:
    """JSON-stat `note` is a list of strings (a single string is tolerated)."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
    return [(str(t).strip(), i in mandatory) for i, t in enumerate(items) if str(t).strip()]


def _dimension_notes(dim_id: str, raw: dict, category: dict, extension: dict) -> list[Note]:
    out = [Note(t, m, dim_id) for t, m in _notes(raw.get("note"), _mandatory(extension))]
    per_code = category.get("note") if isinstance(category.get("note"), dict) else {}
    flags = extension.get("categoryNoteMandatory")
    flags = flags if isinstance(flags, dict) else {}
    for code, texts in per_code.items():
        marks = _mandatory({"noteMandatory": flags.get(code)})
        out += [Note(t, m, dim_id, str(code)) for t, m in _notes(texts, marks)]
    return out


def _children(raw: Any, codes: list[str], where: str, bad) -> dict[str, list[str]]:
    """`category.child`: parent code → child codes; every code must be a category."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        bad("'child' must be an object (parent code → list of child codes)", where)
        return {}
    known = set(codes)
    out: dict[str, list[str]] = {}
    for parent, kids in raw.items():
        kids = [str(k) for k in kids] if isinstance(kids, list) else None
        if kids is None:
            bad(f"the children of {parent!r} must be a list of codes", where)
            continue
        unknown = [c for c in [str(parent), *kids] if c not in known]
        if unknown:
            bad(f"{', '.join(unknown)} in 'child' is not a category of the dimension", where)
            continue
        out[str(parent)] = kids
    seen: dict[str, str] = {}
    for parent, kids in out.items():
        for kid in kids:
            if kid in seen and seen[kid] != parent:
                bad(f"{kid!r} has two parents ({seen[kid]!r} and {parent!r})", where)
            seen[kid] = parent
    return out


def _units(raw: Any, codes: list[str], where: str, bad) -> dict[str, dict[str, Any]]:
    """`category.unit`: code → {label, symbol, position, decimals, base, multiplier …}."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        bad("'unit' must be an object (category code → unit object)", where)
        return {}
    out = {}
    for code, unit in raw.items():
        if str(code) not in codes:
            bad(f"{code!r} has a unit but is not a category of the dimension", where)
            continue
        multiplier = unit.get("multiplier")
        if multiplier is not None and (isinstance(multiplier, bool)
                                       or not isinstance(multiplier, int)):  # fmt: skip
            bad(f"the multiplier of {code!r} must be an integer power of ten", where)
            continue
        out[str(code)] = dict(unit)
    return out


def _category_codes(index: Any, labels: dict[str, str], where: str, bad) -> list[str] | None:
    if index is None:
        # The standard allows leaving out the index of a dimension with a single category.
        if len(labels) == 1:
            return list(labels)
        bad("no index, and the label does not hold exactly one category", where)
        return None
    if isinstance(index, list):
        codes = [str(c) for c in index]
        if len(set(codes)) != len(codes):
            bad("the index lists a code twice", where)
            return None
        return codes
    if isinstance(index, dict):
        n = len(index)
        slots: list[str | None] = [None] * n
        for code, pos in index.items():
            if not isinstance(pos, int) or isinstance(pos, bool) or not 0 <= pos < n:
                bad(f"position {pos!r} of {code!r} is not an integer in 0..{n - 1}", where)
                return None
            if slots[pos] is not None:
                bad(f"{slots[pos]!r} and {code!r} share position {pos}", where)
                return None
            slots[pos] = str(code)
        return [c for c in slots if c is not None]
    bad("the index must be an object (code → position) or a list of codes", where)
    return None


def _values(raw: Any, total: int, bad) -> np.ndarray | None:
    out = np.full(total, np.nan, dtype=float)
    if isinstance(raw, list):
        if len(raw) != total:
            bad(f"{len(raw)} values, but the dimension sizes multiply to {total}", "value")
            return None
        items = enumerate(raw)
    elif isinstance(raw, dict):  # sparse: position → value
        items = []
        for key, value in raw.items():
            if not str(key).isdigit() or int(key) >= total:
                bad(f"value position {key!r} is outside 0..{total - 1}", "value")
                return None
            items.append((int(key), value))
    else:
        bad("'value' must be a list or an object", "value")
        return None
    for pos, value in items:
        if value is None:
            continue  # null stays missing; never 0
        try:
            out[pos] = float(value)
        except (TypeError, ValueError):
            bad(f"value at position {pos} is {value!r}, not a number", "value")
            return None
    return out


def _status(raw: Any, total: int, bad) -> list[str | None] | None:
    if raw is None:
        return [None] * total
    if isinstance(raw, str):
        return [raw] * total
    if isinstance(raw, list):
        if len(raw) == 1 and total != 1:
            return [raw[0]] * total
        if len(raw) != total:
            bad(f"{len(raw)} status entries for {total} values", "status")
            return None
        return [None if s in (None, "") else str(s) for s in raw]
    if isinstance(raw, dict):
        out: list[str | None] = [None] * total
        for key, symbol in raw.items():
            if not str(key).isdigit() or int(key) >= total:
                bad(f"status position {key!r} is outside 0..{total - 1}", "status")
                return None
            out[int(key)] = None if symbol in (None, "") else str(symbol)
        return out
    bad("'status' must be a string, a list or an object", "status")
    return None

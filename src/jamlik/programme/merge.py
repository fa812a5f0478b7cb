"""Re-importing a programme file without losing what people entered in the web.

The file owns the programme's structure; the web owns what people change there (an
initiative's notes, reach or any other field edited through the site, a node's texts edited by
an administrator, initiatives created in the web, publication). A re-import is a three-way
merge, field by field, of

- the *base*: the programme as the file last imported it (stored beside the programme),
- the *stored* programme (base plus whatever was changed in the web since), and
- the *file* being imported now.

For each field of each item (the header, node, actor, section and initiative, matched by id):
unchanged in the file → the stored value stays (a web edit is kept); unchanged in the web →
the file's value; changed in both to the same value → that value; changed in both to different
values → a `Conflict`. An item the file removes goes when nobody changed it in the web and is a
conflict when someone did; an item created in the web (not in base, not in the file) stays.

Comparing against the last imported version needs no marker to be kept right by every code path
that edits: whatever differs from the base was changed after the import, by whoever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jamlik.programme.model import Programme

# The programme's lists of items with ids, in the order their conflicts are listed.
LISTS = ("nodes", "actors", "sections", "initiatives")
ITEM_SV = {
    "programme": "Programmet",
    "nodes": "Noden",
    "actors": "Aktören",
    "sections": "Avsnittet",
    "initiatives": "Insatsen",
}
ITEM_EN = {
    "programme": "programme",
    "nodes": "node",
    "actors": "actor",
    "sections": "section",
    "initiatives": "initiative",
}
WHOLE = "*"  # the field of a conflict about a whole item (removed by the file, edited in the web)
SHOWN = 120  # characters of a value shown in a conflict message


@dataclass(frozen=True)
class Conflict:
    """One field (or whole item) that both the web and the file changed, to different values.

    `web` is the stored value (None: the item is not stored), `file` the file's value (None:
    the file removes the item).
    """

    kind: str  # "programme" or one of LISTS
    item_id: str
    title: str
    field: str  # WHOLE for the item as a whole
    web: Any
    file: Any

    @property
    def where(self) -> str:
        """The item and field, e.g. `initiatives[insats-1].notes`, for Problem.field."""
        if self.kind == "programme":
            return self.field
        suffix = "" if self.field == WHOLE else f".{self.field}"
        return f"{self.kind}[{self.item_id}]{suffix}"

    def message(self) -> str:
        """Swedish first, English beside: what, which field, the web's and the file's value."""
        sv, en = ITEM_SV[self.kind], ITEM_EN[self.kind]
        name = f"'{self.item_id}' ({self.title})" if self.kind != "programme" else ""
        if self.field == WHOLE and self.file is None:
            return (
                f"{sv} {name} ändrades i webben men tas bort i filen. / The {en} {name} was "
                "changed in the web but the file removes it."
            )
        if self.field == WHOLE and self.web is None:
            return (
                f"{sv} {name} togs bort i webben men ändras i filen. / The {en} {name} was "
                "removed in the web but the file changes it."
            )
        return (
            f"{sv} {name} fält '{self.field}': webben har {_show(self.web)}, filen har "
            f"{_show(self.file)}. / The {en} {name} field '{self.field}': the web has "
            f"{_show(self.web)}, the file has {_show(self.file)}."
        ).replace("  ", " ")


@dataclass(frozen=True)
class Merge:
    """The outcome of merging a file into a stored programme."""

    merged: dict[str, Any]  # the programme to store, as JSON-able data
    conflicts: list[Conflict]
    kept: list[tuple[str, str, str]]  # (kind, item id, field) of web edits the merge keeps
    replaced: list[tuple[str, str, str]]  # web edits the file's values replace (--replace)


def dump(programme: Programme) -> dict[str, Any]:
    """The programme as the JSON-able data the merge compares (and the base is stored as)."""
    return programme.model_dump(mode="json")


def dumps(programme: Programme) -> str:
    """The base as stored: canonical JSON, so the same programme gives the same text."""
    return json.dumps(dump(programme), sort_keys=True, ensure_ascii=False)


def merge(base: dict[str, Any], stored: dict[str, Any], file: dict[str, Any]) -> Merge:
    """Merge `file` into `stored`, given what the file last imported was (`base`)."""
    conflicts: list[Conflict] = []
    kept: list[tuple[str, str, str]] = []
    replaced: list[tuple[str, str, str]] = []
    title = stored.get("title") or file.get("title") or ""

    def fields(kind: str, item_id: str, name: str, b: dict, s: dict, f: dict) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in dict.fromkeys([*f, *s, *b]):
            if kind == "programme" and key in LISTS:
                continue
            bv, sv, fv = b.get(key), s.get(key), f.get(key)
            if sv == bv or fv == sv:
                out[key] = fv
            elif fv == bv:
                out[key] = sv
                kept.append((kind, item_id, key))
            else:
                conflicts.append(Conflict(kind, item_id, name, key, sv, fv))
                replaced.append((kind, item_id, key))
                out[key] = fv
        return out

    merged = fields("programme", stored.get("id", ""), title, base, stored, file)
    for kind in LISTS:
        b_items = _by_id(base.get(kind, []))
        s_items = _by_id(stored.get(kind, []))
        f_items = _by_id(file.get(kind, []))
        items: list[dict[str, Any]] = []
        for item_id, f in f_items.items():
            s, b = s_items.get(item_id), b_items.get(item_id)
            name = _title(f)
            if s is None and b is not None:  # removed in the web
                if f != b:
                    conflicts.append(Conflict(kind, item_id, name, WHOLE, None, f))
                    replaced.append((kind, item_id, WHOLE))
                    items.append(f)
                else:
                    kept.append((kind, item_id, WHOLE))
                continue
            if s is None:  # new in the file
                items.append(f)
                continue
            items.append(fields(kind, item_id, name, {} if b is None else b, s, f))
        for item_id, s in s_items.items():
            if item_id in f_items:
                continue
            b = b_items.get(item_id)
            if b is None:  # created in the web: the web's
                items.append(s)
                kept.append((kind, item_id, WHOLE))
            elif s != b:  # edited in the web, removed by the file
                conflicts.append(Conflict(kind, item_id, _title(s), WHOLE, s, None))
                replaced.append((kind, item_id, WHOLE))
            # else: removed by the file, untouched in the web: gone
        merged[kind] = items
    return Merge(merged, conflicts, kept, replaced)


def _plain(value: Any) -> str:
    """A value as a person reads it: a reach list as `2025 ex-norr total total 40; …`, not JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_plain(v) for v in value.values() if v is not None)
    if isinstance(value, list):
        if len(value) <= 1:
            return _plain(value[0]) if value else "[]"
        return f"{len(value)} rader / rows: " + "; ".join(_plain(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def _title(item: dict[str, Any]) -> str:
    return str(item.get("title") or item.get("name") or item.get("id"))


def _show(value: Any) -> str:
    if value is None:
        return "inget värde / no value"
    text = " ".join(_plain(value).split())
    return f"«{text[: SHOWN - 1]}…»" if len(text) > SHOWN else f"«{text}»"

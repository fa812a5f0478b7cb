"""Programme YAML files: load with every problem located by file, line and field; dump stably.

Loading keeps ruamel.yaml's round-trip tree beside the plain values, so a problem found at
`initiatives[2].period.end` by pydantic or by the rules can be traced back to its line.
Dumping writes keys in the model's field order, leaves out empty values, and writes text with
line breaks as literal blocks, so dump → load → dump gives the same bytes.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel, TypeAdapter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)

from jamlik.errors import Problem, ValidationError
from jamlik.programme.model import (
    Actor,
    Initiative,
    Node,
    NodeKind,
    Period,
    Programme,
    Section,
)
from jamlik.programme.rules import Loc, Parts, check, field_path
from jamlik.yamlio import Document, dump_yaml, load_document

HEADER = "# jamlik programme file. Check it with: jamlik programme check FILE\n"


class Located(Document):
    """A parsed programme file: plain values, round-trip tree and the line of every key and item.

    Every place has a line: one outside anything in the file points at line 1.
    """

    def line(self, loc: Loc) -> int:
        """1-based line of the deepest part of `loc` present in the file (1 when none is)."""
        return super().line(loc) or 1

    def where(self, loc: Loc) -> str:
        """How a message points at another place in the file: `nodes[2].id (line 23)`."""
        return f"{field_path(loc)} (line {self.line(loc)})"


@dataclass
class Parsed:
    """What reading a programme file gave: the programme when it is valid, every problem, the
    located tree (for lines) and the individually valid parts (for further checks)."""

    programme: Programme | None
    problems: list[Problem]
    located: Located | None = None
    parts: Parts | None = None


def parse_programme(path: str | Path, *, today: date | None = None) -> Parsed:
    """Read and check a programme file without raising. `programme` is set only when valid."""
    path = Path(path)
    source = str(path)
    try:
        # Dates stay text so that an impossible date is a located problem; keys stay as written
        # so that `1: x` is reported as a key that is not text.
        doc = load_document(path, source=source, dates_as_text=True, text_keys=False)
    except ValidationError as exc:
        return Parsed(None, exc.problems)
    located = Located(doc.source, doc.data, doc.lines, doc.tree)
    if not isinstance(doc.data, dict):
        msg = (
            "filen ska innehålla en mappning med nycklarna id, title, nodes, actors, "
            "initiatives … / the file should hold a mapping with keys id, title, nodes, actors, "
            "initiatives …"
        )
        return Parsed(None, [Problem(source, msg, line=1)], located)
    raw = doc.data

    problems: list[Problem] = []
    programme: Programme | None = None
    try:
        programme = Programme.model_validate(raw)
        parts = Parts.of(programme)
    except pydantic.ValidationError as exc:
        problems += located.pydantic_problems(exc, Programme, describe=_describe)
        parts = _valid_parts(raw)
    issues = check(parts, today=today, where=located.where)
    problems += [located.problem(i.loc, i.message) for i in issues]
    problems.sort(key=lambda p: p.line or 0)
    return Parsed(None if problems else programme, problems, located, parts)


def load_programme(path: str | Path, *, today: date | None = None) -> Programme:
    """Load and validate a programme file; ValidationError lists every problem with its line.

    `today` (default: the real date) is only used to reject 'completed' initiatives whose
    period has not started yet.
    """
    parsed = parse_programme(path, today=today)
    if parsed.problems:
        raise ValidationError(parsed.problems)
    assert parsed.programme is not None
    return parsed.programme


def dump_programme(programme: Programme) -> str:
    """The programme as YAML text in a stable layout (same programme, same bytes).

    `published` and `fictitious` are written only when true: their absence means the default.
    """
    data = _prune(programme.model_dump(mode="python", exclude_none=True))
    for flag in ("published", "fictitious"):
        if not data.get(flag):
            data.pop(flag, None)
    return HEADER + dump_yaml(data)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    if isinstance(value, str):
        return _styled(value)
    return value


FOLD_WIDTH = 88
# Only text of ordinary characters and plain line breaks goes into block scalars or plain style.
_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _styled(text: str) -> str:
    """Text with line breaks as a literal block; long text folded at spaces (`>-`)."""
    if _UNSAFE.search(text) or text != text.strip():
        # Plain and single-quoted styles would write such characters raw, and some of them
        # (NEL, LS, PS) read back as line breaks; double quotes escape them.
        return DoubleQuotedScalarString(text)
    if "\n" in text:
        return LiteralScalarString(text)
    if len(text) <= FOLD_WIDTH:
        return text
    folds, start, last = [], 0, None
    for m in re.finditer(r"(?<=\S) (?=\S)", text):  # a single space between two words
        i = m.start()
        if i - start > FOLD_WIDTH and last is not None:
            folds.append(last)
            start = last + 1
        last = i
    if last is not None and last >= start and len(text) - start > FOLD_WIDTH:
        folds.append(last)
    if not folds:
        return text
    folded = FoldedScalarString(text)
    folded.fold_pos = folds
    return folded


# -- partial validation: rules still run on the parts that are individually valid ----------

_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "sections": Section,
    "nodes": Node,
    "actors": Actor,
    "initiatives": Initiative,
}


def _valid_parts(raw: dict) -> Parts:
    parts = Parts()
    try:
        parts.node_kinds = list(
            TypeAdapter(list[NodeKind]).validate_python(raw.get("node_kinds", []), strict=True)
        )
    except pydantic.ValidationError:
        parts.node_kinds = None
    try:
        period = raw.get("period")
        parts.period = Period.model_validate(period) if period is not None else None
    except pydantic.ValidationError:
        pass
    for coll, model in _ITEM_MODELS.items():
        items = raw.get(coll)
        if not isinstance(items, list):
            continue
        for pos, item in enumerate(items):
            salvaged = _salvage(model, item)
            if salvaged is not None:
                value, guessed_kind = salvaged
                getattr(parts, coll).append((pos, value))
                if guessed_kind:
                    parts.kind_unknown.add(pos)
            elif coll != "sections" and isinstance(item, dict) and isinstance(item.get("id"), str):
                parts.other_ids.append((coll, pos, item["id"]))
    return parts


# Stand-ins for required fields that failed, so the rest of an item can still be checked.
# No rule reads titles or names; a node whose kind is a stand-in skips the node-kind rules.
_STAND_INS = {"title": "?", "name": "?", "kind": None}


def _salvage(model: type[BaseModel], item: Any) -> tuple[BaseModel, bool] | None:
    """The item validated without its failing fields, and whether `kind` is a stand-in."""
    try:
        return model.model_validate(item), False
    except pydantic.ValidationError as exc:
        errors = exc.errors()
    if not isinstance(item, dict) or any(len(e["loc"]) == 0 for e in errors):
        return None
    bad = {e["loc"][0] for e in errors}
    cleaned = {k: v for k, v in item.items() if k not in bad and k in model.model_fields}
    guessed_kind = False
    for name, info in model.model_fields.items():
        if info.is_required() and name not in cleaned:
            if name not in _STAND_INS:
                return None
            if name == "kind":
                guessed_kind = True
                cleaned[name] = typing.get_args(info.annotation)[0]
            else:
                cleaned[name] = _STAND_INS[name]
    try:
        return model.model_validate(cleaned), guessed_kind
    except pydantic.ValidationError:
        return None


# -- pydantic errors in words a programme author understands -------------------------------


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _describe(err: Mapping[str, Any], allowed: list[str] | None) -> str:
    """A pydantic error in words a programme author understands, Swedish first."""
    loc: Loc = tuple(err["loc"])
    kind, value = err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    shown = _shown(value)
    if kind == "missing":
        msg = "obligatoriskt fält saknas / required field is missing"
    elif kind == "extra_forbidden":
        msg = f"okänd nyckel '{loc[-1]}'"
        if allowed:
            msg += f"; tillåtna nycklar här: {', '.join(allowed)}"
        msg += f" / unknown key '{loc[-1]}'"
        if allowed:
            msg += f"; allowed keys here: {', '.join(allowed)}"
    elif kind == "string_type":
        msg = f"ska vara text, inte {shown} / should be text, got {shown}"
        if isinstance(value, int | float) and not isinstance(value, bool):
            msg += (
                " (sätt tal som är text inom citattecken, t.ex. '0180' / put numbers used as "
                "text in quotes, e.g. '0180')"
            )
    elif kind in ("int_type", "int_from_float"):
        msg = f"ska vara ett heltal, inte {shown} / should be a whole number, got {shown}"
    elif kind == "list_type":
        msg = (
            f"ska vara en lista (en rad '- ' per post), inte {shown} / should be a list "
            f"(one '- ' item per line), got {shown}"
        )
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        msg = (
            f"ska vara en mappning av nycklar och värden, inte {shown} / should be a mapping of "
            f"keys and values, got {shown}"
        )
    elif kind == "literal_error":
        expected = ctx.get("expected", "")
        msg = (
            f"{shown} är inte tillåtet här; använd en av {expected} / {shown} is not allowed "
            f"here; use one of {expected}"
        )
    elif kind == "string_too_short":
        msg = (
            "får inte vara tom; skriv en text eller ta bort nyckeln / must not be empty; write "
            "a text or leave the key out"
        )
    elif kind == "string_too_long":
        limit = ctx.get("max_length")
        msg = (
            f"högst {limit} tecken, inte {len(str(value))} / at most {limit} characters, not "
            f"{len(str(value))}; korta texten / shorten the text"
        )
    elif kind == "string_pattern_mismatch":
        msg = (
            f"{shown} är inget giltigt id: använd bokstäverna A–Z a–z, siffror, '.', '_' och "
            "'-', först en bokstav eller siffra (inga mellanslag eller å ä ö) / "
            f"{shown} is not a valid id: use letters A–Z a–z, digits, '.', '_' and '-', "
            "starting with a letter or digit (no spaces or å ä ö)"
        )
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get(next(iter(ctx), ""), "")
        sv = {
            "greater_than_equal": "minst",
            "less_than_equal": "högst",
            "greater_than": "större än",
            "less_than": "mindre än",
        }[kind]
        msg = (
            f"ska vara {sv} {bound}, inte {shown} / "
            f"{err['msg'].replace('Input should be', 'should be')}, got {shown}"
        )
    elif kind == "value_error":
        msg = err["msg"].removeprefix("Value error, ")
    else:
        msg = "ogiltigt värde / invalid value: " + err["msg"].replace(
            "Input should be", "should be"
        )
    return msg

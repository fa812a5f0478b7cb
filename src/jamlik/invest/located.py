"""Reading YAML so that every problem names file, line and field.

The investment file, the unit-value library and the price index are all read through
`read_yaml` + `validate`: ruamel.yaml keeps the line of every key, pydantic checks the values,
and each pydantic error becomes a `Problem` pointing at the deepest part of the path that is in
the file (a missing key points at the record that lacks it).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from jamlik.data.yamlfile import field_name
from jamlik.errors import Problem, ValidationError
from jamlik.yamlio import parse_document

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class Located:
    """Where things are in one YAML file: the line of every key and list item."""

    source: str
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int | None:
        for cut in range(len(loc), 0, -1):
            if (found := self.lines.get(tuple(loc[:cut]))) is not None:
                return found
        return 1 if self.lines else None

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.source, message, line=self.line(loc), field=field_name(loc) or None)


def read_yaml(
    path: str | Path | None = None, *, text: str | None = None, source: str = ""
) -> tuple[Any, Located]:
    """Parse a YAML file (or text) into plain values and the line index.

    Raises ValidationError (file, line) when the file cannot be read or is not YAML.
    """
    if text is None:
        p = Path(str(path))
        source = source or str(p)
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except FileNotFoundError as exc:
            raise ValidationError([Problem(source, "filen finns inte / file not found")]) from exc
        except UnicodeDecodeError as exc:
            raise ValidationError(
                [Problem(source, "filen ska vara UTF-8 / the file must be UTF-8 encoded")]
            ) from exc
        except OSError as exc:
            raise ValidationError(
                [Problem(source, f"kan inte läsas / cannot be read: {exc}")]
            ) from exc
    # The one guarded loader: aliases, nesting and tags are checked before anything is built.
    doc = parse_document(text, source, dates_as_text=True)
    return doc.data, Located(source, doc.lines)


def _doc_loc(err_loc: Sequence[Any], doc: Any, keep_last: bool) -> Loc:
    """The part of a pydantic error location that names keys and items of the document.

    Other parts name pydantic's own union branches (the `dist` tag, "function-before[...]").
    A key that is not in the document is kept only when it is the last part of a "missing" or
    "unknown key" error: that is the key the error is about.
    """
    out: list[str | int] = []
    node = doc
    for i, part in enumerate(err_loc):
        last = keep_last and i == len(err_loc) - 1
        if isinstance(node, dict) and isinstance(part, str) and (part in node or last):
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
    return tuple(out)


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation can hold (through Optional, list, Annotated, unions)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, dict):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out += _unwrap(arg)
        return out
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _keys_at(model: type[BaseModel], loc: Loc, doc: Any) -> list[str] | None:
    """The keys allowed in the mapping at `loc` (for 'unknown key' messages)."""
    classes: list[type[BaseModel]] = [model]
    node = doc
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        nxt: list[type[BaseModel]] = []
        for cls in classes:
            info = cls.model_fields.get(part) or next(
                (f for f in cls.model_fields.values() if f.alias == part), None
            )
            if info is not None:
                nxt += _unwrap(info.annotation)
        node = node.get(part) if isinstance(node, dict) else None
        classes = nxt
        # A distribution: pick the class its `dist` tag names.
        tag = node.get("dist") if isinstance(node, dict) else None
        if tag is not None:
            tagged = [c for c in classes if _tag(c) == tag]
            classes = tagged or classes
    if len(classes) != 1:
        return None
    return [f.alias or name for name, f in classes[0].model_fields.items()]


def _tag(cls: type[BaseModel]) -> Any:
    info = cls.model_fields.get("dist")
    return typing.get_args(info.annotation)[0] if info is not None else None


def message(err: dict[str, Any], allowed: list[str] | None) -> str:
    """A pydantic error in words, Swedish first."""
    kind = err["type"]
    if kind == "missing":
        return "obligatoriskt fält saknas / required field is missing"
    if kind == "extra_forbidden":
        hint = f" (tillåtna / allowed: {', '.join(allowed)})" if allowed else ""
        return f"okänd nyckel / unknown key{hint}"
    if kind == "union_tag_invalid":
        return (
            "okänd fördelning / unknown distribution: 'dist' should be one of "
            "fixed, normal, lognormal, triangular, uniform, beta, pert"
        )
    if kind == "union_tag_not_found":
        return "en fördelning behöver nyckeln 'dist' / a distribution needs the key 'dist'"
    msg = err["msg"].removeprefix("Value error, ")
    return f"ogiltigt värde / invalid value: {msg}"


def validate(model: type[M], plain: Any, located: Located) -> M:
    """Validate plain values against a model; raise ValidationError with every problem located."""
    try:
        return model.model_validate(plain)
    except PydanticError as exc:
        problems = []
        for err in exc.errors():
            loc = _doc_loc(err["loc"], plain, err["type"] in ("missing", "extra_forbidden"))
            if err["type"] == "union_tag_invalid":
                loc = (*loc, "dist")  # point at the unknown distribution's name
            allowed = _keys_at(model, loc[:-1], plain) if err["type"] == "extra_forbidden" else None
            problems.append(located.problem(loc, message(err, allowed)))
        raise ValidationError(problems) from exc

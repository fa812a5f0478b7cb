"""YAML for query and mapping files: every scalar read as text, every key with its line.

Codes in statistics databases look like numbers but are not: `0180` (Stockholm) must not become
180, and Kön `1`/`2` must match the strings a server sends. So plain scalars are always strings
here; pydantic turns "true" or "5" into a bool or an int where a field asks for one.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from jamlik.errors import Problem, ValidationError

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


_NULLS = {"", "~", "null", "Null", "NULL"}


class _TextResolver(VersionedResolver):
    """Resolves every untagged plain scalar as a string (quoted ones already are)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and value not in _NULLS:
            return super().resolve(kind, value, (False, False))
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _TextResolver
    return yaml


class Document:
    """A loaded YAML document: plain data plus the line of every key, for error messages."""

    def __init__(self, data: Any, source: str, lines: dict[Loc, int]):
        self.data = data
        self.source = source
        self.lines = lines

    def problem(self, loc: Loc, message: str) -> Problem:
        line = None
        for cut in range(len(loc), 0, -1):  # a missing key points at the record that lacks it
            if (line := self.lines.get(tuple(loc[:cut]))) is not None:
                break
        name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        return Problem(self.source, message, line=line, field=name or None)

    def validate(self, model: type[M], data: Any = None, at: Loc = ()) -> M:
        """`model` from the document (or a part of it at `at`); pydantic errors get lines."""
        try:
            return model.model_validate(self.data if data is None else data)
        except PydanticError as exc:
            problems: dict[Loc, Problem] = {}
            for err in exc.errors():
                # Parts like "literal['a','b']" name pydantic's union branches, not keys.
                loc = at + tuple(p for p in err["loc"] if isinstance(p, int) or "[" not in p)
                msg = {
                    "missing": "obligatoriskt fält saknas / required field is missing",
                    "extra_forbidden": "okänd nyckel / unknown key",
                }.get(err["type"], err["msg"].removeprefix("Value error, "))
                problems.setdefault(loc, self.problem(loc, msg))  # first branch's words suffice
            raise ValidationError(list(problems.values())) from None


def validated(model: type[M], data: Any, source: str) -> M:
    """`model` from plain data (not from a file); errors name `source` and the field."""
    return Document(data, source, {}).validate(model)


def load_yaml(path: str | Path) -> Document:
    """Read a YAML file into a Document; unreadable or malformed files give a ValidationError."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            [Problem(str(p), f"kan inte läsas / cannot be read: {exc}")]
        ) from None
    return parse_yaml(text, p.name)


def parse_yaml(text: str, source: str) -> Document:
    try:
        doc = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ValidationError(
            [
                Problem(
                    source,
                    f"inte giltig YAML / not valid YAML: {exc.problem or exc}",
                    line=mark.line + 1 if mark else None,
                )
            ]
        ) from None
    if not isinstance(doc, dict):
        raise ValidationError(
            [Problem(source, "the file must hold a mapping (key: value lines)", line=1)]
        )
    lines: dict[Loc, int] = {}
    _index(doc, (), lines)
    return Document(_plain(doc), source, lines)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data (used for saved queries)."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def _index(node: Any, loc: Loc, lines: dict[Loc, int]) -> None:
    if isinstance(node, CommentedMap):
        for key in node:
            sub = (*loc, str(key))
            lines[sub] = node.lc.key(key)[0] + 1
            _index(node[key], sub, lines)
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            sub = (*loc, i)
            lines[sub] = node.lc.item(i)[0] + 1
            _index(item, sub, lines)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node

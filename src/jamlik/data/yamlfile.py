"""Definitions files (YAML): read with line numbers for every error, write back stably.

A definitions file has top-level keys `areas`, `dimensions`, `indicators` (any subset). Reading
keeps the line of every key so that errors found later (against the workspace) can still say where
in the file the problem is.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from jamlik.data.models import Definitions
from jamlik.errors import Problem, ValidationError

Path_ = tuple[str | int, ...]


def field_name(path: Path_) -> str:
    """`("areas", 2, "parent")` → `areas[2].parent` (indices 0-based, as in JSONPath)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Origin:
    """Where the records of a Definitions value came from: file name and line of each key."""

    source: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        # The nearest enclosing key that has a line: a missing field points at its record.
        for cut in range(len(path), 0, -1):
            if (found := self.lines.get(tuple(path[:cut]))) is not None:
                return found
        return None

    def problem(self, path: Path_, message: str) -> Problem:
        return Problem(self.source, message, line=self.line(path), field=field_name(path) or None)


def _index_lines(node: Any, path: Path_, lines: dict[Path_, int]) -> None:
    if isinstance(node, CommentedMap):
        for key in node:
            sub = (*path, str(key))
            lines[sub] = node.lc.key(key)[0] + 1
            _index_lines(node[key], sub, lines)
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            sub = (*path, i)
            lines[sub] = node.lc.item(i)[0] + 1
            _index_lines(item, sub, lines)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _doc_path(loc: Sequence[Any], doc: Any) -> Path_:
    """The part of a pydantic error location that names keys of the document."""
    out: list[str | int] = []
    node = doc
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        # other parts name pydantic's own union branches ("list[...]", "Source"): skip them
    return tuple(out)


def _message(err: dict[str, Any], model_fields: Sequence[str] | None) -> str:
    kind = err["type"]
    if kind == "missing":
        return "obligatoriskt fält saknas / required field is missing"
    if kind == "extra_forbidden":
        allowed = f" (tillåtna / allowed: {', '.join(model_fields)})" if model_fields else ""
        return f"okänd nyckel / unknown key{allowed}"
    msg = err["msg"].removeprefix("Value error, ")
    return f"ogiltigt värde / invalid value: {msg}"


def _allowed_keys(loc: Sequence[Any]) -> list[str] | None:
    """The keys a record at `loc` may have, for 'unknown key' messages."""
    from jamlik.data import models

    names = [p for p in loc[:-1] if isinstance(p, str)]
    kind = {
        (): models.Definitions,
        ("areas",): models.Area,
        ("dimensions",): models.Dimension,
        ("dimensions", "subgroups"): models.Subgroup,
        ("indicators",): models.Indicator,
        ("indicators", "source"): models.Source,
        ("indicators", "targets"): models.Target,
    }.get(tuple(names))
    return list(kind.model_fields) if kind else None


def parse_definitions(text: str, source: str) -> tuple[Definitions, Origin]:
    """Parse and validate definitions text; raises ValidationError with line and field."""
    from jamlik.data.checks import check_definitions

    yaml = YAML(typ="rt")
    try:
        doc = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or str(exc)
        if exc.context_mark is not None and exc.context_mark.line + 1 != line:
            # The parser notices a missing bracket or quote where it stumbles, not where it began.
            what += f" ({exc.context or 'opened'} at line {exc.context_mark.line + 1})"
        raise ValidationError(
            [Problem(source, f"inte giltig YAML / not valid YAML: {what}", line=line)]
        ) from exc
    if doc is None:
        raise ValidationError(
            [Problem(source, "tom fil / empty file: expected areas, dimensions or indicators")]
        )
    if not isinstance(doc, dict):
        raise ValidationError(
            [
                Problem(
                    source,
                    "översta nivån ska vara en mappning / the top level must be a mapping "
                    "with keys areas, dimensions, indicators",
                    line=1,
                )
            ]
        )
    origin = Origin(source)
    _index_lines(doc, (), origin.lines)
    plain = _plain(doc)
    try:
        definitions = Definitions.model_validate(plain)
    except PydanticError as exc:
        problems = []
        for err in exc.errors():
            path = _doc_path(err["loc"], plain)
            if err["type"] in ("missing", "extra_forbidden") and err["loc"]:
                # The missing or unknown key itself belongs in the path.
                last = err["loc"][-1]
                path = path if path and path[-1] == last else (*path, last)
            allowed = _allowed_keys(err["loc"]) if err["type"] == "extra_forbidden" else None
            problems.append(origin.problem(path, _message(err, allowed)))
        raise ValidationError(problems) from exc
    problems = check_definitions(definitions, origin)
    if problems:
        raise ValidationError(problems)
    return definitions, origin


def load_definitions(path: str | Path) -> Definitions:
    """Read and validate a definitions YAML file (areas, dimensions, indicators).

    Raises `jamlik.errors.ValidationError` listing every problem with file, line and field.
    Checks that need the workspace (parents stored earlier, subgroups in use) happen in
    `import_definitions`.
    """
    definitions, _ = load_definitions_with_origin(path)
    return definitions


def load_definitions_with_origin(path: str | Path) -> tuple[Definitions, Origin]:
    """As `load_definitions`, also returning where each record is in the file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ValidationError([Problem(str(p), f"kan inte läsas / cannot be read: {exc}")]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            [Problem(p.name, "filen ska vara UTF-8 / the file must be UTF-8 encoded")]
        ) from exc
    return parse_definitions(text, p.name)


def _whole(node: Any) -> Any:
    """Write 100 rather than 100.0: the file is for people, and it loads back the same."""
    if isinstance(node, dict):
        # GeoJSON coordinates stay as they are: they are data, not numbers for reading.
        return {k: v if k == "geometry" else _whole(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_whole(v) for v in node]
    if isinstance(node, float) and node.is_integer():
        return int(node)
    return node


def dump_definitions(definitions: Definitions) -> str:
    """Definitions as YAML text, in the layout `load_definitions` reads.

    Unset optional fields are left out, so export → import → export gives the same text.
    """
    data = _whole(definitions.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()

"""Definitions files (YAML): read with line numbers for every error, write back stably.

A definitions file has top-level keys `areas`, `dimensions`, `indicators` (any subset). Reading
keeps the line of every key so that errors found later (against the workspace) can still say where
in the file the problem is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticError

from jamlik.data.models import Definitions
from jamlik.errors import Problem, ValidationError
from jamlik.yamlio import Document, dump_yaml, parse_document, read_text

__all__ = [
    "Origin",
    "dump_definitions",
    "load_definitions",
    "load_definitions_with_origin",
    "parse_definitions",
]

Origin = Document
"""Where the records of a Definitions value came from: file name and line of each key."""


def parse_definitions(text: str, source: str) -> tuple[Definitions, Origin]:
    """Parse and validate definitions text; raises ValidationError with line and field.

    Every scalar is read as text (ids and codes such as `0180` keep the digits written; the
    models turn text into numbers where a field is a number). Type errors and the checks across
    records are reported together: the latter run on every record that is valid on its own.
    """
    from jamlik.data.checks import check_definitions
    from jamlik.data.salvage import Parts, salvage

    origin = parse_document(text, source, text_scalars=True)
    if origin.data is None:
        raise ValidationError(
            [Problem(source, "tom fil / empty file: expected areas, dimensions or indicators")]
        )
    if not isinstance(origin.data, dict):
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
    try:
        definitions = Definitions.model_validate(origin.data)
        problems, parts = [], Parts.of(definitions)
    except PydanticError as exc:
        problems, parts = origin.pydantic_problems(exc, Definitions), salvage(origin.data)
    problems += check_definitions(parts, origin)
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: p.line or 0))
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
    return parse_definitions(read_text(p), p.name)


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
    return dump_yaml(data)

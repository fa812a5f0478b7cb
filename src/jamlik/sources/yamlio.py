"""YAML for query and mapping files: every scalar read as text, every key with its line.

Codes in statistics databases look like numbers but are not: `0180` (Stockholm) must not become
180, and Kön `1`/`2` must match the strings a server sends. So plain scalars are always strings
here; pydantic turns "true" or "5" into a bool or an int where a field asks for one.
"""

from __future__ import annotations

from pathlib import Path

from jamlik.errors import Problem, ValidationError
from jamlik.yamlio import Document, dump_yaml, load_document, parse_document, validated

__all__ = ["Document", "dump_yaml", "load_yaml", "parse_yaml", "validated"]


def load_yaml(path: str | Path) -> Document:
    """Read a YAML file into a Document; unreadable or malformed files give a ValidationError."""
    return _mapping(load_document(path, source=Path(path).name, text_scalars=True))


def parse_yaml(text: str, source: str) -> Document:
    """As `load_yaml`, for text already read."""
    return _mapping(parse_document(text, source, text_scalars=True))


def _mapping(doc: Document) -> Document:
    if not isinstance(doc.data, dict):
        raise ValidationError(
            [Problem(doc.source, "the file must hold a mapping (key: value lines)", line=1)]
        )
    return doc

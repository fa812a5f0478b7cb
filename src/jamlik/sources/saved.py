"""Saved queries: what was fetched, kept in the workspace so `jamlik refresh` can fetch it again.

Each query is one YAML file in `<workspace>/queries/`, readable and editable by hand:

```yaml
name: kolada-n15428
source: kolada
kolada: {kpi: [N15428], municipality: ["1480", "1490"], years: 2015-2025}
map: {indicator: {polarity: higher_is_better}}
state: {last_run: "2025-03-01T10:00:00+00:00", rows: 66}
```

A PxWeb query holds `url` (the table), `select` and `map` — the same keys as a `--select` file.
`state` is written by jamlik after each successful run; refresh uses it to ask only for changes.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jamlik.sources.yamlio import Document, dump_yaml, load_yaml
from jamlik.workspace import Workspace

QUERY_DIR = "queries"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KoladaQuery(_Model):
    """KPIs × municipalities (or units) × years.

    Instead of `kpi`, `kpi_title` names one KPI by the words of its title: each run looks it up
    in Kolada's own catalogue (`/kpi?title=`) and uses it only when exactly one KPI matches, so a
    starter need not ship an id it could not check.
    """

    kpi: list[str] = Field(default_factory=list)
    kpi_title: str | None = None
    municipality: list[str] = Field(default_factory=list)
    ou: list[str] = Field(default_factory=list)
    years: str | None = None  # "2015-2025", "2018,2020"

    @model_validator(mode="after")
    def _some_kpi(self) -> KoladaQuery:
        if not self.kpi and not (self.kpi_title or "").strip():
            raise ValueError("give 'kpi' (ids) or 'kpi_title' (words of one KPI's title)")
        return self

    @field_validator("kpi", "municipality", "ou", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value


class QueryState(_Model):
    """What the last successful run saw."""

    last_run: str | None = None  # ISO timestamp (UTC)
    rows: int | None = None
    table_updated: str | None = None  # PxWeb: the table's own 'updated' stamp


class SavedQuery(_Model):
    """One saved query (see the module docstring for the file layout)."""

    name: str
    source: Literal["kolada", "pxweb"]
    url: str | None = None
    kolada: KoladaQuery | None = None
    select: dict[str, str | list[str] | dict[str, Any]] | None = None
    map: dict[str, Any] | None = None
    state: QueryState = Field(default_factory=QueryState)

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("use lower-case letters, digits, '.', '_' and '-' (at most 80)")
        return value

    @model_validator(mode="after")
    def _complete(self) -> SavedQuery:
        if self.source == "kolada" and self.kolada is None:
            raise ValueError("a Kolada query needs a 'kolada' block (kpi, municipality, years)")
        if self.source == "pxweb" and (not self.url or self.select is None):
            raise ValueError("a PxWeb query needs 'url' (the table) and 'select'")
        return self


class SelectionFile(_Model):
    """A `--select FILE` for PxWeb: the selection, the mapping, optionally the table URL and a name."""

    name: str | None = None
    url: str | None = None
    select: dict[str, str | list[str] | dict[str, Any]]
    map: dict[str, Any]


def slug(text: str) -> str:
    """A file-safe query name from free text: 'Kolada N15428 1480' → 'kolada-n15428-1480'."""
    out = re.sub(
        r"[^a-z0-9._-]+", "-", text.lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    )
    return out.strip("-._")[:80] or "query"


def default_name(prefix: str, parts: list[str]) -> str:
    """A readable, stable query name: 'kolada-n15428-1480-1490'; long lists end in a hash."""
    name = slug("-".join([prefix, *parts]))
    if len(name) > 60:
        digest = hashlib.sha1("-".join(parts).encode()).hexdigest()[:8]
        name = f"{name[:50].rstrip('-')}-{digest}"
    return name


def query_dir(workspace: Workspace) -> Path:
    return workspace.path / QUERY_DIR


def load_selection(path: str | Path) -> tuple[SelectionFile, Document]:
    """Read a `--select` file; errors name the file, line and key."""
    doc = load_yaml(path)
    return doc.validate(SelectionFile), doc


def load_query(path: str | Path) -> SavedQuery:
    return load_yaml(path).validate(SavedQuery)


def saved_queries(workspace: Workspace) -> list[SavedQuery]:
    """Every saved query of the workspace, by name."""
    folder = query_dir(workspace)
    if not folder.is_dir():
        return []
    return [load_query(p) for p in sorted(folder.glob("*.yaml"))]


def save_query(workspace: Workspace, query: SavedQuery) -> Path:
    """Write (or overwrite) `<workspace>/queries/<name>.yaml`, atomically."""
    folder = query_dir(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{query.name}.yaml"
    data = query.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    if not data.get("state"):
        data.pop("state", None)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(dump_yaml(data), encoding="utf-8")
    os.replace(tmp, path)
    return path

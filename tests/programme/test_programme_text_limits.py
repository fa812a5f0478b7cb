"""Over-long text, a NUL character and numbers past the database's integer in a programme or
definitions file are located problems (file, line, field) through `jamlik programme import`
and `jamlik import`, and nothing is written: the same rule as the web forms and the API
(jamlik.limits), so what SQLite takes PostgreSQL takes too."""

from __future__ import annotations

import pytest
from programme_helpers import BASE, DEFINITIONS, snapshot
from typer.testing import CliRunner

from jamlik.cli import app


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("    title: Insats 1", "    title: " + "x" * 301, "initiatives[0].title",
         "at most 300 characters"),
        ("    title: Insats 1", '    title: "Insats\\0 1"', "initiatives[0].title",
         "NUL character"),
        ("    title: Strategi 1", '    title: "Strategi\\0"', "nodes[2].title", "NUL character"),
        ("  - id: t-city", "  - id: t-city\n    name_en: \"City\\0\"", "actors[0].name_en",
         "NUL character"),
    ],
)  # fmt: skip
def test_programme_import_refuses(write, workspace, old, new, field, words):
    assert BASE.count(old) == 1
    text = BASE.replace(old, new)
    path = write(text)
    before = snapshot(workspace)
    result = CliRunner().invoke(app, ["programme", "import", str(path), "-w", str(workspace.path)])
    assert result.exit_code == 1, result.output
    flat = " ".join(result.output.split())
    line = _line(text, new.splitlines()[-1].strip())
    assert f"line {line}" in flat and field in flat and words in flat, flat
    assert snapshot(workspace) == before


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("title: Flickor}", 'title: "Flick\\0or"}', "NUL character"),
        ("title: Behörighet,", f"title: {'b' * 301},", "at most 300 characters"),
    ],
)
def test_definitions_import_refuses(write, workspace, old, new, words):
    assert DEFINITIONS.count(old) == 1
    text = DEFINITIONS.replace(old, new)
    path = write(text, "definitions.yaml")
    before = snapshot(workspace)
    result = CliRunner().invoke(app, ["import", str(path), "-w", str(workspace.path)])
    assert result.exit_code == 1, result.output
    flat = " ".join(result.output.split())
    assert f"line {_line(text, new)}" in flat and words in flat, flat
    assert snapshot(workspace) == before

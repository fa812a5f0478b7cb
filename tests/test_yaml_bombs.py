"""Hostile YAML is refused as a located problem, quickly, and changes nothing.

A "billion laughs" file (nine aliases of nine aliases …, 9**9 values from 300 bytes), nesting
100,000 lists deep and a `!!python/object/apply` tag, each through every command that reads
YAML: `programme check`, `programme import`, `import` (definitions), `invest check` and
`invest import`. Before the guard the first grew to gigabytes, the second ended in a
RecursionError traceback and the third in a TypeError traceback.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jamlik.cli import app


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# Values reached through aliases, line by line: b 9·10 = 90, c 9·91 = 819 (909 in all),
# d 9·820 = 7,380 (8,289), e 9·7,381 = 66,429: over the budget of 10,000 on line 5.
BOMBS = {
    "laughs": (billion_laughs(), 5, "aliases (*name) that expand to more than 10,000 values"),
    "deep": ("[" * 100_000, 1, "nested too deeply: more than 64 levels"),
    "tag": (
        "id: x\ntitle: !!python/object/apply:os.system ['echo pwned > pwned.txt']\n",
        2,
        "unknown tag !!python/object/apply:os.system",
    ),
    "self-alias": ("id: &me [1, *me]\n", 1, "the alias *me refers to itself"),
}

# Each command that reads YAML, with the workspace where it writes.
COMMANDS = {
    "programme check": ["programme", "check", "{file}", "-w", "{ws}"],
    "programme import": ["programme", "import", "{file}", "-w", "{ws}"],
    "import definitions": ["import", "{file}", "-w", "{ws}"],
    "invest check": ["invest", "check", "{file}"],
    "invest import": ["invest", "import", "{file}", "-w", "{ws}"],
}


def _args(command: str, file: Path, ws: Path) -> list[str]:
    return [a.format(file=file, ws=ws) for a in COMMANDS[command]]


def _digest(ws: Path) -> str:
    # The content, not the file's bytes: in WAL mode a checkpoint rewrites pages unchanged.
    with closing(sqlite3.connect(ws / "jamlik.sqlite")) as db:
        return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bombs") / "ws"
    assert CliRunner().invoke(app, ["init", "-w", str(path)]).exit_code == 0
    return path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("bomb", ["deep", "tag", "self-alias"])
def test_refused_as_located_problem(bomb, command, ws, tmp_path, monkeypatch) -> None:
    text, line, words = BOMBS[bomb]
    file = tmp_path / f"{bomb}.yaml"
    file.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # where the tag's command would write
    before = _digest(ws)
    result = CliRunner().invoke(app, _args(command, file, ws))
    assert result.exit_code == 1, (result.exception, result.output)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    flat = " ".join(result.output.split())  # rich folds long lines
    assert f"{file.name}, line {line}" in flat
    assert "inte tillåten YAML / YAML not allowed" in flat and words in flat
    assert _digest(ws) == before
    assert not (tmp_path / "pwned.txt").exists()


# In a child process with a cap on its address space: before the guard this file took the
# process to gigabytes; a cap turns that into a failure rather than a machine out of memory.
_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time, tracemalloc
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    from typer.testing import CliRunner
    from jamlik.cli import app
    out = {}
    for name, args in json.loads(sys.argv[1]).items():
        if name.startswith("warm-up"):  # imports the command's modules, untimed
            CliRunner().invoke(app, args)
            continue
        tracemalloc.start()
        start = time.perf_counter()
        result = CliRunner().invoke(app, args)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        out[name] = {"code": result.exit_code, "output": result.output, "seconds": seconds,
                     "peak": peak, "error": repr(result.exception)}
    print(json.dumps(out))
    """
)


def test_billion_laughs_refused_quickly_in_little_memory(ws, tmp_path) -> None:
    text, line, words = BOMBS["laughs"]
    assert len(text.encode()) < 400
    file = tmp_path / "laughs.yaml"
    file.write_text(text, encoding="utf-8")
    before = _digest(ws)
    warm_up = tmp_path / "warm-up.yaml"  # the first run of a command imports its modules
    warm_up.write_text("[", encoding="utf-8")
    commands = {f"warm-up {name}": _args(name, warm_up, ws) for name in COMMANDS}
    commands |= {name: _args(name, file, ws) for name in COMMANDS}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(commands)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    results = json.loads(child.stdout.splitlines()[-1])
    for name, got in results.items():
        if name.startswith("warm-up"):
            continue
        flat = " ".join(got["output"].split())
        assert got["code"] == 1, (name, got["error"], flat[-500:])
        assert f"laughs.yaml, line {line}" in flat and words in flat, (name, flat)
        assert "Traceback" not in flat
        # Generous bounds: the refusal reads a few hundred parser events.
        assert got["seconds"] < 2, (name, got["seconds"])
        assert got["peak"] < 20 << 20, (name, got["peak"])
    assert _digest(ws) == before


def test_ordinary_aliases_and_standard_tags_still_load(tmp_path) -> None:
    """The guard leaves what people write alone: merges, a reused list, `!!str`."""
    from jamlik.yamlio import parse_document

    text = (
        "base: &base {unit: percent, scale: 100}\n"
        "one: {<<: *base, id: a}\n"
        "areas: &areas [x, y, z]\n"
        "again: *areas\n"
        "code: !!str 0180\n"
    )
    doc = parse_document(text, "ok.yaml")
    assert doc.data["one"] == {"unit": "percent", "scale": 100, "id": "a"}
    assert doc.data["again"] == ["x", "y", "z"]
    assert doc.data["code"] == "0180"

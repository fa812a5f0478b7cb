"""The documentation and the command line agree (in the spirit of Datasette's tests/test_docs.py):
every command and every option of `jamlik` is named somewhere in README.md or docs/, and every
`jamlik …` command shown in their code (fenced blocks and `inline code`) exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from jamlik.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = "\n".join(p.read_text(encoding="utf-8") for p in DOCS)
CLI = typer.main.get_command(app)


def _commands(group=CLI, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    for name, sub in group.commands.items():
        if getattr(sub, "hidden", False):
            continue
        if hasattr(sub, "commands"):
            yield from _commands(sub, (*path, name))
        else:
            yield (*path, name), sub


COMMANDS = dict(_commands())


def _code() -> str:
    """The code of the docs: fenced blocks and inline code spans."""
    fenced = re.findall(r"(?ms)^```[^\n]*\n(.*?)^```", TEXT)
    prose = re.sub(r"(?ms)^```[^\n]*\n.*?^```", "", TEXT)
    inline = re.findall(r"`([^`\n]+)`", prose)
    return "\n".join([*fenced, *inline])


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_is_documented(path):
    name = "jamlik " + " ".join(path)
    assert re.search(re.escape(name) + r"(?![\w-])", TEXT), f"`{name}` is in no doc"


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_option_is_documented(path):
    missing = []
    for param in COMMANDS[path].params:
        if getattr(param, "param_type_name", "") != "option" or getattr(param, "hidden", False):
            continue
        names = [o for o in (*param.opts, *param.secondary_opts) if o.startswith("--")]
        if names and not any(re.search(re.escape(o) + r"(?![\w-])", TEXT) for o in names):
            missing.append(names[0])
    assert not missing, f"jamlik {' '.join(path)}: undocumented option(s) {missing}"


def _unknown_commands(code: str) -> set[str]:
    """The `jamlik …` commands in `code` that the command line does not have."""
    unknown = set()
    for line in code.splitlines():
        # `sudo -u jamlik …` names the system account, not the command.
        for match in re.finditer(r"(?:^|[\s$(`;&|]|bin/)(?<!-u )jamlik((?: +[^\s]+)+)", line):
            group, shown = CLI, "jamlik"
            for word in match.group(1).split():
                if not hasattr(group, "commands") or not re.fullmatch(r"[a-z][a-z0-9-]*", word):
                    break  # an option, an argument or a placeholder such as COMMAND
                shown += " " + word
                if word not in group.commands:
                    unknown.add(shown)
                    break
                group = group.commands[word]
    return unknown


def test_every_command_shown_in_the_docs_exists():
    unknown = _unknown_commands(_code())
    assert not unknown, f"the docs show commands that do not exist: {sorted(unknown)}"


def test_the_checks_can_fail():
    """A command that is not there is found; options, arguments and the account are not."""
    code = (
        "jamlik programme frobnicate x.yaml\n$ jamlik frob -w ws\n"
        "sudo -u jamlik sh -c 'x'\njamlik programme check FILE --help\n/opt/jamlik/bin/jamlik init"
    )
    assert _unknown_commands(code) == {"jamlik programme frobnicate", "jamlik frob"}
    assert not re.search(r"jamlik frobnicate(?![\w-])", TEXT)

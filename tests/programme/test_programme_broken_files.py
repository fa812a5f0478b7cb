"""Broken programme files: each gets its own clear message naming file, line and field, a
non-zero exit from `jamlik programme check`, and leaves the workspace exactly as it was.

Each case edits the valid base programme; the line the problem must be reported on is marked
in the edited text with `# <-`, so the expected line comes from the text, not from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from programme_helpers import BASE, DEFINITIONS, snapshot
from typer.testing import CliRunner

from jamlik.cli import app
from jamlik.data import import_definitions
from jamlik.errors import ValidationError
from jamlik.programme import check_programme, import_programme
from jamlik.workspace import Workspace

TODAY = date(2025, 6, 1)
MARK = "# <-"


@dataclass(frozen=True)
class Case:
    name: str
    edits: tuple[tuple[str, str], ...]
    field: str | None
    fragment: str


def edited(case: Case) -> str:
    text = BASE
    for old, new in case.edits:
        assert text.count(old) == 1, f"{case.name}: edit target must occur once: {old!r}"
        text = text.replace(old, new)
    return text


def marked_line(text: str) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if MARK in line]
    assert len(lines) == 1
    return lines[0]


REACH_1 = "      - period: '2022'\n        area: area-a\n        reached: 10\n"
PERIOD = "    status: ongoing\n    period:\n      start: 2021-01-01\n      end: 2023-12-31\n"

CASES = [
    Case("unknown top-level key",
         (("title_en: Test programme\n", "title_en: Test programme\ntitel: Fel  # <-\n"),),
         "titel", "unknown key 'titel'"),
    Case("unknown key in a node",
         (("    title: Strategi 1\n", "    title: Strategi 1\n    colour: red  # <-\n"),),
         "nodes[2].colour", "unknown key 'colour'; allowed keys here: id, kind, title"),
    Case("missing required title",
         (("  - id: t-ta1\n    kind: target_area\n    title: Målområde 1\n",
           "  - id: t-ta1  # <-\n    kind: target_area\n"),),
         "nodes[1].title", "required field is missing"),
    Case("age written as text",
         (("      age_min: 6\n", "      age_min: '6'  # <-\n"),),
         "initiatives[0].target_group.age_min", "should be a whole number, got '6'"),
    Case("partners not a list",
         (("    partners: [t-city]\n", "    partners: t-city  # <-\n"),),
         "initiatives[0].partners", "should be a list"),
    Case("empty title",
         (("    title: Insats 1\n", "    title: ''  # <-\n"),),
         "initiatives[0].title", "must not be empty"),
    Case("id used by a node and an actor",
         (("    parent: t-city\n",
           "    parent: t-city\n  - id: t-s1  # <-\n    name: Dubblett\n    kind: business\n"),),
         "actors[2].id", "duplicate id 't-s1': already used at nodes[2].id (line 23) (node)"),
    Case("duplicate initiative id",
         (("        reached: 6\n", "        reached: 6\n  - id: t-i1  # <-\n    title: Kopia\n"),),
         "initiatives[1].id", "duplicate id 't-i1'"),
    Case("parent refers to nothing",
         (("    parent: t-ta1\n", "    parent: t-ta9  # <-\n"),),
         "nodes[2].parent", "parent 't-ta9' refers to no node in this programme"),
    Case("owner refers to nothing",
         (("    owner: t-dept\n", "    owner: t-dpt  # <-\n"),),
         "initiatives[0].owner", "owner 't-dpt' refers to no actor in this programme; did you mean 't-dept'?"),
    Case("partner is a node",
         (("    partners: [t-city]\n", "    partners: [t-goal]  # <-\n"),),
         "initiatives[0].partners[0]", "partner 't-goal' is a node, not an actor"),
    Case("served node refers to nothing",
         (("    nodes: [t-s1]\n", "    nodes: [t-s1, t-s9]  # <-\n"),),
         "initiatives[0].nodes[1]", "node 't-s9' refers to no node"),
    Case("funder refers to nothing",
         (("      funder: t-city\n", "      funder: t-region  # <-\n"),),
         "initiatives[0].budget.funder", "funder 't-region' refers to no actor"),
    Case("end before start",
         (("      end: 2023-12-31\n", "      end: 2020-12-31  # <-\n"),),
         "initiatives[0].period.end", "end 2020-12-31 is before start 2021-01-01"),
    Case("programme period end before start",
         (("  end: 2030-12-31\n", "  end: 2019-12-31  # <-\n"),),
         "period.end", "end 2019-12-31 is before start 2020-01-01"),
    Case("impossible date",
         (("      start: 2021-01-01\n", "      start: 2021-02-30  # <-\n"),),
         "initiatives[0].period.start", "'2021-02-30' is not a valid date"),
    Case("date as a number",
         (("      start: 2021-01-01\n", "      start: 20210101  # <-\n"),),
         "initiatives[0].period.start", "should be a date written YYYY-MM-DD"),
    Case("node kind not declared",
         (("    kind: strategy\n", "    kind: aim  # <-\n"),),
         "nodes[2].kind", "node kind 'aim' is not declared in the programme's node_kinds"),
    Case("node kind that does not exist",
         (("node_kinds: [goal, target_area, strategy]\n",
           "node_kinds: [goal, målområde, strategy]  # <-\n"),),
         "node_kinds[1]", "'målområde' is not allowed here; use one of 'goal'"),
    Case("target area under a strategy",
         (("    parent: t-ta1\nactors:\n",
           "    parent: t-ta1\n  - id: t-ta2\n    kind: target_area\n    title: Fel nivå\n"
           "    parent: t-s1  # <-\nactors:\n"),),
         "nodes[3].parent", "a target_area cannot hang under 't-s1', a strategy"),
    Case("cycle of node parents",
         (("    parent: t-ta1\nactors:\n",
           "    parent: t-ta1\n  - id: t-x\n    kind: strategy\n    title: X\n    parent: t-y  # <-\n"
           "  - id: t-y\n    kind: strategy\n    title: Y\n    parent: t-x\nactors:\n"),),
         "nodes[3].parent", "parents form a cycle: t-x → t-y → t-x"),
    Case("node is its own parent",
         (("    parent: t-ta1\n", "    parent: t-s1  # <-\n"),),
         "nodes[2].parent", "node 't-s1' cannot be its own parent"),
    Case("cycle of actor parents",
         (("    kind: municipality\n", "    kind: municipality\n    parent: t-dept  # <-\n"),),
         "actors[0].parent", "parents form a cycle: t-city → t-dept → t-city"),
    Case("two root nodes",
         (("  - id: t-ta1\n    kind: target_area\n    title: Målområde 1\n    parent: t-goal\n",
           "  - id: t-ta1  # <-\n    kind: target_area\n    title: Målområde 1\n"),),
         "nodes[1].parent", "node 't-ta1' has no parent, but 't-goal' is already the root"),
    Case("negative reach",
         (("        reached: 10\n", "        reached: -10  # <-\n"),),
         "initiatives[0].reach[0].reached", "should be greater than or equal to 0, got -10"),
    Case("reach outside the initiative's period",
         ((REACH_1, REACH_1.replace("'2022'", "'2025'  # <-")),),
         "initiatives[0].reach[0].period",
         "reach period 2025 (2025-01-01 – 2025-12-31) lies outside the initiative's period "
         "(2021-01-01 – 2023-12-31)"),
    Case("reach period that is no period",
         ((REACH_1, REACH_1.replace("'2022'", "våren 2022  # <-")),),
         "initiatives[0].reach[0].period", "'våren 2022' is not a period"),
    Case("reach given twice",
         (("        reached: 6\n",
           "        reached: 6\n      - period: '2022'  # <-\n        area: area-a\n        reached: 11\n"),),
         "initiatives[0].reach[2]", "is given twice (first as reach[0])"),
    Case("age range inverted",
         (("      age_max: 12\n", "      age_max: 3  # <-\n"),),
         "initiatives[0].target_group.age_max", "age_max 3 is below age_min 6"),
    Case("completed before it started",
         ((PERIOD, PERIOD.replace("ongoing", "completed  # <-").replace("2021-01-01", "2026-01-01")
           .replace("2023-12-31", "2026-12-31")),),
         "initiatives[0].status", "status 'completed', but the period only starts 2026-01-01"),
    Case("unknown status",
         (("    status: ongoing\n", "    status: pågår  # <-\n"),),
         "initiatives[0].status", "'pågår' is not allowed here; use one of 'planned'"),
    Case("id with a space",
         (("  - id: t-s1\n", "  - id: t s1  # <-\n"),),
         "nodes[2].id", "'t s1' is not a valid id"),
    Case("partner listed twice",
         (("    partners: [t-city]\n", "    partners: [t-city, t-city]  # <-\n"),),
         "initiatives[0].partners[1]", "partner 't-city' is listed twice"),
    Case("empty budget",
         (("    budget:\n      amount_sek: 100000\n      funder: t-city\n", "    budget: {}  # <-\n"),),
         "initiatives[0].budget", "a budget needs at least one of amount_sek, funder, funder_text"),
    Case("area id written as a number",
         (("    areas: [area-a, area-b]\n", "    areas: [area-a, 1480]  # <-\n"),),
         "initiatives[0].areas[1]", "put numbers used as text in quotes"),
    Case("duplicate section id",
         (("        text_en: A long-term focus\n",
           "        text_en: A long-term focus\n  - id: prerequisites  # <-\n    title: Igen\n"
           "    items: [{text: X}]\n"),),
         "sections[1].id", "duplicate section id 'prerequisites'"),
    Case("tab in indentation (YAML syntax)",
         (("    title: Insats 1\n", "    title: Insats 1\n\tnotes: tab  # <-\n"),),
         None, "not valid YAML"),
    Case("duplicate key (YAML)",
         (("    title: Insats 1\n", "    title: Insats 1\n    title: Igen  # <-\n"),),
         None, "not valid YAML: found duplicate key \"title\""),
]  # fmt: skip

assert len({c.name for c in CASES}) == len(CASES) >= 20


@pytest.fixture(scope="module")
def stocked(tmp_path_factory) -> Workspace:
    """A workspace holding the definitions and the valid base programme (same id)."""
    root = tmp_path_factory.mktemp("stocked")
    ws = Workspace.resolve(root / "ws")
    (root / "defs.yaml").write_text(DEFINITIONS, encoding="utf-8")
    import_definitions(ws, root / "defs.yaml")
    (root / "base.yaml").write_text(BASE, encoding="utf-8")
    import_programme(ws, root / "base.yaml", today=TODAY)
    return ws


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_problem_names_file_line_and_field(case: Case, write) -> None:
    text = edited(case)
    path = write(text)
    problems = check_programme(path, today=TODAY)
    hits = [p for p in problems if case.fragment in p.message]
    assert hits, f"no problem containing {case.fragment!r} in {[str(p) for p in problems]}"
    hit = hits[0]
    assert hit.source == str(path)
    assert hit.line == marked_line(text)
    assert hit.field == case.field


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_import_refuses_and_changes_nothing(case: Case, write, stocked: Workspace) -> None:
    path = write(edited(case))
    before = snapshot(stocked)
    with pytest.raises(ValidationError) as raised:
        import_programme(stocked, path, today=TODAY)
    assert any(case.fragment in p.message for p in raised.value.problems)
    assert "nothing was changed" in str(raised.value)
    assert snapshot(stocked) == before


@pytest.mark.parametrize("case", CASES[:8] + CASES[-3:], ids=lambda c: c.name)
def test_cli_check_exits_non_zero_and_prints_the_problem(case: Case, write) -> None:
    text = edited(case)
    path = write(text)
    result = CliRunner().invoke(app, ["programme", "check", str(path)])
    assert result.exit_code == 1
    assert case.fragment in result.output
    assert f"{path}, line {marked_line(text)}" in result.output


def test_every_problem_is_reported_at_once(write) -> None:
    """Several unrelated mistakes in one file: all are reported, none hides another."""
    text = BASE
    for case in (CASES[1], CASES[9], CASES[13], CASES[24], CASES[28]):
        for old, new in case.edits:
            text = text.replace(old, new.replace("  # <-", ""))
    problems = check_programme(write(text), today=TODAY)
    for case in (CASES[1], CASES[9], CASES[13], CASES[24], CASES[28]):
        assert any(case.fragment in p.message and p.field == case.field for p in problems), (
            case.name
        )


def test_base_programme_is_valid(write) -> None:
    assert check_programme(write(BASE), today=TODAY) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "should hold a mapping"), ("- id: x\n- id: y\n", "should hold a mapping")],
    ids=["empty file", "list instead of mapping"],
)
def test_file_that_is_not_a_programme(text: str, fragment: str, write) -> None:
    problems = check_programme(write(text))
    assert len(problems) == 1
    assert fragment in problems[0].message and problems[0].line == 1


def test_missing_file_is_one_clear_problem(tmp_path) -> None:
    problems = check_programme(tmp_path / "nope.yaml")
    assert [p.message for p in problems] == ["filen finns inte / file not found"]


def test_file_that_is_not_utf8(tmp_path) -> None:
    path = tmp_path / "ansi.yaml"
    path.write_bytes(BASE.replace("Testprogram", "Testprogram för Borås").encode("cp1252"))
    (problem,) = check_programme(path)
    assert "not UTF-8 text" in problem.message and "save it as UTF-8" in problem.message

"""`jamlik programme …` through the real Typer app."""

from __future__ import annotations

from programme_helpers import BASE
from typer.testing import CliRunner

from jamlik.cli import app
from jamlik.programme import dump_programme, examples, load_programme

runner = CliRunner()
GBG = examples()["goteborg-jamlik-stad"]
BORAS = examples()["boras-god-start"]


def run(*args: str):
    return runner.invoke(app, ["programme", *args])


def test_examples_lists_names_and_paths() -> None:
    result = run("examples")
    assert result.exit_code == 0
    for name in examples():
        assert name in result.output


def test_check_valid_file(tmp_path) -> None:
    result = run("check", str(GBG))
    assert result.exit_code == 0
    assert "OK" in result.output and "goteborg-jamlik-stad" in result.output


def test_check_against_workspace_reports_missing_definitions(write, workspace) -> None:
    text = BASE.replace("    indicators: [ind-1]\n", "    indicators: [ind-404]\n")
    path = write(text)
    assert run("check", str(path)).exit_code == 0
    result = run("check", str(path), "--workspace", str(workspace.path))
    assert result.exit_code == 1
    line = text.splitlines().index("    indicators: [ind-404]") + 1
    assert f"line {line}" in result.output
    assert "ind-404" in result.output and "import the definitions first" in result.output


def test_import_list_show_export(tmp_path) -> None:
    ws = str(tmp_path / "ws")
    result = run("import", str(GBG), "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert "importerat / imported" in result.output
    assert run("import", str(BORAS), "-w", ws).exit_code == 0

    listed = run("list", "-w", ws)
    assert listed.exit_code == 0
    assert "goteborg-jamlik-stad" in listed.output and "boras-god-start" in listed.output

    shown = run("show", "goteborg-jamlik-stad", "-w", ws)
    assert shown.exit_code == 0
    assert "Göteborg ska vara en jämlik stad" in shown.output
    assert "Staden där vi läser för våra barn" in shown.output
    english = run("show", "goteborg-jamlik-stad", "-w", ws, "--lang", "en")
    assert "Gothenburg shall be an equal city" in english.output

    exported = run("export", "goteborg-jamlik-stad", "-w", ws)
    assert exported.exit_code == 0
    assert exported.stdout == dump_programme(load_programme(GBG))
    out = tmp_path / "out" / "gbg.yaml"
    assert run("export", "goteborg-jamlik-stad", "-w", ws, "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == exported.stdout

    ambiguous = run("export", "-w", ws)
    assert ambiguous.exit_code == 1
    assert "boras-god-start, goteborg-jamlik-stad" in ambiguous.output


def test_show_a_file_without_a_workspace() -> None:
    result = run("show", "--file", str(BORAS))
    assert result.exit_code == 0
    assert "Stärka det kommunala aktivitetsansvaret (KAA)" in result.output


def test_import_of_a_broken_file_exits_non_zero_and_says_nothing_changed(write, tmp_path) -> None:
    path = write(BASE.replace("    owner: t-dept\n", "    owner: t-nobody\n"))
    result = run("import", str(path), "-w", str(tmp_path / "ws"))
    assert result.exit_code == 1
    assert "owner 't-nobody' refers to no actor" in result.output
    assert "Nothing was changed" in result.output


def test_export_from_a_missing_workspace(tmp_path) -> None:
    result = run("export", "x", "-w", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "no workspace" in result.output

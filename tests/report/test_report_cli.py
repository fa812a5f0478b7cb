"""`jamlik report` through its own register(), on a fresh Typer app; and the CSV tables."""

from __future__ import annotations

import csv

import pytest
import typer
from report_helpers import PROGRAMME, constructed_workspace
from typer.testing import CliRunner

from jamlik.cli import report as report_cli
from jamlik.errors import JamlikError
from jamlik.report import build_report


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Stands in for jamlik's main app."""

    report_cli.register(app)
    return app


def test_report_command_writes_what_it_says(app, constructed, tmp_path):
    out = tmp_path / "rapport"
    result = CliRunner().invoke(
        app,
        ["report", "--workspace", str(constructed.path), "--year", "2025", "--lang", "en",
         "--format", "html", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / f"{PROGRAMME}-2025-en.html").is_file()
    assert not (out / f"{PROGRAMME}-2025-en.pdf").exists()
    assert (out / f"{PROGRAMME}-2025-en-tables").is_dir()
    assert "HTML:" in result.output and "PDF:" not in result.output
    assert not [p for p in out.iterdir() if p.name.startswith(".jamlik-report-")]


def test_threshold_cannot_be_lowered(app, constructed, tmp_path):
    result = CliRunner().invoke(
        app,
        ["report", "--workspace", str(constructed.path), "--year", "2025",
         "--out", str(tmp_path), "--min-population", "5"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--min-population" in result.output


def test_unknown_language_is_refused(app, constructed, tmp_path):
    result = CliRunner().invoke(
        app,
        ["report", "--workspace", str(constructed.path), "--year", "2025",
         "--out", str(tmp_path), "--lang", "de"],
    )  # fmt: skip
    assert result.exit_code == 2


def test_missing_workspace_and_programme_say_what_to_do(tmp_path):
    with pytest.raises(JamlikError, match="jamlik init"):
        build_report(_missing(tmp_path), 2025, tmp_path / "out", programme_id=PROGRAMME)
    ws = constructed_workspace(tmp_path / "ws")
    with pytest.raises(JamlikError, match="no programme 'nope'"):
        build_report(ws, 2025, tmp_path / "out", programme_id="nope")
    with pytest.raises(JamlikError, match="choose html, pdf, docx"):
        build_report(ws, 2025, tmp_path / "out", formats=("odt",))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_csv_tables_match_the_html_tables(constructed_reports):
    files = constructed_reports[("sv", 10)]
    paths = sorted(files.tables.glob("*.csv"))
    # one table per chart, and the investment's costs and figures by perspective
    assert len(paths) == files.n_tables == files.n_charts + 2
    for path in paths:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read å ä ö
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1
        for row in rows[1:]:
            for cell in row[1:]:
                # plain numbers with a decimal point, the suppression words, or empty
                assert cell in (
                    "",
                    "Dold (för få personer)",
                    "Dold (skyddar en annan uppgift)",
                ) or (float(cell) == float(cell))


def _missing(tmp_path):
    from jamlik.workspace import Workspace

    path = tmp_path / "nowhere"
    return Workspace(path, f"sqlite:///{path / 'jamlik.sqlite'}")


def test_banner_only_for_fictitious_data(constructed_reports, demo):
    files = constructed_reports[("sv", 10)]
    assert files.fictitious is False
    html = files.html.read_text(encoding="utf-8")
    assert 'class="banner"' not in html and "Fiktiva exempeldata" not in html
    assert demo.reports["sv"].fictitious is True


def test_a_year_outside_the_programme_asks_for_force(app, constructed, tmp_path):
    """The constructed programme runs 2018–2026; 2030 is most likely a typing mistake."""
    out = tmp_path / "rapport"
    args = ["report", "--workspace", str(constructed.path), "--year", "2030", "--lang", "en",
            "--format", "html", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "2018–2026" in text and "2030" in text and "--force" in text
    assert not out.exists()
    result = CliRunner().invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert "Varning / warning" in result.output
    assert (out / f"{PROGRAMME}-2030-en.html").is_file()

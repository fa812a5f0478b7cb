"""Investments in a workspace and `jamlik invest …` through a Typer app with register()."""

from __future__ import annotations

import json
import textwrap

import pytest
import typer
from typer.testing import CliRunner

from jamlik.cli.invest import register
from jamlik.errors import ValidationError
from jamlik.invest.demo import INVESTMENTS_FILE
from jamlik.invest.store import import_investments, list_investments, read_investment, read_result
from jamlik.invest.yamlio import load_investments

runner = CliRunner()


def cli(*args: str):
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """jamlik"""

    register(app)
    return runner.invoke(app, ["invest", *args], env={"COLUMNS": "200"})


SMALL = textwrap.dedent(
    """\
    investments:
      - initiative: vgrsi-le-amal
        price_year: 2023
        horizon: 10
        costs:
          - {year: 2023, payer: region, amount: 100000}
        outcomes:
          - {id: o1, title: Fler behöriga, unit_value: long-term-exclusion, quantity: 1, years: [2024],
             indicator: vgrsi-eligible-upper-secondary, link: 0.1, lag: 2}
    """
)


def test_read_back_equals_what_was_imported(workspace) -> None:
    for inv in load_investments(INVESTMENTS_FILE):
        assert read_investment(workspace, inv.initiative) == inv


def test_import_checks_the_workspace_and_writes_nothing_on_error(workspace, tmp_path) -> None:
    text = SMALL.replace("initiative: vgrsi-le-amal", "initiative: vgrsi-nowhere").replace(
        "indicator: vgrsi-eligible-upper-secondary", "indicator: no-such-indicator"
    )
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    before = read_investment(workspace, "vgrsi-le-amal")
    with pytest.raises(ValidationError) as err:
        import_investments(workspace, path)
    by_field = {p.field: p for p in err.value.problems}
    assert by_field["investments[0].initiative"].line == 2
    assert "import its programme first" in by_field["investments[0].initiative"].message
    assert by_field["investments[0].outcomes[0].indicator"].line == 9
    assert read_investment(workspace, "vgrsi-le-amal") == before


def test_reimport_is_idempotent_and_a_change_replaces_and_drops_the_result(
    workspace, tmp_path
) -> None:
    again = import_investments(workspace, INVESTMENTS_FILE)
    assert again.imported == [] and len(again.unchanged) == 3
    assert read_result(workspace, "vgrsi-le-amal") is not None
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    changed = import_investments(workspace, path)
    assert changed.imported == ["vgrsi-le-amal"]
    assert read_investment(workspace, "vgrsi-le-amal").horizon == 10
    assert read_result(workspace, "vgrsi-le-amal") is None  # no longer matches the investment
    rows = {r.initiative: r for r in list_investments(workspace)}
    assert rows["vgrsi-le-amal"].total_cost == 100000 and rows["vgrsi-le-amal"].society_npv is None
    assert rows["vgrsi-seen-and-missed"].society_npv is not None


def test_cli_import_list_and_calc(workspace, tmp_path) -> None:
    ws = str(workspace.path)
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    result = cli("import", str(path), "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert "vgrsi-le-amal" in result.output
    listing = cli("list", "--workspace", ws)
    assert listing.exit_code == 0 and "vgrsi-seen-and-m" in listing.output
    out = tmp_path / "out"
    calc = cli("calc", "vgrsi-seen-and-missed", "--workspace", ws, "--draws", "1000", "--seed", "3",
               "--rate", "0.03", "--out", str(out))  # fmt: skip
    assert calc.exit_code == 0, calc.output
    assert (
        "Samhället" in calc.output
        and "Nettonuvärde" in calc.output
        and "Fiktiva exempeldata" in calc.output
    )
    assert "Effect found" in calc.output  # the demo's planted level change in Vänersborg
    saved = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert saved["settings"]["draws"] == 1000 and saved["settings"]["seed"] == 3
    assert "3,0 %" in saved["settings"]["discount"]
    charts = json.loads((out / "charts.json").read_text(encoding="utf-8"))
    assert set(charts) == {"cash_flows", "cumulative", "tornado", "distribution", "effect"}
    header = (out / "perspectives.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("perspective,") and "npv_lo" in header


def test_cli_errors_exit_1_with_location(workspace, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("horizon: 10", "horizon: ten"), encoding="utf-8")
    result = cli("check", str(bad))
    assert result.exit_code == 1
    assert "line 4" in result.output and "horizon" in result.output
    missing = cli("calc", "vgrsi-nothing", "--workspace", str(workspace.path), "--draws", "500")
    assert (
        missing.exit_code == 1 and "no investment for initiative 'vgrsi-nothing'" in missing.output
    )


def test_package_names_resolve_and_tables_import_light() -> None:
    import subprocess
    import sys

    import jamlik.invest as invest

    for name in invest.__all__:
        assert getattr(invest, name) is not None, name
    # The migrations import the tables whenever a workspace opens: that must stay cheap.
    code = (
        "import sys, jamlik.invest.tables; assert not {'scipy', 'statsmodels'} & set(sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_an_indicator_without_data_gives_too_little_data(workspace, tmp_path) -> None:
    from jamlik.errors import JamlikError
    from jamlik.invest.calc import calculate_in_workspace

    evaluation = (
        "    evaluation: {design: did, indicator: vgrsi-neet-young, treated: [kn-1492],"
        ' comparison: [jmf-01, jmf-02], start: "2023"}\n'
    )
    path = tmp_path / "nodata.yaml"
    path.write_text(SMALL + evaluation, encoding="utf-8")
    import_investments(workspace, path)
    result = calculate_in_workspace(workspace, "vgrsi-le-amal", draws=500)
    assert result.effect.verdict.code == "too_little_data"
    assert "no values of vgrsi-neet-young" in result.effect.verdict.text_en
    path.write_text(
        SMALL.replace("quantity: 1,", "from_evaluation: {per_unit: 1.2},") + evaluation,
        encoding="utf-8",
    )
    import_investments(workspace, path)
    with pytest.raises(JamlikError, match="give `quantity` instead"):
        calculate_in_workspace(workspace, "vgrsi-le-amal", draws=500)

"""`jamlik measures` on a file and on a workspace (real files, a real SQLite workspace)."""

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from jamlik.cli.app import app

runner = CliRunner(env={"COLUMNS": "250"})  # wide enough that Rich does not wrap

# Swedish Excel CSV: semicolons and decimal commas
ORDERED_CSV = """\
indicator;dimension;subgroup;subgroup_order;estimate;se;population;favourable_indicator;ordered_dimension;indicator_scale
emp;edu;låg;1;61,5;2,25;120;1;1;100
emp;edu;mellan;2;70,25;1,5;300;1;1;100
emp;edu;hög;3;80;1,125;200;1;1;100
"""


def test_file_in_table_and_csv_out(tmp_path):
    src = tmp_path / "emp.csv"
    src.write_text(ORDERED_CSV, encoding="utf-8")
    out = tmp_path / "result" / "measures.csv"
    result = runner.invoke(app, ["measures", str(src), "-m", "D", "-m", "ACI", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "18.5" in result.output  # D = 80 - 61.5, shown in the table
    written = pd.read_csv(out)
    assert list(written["measure"]) == ["D", "ACI"]
    # ranks 60/620, 270/620, 520/620; ACI = Σ p (2r - 1) y
    p = [120 / 620, 300 / 620, 200 / 620]
    r = [60 / 620, 270 / 620, 520 / 620]
    aci = sum(pi * (2 * ri - 1) * yi for pi, ri, yi in zip(p, r, [61.5, 70.25, 80], strict=True))
    assert written.loc[1, "estimate"] == pytest.approx(aci, rel=1e-12)


def test_parquet_out_and_several_levels(tmp_path):
    src = tmp_path / "emp.csv"
    src.write_text(ORDERED_CSV, encoding="utf-8")
    out = tmp_path / "m.parquet"
    args = ["measures", str(src), "-m", "SII", "--conf-level", "0.95", "--conf-level", "0.998"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert list(pd.read_parquet(out)["conf_level"]) == [0.95, 0.998]


def test_bad_input_exits_with_a_message_naming_the_column(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text(ORDERED_CSV.replace("61,5", "många"), encoding="utf-8")
    result = runner.invoke(app, ["measures", str(src)])
    assert result.exit_code == 1
    assert "'estimate' must hold numbers" in result.output
    result = runner.invoke(app, ["measures", str(src), "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and ".csv or .parquet" in result.output


def test_catalogue_listing():
    result = runner.invoke(app, ["measures", "--list"])
    assert result.exit_code == 0
    assert "Lutningsindex för ojämlikhet" in result.output


DEFINITIONS = """\
areas:
  - {id: stad, name: Stad, level: municipality}
  - {id: norr, name: Norr, level: district, parent: stad}
dimensions:
  - id: edu
    title: Föräldrars utbildning
    ordered: true
    subgroups:
      - {id: låg, title: Förgymnasial, order: 1}
      - {id: mellan, title: Gymnasial, order: 2}
      - {id: hög, title: Eftergymnasial, order: 3}
  - id: sex
    title: Kön
    subgroups:
      - {id: kvinnor, title: Kvinnor}
      - {id: män, title: Män}
indicators:
  - {id: emp, title: Förvärvsfrekvens, scale: 100, polarity: higher_is_better, dimensions: [edu, sex]}
"""

OBSERVATIONS = """\
indicator,period,area,dimension,subgroup,estimate,se,population
emp,2024,norr,edu,låg,61.5,2.25,120
emp,2024,norr,edu,mellan,70.25,1.5,300
emp,2024,norr,edu,hög,80,1.125,200
emp,2024,norr,total,total,72,0.9,620
emp,2024,norr,sex,kvinnor,68.5,1.5,410
emp,2024,norr,sex,män,70,9,4
"""


def test_workspace_series_skip_the_total_and_small_cells_are_suppressed(tmp_path):
    ws = tmp_path / "ws"
    (tmp_path / "defs.yaml").write_text(DEFINITIONS, encoding="utf-8")
    (tmp_path / "obs.csv").write_text(OBSERVATIONS, encoding="utf-8")
    for args in (
        ["init"],
        ["import", str(tmp_path / "defs.yaml")],
        ["import", str(tmp_path / "obs.csv")],
    ):
        result = runner.invoke(app, [*args, "--workspace", str(ws)])
        assert result.exit_code == 0, result.output
    out = tmp_path / "m.csv"
    result = runner.invoke(
        app, ["measures", "--workspace", str(ws), "-m", "D", "-m", "PAR", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, keep_default_na=False)
    assert set(table["dimension"]) == {"edu", "sex"}  # no series for the area total
    edu = table[table["dimension"] == "edu"].set_index("measure")
    assert float(edu.loc["D", "estimate"]) == pytest.approx(18.5)
    # PAR uses the population-weighted mean: 80 - (120·61.5 + 300·70.25 + 200·80) / 620
    assert float(edu.loc["PAR", "estimate"]) == pytest.approx(80 - 44455 / 620)
    # 4 men: the cell is blanked before anything is computed from it
    sex = table[table["dimension"] == "sex"].set_index("measure")
    assert sex.loc["D", "estimate"] == ""
    assert "estimate missing" in sex.loc["D", "note"]


def _workspace(tmp_path, observations=OBSERVATIONS):
    ws = tmp_path / "ws"
    (tmp_path / "defs.yaml").write_text(DEFINITIONS, encoding="utf-8")
    (tmp_path / "obs.csv").write_text(observations, encoding="utf-8")
    for args in (["import", str(tmp_path / "defs.yaml")], ["import", str(tmp_path / "obs.csv")]):
        result = runner.invoke(app, [*args, "--workspace", str(ws)])
        assert result.exit_code == 0, result.output
    return ws


TWO_YEARS = OBSERVATIONS + "".join(
    line.replace("2024", "2025").replace("61.5", "51.5") + "\n"
    for line in OBSERVATIONS.splitlines()[1:]
)


def test_period_picks_years_and_ranges(tmp_path):
    ws = _workspace(tmp_path, TWO_YEARS)
    base = ["measures", "-w", str(ws), "-m", "D", "--dimension", "edu", "--format", "csv"]
    by_year = {}
    for year in ("2024", "2025"):
        result = runner.invoke(app, [*base, "--period", year])
        assert result.exit_code == 0, result.output
        table = pd.read_csv(io.StringIO(result.output))
        assert list(table["period"].astype(str)) == [year]
        by_year[year] = table["estimate"].iloc[0]
    # D = highest minus lowest: 80 − 61.5 in 2024, 80 − 51.5 in 2025 (hand calculation)
    assert by_year == {"2024": pytest.approx(18.5), "2025": pytest.approx(28.5)}
    result = runner.invoke(app, [*base, "--period", "2020-2025"])
    assert sorted(pd.read_csv(io.StringIO(result.output))["period"]) == [2024, 2025]


def test_period_outside_the_data_and_bad_spelling_say_so(tmp_path):
    ws = _workspace(tmp_path)
    result = runner.invoke(app, ["measures", "-w", str(ws), "--period", "2030"])
    assert result.exit_code == 1
    assert "2030" in result.output and "2024–2024" in result.output
    result = runner.invoke(app, ["measures", "-w", str(ws), "--period", "förra året"])
    assert result.exit_code == 1 and "2020-2025" in result.output


def test_unknown_ids_get_did_you_mean(tmp_path):
    ws = _workspace(tmp_path)
    result = runner.invoke(
        app, ["measures", "-w", str(ws), "--indicator", "empl", "--dimension", "kön"]
    )
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "--indicator 'empl'" in text and "menade du 'emp'" in text
    assert "--dimension 'kön'" in text and "jamlik dimensions list" in text
    assert "the table has no rows" not in text


def test_json_format_and_a_narrow_table(tmp_path):
    ws = _workspace(tmp_path)
    result = runner.invoke(app, ["measures", "-w", str(ws), "-m", "D", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["dimension"] for r in rows} == {"edu", "sex"}
    narrow = CliRunner(env={"COLUMNS": "80"})
    result = narrow.invoke(app, ["measures", "-w", str(ws), "-m", "D", "-m", "R"])
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    # one indicator, period and area: said once under the table, not in every row
    assert "indicator: emp" in result.output and "area: norr" in result.output


def test_indicator_ids_are_never_cut(tmp_path):
    long_id = "andel-elever-behoriga-till-yrkesprogram-hemkommun"
    defs = DEFINITIONS.replace("{id: emp,", f"{{id: {long_id},")
    ws = tmp_path / "ws"
    (tmp_path / "defs.yaml").write_text(defs, encoding="utf-8")
    assert runner.invoke(app, ["import", str(tmp_path / "defs.yaml"), "-w", str(ws)]).exit_code == 0
    result = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["indicators", "list", "-w", str(ws)])
    assert result.exit_code == 0, result.output
    assert long_id in result.output

"""Disclosure control on the demo: the audit, the CLI export and the follow-up's JSON.

`jamlik privacy check` finds nothing to recover; the independent subtraction attack
(tests/data/disclosure_helpers.py) over the export and over the follow-up JSON recovers nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from jamlik.cli.app import app
from jamlik.data import read_definitions
from jamlik.data.publish import area_parents, check_workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
from disclosure_helpers import subtraction_attack  # noqa: E402


def _parents(ws) -> dict[str, str]:
    return {a: p for a, p in area_parents(read_definitions(ws)).items() if p}


def test_privacy_check_finds_nothing_on_the_demo(demo_ws):
    result = check_workspace(demo_ws)
    assert result.exposures == [] and result.inconsistent == []
    assert result.primary > 0 and result.secondary > 0
    run = CliRunner().invoke(app, ["privacy", "check", "-w", str(demo_ws.path), "--stats"])
    assert run.exit_code == 0, run.output
    assert "0 kan räknas" in run.output and "primary:" in run.output


def test_the_export_gives_nothing_away(demo_ws, tmp_path):
    out = tmp_path / "obs.csv"
    run = CliRunner().invoke(
        app, ["export", "observations", "--out", str(out), "-w", str(demo_ws.path)]
    )
    assert run.exit_code == 0, run.output
    frame = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert frame["flag"].isin(["suppressed", "suppressed_secondary"]).sum() > 1000
    assert subtraction_attack(frame, _parents(demo_ws)) == {}


def _followup_cells(data: dict) -> pd.DataFrame:
    """Every value the follow-up JSON shows, as cells of the observation tables."""
    rows = []

    def add(indicator, area, dim, sub, p):
        rows.append({
            "indicator": indicator, "period": p["period"], "area": area, "dimension": dim,
            "subgroup": sub, "estimate": p["estimate"], "population": p["population"],
            "numerator": None, "denominator": None,
            "flag": "suppressed" if p["suppressed"] else None,
        })  # fmt: skip

    for ind in data["indicators"]:
        for p in ind["level"]["series"]:
            add(ind["indicator"], data["area"], "total", "total", p)
        for level in ind["district_levels"]:
            for p in level["series"]:
                add(ind["indicator"], level["area"], "total", "total", p)
        for s in ind["subgroups"]:
            for p in s["points"]:
                if s["dimension"] == "district":
                    add(ind["indicator"], s["subgroup"], "total", "total", p)
                else:
                    add(ind["indicator"], data["area"], s["dimension"], s["subgroup"], p)
    frame = pd.DataFrame(rows)
    # The same cell shown twice (district levels and the district series) must agree.
    return frame.drop_duplicates(["indicator", "period", "area", "dimension", "subgroup"])


def test_the_followup_json_gives_nothing_away(demo_followup, demo_ws):
    fu = demo_followup
    cells = _followup_cells(json.loads(fu.model_dump_json()))
    assert cells["flag"].notna().sum() > 0 and cells["estimate"].notna().sum() > 1000
    assert subtraction_attack(cells, _parents(demo_ws)) == {}

"""The explorer's CSV downloads give nothing away: every download of one indicator (each area,
each dimension, the districts) put together withstands the independent subtraction attack."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas as pd

from jamlik.data import read_definitions
from jamlik.data.publish import area_parents

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
from disclosure_helpers import subtraction_attack  # noqa: E402

INDICATOR = "ex-behorighet-gymnasiet"  # the demo's indicator with the most hidden cells
DIMENSIONS = ["sex", "country_of_birth", "parental_education"]


def _download(site, indicator: str, dimension: str, area: str) -> list[dict]:
    response = site.get(
        f"/explorer/download.csv?indicator={indicator}&dimension={dimension}&area={area}"
    )
    assert response.status_code == 200, response.text[:300]
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))  # Swedish Excel flavour


def test_the_explorers_downloads_together_give_nothing_away(site):
    definitions = read_definitions(site.workspace)
    parents = {a: p for a, p in area_parents(definitions).items() if p}
    top = next(a.id for a in definitions.areas if a.id == "exempelstad")
    areas = [top, *(a for a, p in parents.items() if p == top)]
    rows = []
    for row in _download(site, INDICATOR, "district", top):  # the districts' totals
        rows.append({**row, "area": row["subgroup"], "dimension": "total", "subgroup": "total"})
    for area in areas:
        for dim in DIMENSIONS:
            rows += _download(site, INDICATOR, dim, area)
    frame = pd.DataFrame(rows).replace("", None)
    for c in ("estimate", "population"):
        frame[c] = pd.to_numeric(frame[c].str.replace(",", ".", regex=False))
    frame["numerator"] = frame["denominator"] = None
    frame = frame.drop_duplicates(["indicator", "period", "area", "dimension", "subgroup"])
    assert frame["flag"].notna().sum() > 100 and frame["estimate"].notna().sum() > 500
    assert set(frame["flag"].dropna()) == {"suppressed", "suppressed_secondary"}
    assert subtraction_attack(frame, parents) == {}

"""Constructed worlds for the follow-up tests: definitions, observations and programmes whose
truth the test states (a gap that narrows, one that widens, noise), stored in a real SQLite
workspace through the ordinary imports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from jamlik.data import (
    Area,
    Definitions,
    Dimension,
    Indicator,
    Subgroup,
    Target,
    import_definitions,
    import_observations,
)
from jamlik.programme import Programme, import_programme
from jamlik.workspace import Workspace
from workspaces import empty_workspace

CITY = "stad"
DISTRICTS = [("d1", 4000), ("d2", 3000), ("d3", 2000), ("d4", 1500), ("d5", 1000)]
YEARS = list(range(2012, 2026))

SEX = Dimension(
    id="sex",
    title="Kön",
    title_en="Sex",
    subgroups=[
        Subgroup(id="men", title="Män", title_en="Men"),
        Subgroup(id="women", title="Kvinnor", title_en="Women"),
    ],
)
EDUCATION = Dimension(
    id="education",
    title="Utbildningsnivå",
    title_en="Education",
    ordered=True,
    subgroups=[
        Subgroup(id="low", title="Låg", title_en="Low", order=1),
        Subgroup(id="mid", title="Mellan", title_en="Middle", order=2),
        Subgroup(id="high", title="Hög", title_en="High", order=3),
    ],
)


def areas() -> list[Area]:
    city = Area(id=CITY, name="Teststad", level="municipality", population=11500)
    return [city] + [
        Area(id=d, name=f"Område {d[1:]}", level="district", parent=CITY, population=n)
        for d, n in DISTRICTS
    ]


def indicator(
    ind_id: str,
    *,
    polarity: str = "higher_is_better",
    targets: Iterable[Target] = (),
    dimensions: list[str] | None = None,
) -> Indicator:
    return Indicator(
        id=ind_id,
        title=f"Indikator {ind_id}",
        title_en=f"Indicator {ind_id}",
        unit="procent",
        scale=100,
        polarity=polarity,
        targets=list(targets),
        dimensions=dimensions,
    )


def row(ind, period, area, dimension, subgroup, estimate, se=0.3, population=1000.0, flag=None):
    return {
        "indicator": ind,
        "period": str(period),
        "area": area,
        "dimension": dimension,
        "subgroup": subgroup,
        "estimate": estimate,
        "se": se,
        "population": population,
        "flag": flag,
    }


def sex_gap_rows(
    ind: str,
    level: Callable[[int], float],
    gap: Callable[[int], float],
    *,
    years: Iterable[int] = YEARS,
    area: str = CITY,
    se: float = 0.3,
    noise: Callable[[int], tuple[float, float]] | None = None,
) -> list[dict]:
    """Total = level(y); women = level + gap/2, men = level − gap/2 (plus optional noise)."""
    rows = []
    for y in years:
        e_m, e_w = noise(y) if noise else (0.0, 0.0)
        rows += [
            row(ind, y, area, "total", "total", level(y), se=se / 2, population=2000.0),
            row(ind, y, area, "sex", "men", level(y) - gap(y) / 2 + e_m, se=se),
            row(ind, y, area, "sex", "women", level(y) + gap(y) / 2 + e_w, se=se),
        ]
    return rows


def district_rows(
    ind: str, values: dict[str, Callable[[int], float]], *, years: Iterable[int] = YEARS
) -> list[dict]:
    """District totals, each with the district's population."""
    pops = dict(DISTRICTS)
    return [
        row(ind, y, d, "total", "total", f(y), se=0.4, population=float(pops[d]))
        for y in years
        for d, f in values.items()
    ]


def programme(
    nodes: list[dict], initiatives: list[dict] | None = None, prog_id: str = "test-prog"
) -> Programme:
    return Programme.model_validate(
        {
            "id": prog_id,
            "title": "Testprogram",
            "title_en": "Test programme",
            "period": {"start": "2018-01-01", "end": "2026-12-31"},
            "node_kinds": ["goal", "target_area", "strategy", "aim"],
            "nodes": nodes,
            "actors": [{"id": "t-city", "name": "Staden", "kind": "municipality"}],
            "initiatives": initiatives or [],
        }
    )


def workspace(
    path: Path, indicators: list[Indicator], rows: list[dict], prog: Programme | None
) -> Workspace:
    """A real SQLite workspace with these definitions, observations and programme."""
    ws = empty_workspace(path)
    import_definitions(
        ws, Definitions(areas=areas(), dimensions=[SEX, EDUCATION], indicators=indicators)
    )
    if rows:
        import_observations(ws, pd.DataFrame(rows), source="test data", attribution="Testkälla")
    if prog is not None:
        import_programme(ws, prog)
    return ws


def noise_maker(seed: int, sd: float) -> Callable[[int], tuple[float, float]]:
    rng = np.random.default_rng(seed)
    draws = {y: tuple(rng.normal(0.0, sd, 2)) for y in YEARS}
    return lambda y: draws[y]

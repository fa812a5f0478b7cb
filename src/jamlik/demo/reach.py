"""How many people each demo initiative reaches, by district and year (fictitious).

Model. Initiative i runs in a set of districts A_i from its start year. Its target population in
district d and year t is n_dt (a population group, times `per_member` when it counts e.g. one
parent per child). The reach rate is

    r_idt = c_i * ramp_i(t) * exp(-kappa_i * z_d) / M_it,
    M_it = sum_{d in A_i} n_dt exp(-kappa_i * z_d) / sum_{d in A_i} n_dt,

so c_i * ramp_i(t) is the share reached over the districts where the initiative runs, and kappa_i
sets who gets it: kappa > 0 reaches poorer districts (low z_d, high need) more — proportionate to
need (proportionell universalism); kappa = 0 reaches everyone alike; kappa < 0 reaches the
better-off districts more (the "inverse care law" a reach-vs-need follow-up should catch).
ramp_i(t) = min(1, (t - start + 1) / 3): initiatives take three years to reach full scale.
Reached ~ Poisson(n_dt * r_idt), at most n_dt. `need_indicator` is the indicator whose district
values show need for that initiative, so later checks can correlate reach with need.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Literal

import numpy as np

from jamlik.demo.exempelstad import DISTRICTS
from jamlik.demo.model import LAST_YEAR, PopulationGroup
from jamlik.demo.population import group_population

Pattern = Literal["proportionate", "universal", "better_off"]


@dataclass(frozen=True)
class ReachModel:
    """The true reach parameters of one initiative."""

    population: PopulationGroup
    coverage: float  # c_i: share of the target population reached at full scale
    kappa: float  # > 0 proportionate to need, 0 universal, < 0 reaches the better-off more
    need_indicator: str
    per_member: float = 1.0  # target people per member of the population group
    years: tuple[int, ...] | None = None  # only these years (e.g. election years)

    @property
    def pattern(self) -> Pattern:
        if self.kappa > 0:
            return "proportionate"
        return "better_off" if self.kappa < 0 else "universal"


def reach_records(
    initiative_id: str,
    model: ReachModel,
    start_year: int,
    end_year: int | None,
    areas: list[str],
    seed: int,
) -> list[dict]:
    """Reach records {period, area, reached} for the years the initiative has run (to 2025)."""
    last = min(end_year or LAST_YEAR, LAST_YEAR)
    years = [y for y in range(start_year, last + 1) if model.years is None or y in model.years]
    if not years:
        return []
    index = [i for i, d in enumerate(DISTRICTS) if d.id in areas]
    districts = tuple(DISTRICTS[i] for i in index)
    z = np.array([d.ses for d in districts])
    n = group_population(model.population, years, districts) * model.per_member  # (T, D)
    tilt = np.exp(-model.kappa * z)[None, :]
    normaliser = (n * tilt).sum(axis=1, keepdims=True) / n.sum(axis=1, keepdims=True)
    ramp = np.minimum(1.0, (np.asarray(years) - start_year + 1) / 3.0)[:, None]
    rate = model.coverage * ramp * tilt / normaliser
    rng = np.random.default_rng([seed, zlib.crc32(initiative_id.encode("utf-8"))])
    reached = np.minimum(rng.poisson(n * rate), np.floor(n)).astype(int)
    return [
        {"period": str(year), "area": d.id, "reached": int(reached[t, k])}
        for t, year in enumerate(years)
        for k, d in enumerate(districts)
    ]

"""How many people each district has in a population group, by sex, country of birth and
education: the register the demo draws from (equations in `jamlik.demo.generator`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import expit

from jamlik.demo.exempelstad import COMPOSITION, DISTRICTS
from jamlik.demo.model import FIRST_YEAR, Composition, District, PopulationGroup, time_index


def population_cells(
    group: PopulationGroup,
    years: Sequence[int],
    districts: tuple[District, ...] = DISTRICTS,
    comp: Composition = COMPOSITION,
) -> np.ndarray:
    """Integer population n with axes (year, district, sex, country of birth, education)."""
    years = np.asarray(years, dtype=float)
    u = time_index(years)
    z = np.array([d.ses for d in districts])
    base = np.array([d.population_2012 for d in districts], dtype=float)
    growth = np.array([d.growth for d in districts])
    inhabitants = base[None, :] * (1 + growth[None, :]) ** (years[:, None] - FIRST_YEAR)
    members = inhabitants * group.share * np.exp(-group.tilt * z)[None, :]  # (T, D)

    foreign = group.foreign_factor * expit(comp.foreign_intercept + comp.foreign_ses * z)
    p_country = np.stack([1 - foreign, foreign], axis=-1)  # (D, C)

    c = np.array([0.0, 1.0])
    latent = (
        comp.education_ses * z[None, :, None]
        + comp.education_foreign * c[None, None, :]
        + comp.education_trend * u[:, None, None]
        + group.education_shift
    )  # (T, D, C)
    le1 = expit(comp.cut1 - latent)
    le2 = expit(comp.cut2 - latent)
    p_education = np.stack([le1, le2 - le1, 1 - le2], axis=-1)  # (T, D, C, E)

    n = (
        members[:, :, None, None, None]
        * np.array([0.5, 0.5])[None, None, :, None, None]
        * p_country[None, :, None, :, None]
        * p_education[:, :, None, :, :]
    )
    return np.rint(n).astype(np.int64)


def group_population(
    group: PopulationGroup,
    years: Sequence[int],
    districts: tuple[District, ...] = DISTRICTS,
) -> np.ndarray:
    """Members of a population group with axes (year, district), summed over the breakdowns."""
    return population_cells(group, years, districts).sum(axis=(2, 3, 4))

"""The shapes of the demo model's true parameters.

Everything the generator draws from is held in these frozen dataclasses, so tests (and curious
users) can read the truth the fictitious data were built from and check that it can be recovered.
The equations that use them are stated in `jamlik.demo.generator`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FIRST_YEAR = 2012
LAST_YEAR = 2025
YEARS: tuple[int, ...] = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
ELECTION_YEARS: tuple[int, ...] = (2014, 2018, 2022)

Link = Literal["logit", "identity"]
Polarity = Literal["higher_is_better", "higher_is_worse"]
GapDimension = Literal["district", "sex", "country_of_birth", "education"]
Direction = Literal["narrows", "widens"]


def time_index(year: int | float) -> float:
    """u = (year - 2012) / (2025 - 2012): 0 in the first year, 1 in the last."""
    return (year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR)


@dataclass(frozen=True)
class Effect:
    """A coefficient that moves linearly from `start` (2012, u = 0) to `end` (2025, u = 1).

    A constant effect has start == end. On the link scale (logit for proportions, years for life
    expectancy), so a gap "narrows" when |end| < |start| and "widens" when |end| > |start|.
    """

    start: float
    end: float | None = None

    def at(self, u):
        """The coefficient at time index u (scalar or array)."""
        end = self.start if self.end is None else self.end
        return self.start + (end - self.start) * u

    @property
    def final(self) -> float:
        return self.start if self.end is None else self.end


@dataclass(frozen=True)
class District:
    """One fictitious district (stadsområde) of Exempelstad."""

    id: str
    name: str
    population_2012: int
    growth: float  # yearly relative growth of the population
    ses: float  # latent socioeconomic index z_d: mean about 0, sd about 1, higher is better off
    hex: tuple[int, int]  # axial (q, r) position in the hexagon grid of the fictitious map


@dataclass(frozen=True)
class PopulationGroup:
    """The part of a district's population an indicator counts (its denominator).

    n_d(t) = round(N_d(t) * share * exp(-tilt * z_d) * composition): `tilt` > 0 puts more of the
    group in poorer districts (more children there). The share born outside Sweden is the adult
    share times `foreign_factor` (most children of migrants are themselves born in Sweden).
    `education_shift` moves the education distribution up for parental education (the better
    educated of two parents) compared with one adult's own education.
    """

    id: str
    title_sv: str
    share: float
    tilt: float = 0.0
    foreign_factor: float = 1.0
    education_shift: float = 0.0


@dataclass(frozen=True)
class Suppression:
    """Thresholds handed to `jamlik.data.suppression.suppress` (röjandekontroll): a cell is
    withheld with fewer than `min_denominator` people, or (proportions) when its numerator or
    complement is positive but below `min_numerator`; secondary suppression follows."""

    min_denominator: int = 10
    min_numerator: int = 3


@dataclass(frozen=True)
class Target:
    """A target for an indicator: a level, or (with `measure` + `dimension`) a gap."""

    year: int
    value: float
    measure: str | None = None
    dimension: str | None = None


@dataclass(frozen=True)
class IndicatorModel:
    """One indicator and the true parameters that generate it.

    Linear predictor for a cell (district d, sex, country of birth, education level e, year):
    eta = intercept + trend*u + district.at(u)*z_d + female.at(u)*[woman]
          + foreign.at(u)*[born outside Sweden] + education.at(u)*(3 - e)
    `education` is the effect of one step of *disadvantage* (eftergymnasial e=3 is the reference),
    so the extreme gap (förgymnasial minus eftergymnasial) on the link scale is 2 * education.
    """

    id: str
    title_sv: str
    title_en: str
    description: str
    unit: str
    scale: float  # 100 for percent, 1 for years
    polarity: Polarity
    link: Link
    population: PopulationGroup
    education_dimension: Literal["parental_education", "education"]
    target_area: str  # key of the programme node the indicator follows (see jamlik.demo.programme)
    intercept: float
    trend: float  # change of eta from 2012 to 2025 for the reference cell
    district: Effect
    female: Effect
    foreign: Effect
    education: Effect
    years: tuple[int, ...] = YEARS
    se_coefficient: float = 0.0  # identity link only: se = se_coefficient / sqrt(n)
    suppression: Suppression = field(default_factory=Suppression)
    targets: tuple[Target, ...] = ()

    @property
    def higher_is_better(self) -> bool:
        return self.polarity == "higher_is_better"


@dataclass(frozen=True)
class Gap:
    """A gap the model was built to narrow or widen, as tests and the docs name it.

    `dimension` "district" means the gradient over the districts' socioeconomic index; the other
    dimensions mean the difference between the extreme subgroups (education: förgymnasial vs
    eftergymnasial; country of birth: born outside vs in Sweden; sex: women vs men).
    """

    indicator: str
    dimension: GapDimension
    direction: Direction
    why: str


@dataclass(frozen=True)
class Composition:
    """How each district's population splits by country of birth and education.

    P(born outside Sweden | d, group) = foreign_factor_g * logistic(foreign_intercept + foreign_ses * z_d)
    Education is an ordered logit with latent mean
        m = education_ses * z_d + education_foreign * [born outside Sweden]
            + education_trend * u + education_shift_g
    P(e <= 1) = logistic(cut1 - m), P(e <= 2) = logistic(cut2 - m); sex is split 50/50.
    """

    foreign_intercept: float
    foreign_ses: float
    education_ses: float
    education_foreign: float
    education_trend: float
    cut1: float
    cut2: float

"""Exempelstad's definitions: areas with their hierarchy and map, dimensions, indicators.

Built as `jamlik.data.Definitions`, so they pass through the same validation and import as a
definitions file written by hand.
"""

from __future__ import annotations

import numpy as np

from jamlik.data import Area, Definitions, Dimension, Indicator, Source, Subgroup, Target
from jamlik.demo.exempelstad import (
    DISTRICTS,
    FICTITIOUS_SV,
    MUNICIPALITY_ID,
    MUNICIPALITY_NAME,
)
from jamlik.demo.geometry import hexagon
from jamlik.demo.indicators import INDICATORS
from jamlik.demo.model import FIRST_YEAR, LAST_YEAR, IndicatorModel

# Subgroup ids in the order the generator indexes them: (id, Swedish title, English title).
SEXES = (("men", "Män", "Men"), ("women", "Kvinnor", "Women"))
COUNTRIES = (
    ("born_in_sweden", "Född i Sverige", "Born in Sweden"),
    ("born_abroad", "Född utanför Sverige", "Born outside Sweden"),
)
EDUCATION_LEVELS = (
    ("compulsory", "Förgymnasial", "Compulsory school or less"),
    ("upper_secondary", "Gymnasial", "Upper secondary"),
    ("post_secondary", "Eftergymnasial", "Post-secondary"),
)


def _subgroups(rows, *, ordered: bool = False, reference: str | None = None) -> list[Subgroup]:
    return [
        Subgroup(
            id=sid,
            title=sv,
            title_en=en,
            order=i + 1 if ordered else None,
            reference=sid == reference,
        )
        for i, (sid, sv, en) in enumerate(rows)
    ]


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(id="sex", title="Kön", title_en="Sex", subgroups=_subgroups(SEXES)),
    Dimension(
        id="country_of_birth",
        title="Födelseland",
        title_en="Country of birth",
        subgroups=_subgroups(COUNTRIES, reference="born_in_sweden"),
    ),
    Dimension(
        id="parental_education",
        title="Föräldrarnas utbildningsnivå",
        title_en="Parental education",
        ordered=True,
        subgroups=_subgroups(EDUCATION_LEVELS, ordered=True),
    ),
    Dimension(
        id="education",
        title="Utbildningsnivå",
        title_en="Educational attainment",
        ordered=True,
        subgroups=_subgroups(EDUCATION_LEVELS, ordered=True),
    ),
)


def areas() -> list[Area]:
    """Exempelstad and its districts, with their population in the last year and a hexagon."""
    grown = [
        int(round(d.population_2012 * (1 + d.growth) ** (LAST_YEAR - FIRST_YEAR)))
        for d in DISTRICTS
    ]
    municipality = Area(
        id=MUNICIPALITY_ID,
        name=MUNICIPALITY_NAME,
        level="municipality",
        code="EX00",
        population=int(np.sum(grown)),
    )
    districts = [
        Area(
            id=d.id,
            name=d.name,
            level="district",
            parent=MUNICIPALITY_ID,
            code=f"EX{i + 1:02d}",
            population=n,
            geometry=hexagon(*d.hex),
        )
        for i, (d, n) in enumerate(zip(DISTRICTS, grown, strict=True))
    ]
    return [municipality, *districts]


def indicator_definition(ind: IndicatorModel) -> Indicator:
    """The stored definition of one demo indicator (its model parameters stay in the demo)."""
    return Indicator(
        id=ind.id,
        title=ind.title_sv,
        title_en=ind.title_en,
        description=ind.description,
        unit=ind.unit,
        scale=ind.scale,
        polarity=ind.polarity,
        source=Source(kind="file", ref=f"jamlik demo – {FICTITIOUS_SV}"),
        targets=[
            Target(year=t.year, value=t.value, measure=t.measure, dimension=t.dimension)
            for t in ind.targets
        ],
        dimensions=["total", "sex", "country_of_birth", ind.education_dimension],
    )


def definitions() -> Definitions:
    """All of Exempelstad's definitions, ready for `jamlik.data.import_definitions`."""
    return Definitions(
        areas=areas(),
        dimensions=list(DIMENSIONS),
        indicators=[indicator_definition(ind) for ind in INDICATORS],
    )

"""Exempelstad: the fictitious municipality, its ten districts and how their people are composed.

Names, sizes and positions are invented. The socioeconomic index z_d orders the districts from the
villa area Ekbacka (z = 1.6) to the large-estate suburb Stenåsen (z = -1.5); its population-weighted
mean is close to 0. Poorer districts lie at the edge of the hexagon map, as they often do.
"""

from __future__ import annotations

from jamlik.demo.model import Composition, District

MUNICIPALITY_ID = "exempelstad"
MUNICIPALITY_NAME = "Exempelstad"
FICTITIOUS_SV = "Fiktiva exempeldata"
FICTITIOUS_EN = "Fictitious example data"
SOURCE = "Fiktiva exempeldata – jamlik demo (Exempelstad)"

DISTRICTS: tuple[District, ...] = (
    District("ex-innerstaden", "Innerstaden", 24_000, 0.008, 1.2, (0, 0)),
    District("ex-hamnstaden", "Hamnstaden", 14_000, 0.030, 0.5, (1, -1)),
    District("ex-ekbacka", "Ekbacka", 9_000, 0.004, 1.6, (-1, 0)),
    District("ex-solvik", "Solvik", 6_500, 0.006, 1.0, (0, -1)),
    District("ex-bjorkdalen", "Björkdalen", 36_000, 0.010, 0.1, (1, 0)),
    District("ex-granliden", "Granliden", 21_000, 0.009, -0.3, (-1, 1)),
    District("ex-lindhojden", "Lindhöjden", 15_000, 0.012, -0.8, (0, 1)),
    District("ex-norrmossen", "Norrmossen", 12_000, 0.015, -1.1, (2, -1)),
    District("ex-stenasen", "Stenåsen", 27_000, 0.016, -1.5, (1, 1)),
    District("ex-kvarnbacken", "Kvarnbacken", 3_200, 0.002, -0.5, (-2, 1)),
)

# About 23 % of adults born outside Sweden at z = 0, from 7 % (Ekbacka) to 54 % (Stenåsen);
# eftergymnasial education about 45 % at z = 0, rising over time.
COMPOSITION = Composition(
    foreign_intercept=-1.2,
    foreign_ses=-0.9,
    education_ses=0.9,
    education_foreign=-0.5,
    education_trend=0.4,
    cut1=-1.6,
    cut2=0.2,
)


def district(district_id: str) -> District:
    """The district with this id (KeyError names the id when there is none)."""
    for d in DISTRICTS:
        if d.id == district_id:
            return d
    raise KeyError(district_id)

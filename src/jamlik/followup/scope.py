"""What a follow-up covers: the programme, its indicators, the area followed and its districts,
the periods up to the follow-up year and the baseline."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jamlik.data import Area, Definitions, Dimension, Indicator, period_midpoint
from jamlik.data.models import TOTAL_DIMENSION
from jamlik.data.policy import SuppressionPolicy
from jamlik.errors import JamlikError
from jamlik.programme import Programme

DISTRICT = "district"  # the follow-up's own dimension: the districts of the area followed
SHOWN_IDS = 10  # indicator ids an error message lists before it only counts the rest


@dataclass(frozen=True)
class Scope:
    """Definitions and choices shared by every part of one follow-up."""

    programme: Programme | None  # None for look-ups outside a programme (the explorer)
    year: int
    area: Area
    districts: tuple[Area, ...]
    indicators: tuple[Indicator, ...]
    dimensions: dict[str, Dimension]
    baseline: int | str | None
    conf_level: float
    policy: SuppressionPolicy

    @property
    def min_population(self) -> float:
        return self.policy.min_population

    @property
    def area_ids(self) -> list[str]:
        return [self.area.id, *(d.id for d in self.districts)]

    def area_name(self, area_id: str) -> str:
        for a in (self.area, *self.districts):
            if a.id == area_id:
                return a.name
        return area_id

    def dimension_titles(self, dimension: str) -> tuple[str, str]:
        """(Swedish, English) title of a dimension as defined, "district" included."""
        if dimension == DISTRICT and DISTRICT not in self.dimensions:
            return "Stadsområde", "District"
        dim = self.dimensions.get(dimension)
        if dim is None:
            return dimension, dimension
        return dim.title, dim.title_en or dim.title


def linked_indicators(programme: Programme) -> list[str]:
    """Indicator ids the programme links, nodes first (in tree order), then initiatives."""
    seen: dict[str, None] = {}
    for _, node in programme.walk():
        seen.update(dict.fromkeys(node.indicators))
    for node in programme.nodes:  # nodes outside the tree (invalid programmes) still count
        seen.update(dict.fromkeys(node.indicators))
    for initiative in programme.initiatives:
        seen.update(dict.fromkeys(initiative.indicators))
    return list(seen)


def main_area(definitions: Definitions, area: str | None, frame: pd.DataFrame) -> Area:
    """The area followed: the one asked for, else the only top-level area with data of its
    own or in an area below it."""
    areas = {a.id: a for a in definitions.areas}
    if area is not None:
        if area not in areas:
            raise JamlikError(
                f"Området '{area}' finns inte i arbetsytan / no area '{area}' in the workspace; "
                f"known: {', '.join(sorted(areas)) or 'none (import definitions first)'}"
            )
        return areas[area]
    with_data = set(frame["area"].unique()) if len(frame) else set()
    roots: set[str] = set()
    for area_id in with_data:  # the top of each area's chain of parents
        seen: set[str] = set()
        while area_id in areas and areas[area_id].parent and area_id not in seen:
            seen.add(area_id)
            area_id = areas[area_id].parent
        roots.add(area_id)
    tops = [a for a in definitions.areas if a.parent is None and a.id in roots]
    if len(tops) == 1:
        return tops[0]
    if not tops:
        raise JamlikError(
            "Inga observationer i något område / no observations in any top-level area: "
            "import data first (`jamlik import FILE`)"
        )
    raise JamlikError(
        "Flera områden har data; ange vilket som följs upp med --area / several top-level "
        "areas have data: choose one with --area (area= in Python): "
        f"{', '.join(sorted(a.id for a in tops))}"
    )


def check_programme_data(programme: Programme, frame: pd.DataFrame) -> None:
    """A JamlikError saying what is missing when none of the programme's indicators has an
    observation: links to indicators (a programme file's business) or data (an import's)."""
    if len(frame):
        return
    linked = linked_indicators(programme)
    if not linked:
        raise JamlikError(
            f"Programmet '{programme.id}' länkar inga indikatorer / the programme links no "
            "indicators: add `indicators:` to its nodes or initiatives (see docs/programme.md)"
        )
    shown = ", ".join(linked[:SHOWN_IDS]) + (
        f" (+{len(linked) - SHOWN_IDS})" if len(linked) > SHOWN_IDS else ""
    )
    raise JamlikError(
        "Inga observationer för programmets indikatorer / no observations for the linked "
        f"indicators {shown}: import data first (`jamlik import FILE`)"
    )


def child_districts(definitions: Definitions, area: Area) -> tuple[Area, ...]:
    """Areas one level below the area followed (its districts), in definition order."""
    return tuple(a for a in definitions.areas if a.parent == area.id)


def dimensions_of(definitions: Definitions) -> dict[str, Dimension]:
    dims = {d.id: d for d in definitions.dimensions}
    dims.setdefault(TOTAL_DIMENSION.id, TOTAL_DIMENSION)
    return dims


def in_year(periods: pd.Series, year: int) -> pd.Series:
    """True for periods that begin by the end of `year` (midpoint before year + 1)."""
    mids = {p: period_midpoint(p) for p in pd.unique(periods)}
    return periods.map(mids) < year + 1


def baseline_period(periods: list[str], baseline: int | str | None) -> str | None:
    """The baseline among a series' periods: the period named, else the first one that begins
    in or after the baseline year (the first period when no baseline is set); None when the
    series has no such period."""
    if not periods:
        return None
    if baseline is None:
        return min(periods, key=period_midpoint)
    if isinstance(baseline, str) and baseline in periods:
        return baseline
    try:
        start = float(str(baseline)[:4])
    except ValueError:
        return None
    later = [p for p in periods if period_midpoint(p) >= start]
    return min(later, key=period_midpoint) if later else None

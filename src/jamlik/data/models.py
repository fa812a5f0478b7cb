"""Definitions of indicators, areas and dimensions as validated values (pydantic v2).

These are what the definitions YAML file holds and what `import_definitions` stores. Checks that
need more than one record (parents exist, no cycles, subgroup orders 1..k) live in
`jamlik.data.checks`, because they also need what the workspace already holds.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from jamlik.limits import MAX_ID, MAX_NAME, MAX_TEXT, MAX_TITLE, no_nul

TOTAL = "total"  # id of the implicit dimension and of its only subgroup: the whole area

Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_ID, pattern=r"^\S(.*\S)?$"),
]
Polarity = Literal["higher_is_better", "higher_is_worse"]
Level = Literal["municipality", "district", "subarea"]
LEVEL_RANK = {"municipality": 0, "district": 1, "subarea": 2}


class _Strict(BaseModel):
    # Kommun codes such as 1480 arrive unquoted from YAML: as ids they are text.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL refuses NUL in text; SQLite would keep it. Refused on both (jamlik.limits).
        for item in value if isinstance(value, list) else [value]:
            no_nul(item)
        return value


class Source(_Strict):
    """Where an indicator's values come from."""

    kind: Literal["kolada", "pxweb", "file"]
    ref: str = Field(
        min_length=1, max_length=400, description="Kolada KPI id, PxWeb table URL, or file name"
    )


class Target(_Strict):
    """A target value for a year; with `measure`, a target for a gap (e.g. D = difference)."""

    year: int = Field(ge=1900, le=2200)
    value: float = Field(allow_inf_nan=False)
    measure: str | None = Field(default=None, min_length=1, max_length=20)
    dimension: Id | None = None


class Indicator(_Strict):
    """An indicator (indikator, nyckeltal)."""

    id: Id
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    title_en: str | None = Field(default=None, max_length=MAX_TITLE)
    description: str | None = Field(default=None, max_length=MAX_TEXT)
    unit: str | None = Field(default=None, max_length=80)
    scale: float = Field(
        default=1.0, gt=0, allow_inf_nan=False, description="100 percent, 1000 per thousand, 1 ..."
    )
    polarity: Polarity
    source: Source | None = None
    targets: list[Target] = Field(default_factory=list)
    dimensions: list[Id] | None = None  # the breakdowns usually shown

    @property
    def favourable(self) -> bool:
        return self.polarity == "higher_is_better"


class Area(_Strict):
    """An area: municipality, district (stadsområde) or subarea (primärområde)."""

    id: Id
    name: str = Field(min_length=1, max_length=MAX_NAME)
    level: Level
    parent: Id | None = None
    code: str | None = Field(default=None, max_length=40)
    population: int | None = Field(default=None, ge=0, le=10**10)
    geometry: dict[str, Any] | None = None  # a GeoJSON geometry object

    @field_validator("geometry")
    @classmethod
    def _geojson(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        kinds = {"Polygon", "MultiPolygon", "Point", "MultiPoint", "LineString",
                 "MultiLineString", "GeometryCollection"}  # fmt: skip
        if value is not None and value.get("type") not in kinds:
            raise ValueError(f"not a GeoJSON geometry: 'type' must be one of {sorted(kinds)}")
        return _coordinates_as_numbers(value) if value is not None else None


_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _coordinates_as_numbers(node: Any, key: str | None = None) -> Any:
    """GeoJSON with its coordinates as numbers.

    Definitions files are read with every scalar as text (so that codes such as 0180 keep their
    digits); coordinates and bounding boxes are numbers, so they are turned back here.
    """
    if isinstance(node, dict):
        return {k: _coordinates_as_numbers(v, k if k in ("coordinates", "bbox") else None)
                for k, v in node.items()}  # fmt: skip
    if isinstance(node, list):
        return [_coordinates_as_numbers(v, key) for v in node]
    if key is None or not isinstance(node, str):
        return node
    written = node.strip()
    if not _NUMBER.fullmatch(written):
        raise ValueError(f"GeoJSON {key} must be numbers, found '{node}'")
    return int(written) if re.fullmatch(r"[-+]?\d+", written) else float(written)


class Subgroup(_Strict):
    """A subgroup (undergrupp) of a dimension."""

    id: Id
    title: str = Field(min_length=1, max_length=MAX_NAME)
    title_en: str | None = Field(default=None, max_length=MAX_NAME)
    order: int | None = Field(default=None, ge=1, le=10_000, description="1 = most disadvantaged")
    reference: bool = False


class Dimension(_Strict):
    """A dimension of inequality with its subgroups."""

    id: Id
    title: str = Field(min_length=1, max_length=MAX_NAME)
    title_en: str | None = Field(default=None, max_length=MAX_NAME)
    ordered: bool = False
    subgroups: list[Subgroup] = Field(min_length=1)


class Definitions(_Strict):
    """The contents of a definitions file: any subset of areas, dimensions and indicators."""

    areas: list[Area] = Field(default_factory=list)
    dimensions: list[Dimension] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)


TOTAL_DIMENSION = Dimension(
    id=TOTAL,
    title="Totalt",
    title_en="Total",
    ordered=False,
    subgroups=[Subgroup(id=TOTAL, title="Totalt", title_en="Total")],
)

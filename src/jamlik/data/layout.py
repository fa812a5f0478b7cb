"""Column layouts an observation table may come in: jamlik's own, and WHO's HEAT Plus template.

jamlik's layout uses the observation columns of ARCHITECTURE.md; ids must already be defined in
the workspace. A HEAT Plus upload file (recognised by its `setting` and `indicator_abbr` columns)
describes itself: its indicators, areas (settings), dimensions and subgroups are created from
its own columns. `date` (older templates: `year`) is the period.
"""

from __future__ import annotations

from dataclasses import dataclass

KEY = ["indicator", "period", "area", "dimension", "subgroup"]
NUMBERS = ["estimate", "se", "ci_lb", "ci_ub", "population", "numerator", "denominator"]
JAMLIK_COLUMNS = [
    *KEY, "subgroup_order", "reference_subgroup", *NUMBERS, "flag", "source",
    # the series metadata observations_frame adds: accepted so an export imports again
    "favourable_indicator", "ordered_dimension", "indicator_scale", "setting_average",
]  # fmt: skip
JAMLIK_REQUIRED = ["indicator", "period", "area", "estimate"]

HEAT_RENAME = {
    "setting": "area",
    "date": "period",
    "year": "period",
    "indicator_abbr": "indicator",
    "indicator_name": "indicator_title",
    "iso3": "area_code",
}
HEAT_COLUMNS = [
    "setting", "date", "year", "source", "indicator_abbr", "indicator_name", "dimension",
    "subgroup", "estimate", "se", "ci_lb", "ci_ub", "population", "flag", "setting_average",
    "iso3", "favourable_indicator", "indicator_scale", "ordered_dimension", "subgroup_order",
    "reference_subgroup", "numerator", "denominator",
]  # fmt: skip
HEAT_REQUIRED = [
    "setting", "indicator_abbr", "dimension", "subgroup", "estimate",
    "favourable_indicator", "indicator_scale", "ordered_dimension",
]  # fmt: skip


@dataclass(frozen=True)
class Layout:
    name: str  # "jamlik" | "heatplus"
    missing: list[str]  # required columns not in the file
    unknown: list[str]  # columns the layout does not know
    rename: dict[str, str]

    @property
    def self_describing(self) -> bool:
        return self.name == "heatplus"


def detect(columns: list[str]) -> Layout:
    """Which layout a table's (lower-cased) columns follow, and what is missing or unknown."""
    cols = set(columns)
    if {"setting", "indicator_abbr"} <= cols:
        missing = [c for c in HEAT_REQUIRED if c not in cols]
        if not cols & {"date", "year"}:
            missing.insert(1, "date")
        rename = {c: HEAT_RENAME[c] for c in columns if c in HEAT_RENAME}
        if "date" in cols and "year" in cols:
            rename.pop("year")  # 'date' is the current template's name; 'year' is then extra
        return Layout("heatplus", missing, [c for c in columns if c not in HEAT_COLUMNS], rename)
    missing = [c for c in JAMLIK_REQUIRED if c not in cols]
    if ("dimension" in cols) != ("subgroup" in cols):
        missing.append("subgroup" if "dimension" in cols else "dimension")
    return Layout("jamlik", missing, [c for c in columns if c not in JAMLIK_COLUMNS], {})

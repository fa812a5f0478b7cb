"""From a source's codes to jamlik's: the mapping a user writes once per query.

A source gives a long table with one column per variable (Kolada: kpi, municipality, period,
gender; PxWeb: the table's variables) plus `value` and `status`. The mapping says which variable
holds the indicator, the area and the period, which variables are dimensions, and how codes
translate — "this table's Primärområde is my district dimension; its Kön codes 1 and 2 are M and K":

```yaml
map:
  indicator: befolkning            # one fixed id, or {variable: ContentsCode, codes: {...}}
  area: {variable: Region, codes: {"1480": goteborg}}
  period: Tid                      # default: the table's time variable
  dimensions:
    - {variable: Kon, dimension: kön, codes: {"1": M, "2": K}, total: "1+2"}
```

Codes without a `codes` table keep their source code. With a table, every code the data holds must
be in it (a typo must not silently drop a district).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jamlik.data.periods import normalize_period
from jamlik.errors import Problem, ValidationError

TOTAL = "total"  # jamlik's id of the whole-area dimension and its one subgroup (see data.models)
Polarity = Literal["higher_is_better", "higher_is_worse"]
Level = Literal["municipality", "district", "subarea"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldMap(_Model):
    """Where one key column comes from: a fixed `value`, or a `variable` with optional `codes`."""

    variable: str | None = None
    value: str | None = None
    codes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _fixed(cls, data: Any) -> Any:
        return {"value": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_way(self) -> FieldMap:
        if self.value is not None and (self.variable or self.codes):
            raise ValueError("give either a fixed value or a variable (with codes), not both")
        return self

    def code_for(self, source_code: str) -> str:
        return self.codes.get(source_code, source_code) if self.codes else source_code


class IndicatorMap(FieldMap):
    """The indicator key, and what new indicators get: polarity (required for those), unit, scale."""

    polarity: Polarity | dict[str, Polarity] | None = None
    unit: str | None = None
    scale: float | None = None

    def polarity_for(self, indicator_id: str) -> str | None:
        if isinstance(self.polarity, dict):
            return self.polarity.get(indicator_id)
        return self.polarity


class AreaMap(FieldMap):
    """The area key, and the level and parent that new areas get."""

    level: Level = "municipality"
    parent: str | None = None


class DimensionMap(_Model):
    """A source variable that is a dimension of inequality (kön, Primärområde, utbildning …)."""

    variable: str
    dimension: str
    codes: dict[str, str] = Field(default_factory=dict)
    total: list[str] = Field(default_factory=list)  # source codes meaning "everyone"
    ordered: bool = False  # then subgroup order follows `codes` (or the source's order)
    reference: str | None = None  # jamlik subgroup id of the reference group
    title: str | None = None  # the dimension's title when jamlik creates it

    @field_validator("total", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def subgroup_for(self, source_code: str) -> str:
        return self.codes.get(source_code, source_code) if self.codes else source_code


class SourceMapping(_Model):
    """The whole mapping of one query."""

    indicator: IndicatorMap
    area: AreaMap
    period: str | None = None
    dimensions: list[DimensionMap] = Field(default_factory=list)


def kolada_mapping(user: Mapping[str, Any] | None = None, *, units: bool = False) -> dict[str, Any]:
    """Kolada's default mapping, with anything the user wrote laid over it.

    KPI ids become indicator ids, municipality (or unit) ids area ids, and gender the dimension
    "kön" with subgroups K (women) and M (men); T, the total, is jamlik's total.
    """
    user = dict(user or {})
    area_var = "ou" if units else "municipality"
    indicator = {"variable": "kpi", **_as_dict(user.pop("indicator", None))}
    if indicator.get("value") is not None:  # one fixed indicator id (e.g. a starter's own)
        indicator.pop("variable")
    area = {"variable": area_var, **_as_dict(user.pop("area", None))}
    if units:
        area.setdefault("level", "subarea")
    gender = {
        "variable": "gender",
        "dimension": "kön",
        "title": "Kön",
        "codes": {"K": "K", "M": "M"},
        "total": ["T"],
    }
    dims = user.pop("dimensions", None)
    if dims:  # the user's first entry refines gender: another id, other subgroup ids
        gender.update(dims[0] if isinstance(dims, list) else dims)
    return {
        "indicator": indicator,
        "area": area,
        "period": "period",
        "dimensions": [gender],
        **user,
    }


def _as_dict(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    return {"value": value} if isinstance(value, str) else dict(value)


@dataclass
class Mapped:
    """Observations in jamlik's columns, and what definitions they need."""

    frame: pd.DataFrame
    # jamlik id → (source code, label) for indicators and areas; (dimension, subgroup) → same
    indicators: dict[str, tuple[str, str]] = field(default_factory=dict)
    areas: dict[str, tuple[str, str]] = field(default_factory=dict)
    subgroups: dict[tuple[str, str], tuple[str, str, int | None]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # dimension id → the source's label of its variable (the title a new dimension gets)
    dimension_titles: dict[str, str] = field(default_factory=dict)


def apply_mapping(
    data: pd.DataFrame,
    mapping: SourceMapping,
    *,
    source: str | pd.Series,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    time_variable: str | None = None,
    titles: Mapping[str, str] | None = None,
    positions: Mapping[str, list[str]] | None = None,
    where: str = "map",
) -> Mapped:
    """Turn a source's long table into observation rows (indicator, period, area, dimension,
    subgroup, subgroup_order, estimate, flag, source).

    `labels` gives each variable's code → label (for names of new definitions), `titles` each
    variable's own label (for titles of new dimensions), `positions` each variable's codes in the
    source's order (JSON-stat `category.index`), which an ordered dimension without `codes`
    follows. A row that is
    broken down by two dimensions at once cannot be one observation: such rows are left out with
    a warning. Raises ValidationError, naming the mapping key, when codes cannot be mapped.
    """
    labels = labels or {}
    problems: list[Problem] = []
    columns = [c for c in data.columns if c not in ("value", "status")]
    period_var = mapping.period or time_variable

    def need(var: str | None, key: str) -> None:
        if var is not None and var not in columns:
            problems.append(
                Problem(
                    where, f"no variable {var!r} in the data (has: {', '.join(columns)})", field=key
                )
            )

    need(mapping.indicator.variable, "indicator.variable")
    need(mapping.area.variable, "area.variable")
    if period_var is None:
        problems.append(Problem(where, "say which variable holds the period", field="period"))
    need(period_var, "period")
    for k, dim in enumerate(mapping.dimensions):
        need(dim.variable, f"dimensions[{k}].variable")
    for key, fm in (("indicator", mapping.indicator), ("area", mapping.area)):
        if fm.value is None and fm.variable is None:
            problems.append(Problem(where, "give a fixed id or a variable", field=key))
    if problems:
        raise ValidationError(problems)

    used = {mapping.indicator.variable, mapping.area.variable, period_var}
    used |= {d.variable for d in mapping.dimensions}
    for var in columns:
        if var not in used and data[var].nunique() > 1:
            problems.append(
                Problem(
                    where,
                    f"{var} has {data[var].nunique()} values in the selection but the mapping does "
                    "not use it; map it as a dimension, or select one value",
                    field=var,
                )
            )

    def unmapped(fm_codes: dict[str, str], var: str, key: str) -> None:
        if fm_codes:
            missing = sorted(set(data[var].astype(str)) - set(fm_codes))
            if missing:
                problems.append(
                    Problem(
                        where,
                        f"{var} has codes the 'codes' table does not list: "
                        f"{', '.join(missing[:20])}; add them (or leave them out of the selection)",
                        field=key,
                    )
                )

    for key, fm in (("indicator.codes", mapping.indicator), ("area.codes", mapping.area)):
        if fm.variable:
            unmapped(fm.codes, fm.variable, key)
    for k, dim in enumerate(mapping.dimensions):
        if dim.codes:
            totals = {t: TOTAL for t in dim.total}
            unmapped({**dim.codes, **totals}, dim.variable, f"dimensions[{k}].codes")
    if problems:
        raise ValidationError(problems)

    out = pd.DataFrame(index=data.index)
    result = Mapped(frame=out)
    for key, fm, store in (
        ("indicator", mapping.indicator, result.indicators),
        ("area", mapping.area, result.areas),
    ):
        if fm.value is not None:
            out[key] = fm.value
            store[fm.value] = (fm.value, fm.value)
        else:
            src = data[fm.variable].astype(str)
            lut = {c: fm.code_for(c) for c in src.unique()}
            out[key] = src.map(lut)
            names = labels.get(fm.variable, {})
            for c, j in lut.items():
                store.setdefault(j, (c, names.get(c, c)))
    raw_periods = data[period_var].astype(str).str.strip()
    lut = {p: source_period(p) for p in raw_periods.unique()}
    unread = [p for p, v in lut.items() if v is None]
    if unread:
        raise ValidationError(
            [
                Problem(
                    where,
                    f"{period_var} has periods jamlik cannot read: {', '.join(unread[:5])} "
                    "(received; read are e.g. 2024, 2024Q1, 2024K1, 2024-03, 2024M03, "
                    "'2024 - 1' for a quarter, 2023/24, 2021-2023); select other periods, or "
                    "map another variable as the period / perioden kan inte läsas",
                    field="period",
                )
            ]
        )
    out["period"] = raw_periods.map(lut)

    # Which dimension (if any) each row is broken down by.
    dimension = np.full(len(data), TOTAL, dtype=object)
    subgroup = np.full(len(data), TOTAL, dtype=object)
    order = np.full(len(data), None, dtype=object)
    breakdowns = np.zeros(len(data), dtype=int)
    for dim in mapping.dimensions:
        src = data[dim.variable].astype(str).to_numpy()
        is_total = np.isin(src, dim.total)
        listed = (positions or {}).get(dim.variable)
        rank = _orders(dim, src[~is_total], listed) if dim.ordered else {}
        names = labels.get(dim.variable, {})
        if titles and dim.variable in titles:
            result.dimension_titles.setdefault(dim.dimension, titles[dim.variable])
        for c in pd.unique(src[~is_total]):
            sub = dim.subgroup_for(c)
            result.subgroups.setdefault((dim.dimension, sub), (c, names.get(c, c), rank.get(c)))
        hit = ~is_total
        breakdowns += hit
        dimension[hit] = dim.dimension
        subgroup[hit] = [dim.subgroup_for(c) for c in src[hit]]
        if dim.ordered:
            order[hit] = [rank[c] for c in src[hit]]
    crossed = breakdowns > 1
    out["dimension"] = dimension
    out["subgroup"] = subgroup
    out["subgroup_order"] = (
        pd.array(order, dtype="Int64") if any(d.ordered for d in mapping.dimensions) else pd.NA
    )
    out["estimate"] = data["value"].astype(float).to_numpy()
    status = (
        data["status"].astype(object)
        if "status" in data
        else pd.Series(None, index=data.index, dtype=object)
    )
    out["flag"] = status.where(status.notna(), None)  # a missing symbol is None, never NaN
    out["source"] = source  # one text, or one per row (aligned on the data's index)
    if crossed.any():
        result.warnings.append(
            f"{int(crossed.sum())} cells are broken down by two dimensions at once and were left "
            "out (one observation has one dimension); select the total of all but one dimension."
        )
        out = out.loc[~crossed]
    key = ["indicator", "period", "area", "dimension", "subgroup"]
    dup = out.duplicated(key, keep=False)
    if dup.any():
        first = out.loc[dup, key].iloc[0].to_dict()
        raise ValidationError(
            [
                Problem(
                    where,
                    f"{int(dup.sum())} cells map to the same observation, e.g. {first}; map the "
                    "variable that tells them apart, or select fewer values",
                )
            ]
        )
    result.frame = out.reset_index(drop=True)
    return result


_INE_QUARTER = re.compile(r"^(\d{4})\s+-\s+([1-4])$")  # INE and others: "2005 - 1"


def source_period(text: str) -> str | None:
    """A source's period code in jamlik's spelling, or None when it cannot be read.

    Besides what jamlik reads everywhere (2024, 2024Q1, 2024K1, 2024-03, 2024M03 …), sources
    write quarters as "2005 - 1" (INE's JSON-stat); those become 2005Q1.
    """
    text = str(text).strip()
    if m := _INE_QUARTER.match(text):
        return f"{m[1]}Q{m[2]}"
    return normalize_period(text)


def _orders(dim: DimensionMap, codes: np.ndarray, positions: list[str] | None) -> dict[str, int]:
    """1-based subgroup order: the order of `codes` in the mapping, else the source's category
    order (`positions`), else the order the data list them in."""
    if dim.codes:
        listed = [c for c in dim.codes if c not in dim.total]
    else:
        present = set(pd.unique(codes))
        listed = [c for c in positions or [] if c in present]
        listed += [c for c in pd.unique(codes) if c not in set(listed)]
    return {c: i + 1 for i, c in enumerate(listed)}

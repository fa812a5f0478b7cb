"""Validating an observation table in full, vectorised, before anything is written.

Every problem is collected (row as in the file, column, reason); the caller raises one
`ObservationValidationError` and imports nothing when there is any.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.data.cells import ROW_NOTE, Collector, Num, numbers, text
from jamlik.data.layout import KEY, NUMBERS, detect
from jamlik.data.models import TOTAL
from jamlik.data.periods import PERIOD_HELP, normalize_period
from jamlik.data.suppression import SUPPRESSION_FLAGS, is_suppressed_flag
from jamlik.data.tables import AreaRow, DimensionRow, IndicatorRow, SubgroupRow
from jamlik.errors import Problem, ValidationError

MAX_ID = 120
PARSED = [*NUMBERS, "setting_average", "subgroup_order", "reference_subgroup",
          "favourable_indicator", "ordered_dimension", "indicator_scale"]  # fmt: skip


class ObservationValidationError(ValidationError):
    """Problems in an observation table; rows are numbered as in the file (header = row 1)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.args = (f"{self.args[0]}\n  ({ROW_NOTE})",)


@dataclass
class Catalog:
    """The definitions a workspace holds, as frames for vectorised look-ups."""

    indicators: pd.DataFrame  # index id; favourable (0/1), scale
    areas: set[str]
    dimensions: pd.Series  # index id → ordered (0/1)
    subgroups: pd.DataFrame  # index (dimension, subgroup); order (NaN if none), reference (0/1)

    @classmethod
    def load(cls, session: Session) -> Catalog:
        ind = pd.DataFrame(
            session.execute(
                select(IndicatorRow.id, IndicatorRow.polarity, IndicatorRow.scale)
            ).all(),
            columns=["id", "polarity", "scale"],
        )
        ind["favourable"] = (ind["polarity"] == "higher_is_better").astype(float)
        dims = dict(session.execute(select(DimensionRow.id, DimensionRow.ordered)).all())
        subs = pd.DataFrame(
            session.execute(
                select(
                    SubgroupRow.dimension_id,
                    SubgroupRow.id,
                    SubgroupRow.subgroup_order,
                    SubgroupRow.reference,
                )  # fmt: skip
            ).all(),
            columns=["dimension", "subgroup", "order", "reference"],
        )
        subs["order"] = pd.to_numeric(subs["order"]).astype("float64")
        subs["reference"] = subs["reference"].astype(float)
        return cls(
            indicators=ind.set_index("id")[["favourable", "scale"]].astype(float),
            areas=set(session.scalars(select(AreaRow.id))),
            dimensions=pd.Series({k: float(v) for k, v in dims.items()}, dtype="float64"),
            subgroups=subs.set_index(["dimension", "subgroup"]),
        )

    def fingerprint(self) -> str:
        """Equal for equal definitions: validation against one holds for the other."""
        digest = hashlib.sha256()
        for frame in (self.indicators, self.dimensions.to_frame(), self.subgroups):
            digest.update(frame.sort_index().to_csv().encode())
        digest.update("\x1f".join(sorted(self.areas)).encode())
        return digest.hexdigest()


@dataclass
class Prepared:
    """A validated table, ready to store, and the definitions a HEAT Plus file brings."""

    frame: pd.DataFrame  # KEY + NUMBERS + flag, source, setting_average; index = file rows
    layout: str
    new_indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_areas: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_dimensions: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_subgroups: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: tuple[str, ...] = ()


def _columns(c: Collector, raw: pd.DataFrame) -> tuple[pd.DataFrame, str, list[str]]:
    layout = detect(list(raw.columns))
    notes: list[str] = []
    for col in layout.missing:
        c.one("obligatorisk kolumn saknas / missing required column", row=1, field=col)
    if layout.unknown and layout.self_describing:
        notes.append(f"ignorerade kolumner / ignored columns: {', '.join(layout.unknown)}")
    elif layout.unknown:
        for col in layout.unknown:
            c.one(
                "okänd kolumn / unknown column (allowed: indicator, period, area, dimension, "
                "subgroup, estimate, se, ci_lb, ci_ub, population, numerator, denominator, flag, "
                "source, subgroup_order, reference_subgroup, ...)",
                row=1, field=col,
            )  # fmt: skip
    if c:
        raise ObservationValidationError(c.problems())
    return raw.rename(columns=layout.rename), layout.name, notes


def _keys(c: Collector, df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    for col in KEY:
        # A table without dimension and subgroup holds area totals.
        out[col] = text(df[col]) if col in df else TOTAL
        c.add(out[col].isna(), col, "värde saknas / value is missing")
        c.add(out[col].str.len() > MAX_ID, col,
              f"längre än {MAX_ID} tecken / longer than {MAX_ID} characters")  # fmt: skip
    raw_period = out["period"]
    canonical = {p: normalize_period(p) for p in raw_period.dropna().unique()}
    out["period"] = raw_period.map(canonical).astype(object)
    c.add(raw_period.notna() & out["period"].isna(), "period",
          "'", raw_period, f"' är ingen period / is not a period ({PERIOD_HELP})")  # fmt: skip
    return out


def _values(c: Collector, df: pd.DataFrame, decimal: str) -> dict[str, pd.Series]:
    parsed: dict[str, pd.Series] = {}
    for col in PARSED:
        if col not in df:
            parsed[col] = pd.Series(np.nan, index=df.index)
            continue
        values, bad, cell = numbers(df[col], decimal)
        symbol = bad & cell.isin([*SUPPRESSION_FLAGS, ".", "-", "–"])
        c.add(bad & ~symbol, col, "'", cell, "' är inte ett tal / is not a number")
        c.add(symbol, col, "'", cell, "' är inte ett tal / is not a number (röjandeskyddad cell? "
              "lämna fältet tomt och skriv symbolen i flag / suppressed cell? leave it empty and "
              "put the symbol in flag)")  # fmt: skip
        parsed[col] = values
    for col in ("se", "population", "numerator", "denominator"):
        c.add(parsed[col] < 0, col, "negativt värde / must not be negative: ", Num(parsed[col]))
    lb, ub = parsed["ci_lb"], parsed["ci_ub"]
    c.add(lb > ub, "ci_lb", "ci_lb (", Num(lb), ") är större än ci_ub (", Num(ub),
          ") / the lower bound is above the upper bound")  # fmt: skip
    order = parsed["subgroup_order"]
    c.add(order.notna() & ((order < 0) | (order != np.round(order))), "subgroup_order",
          "ska vara ett heltal 0, 1, 2, … / must be a whole number 0, 1, 2, …: ", Num(order))  # fmt: skip
    for col in ("reference_subgroup", "favourable_indicator", "ordered_dimension"):
        c.add(parsed[col].notna() & ~parsed[col].isin([0, 1]), col,
              "ska vara 0 eller 1 / must be 0 or 1: ", Num(parsed[col]))  # fmt: skip
    c.add(parsed["indicator_scale"] <= 0, "indicator_scale",
          "ska vara positiv / must be positive (100 percent, 1000 per thousand, 1)")  # fmt: skip
    return parsed


def _labels(c: Collector, df: pd.DataFrame, out: pd.DataFrame, parsed: dict) -> None:
    for col, limit in (("flag", 40), ("source", 200)):
        out[col] = text(df[col]) if col in df else pd.Series(None, index=df.index, dtype=object)
        c.add(out[col].str.len() > limit, col,
              f"längre än {limit} tecken / longer than {limit} characters")  # fmt: skip
    suppressed = is_suppressed_flag(out["flag"])
    for col in ("estimate", "se", "ci_lb", "ci_ub", "numerator"):
        c.add(suppressed & parsed[col].notna(), col,
              "värde på en röjandeskyddad cell / a value on a suppressed cell (flag '",
              out["flag"], f"'): leave {col} empty")  # fmt: skip


def prepare(raw: pd.DataFrame, *, source: str, decimal: str, catalog: Catalog) -> Prepared:
    """Validate a raw table (index = file row numbers) against a workspace's definitions.

    Raises ObservationValidationError listing every problem; nothing is written here.
    """
    from jamlik.data import rules

    c = Collector(source)
    df, layout, notes = _columns(c, raw)
    out = _keys(c, df)
    parsed = _values(c, df, decimal)
    _labels(c, df, out, parsed)
    for col in [*NUMBERS, "setting_average"]:
        out[col] = parsed[col]
    lengths_ok = (out[KEY].apply(lambda s: s.str.len()) <= MAX_ID).all(axis=1)
    keys_ok = out[KEY].notna().all(axis=1) & lengths_ok
    prepared = Prepared(frame=out, layout=layout, notes=tuple(notes))
    if layout == "heatplus":
        rules.describe_heat(c, df, out, parsed, keys_ok, catalog, prepared)
    else:
        rules.check_known(c, out, parsed, keys_ok, catalog)
    rules.check_series(c, out, parsed, keys_ok)
    if c:
        raise ObservationValidationError(c.problems())
    rules.drop_redundant_average(out)
    return prepared

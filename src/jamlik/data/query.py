"""Reading the observation store: the tidy frame that measures, follow-up and reports use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pandas as pd
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from jamlik.data.models import TOTAL
from jamlik.data.tables import AreaRow, DimensionRow, IndicatorRow, ObservationRow, SubgroupRow
from jamlik.errors import JamlikError
from jamlik.workspace import Workspace

OBSERVATION_COLUMNS = [
    "indicator", "period", "area", "dimension", "subgroup", "subgroup_order",
    "reference_subgroup", "estimate", "se", "ci_lb", "ci_ub", "population", "numerator",
    "denominator", "flag", "source",
]  # fmt: skip
SERIES_COLUMNS = ["favourable_indicator", "ordered_dimension", "indicator_scale", "setting_average"]
FRAME_COLUMNS = OBSERVATION_COLUMNS + SERIES_COLUMNS

_KINDS = {"indicator": IndicatorRow.id, "area": AreaRow.id, "dimension": DimensionRow.id}


def known_ids(session: Session, kind: Literal["indicator", "area", "dimension"]) -> set[str]:
    """The ids of one kind of definition stored in the session's workspace."""
    try:
        column = _KINDS[kind]
    except KeyError:
        raise ValueError(f"kind must be one of {sorted(_KINDS)}, not {kind!r}") from None
    return set(session.scalars(select(column)))


def require_workspace(workspace: Workspace) -> None:
    """Reads need a workspace that exists; say how to make one instead of creating it."""
    if not workspace.exists:
        raise JamlikError(
            f"Ingen arbetsyta / no workspace at {workspace.path}: run `jamlik init` "
            "or `jamlik import FILE --workspace DIR` first"
        )


def _as_list(values: str | Iterable[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [values] if isinstance(values, str) else list(values)


def frame_statement(
    indicators: list[str] | None, areas: list[str] | None, dimensions: list[str] | None
) -> Select:
    """The one query behind `observations_frame` (standard SQL: SQLite and PostgreSQL)."""
    o = ObservationRow
    total = aliased(ObservationRow)
    stmt = (
        select(
            o.indicator_id.label("indicator"), o.period, o.area_id.label("area"),
            o.dimension_id.label("dimension"), o.subgroup_id.label("subgroup"),
            SubgroupRow.subgroup_order,
            case((SubgroupRow.reference, 1), else_=0).label("reference_subgroup"),
            o.estimate, o.se, o.ci_lb, o.ci_ub, o.population, o.numerator, o.denominator,
            o.flag, o.source,
            case((IndicatorRow.polarity == "higher_is_better", 1), else_=0).label(
                "favourable_indicator"
            ),
            case((DimensionRow.ordered, 1), else_=0).label("ordered_dimension"),
            IndicatorRow.scale.label("indicator_scale"),
            func.coalesce(o.setting_average, total.estimate).label("setting_average"),
        )
        .join(IndicatorRow, IndicatorRow.id == o.indicator_id)
        .join(DimensionRow, DimensionRow.id == o.dimension_id)
        .join(
            SubgroupRow,
            and_(SubgroupRow.dimension_id == o.dimension_id, SubgroupRow.id == o.subgroup_id),
        )
        .outerjoin(
            total,
            and_(
                total.indicator_id == o.indicator_id, total.period == o.period,
                total.area_id == o.area_id, total.dimension_id == TOTAL,
                total.subgroup_id == TOTAL,
            ),
        )
        .order_by(o.indicator_id, o.area_id, o.dimension_id, o.period,
                  SubgroupRow.subgroup_order, o.subgroup_id)
    )  # fmt: skip
    for column, wanted in (
        (o.indicator_id, indicators),
        (o.area_id, areas),
        (o.dimension_id, dimensions),
    ):
        if wanted is not None:
            stmt = stmt.where(column.in_(wanted))
    return stmt


def observations_frame(
    workspace: Workspace,
    indicators: str | Iterable[str] | None = None,
    areas: str | Iterable[str] | None = None,
    dimensions: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Observations as one tidy frame, optionally only some indicators, areas, dimensions.

    Columns: the observation columns (indicator, period, area, dimension, subgroup,
    subgroup_order, reference_subgroup, estimate, se, ci_lb, ci_ub, population, numerator,
    denominator, flag, source) and the series metadata measures need: favourable_indicator (1
    when higher is better), ordered_dimension (1/0), indicator_scale, setting_average (as
    delivered, else the estimate of the area total for that indicator × period × area).
    subgroup_order is null for non-ordered dimensions; missing values are null (NaN/<NA>).
    Rows are sorted by indicator, area, dimension, period, subgroup_order, subgroup.
    Values are as stored: apply `jamlik.data.suppression.suppress` before showing them.
    """
    require_workspace(workspace)
    stmt = frame_statement(_as_list(indicators), _as_list(areas), _as_list(dimensions))
    with workspace.engine().connect() as conn:
        frame = pd.read_sql(stmt, conn)
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    floats = ["estimate", "se", "ci_lb", "ci_ub", "population", "numerator", "denominator",
              "indicator_scale", "setting_average"]  # fmt: skip
    for c in floats:
        frame[c] = pd.to_numeric(frame[c]).astype("float64")
    frame["subgroup_order"] = pd.to_numeric(frame["subgroup_order"]).astype("Int64")
    for c in ("reference_subgroup", "favourable_indicator", "ordered_dimension"):
        frame[c] = pd.to_numeric(frame[c]).astype("int64")
    for c in ("indicator", "period", "area", "dimension", "subgroup", "flag", "source"):
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame[FRAME_COLUMNS].reset_index(drop=True)

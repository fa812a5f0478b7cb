"""Flags: what a reader of the follow-up should look at first.

- worse_and_widening: in an area, the level worsened since the baseline (per polarity, interval
  excluding 0) while a headline gap of that area is widening (its trend's interval excludes 0);
- no_latest_data: the area followed has no value of the indicator in the follow-up year;
- missing_subgroups: in the indicator's latest period, subgroups of a dimension (or districts)
  that have no value, because they are suppressed or were never delivered.
"""

from __future__ import annotations

from jamlik.data import Indicator, period_midpoint
from jamlik.data.suppression import SUPPRESSION_FLAGS
from jamlik.followup import texts as tx
from jamlik.followup.model import Flag, GapFollowUp, LevelFollowUp
from jamlik.followup.scope import DISTRICT, Scope
from jamlik.followup.series import FollowUpData


def worse_and_widening(
    ind: Indicator, levels: list[LevelFollowUp], gaps: list[GapFollowUp]
) -> list[Flag]:
    """One flag per area whose level worsened while a headline gap there widened."""
    out = []
    for level in levels:
        if level.verdict != "worsened":
            continue
        widening = [
            g for g in gaps if g.area == level.area and g.headline and g.trend.verdict == "widening"
        ]
        if not widening:
            continue
        dims_sv = tx.join([tx.lower_first(g.dimension_title_sv) for g in widening], "sv")
        dims_en = tx.join([tx.lower_first(g.dimension_title_en) for g in widening], "en")
        out.append(
            Flag(
                code="worse_and_widening",
                indicator=ind.id,
                area=level.area,
                items=[g.dimension for g in widening],
                text_sv=tx.sentence(
                    f"{ind.title} i {level.area_name}: nivån har försämrats "
                    f"samtidigt som gapet efter {dims_sv} ökar"
                ),
                text_en=tx.sentence(
                    f"{ind.title_en or ind.title} in {level.area_name}: the "
                    f"level has worsened while the gap by {dims_en} is widening"
                ),
            )
        )
    return out


def no_latest_data(ind: Indicator, level: LevelFollowUp, year: int) -> list[Flag]:
    """A flag when the area followed has no value in the follow-up year."""
    last = level.latest
    if last is not None and period_midpoint(last.period) >= year:
        return []
    title_en = ind.title_en or ind.title
    if last is None:
        text_sv = f"{ind.title}: inga värden för {level.area_name} fram till {year}"
        text_en = f"{title_en}: no values for {level.area_name} up to {year}"
    else:
        text_sv = f"{ind.title}: inget värde för {year}; det senaste är från {last.period}"
        text_en = f"{title_en}: no value for {year}; the latest is from {last.period}"
    return [
        Flag(
            code="no_latest_data",
            indicator=ind.id,
            area=level.area,
            items=[last.period] if last else [],
            text_sv=tx.sentence(text_sv),
            text_en=tx.sentence(text_en),
        )
    ]


def missing_subgroups(
    ind: Indicator, data: FollowUpData, scope: Scope, latest: str | None
) -> list[Flag]:
    """Per dimension of the area followed: subgroups without a value in the latest period."""
    if latest is None:
        return []
    rows = data.breakdowns[
        (data.breakdowns["indicator"] == ind.id) & (data.breakdowns["area"] == scope.area.id)
    ]
    dims = list(
        dict.fromkeys([*(d for d in (ind.dimensions or []) if d != "total"), *rows["dimension"]])
    )
    out = []
    for dim in dims:
        expected = _expected(scope, dim)
        if not expected:
            continue
        now = rows[(rows["dimension"] == dim) & (rows["period"] == latest)]
        shown = set(
            now.loc[now["estimate"].notna() & ~now["flag"].isin(SUPPRESSION_FLAGS), "subgroup"]
        )
        hidden = set(now.loc[now["flag"].isin(SUPPRESSION_FLAGS), "subgroup"])
        missing = [s for s in expected if s not in shown]
        if not missing:
            continue
        out.append(_missing_flag(ind, scope, dim, latest, missing, hidden))
    return out


def _expected(scope: Scope, dim: str) -> list[str]:
    if dim == DISTRICT and DISTRICT not in scope.dimensions:
        return [d.id for d in scope.districts]
    d = scope.dimensions.get(dim)
    return [s.id for s in d.subgroups] if d else []


def _label(scope: Scope, dim: str, sub: str) -> tuple[str, str]:
    if dim == DISTRICT and DISTRICT not in scope.dimensions:
        name = scope.area_name(sub)
        return name, name
    d = scope.dimensions.get(dim)
    for s in d.subgroups if d else []:
        if s.id == sub:
            return tx.lower_first(s.title), tx.lower_first(s.title_en or s.title)
    return sub, sub


def _missing_flag(ind, scope, dim, latest, missing, hidden) -> Flag:
    dim_sv, dim_en = (tx.lower_first(t) for t in scope.dimension_titles(dim))
    labels = [_label(scope, dim, s) for s in missing]
    n_hidden = sum(1 for s in missing if s in hidden)
    why_sv = (
        "röjandeskyddade"
        if n_hidden == len(missing)
        else "saknas"
        if n_hidden == 0
        else "saknas eller är röjandeskyddade"
    )
    why_en = (
        "suppressed"
        if n_hidden == len(missing)
        else "missing"
        if n_hidden == 0
        else "missing or suppressed"
    )
    return Flag(
        code="missing_subgroups",
        indicator=ind.id,
        area=scope.area.id,
        dimension=dim,
        items=list(missing),
        text_sv=tx.sentence(
            f"{ind.title} {latest}, efter {dim_sv}: "
            f"{tx.join([sv for sv, _ in labels], 'sv')} {why_sv}"
        ),
        text_en=tx.sentence(
            f"{ind.title_en or ind.title} {latest}, by {dim_en}: "
            f"{tx.join([en for _, en in labels], 'en')} {why_en}"
        ),
    )

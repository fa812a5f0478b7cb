"""`build_followup`: the whole yearly follow-up of one programme in one call.

Order of work: read the programme, definitions and observations; suppress; add the district
series; compute every gap measure in one `compute()` pass (two: subgroups and districts) and
every trend in one `trend()` pass; then assemble levels, gaps, targets, statuses, flags,
coverage, reach versus need and benchmarks from those tables. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
from sqlalchemy import select

from jamlik.data import TOTAL, Definitions, observations_frame, read_definitions
from jamlik.data.policy import DEFAULT_POLICY, SuppressionPolicy, read_policy
from jamlik.data.publish import area_parents
from jamlik.data.suppression import suppress
from jamlik.data.tables import ImportRow, ObservationRow
from jamlik.followup import flags as fl
from jamlik.followup.benchmark import benchmarks_from
from jamlik.followup.coverage import coverage
from jamlik.followup.gaps import (
    all_trends,
    choose_measures,
    gap_results,
    level_table,
    measure_table,
)
from jamlik.followup.initiatives import initiative_summaries
from jamlik.followup.levels import level_results
from jamlik.followup.methods import methods
from jamlik.followup.model import FollowUp, IndicatorFollowUp, SourceNote
from jamlik.followup.provenance import data_fictitious, is_fictitious
from jamlik.followup.reach import reach_vs_need
from jamlik.followup.scope import (
    Scope,
    check_programme_data,
    child_districts,
    dimensions_of,
    linked_indicators,
    main_area,
)
from jamlik.followup.series import latest_period, prepare, subgroup_series
from jamlik.followup.status import indicator_status, node_statuses
from jamlik.followup.targets import summary_status, target_statuses
from jamlik.programme import Programme, read_programme
from jamlik.workspace import Workspace


def build_followup(
    workspace: Workspace,
    programme_id: str,
    year: int,
    *,
    area: str | None = None,
    min_population: float | None = None,
    baseline: int | str | None = None,
    measures: Mapping[str, Sequence[str]] | None = None,
    conf_level: float = 0.95,
    group: Sequence[str] = (),
    nation: str | None = None,
    today: date | None = None,
    policy: SuppressionPolicy | None = None,
) -> FollowUp:
    """The follow-up of a stored programme for `year` (periods beginning after it are left out).

    Args:
        area: the area followed; default: the only top-level area with data.
        min_population: raises the policy's size threshold for this follow-up (never lowers).
        policy: the suppression policy; default: the workspace's (`jamlik privacy policy`).
        baseline: year (or period) the level's change is counted from; default: the year the
            programme's period starts, else each indicator's first period.
        measures: indicator id → measure codes replacing the defaults (`jamlik.followup.gaps`).
        group, nation: areas to benchmark the area followed against (its districts are always
            benchmarked against it).
        today: the date initiatives' end dates are checked against (default: today).
    """
    with workspace.session() as session:
        programme = read_programme(session, programme_id)
        invented = data_fictitious(session)
    definitions = read_definitions(workspace)
    ids = [i.id for i in definitions.indicators if i.id in set(linked_indicators(programme))]
    frame = observations_frame(workspace, indicators=ids) if ids else None
    return followup_from(
        programme,
        definitions,
        frame,
        year,
        area=area,
        policy=(policy or read_policy(workspace)).at_least(min_population),
        baseline=baseline,
        measures=measures,
        conf_level=conf_level,
        group=group,
        nation=nation,
        today=today,
        sources=_sources(workspace, frame),
        data_fictitious=invented,
    )


def followup_from(
    programme: Programme,
    definitions: Definitions,
    frame: pd.DataFrame | None,
    year: int,
    *,
    area: str | None = None,
    min_population: float | None = None,
    baseline: int | str | None = None,
    measures: Mapping[str, Sequence[str]] | None = None,
    conf_level: float = 0.95,
    group: Sequence[str] = (),
    nation: str | None = None,
    today: date | None = None,
    sources: Sequence[SourceNote] = (),
    policy: SuppressionPolicy | None = None,
    data_fictitious: bool = False,
) -> FollowUp:
    """`build_followup` on values already read: `frame` is `observations_frame` output (all
    areas) for the programme's indicators. It is suppressed whole (every area and breakdown)
    with `policy` (default jamlik's) across the defined area hierarchy before anything else.
    `data_fictitious`: whether the workspace's data are flagged as invented (the stored flag
    `jamlik.followup.provenance.data_fictitious` reads)."""
    policy = (policy or DEFAULT_POLICY).at_least(min_population)
    min_population = policy.min_population
    known = {i.id: i for i in definitions.indicators}
    indicators = tuple(known[i] for i in linked_indicators(programme) if i in known)
    frame = frame if frame is not None else pd.DataFrame(columns=["area", "period"])
    if len(frame):
        frame = suppress(frame, policy, parents=area_parents(definitions))
    if area is None:  # with an area named, an empty follow-up of it is what was asked for
        check_programme_data(programme, frame)
    the_area = main_area(definitions, area, frame)
    if baseline is None and programme.period is not None:
        baseline = programme.period.start.year
    scope = Scope(
        programme=programme,
        year=year,
        area=the_area,
        districts=child_districts(definitions, the_area),
        indicators=indicators,
        dimensions=dimensions_of(definitions),
        baseline=baseline,
        conf_level=conf_level,
        policy=policy,
    )
    data = prepare(frame[frame["area"].isin(scope.area_ids)], scope)
    choices = choose_measures(data, scope, measures)
    table = measure_table(data, choices, conf_level)
    trends = all_trends(table, level_table(data), conf_level)
    gaps = gap_results(table, trends, choices, scope)
    levels = level_results(data, trends, scope)

    results = [
        _indicator(ind, scope, data, gaps.get(ind.id, []), levels[ind.id], programme)
        for ind in indicators
    ]
    by_id = {r.indicator: r for r in results}
    areas = {a.id: a for a in definitions.areas}
    extra = _benchmark_totals(frame, [*group, *([nation] if nation else [])], indicators, scope)
    bench = []
    totals = pd.concat([data.totals, extra]) if len(extra) else data.totals
    per_indicator = dict(tuple(totals.groupby("indicator", sort=False)))
    for ind in indicators:
        rows = per_indicator.get(ind.id, totals.iloc[0:0])
        for d in scope.districts:
            bench += benchmarks_from(
                rows, ind, d.id, areas, whole=the_area.id, conf_level=conf_level
            )
        if group or nation:
            bench += benchmarks_from(
                rows, ind, the_area.id, areas, group=group, nation=nation, conf_level=conf_level
            )
    return FollowUp(
        programme=programme.id,
        title_sv=programme.title,
        title_en=programme.title_en or programme.title,
        year=year,
        area=the_area.id,
        area_name=the_area.name,
        districts=[d.id for d in scope.districts],
        latest_period=latest_period(
            data.totals.loc[
                (data.totals["area"] == the_area.id) & data.totals["estimate"].notna(), "period"
            ]
        ),
        baseline_period=str(baseline) if baseline is not None else None,
        conf_level=conf_level,
        min_population=min_population,
        suppression=policy.describe("sv"),
        indicators=results,
        nodes=node_statuses(programme, by_id),
        flags=[f for r in results for f in r.flags],
        coverage=coverage(programme, list(indicators), today or date.today()),
        reach_vs_need=reach_vs_need(programme.initiatives, data.totals, scope),
        benchmarks=bench,
        sources=list(sources),
        measures=sorted({c for cs in choices.values() for c in cs}),
        methods=methods(policy, conf_level),
        initiatives=initiative_summaries(
            programme, year, min_population, the_area.id, today or date.today()
        ),
        fictitious=is_fictitious(programme, data_fictitious),
    )


def _indicator(ind, scope: Scope, data, gaps, levels, programme: Programme) -> IndicatorFollowUp:
    level, district_levels = levels
    targets = target_statuses(ind, level, gaps, scope.conf_level)
    base = level.baseline.period if level.baseline else None
    status, reason_sv, reason_en = indicator_status(level, gaps, targets, base)
    latest = level.latest.period if level.latest else None
    target_status, target_sv, target_en = summary_status(targets, scope.year)
    flags = [
        *fl.worse_and_widening(ind, [level, *district_levels], gaps),
        *fl.no_latest_data(ind, level, scope.year),
        *fl.missing_subgroups(ind, data, scope, latest),
    ]
    sources = data.frame.loc[data.frame["indicator"] == ind.id, "source"].dropna().unique()
    return IndicatorFollowUp(
        indicator=ind.id,
        title_sv=ind.title,
        title_en=ind.title_en or ind.title,
        unit=ind.unit,
        scale=ind.scale,
        polarity=ind.polarity,
        area=scope.area.id,
        latest_period=latest,
        level=level,
        district_levels=district_levels,
        subgroups=subgroup_series(data, scope, ind.id),
        gaps=gaps,
        targets=targets,
        target_status=target_status,
        target_reason_sv=target_sv,
        target_reason_en=target_en,
        status=status,
        reason_sv=reason_sv,
        reason_en=reason_en,
        flags=flags,
        nodes=[n.id for n in programme.nodes if ind.id in n.indicators],
        initiatives=[i.id for i in programme.initiatives if ind.id in i.indicators],
        sources=sorted(str(s) for s in sources),
    )


def _benchmark_totals(frame, wanted, indicators, scope: Scope) -> pd.DataFrame:
    if not wanted or not len(frame):
        return frame.iloc[0:0]
    rows = frame[frame["area"].isin(wanted) & (frame["dimension"] == TOTAL)]
    return suppress(rows, scope.policy)


def _sources(workspace: Workspace, frame: pd.DataFrame | None) -> list[SourceNote]:
    """The observations' sources, each with the attribution and address of the import that
    names it (as its source or its attribution), the newest such import winning."""
    if frame is None or not len(frame):
        return []
    used = sorted(str(s) for s in frame["source"].dropna().unique())
    with workspace.session() as session:
        records = session.scalars(
            select(ImportRow)
            .where(ImportRow.kind == "observations")
            .where(ImportRow.source.in_(used) | ImportRow.attribution.in_(used))
            .order_by(ImportRow.id)
        ).all()
        found = {}
        for r in records:
            for key in (r.source, r.attribution):
                found[key] = r
        for s in (s for s in used if s not in found):
            # Fetched values name their publisher ("Kolada", "Statistiska centralbyrån"), not the
            # import; the newest import that wrote such values carries the attribution, with
            # any note the publisher requires to be shown.
            writer = session.scalars(
                select(ImportRow)
                .where(ImportRow.id.in_(select(ObservationRow.import_id).where(
                    ObservationRow.source == s)))
                .order_by(ImportRow.id.desc())
                .limit(1)
            ).first()  # fmt: skip
            if writer is not None:
                found[s] = writer
        return [
            SourceNote(
                source=s,
                attribution=found[s].attribution if s in found else None,
                url=found[s].url if s in found else None,
            )
            for s in used
        ]

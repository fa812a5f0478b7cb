"""The follow-up's result objects: what reports and the web read, never compute (the
explorer's answer, `ExploreResult`, lives beside `explore` in `jamlik.followup.explore`).

Every object is a frozen pydantic model, so `obj.to_dict()` (or `model_dump(mode="json")`) gives
the JSON twin the web serves and `FollowUp.model_validate(d)` reads it back. Texts come in both
languages side by side (`*_sv`, `*_en`): the reader picks one, nothing is recomputed per language.

Privacy: every value here has already passed `jamlik.data.suppression.suppress` with the
follow-up's threshold. A suppressed cell is present (so a chart can say "suppressed") with
`suppressed=True` and no estimate, se or interval.

Missing numbers are None, never NaN, so the JSON is valid.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

# How an indicator or node is doing, from the facts under it (see jamlik.followup.status).
StatusCode = Literal["improving", "mixed", "worsening", "unchanged", "no_data"]
STATUS_CODES: tuple[str, ...] = ("improving", "mixed", "worsening", "unchanged", "no_data")

# Target status (see jamlik.followup.targets for the rule behind "on_track").
TargetCode = Literal["met", "on_track", "off_track", "no_target", "no_data"]

# Trend verdicts are those of jamlik.measures.change.trend.
Verdict = Literal["narrowing", "widening", "no clear change", "too few points"]

# Level change since the baseline, judged by the indicator's polarity and the interval.
LevelVerdict = Literal["improved", "worsened", "no clear change", "no data"]

FlagCode = Literal["worse_and_widening", "no_latest_data", "missing_subgroups"]

CoverageCode = Literal[
    "node_without_initiative",
    "initiative_unlinked",
    "initiative_overdue",
    "indicator_without_target",
]

ReachVerdict = Literal["most_need", "evenly", "least_need", "too_few_areas"]

BenchmarkVerdict = Literal["better", "worse", "no_clear_difference", "no_data"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form (what the web's `.json` twins serve)."""
        return self.model_dump(mode="json")


class Point(_Result):
    """One period of a subgroup's or an area's value."""

    period: str
    time: float  # jamlik.data.period_midpoint(period), for chart axes
    estimate: float | None = None
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    population: float | None = None
    suppressed: bool = False
    # Hidden to protect another hidden value ("skyddas för att en annan uppgift inte ska kunna
    # räknas fram"), not for its own few people.
    secondary: bool = False

    def population_too_small(self, min_population: float) -> bool:
        return self.population is not None and self.population < min_population


class SubgroupSeries(_Result):
    """A subgroup's values over time (a line in the level chart).

    For the dimension "district" the subgroups are the districts (area ids and names).
    """

    dimension: str
    subgroup: str
    title_sv: str
    title_en: str
    order: int | None = None
    reference: bool = False
    points: list[Point]


class MeasurePoint(_Result):
    """A gap measure in one period, from jamlik.measures.compute."""

    period: str
    time: float
    estimate: float | None = None
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    note: str | None = None


class TrendResult(_Result):
    """A series' trend from jamlik.measures.change.trend (slope per year)."""

    slope: float | None = None
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    conf_level: float
    n_points: int
    first: str | None = None
    last: str | None = None
    end_fit: float | None = None  # the fitted value at the last period
    tau: float | None = None  # sd of year-to-year variation beyond the standard errors
    null_value: float | None = None  # the measure's value at equality (0, or 1 for ratios)
    verdict: Verdict
    verdict_sv: str
    verdict_en: str
    text_sv: str
    text_en: str
    note: str | None = None


class TargetStatus(_Result):
    """One target of an indicator (a level, or a gap when `measure` is set) and how it stands."""

    year: int
    value: float
    measure: str | None = None
    dimension: str | None = None
    status: TargetCode
    latest: float | None = None  # the value compared with the target
    latest_period: str | None = None
    projected: float | None = None  # straight-line projection to the target year
    projected_lb: float | None = None  # with the slope's interval
    projected_ub: float | None = None
    reason_sv: str
    reason_en: str


class GapFollowUp(_Result):
    """One gap: an area, a dimension, a measure; its values over time and its trend."""

    area: str
    dimension: str
    dimension_title_sv: str
    dimension_title_en: str
    measure: str
    measure_name_sv: str
    measure_name_en: str
    headline: bool  # the measure statuses and sentences rely on for this gap
    series: list[MeasurePoint]
    latest: MeasurePoint | None = None
    trend: TrendResult


class LevelTrend(_Result):
    """The straight-line trend of a level (weighted least squares, as for gaps): per year."""

    slope: float | None = None
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    conf_level: float
    n_points: int
    first: str | None = None
    last: str | None = None
    end_fit: float | None = None  # the fitted value at the last period
    tau: float | None = None  # sd of year-to-year variation beyond the standard errors
    enough: bool  # enough periods for a judgement (the same rule as gap trends)


class LevelFollowUp(_Result):
    """The level of an area's total: latest value and change since the baseline."""

    area: str
    area_name: str
    latest: Point | None = None
    baseline: Point | None = None
    change: float | None = None  # latest − baseline, in the indicator's unit
    change_se: float | None = None
    change_ci_lb: float | None = None
    change_ci_ub: float | None = None
    verdict: LevelVerdict
    text_sv: str
    text_en: str
    series: list[Point]
    trend: LevelTrend | None = None


class Flag(_Result):
    """Something a reader should look at."""

    code: FlagCode
    indicator: str
    area: str | None = None
    dimension: str | None = None
    items: list[str] = []  # e.g. the missing subgroups
    text_sv: str
    text_en: str


class IndicatorFollowUp(_Result):
    """Everything the follow-up says about one indicator linked to the programme."""

    indicator: str
    title_sv: str
    title_en: str
    unit: str | None = None
    scale: float
    polarity: Literal["higher_is_better", "higher_is_worse"]
    area: str  # the area followed (the municipality)
    latest_period: str | None = None
    level: LevelFollowUp
    district_levels: list[LevelFollowUp] = []
    subgroups: list[SubgroupSeries] = []  # the area's subgroups by dimension, incl. "district"
    gaps: list[GapFollowUp] = []  # every area × dimension × measure
    targets: list[TargetStatus] = []
    target_status: TargetCode  # the level target's status (or the first target's)
    target_reason_sv: str  # the reason for target_status ("Inget mål är satt." without one)
    target_reason_en: str
    status: StatusCode
    reason_sv: str
    reason_en: str
    flags: list[Flag] = []
    nodes: list[str] = []  # programme nodes that list the indicator
    initiatives: list[str] = []  # initiatives that list the indicator
    sources: list[str] = []


class NodeStatus(_Result):
    """The status of one programme node, with the reason it is given."""

    node: str
    kind: str
    title_sv: str
    title_en: str
    parent: str | None = None
    depth: int
    status: StatusCode
    reason_sv: str
    reason_en: str
    indicators: list[str] = []  # linked to the node itself
    indicators_below: list[str] = []  # itself and all descendants
    initiatives: list[str] = []  # serving the node itself
    initiatives_below: list[str] = []
    counts: dict[str, int] = {}  # indicators per status code, over indicators_below


class CoverageFinding(_Result):
    """A gap in the programme's coverage (no initiative, no link, overdue, no target)."""

    code: CoverageCode
    item: str  # node, initiative or indicator id
    item_kind: Literal["node", "initiative", "indicator"]
    title_sv: str
    title_en: str
    text_sv: str
    text_en: str


class ReachArea(_Result):
    """One district in a reach-versus-need comparison (suppressed: no reach shown)."""

    area: str
    name: str
    reached: int | None = None
    population: float | None = None  # the target group the rate is per
    rate_per_1000: float | None = None
    need: float | None = None  # the need indicator's value (its own unit and direction)
    need_rank: float | None = None  # fractional rank, 0 = least need, 1 = most need
    suppressed: bool = False


class ReachVsNeed(_Result):
    """Does an initiative reach the districts with the most need? (proportionate universalism)"""

    initiative: str
    title_sv: str
    title_en: str
    period: str
    need_indicator: str
    need_period: str | None = None
    population_basis: Literal["indicator_population", "area_population"]
    index: float | None = None  # concentration index of reach ranked by need (-1..1)
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    conf_level: float
    verdict: ReachVerdict
    text_sv: str
    text_en: str
    areas: list[ReachArea] = []


class Benchmark(_Result):
    """An area's value compared with another (the whole, a group, the nation)."""

    indicator: str
    period: str
    area: str
    comparison: Literal["whole", "group", "nation"]
    comparison_areas: list[str]
    value: float | None = None
    comparison_value: float | None = None
    difference: float | None = None  # value − comparison_value
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    p_value: float | None = None
    verdict: BenchmarkVerdict
    text_sv: str
    text_en: str


class SourceNote(_Result):
    """Where data came from, as the import recorded it."""

    source: str
    attribution: str | None = None
    url: str | None = None


class MethodNote(_Result):
    """How one part of the follow-up is worked out, in plain words (the report's appendix)."""

    id: str
    title_sv: str
    title_en: str
    text_sv: str
    text_en: str


class InitiativeSummary(_Result):
    """An initiative in one line: status, owner and latest reach (see
    `jamlik.followup.initiatives`). A reach of 1 to threshold − 1 people is withheld:
    `reached` None with `reach_suppressed`; 0 reached is shown."""

    initiative: str
    title_sv: str
    title_en: str
    status: str | None = None  # planned | ongoing | completed | paused | cancelled
    owner: str | None = None  # actor id
    owner_name_sv: str | None = None
    owner_name_en: str | None = None
    reach_period: str | None = None  # None: no reach reported up to the follow-up year
    reached: int | None = None
    reach_suppressed: bool = False
    past_end: bool = False  # end date passed, not marked completed or cancelled


class Coverage(_Result):
    """All coverage findings, with counts per code."""

    findings: list[CoverageFinding] = []
    counts: dict[str, int] = {}


class FollowUp(_Result):
    """The yearly follow-up of one programme (what `build_followup` returns)."""

    programme: str
    title_sv: str
    title_en: str
    year: int
    area: str
    area_name: str
    districts: list[str] = []
    latest_period: str | None = None
    baseline_period: str | None = None
    conf_level: float
    min_population: float
    suppression: str = ""  # the policy in words (Swedish); the methods notes have both
    indicators: list[IndicatorFollowUp] = []
    nodes: list[NodeStatus] = []
    flags: list[Flag] = []
    coverage: Coverage = Coverage()
    reach_vs_need: list[ReachVsNeed] = []
    benchmarks: list[Benchmark] = []
    sources: list[SourceNote] = []
    measures: list[str] = []  # measure codes used (the report's methods appendix)
    methods: list[MethodNote] = []  # how the follow-up works, in plain words (appendix)
    initiatives: list[InitiativeSummary] = []  # every initiative of the programme
    fictitious: bool = False  # built on invented data ("Fiktiva exempeldata"): say so

    def indicator(self, indicator_id: str) -> IndicatorFollowUp:
        """The follow-up of one indicator (KeyError names it when absent)."""
        for item in self.indicators:
            if item.indicator == indicator_id:
                return item
        raise KeyError(f"no indicator '{indicator_id}' in the follow-up")

    def initiative(self, initiative_id: str) -> InitiativeSummary:
        """The summary of one initiative (KeyError names it when absent)."""
        for item in self.initiatives:
            if item.initiative == initiative_id:
                return item
        raise KeyError(f"no initiative '{initiative_id}' in the follow-up")

    def node(self, node_id: str) -> NodeStatus:
        """The status of one node (KeyError names it when absent)."""
        for item in self.nodes:
            if item.node == node_id:
                return item
        raise KeyError(f"no node '{node_id}' in the follow-up")

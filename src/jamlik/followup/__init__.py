"""The yearly follow-up of a programme: levels, gaps and their trends, targets, node statuses,
flags, coverage, reach versus need, benchmarks, initiative summaries and method notes, as typed
results (`jamlik.followup.model`). `FollowUp.fictitious` says whether it rests on invented data.

Reports and the web read these results; they never compute statistics themselves. Everything
returned is already suppressed with the workspace's policy (`jamlik.data.policy`; whole tables
across the area hierarchy, so no hidden value can be worked out); texts come in Swedish and
English side by side; `to_dict()` gives the JSON twin.

    build_followup(ws, programme_id, year)  the whole follow-up (FollowUp)
    explore(ws, indicator, dimension)       one indicator × dimension × period (ExploreResult)
    benchmark(ws, indicator, area)          an area against its whole, a group, the nation
    methods()                               the rules below in plain words, for an appendix

Where each rule is stated: gaps and measures `gaps`, level change `levels`, targets and "on
track" `targets`, statuses `status`, flags `flags`, coverage `coverage`, reach versus need
`reach`, benchmarks `benchmark`, suppression and the district series `series`, initiatives'
status and latest reach `initiatives`, invented data `provenance`.

Typical use::

    from jamlik.followup import build_followup
    fu = build_followup(workspace, "exempelstad-jamlik-stad", 2025)
    for node in fu.nodes:
        print(node.title_sv, node.status, node.reason_sv)
"""

from jamlik.followup.benchmark import benchmark
from jamlik.followup.build import build_followup, followup_from
from jamlik.followup.explore import ExploreResult, MeasureValue, explore
from jamlik.followup.methods import methods
from jamlik.followup.model import (
    STATUS_CODES,
    Benchmark,
    Coverage,
    CoverageFinding,
    Flag,
    FollowUp,
    GapFollowUp,
    IndicatorFollowUp,
    InitiativeSummary,
    LevelFollowUp,
    LevelTrend,
    MeasurePoint,
    MethodNote,
    NodeStatus,
    Point,
    ReachArea,
    ReachVsNeed,
    SourceNote,
    SubgroupSeries,
    TargetStatus,
    TrendResult,
)

__all__ = [
    "STATUS_CODES",
    "Benchmark",
    "Coverage",
    "CoverageFinding",
    "ExploreResult",
    "Flag",
    "FollowUp",
    "GapFollowUp",
    "IndicatorFollowUp",
    "InitiativeSummary",
    "LevelFollowUp",
    "LevelTrend",
    "MeasurePoint",
    "MeasureValue",
    "MethodNote",
    "NodeStatus",
    "Point",
    "ReachArea",
    "ReachVsNeed",
    "SourceNote",
    "SubgroupSeries",
    "TargetStatus",
    "TrendResult",
    "benchmark",
    "build_followup",
    "explore",
    "followup_from",
    "methods",
]

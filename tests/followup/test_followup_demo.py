"""The follow-up of the demo workspace against the truth the demo was built from
(`jamlik.demo.GAPS`, the initiatives' reach models)."""

from __future__ import annotations

import json
import math

import pytest

from jamlik.demo import GAPS, INDICATORS, INITIATIVES, MUNICIPALITY_ID
from jamlik.followup import STATUS_CODES, FollowUp, explore
from jamlik.followup.gaps import headline

MODELS = {m.id: m for m in INDICATORS}
MIN_POINTS = 4  # the minimum-data rule of jamlik.measures.change.trend


def _dimension(gap) -> str:
    if gap.dimension == "education":
        return MODELS[gap.indicator].education_dimension
    return gap.dimension


def _headline_gap(fu: FollowUp, indicator: str, dimension: str):
    return next(
        g
        for g in fu.indicator(indicator).gaps
        if g.area == MUNICIPALITY_ID and g.dimension == dimension and g.headline
    )


@pytest.mark.parametrize("gap", GAPS, ids=lambda g: f"{g.indicator}-{g.dimension}")
def test_demo_gaps_move_as_built(demo_followup, gap) -> None:
    fu = demo_followup
    dim = _dimension(gap)
    found = _headline_gap(fu, gap.indicator, dim)
    assert found.measure == headline([found.measure], dim)
    if len(MODELS[gap.indicator].years) < MIN_POINTS:
        expected = "too few points"
    else:
        expected = {"narrows": "narrowing", "widens": "widening"}[gap.direction]
    assert found.trend.verdict == expected, found.trend.text_en


def test_nothing_is_claimed_for_too_short_series(demo_followup) -> None:
    fu = demo_followup
    short = [m.id for m in INDICATORS if len(m.years) < MIN_POINTS]
    assert short, "the demo has an indicator measured in election years only"
    for ind in short:
        for g in fu.indicator(ind).gaps:
            assert g.trend.verdict == "too few points"
        reason = fu.indicator(ind).reason_sv
        assert "för få mätpunkter för gapet" in reason
        assert "gapet ökar" not in reason and "gapet minskar" not in reason
        assert any(f.code == "no_latest_data" and f.indicator == ind for f in fu.flags)


def test_reach_follows_the_demo_truth(demo_followup) -> None:
    fu = demo_followup
    verdicts = {r.initiative: r.verdict for r in fu.reach_vs_need}
    for spec in INITIATIVES:
        # Universal initiatives are left out: their reach is even per member of their own
        # target group, which the need indicator's population only approximates.
        if spec.reach.kappa > 0:
            assert verdicts[spec.id] == "most_need", spec.id
        elif spec.reach.kappa < 0:
            assert verdicts[spec.id] == "least_need", spec.id


def test_every_node_has_status_and_reason(demo_followup) -> None:
    fu = demo_followup
    assert fu.nodes
    for n in fu.nodes:
        assert n.status in STATUS_CODES and n.reason_sv and n.reason_en
    target_areas = [n for n in fu.nodes if n.kind == "target_area"]
    assert len(target_areas) == 4
    assert all(n.status != "no_data" for n in target_areas)


def test_the_demo_followup_is_json(demo_followup) -> None:
    fu = demo_followup
    text = json.dumps(fu.to_dict())
    assert FollowUp.model_validate(json.loads(text)) == fu
    assert fu.sources and fu.sources[0].attribution


def test_explorer_difference_by_hand(demo_ws) -> None:
    result = explore(demo_ws, "ex-forskola-1-5", "parental_education", period="2024")
    assert result.area == MUNICIPALITY_ID and result.period == "2024"
    cells = {s.subgroup: s.points[0] for s in result.table}
    assert set(cells) == {"compulsory", "upper_secondary", "post_secondary"}
    d = next(m for m in result.measures if m.code == "D")
    # Ordered, higher is better: most advantaged (post-secondary) minus least (compulsory);
    # independent estimates, so se = √(se₁² + se₂²).
    hi, lo = cells["post_secondary"], cells["compulsory"]
    assert d.estimate == pytest.approx(hi.estimate - lo.estimate)
    assert d.se == pytest.approx(math.sqrt(hi.se**2 + lo.se**2))
    codes = {m.code for m in result.measures}
    assert {"D", "R", "SII", "RII"} <= codes and all(m.interpretation_sv for m in result.measures)
    districts = explore(demo_ws, "ex-forskola-1-5", "district")
    assert districts.period == "2025" and len(districts.table) == 10
    assert {"BGV", "MDMW", "IDISW"} <= {m.code for m in districts.measures}

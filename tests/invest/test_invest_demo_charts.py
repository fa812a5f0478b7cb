"""The demo's three projects, their verdicts and the chart specifications."""

from __future__ import annotations

import json

import pytest

from jamlik.invest.charts import chart_specs, cumulative_chart, tornado_chart
from jamlik.invest.demo import build_invest_demo
from jamlik.invest.demo_panel import DEMO_SEED, demo_observations
from jamlik.invest.results import FICTITIOUS_SV
from jamlik.invest.store import read_result

PROJECTS = ("vgrsi-le-amal", "vgrsi-seen-and-missed", "vgrsi-parenting-support-boras")


def test_three_projects_with_the_verdicts_their_data_were_built_for(demo) -> None:
    assert sorted(demo.results) == sorted(PROJECTS)
    le = demo.results["vgrsi-le-amal"].effect
    effect, _ = demo.truth.effects[("kn-1492", "vgrsi-eligible-upper-secondary")]
    assert le.design == "did" and le.verdict.code == "effect_found"
    assert le.ci_lb <= effect <= le.ci_ub
    its = demo.results["vgrsi-seen-and-missed"].effect
    level, _ = demo.truth.effects[("kn-1487", "vgrsi-preschool-attendance")]
    assert (
        its.design == "its"
        and its.verdict.code == "effect_found"
        and its.ci_lb <= level <= its.ci_ub
    )
    boras = demo.results["vgrsi-parenting-support-boras"].effect
    assert boras.design == "synthetic_control" and boras.verdict.code == "no_effect_found"
    assert boras.mde is not None and "In placebo runs of the same test" in boras.verdict.text_en
    assert boras.verdict.text_en.endswith("A smaller effect may still exist.")


def test_results_are_stored_and_labelled_fictitious(demo) -> None:
    for initiative in PROJECTS:
        stored = read_result(demo.workspace, initiative)
        assert stored == demo.results[initiative]
        assert stored.fictitious and FICTITIOUS_SV in stored.notes[0]
        assert stored.title  # taken from the programme
    le = demo.results["vgrsi-le-amal"]
    # Its quantity came from the evaluation: effect × 1.2 pupils per percentage point.
    assert any("quantity from the evaluation" in n for n in le.notes)


def test_rebuilding_with_the_same_seed_changes_nothing(demo) -> None:
    again = build_invest_demo(demo.workspace, calculate=False)
    assert not again.programme_changed
    assert again.observations.changed == 0
    assert again.investments.imported == []


def test_panel_is_reproducible_and_has_the_planted_effect() -> None:
    a, truth = demo_observations(DEMO_SEED)
    b, _ = demo_observations(DEMO_SEED)
    assert a.equals(b)
    assert truth.effects[("kn-1490", "vgrsi-eligible-upper-secondary")][0] == 0.0
    assert set(a["source"]) == {"Fiktiva exempeldata (jamlik invest demo)"}


def test_charts_are_vega_lite_with_their_data_and_the_fictitious_label(demo) -> None:
    result = demo.results["vgrsi-le-amal"]
    specs = chart_specs(result)
    assert set(specs) == {"cash_flows", "cumulative", "tornado", "distribution", "effect"}
    for name, spec in specs.items():
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6"), name
        assert spec["data"]["values"], name
        assert FICTITIOUS_SV in spec["title"]["subtitle"], name
        json.dumps(spec)  # plain, serialisable
    # Cash flows: costs below zero and benefits above, summing to the undiscounted flows.
    rows = specs["cash_flows"]["data"]["values"]
    costs = sum(r["amount"] for r in rows if r["amount"] < 0)
    assert -costs == pytest.approx(sum(r.amount for r in result.cash_flows if r.kind == "cost"))
    # The cumulative chart ends at the net present value and marks the payback year.
    society = result.perspective("society")
    cum = cumulative_chart(result)
    assert cum["data"]["values"][-1]["central"] == pytest.approx(society.npv)
    assert any(
        layer.get("data", {}).get("values", [{}])[0].get("year") == society.payback_year
        for layer in cum["layer"]
    )
    # The tornado shows the top parameters at their low and high ends.
    top = tornado_chart(result, top=3)["data"]["values"]
    assert len(top) == 6 and top[0]["parameter"] == result.tornado[0].label_sv
    english = chart_specs(result, lang="en")
    assert english["distribution"]["title"]["text"] == "Uncertainty in net present value"
    assert "Fictitious example data" in english["distribution"]["title"]["subtitle"]

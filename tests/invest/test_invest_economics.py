"""NPV, BCR, payback, break-even and adjustments against hand calculations.

The example (invest_helpers.investment): rate 5 %, horizon 2023–2027.
  costs:    2023 region 100,000; 2024 municipality 20,000
  outcome:  2 units in 2024, each worth 30,000 a year for 3 years (2024, 2025, 2026),
            shared equally by municipality and region.
So benefits are 60,000 in 2024, 2025 and 2026 (30,000 each to municipality and region).
"""

from __future__ import annotations

import pytest
from invest_helpers import LOCAL_VALUE, investment

from jamlik.invest.calc import calculate
from jamlik.invest.engine import evaluate, expected_units, unit_present_value
from jamlik.invest.model import PERSPECTIVES
from jamlik.invest.plan import build_plan
from jamlik.invest.values import load_cpi, load_library

D1, D2, D3 = 1 / 1.05, 1 / 1.05**2, 1 / 1.05**3
MUN, REG, SOC = (PERSPECTIVES.index(p) for p in ("municipality", "region", "society"))


def central(inv):
    plan = build_plan(inv, load_library(), load_cpi())
    flows, m = evaluate(plan, plan.central())
    return plan, flows, m


def test_npv_bcr_and_payback_by_hand() -> None:
    plan, _, m = central(investment())
    pv_costs = 100_000 + 20_000 * D1  # 119,047.62
    pv_benefits = 60_000 * (D1 + D2 + D3)  # 163,394.88
    assert m.pv_costs[0, SOC] == pytest.approx(pv_costs)
    assert m.pv_benefits[0, SOC] == pytest.approx(pv_benefits)
    assert m.npv[0, SOC] == pytest.approx(pv_benefits - pv_costs)  # 44,347.26
    assert m.bcr[0, SOC] == pytest.approx(pv_benefits / pv_costs)  # 1.3725
    # Cumulative: 2023 −100,000; 2024 −100,000 + 40,000·D1 = −61,904.76;
    # 2025 −61,904.76 + 60,000·D2 = −7,482.99; 2026 + 60,000·D3 = +44,347.26 → payback 2026.
    assert m.cumulative[0, 2, SOC] == pytest.approx(-100_000 + 40_000 * D1 + 60_000 * D2)
    assert plan.years[m.payback[0, SOC]] == 2026


def test_each_perspective_counts_its_own_money() -> None:
    _, _, m = central(investment())
    # Region: pays 100,000 in 2023, gets 30,000 a year → NPV −18,302.56, never pays back.
    assert m.npv[0, REG] == pytest.approx(30_000 * (D1 + D2 + D3) - 100_000)
    assert m.payback[0, REG] == -1
    # Municipality: pays 20,000 in 2024 and gets 30,000 the same year → pays back in 2024,
    # its first cost year (not in 2023, before it has spent anything).
    assert m.npv[0, MUN] == pytest.approx(30_000 * (D1 + D2 + D3) - 20_000 * D1)
    assert m.payback[0, MUN] == 1
    # State and individual have neither costs nor benefits here.
    for name in ("state", "individual"):
        i = PERSPECTIVES.index(name)
        assert m.npv[0, i] == 0 and m.payback[0, i] == -1


def test_break_even_is_cost_over_value_of_one_unit() -> None:
    inv = investment()
    plan, _, m = central(inv)
    o = plan.outcomes[0]
    per_unit = unit_present_value(plan, o, plan.central())
    # One unit is worth 30,000·(D1 + D2 + D3) = 81,697.44 to society.
    assert per_unit[SOC] == pytest.approx(30_000 * (D1 + D2 + D3))
    needed = (100_000 + 20_000 * D1) / (30_000 * (D1 + D2 + D3))  # 1.4572 units
    result = calculate(inv, draws=200, seed=1)
    be = result.perspective("society").break_even[0]
    assert be.units_needed == pytest.approx(needed)
    assert be.units_expected == pytest.approx(2.0)
    # And at exactly that many units the investment breaks even.
    _, _, m_even = central(investment(outcome_quantity=needed))
    assert m_even.npv[0, SOC] == pytest.approx(0.0, abs=1e-6)


def test_adjustments_are_successive_factors() -> None:
    inv = investment(outcome_deadweight=0.2, outcome_attribution=0.25, outcome_displacement=0.1,
                     outcome_drop_off=0.5)  # fmt: skip
    _, flows, _ = central(inv)
    # 60,000 × 0.8 × 0.75 × 0.9 = 32,400 in 2024; drop-off halves it each later year.
    assert flows.benefits[0, 1:4, SOC] == pytest.approx([32_400, 16_200, 8_100])


def test_optimism_bias_raises_every_cost() -> None:
    _, flows, _ = central(investment(optimism_bias=0.2))
    assert flows.costs[0, 0, SOC] == pytest.approx(120_000)
    assert flows.costs[0, 1, SOC] == pytest.approx(24_000)


def test_lag_and_spread_place_the_value_in_time() -> None:
    spread = {**LOCAL_VALUE, "value": 40_000, "spread_years": 4}
    inv = investment(unit_values=[spread], outcome_quantity=1, outcome_lag=1, outcome_duration=None,
                     horizon=8)  # fmt: skip
    _, flows, _ = central(inv)
    # Occurs 2024, pays from 2025 (lag 1), 40,000 spread evenly over 4 years: 10,000 in 2025–2028.
    assert flows.benefits[0, :, SOC] == pytest.approx([0, 0, 10_000, 10_000, 10_000, 10_000, 0, 0])


def test_unit_values_are_repriced_with_kpi() -> None:
    old = {**LOCAL_VALUE, "price_year": 2008}
    _, flows, _ = central(investment(unit_values=[old]))
    # SCB KPI annual averages: 2008 300.61, 2023 403.70.
    assert flows.benefits[0, 1, SOC] == pytest.approx(60_000 * 403.70 / 300.61)


def test_society_counts_lost_production_and_civil_society_but_not_transfers() -> None:
    value = {
        **LOCAL_VALUE,
        "bearers": {"municipality": 0.2, "lost_production": 0.8},
        "transfer_share": 0.1,
    }
    costs = [{"year": 2023, "payer": "civil_society", "amount": 5000}]
    _, flows, _ = central(investment(unit_values=[value], costs=costs))
    year = flows.benefits[0, 1]
    assert year[MUN] == pytest.approx(12_000)  # 60,000 × 0.2
    assert year[SOC] == pytest.approx(54_000)  # 60,000 × (1 − 0.1): transfers cancel out
    assert flows.costs[0, 0, SOC] == 5000 and flows.costs[0, 0, MUN] == 0


def test_expected_units_apply_the_adjustments() -> None:
    plan, _, _ = central(investment(outcome_deadweight=0.5, outcome_years=[2024, 2025]))
    assert expected_units(plan.outcomes[0], plan.central()) == pytest.approx(2 * 2 * 0.5)

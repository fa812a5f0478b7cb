"""A distribution with no spread is a constant: Normal(mean=4, sd=0), and a quantity taken
from an evaluation whose effect has a zero standard error, give the NPV of 4 known units
(by hand below), no tornado bar and a Monte Carlo interval of that one value."""

from __future__ import annotations

import math

import pytest
from invest_helpers import investment

from jamlik.invest.calc import calculate, evaluation_quantities
from jamlik.invest.distributions import Normal
from jamlik.invest.effects.result import EffectResult, Verdict

D1, D2, D3 = 1 / 1.05, 1 / 1.05**2, 1 / 1.05**3
# invest_helpers' example with 4 units instead of 2: 4 × 30,000 a year in 2024–2026,
# costs 100,000 (2023) and 20,000 (2024), 5 % a year:
# 120,000 · (D1 + D2 + D3) − (100,000 + 20,000 · D1) = 326,789.76 − 119,047.62 = 207,742.14
NPV_4_UNITS = 120_000 * (D1 + D2 + D3) - (100_000 + 20_000 * D1)


def test_the_hand_calculation():
    assert round(NPV_4_UNITS, 2) == 207_742.14


def test_normal_with_zero_sd_is_the_constant():
    d = Normal(dist="normal", mean=4, sd=0)
    assert d.mean() == 4
    assert d.quantile(0.1) == 4 and list(d.quantile([0.05, 0.95])) == [4, 4]
    assert d.support() == (4, 4)
    assert d.is_fixed


def _society(result):
    return result.perspective("society")


def test_zero_sd_quantity_gives_the_npv_of_known_units():
    uncertain_deadweight = {"dist": "uniform", "low": 0.0, "high": 0.0001}
    inv = investment(outcome_quantity={"dist": "normal", "mean": 4, "sd": 0},
                     outcome_deadweight=uncertain_deadweight)  # fmt: skip
    result = calculate(inv, draws=500, seed=3)
    society = _society(result)
    # The deadweight's mean (0.00005) takes its tiny share off the benefits.
    expected = 120_000 * (1 - 0.00005) * (D1 + D2 + D3) - (100_000 + 20_000 * D1)
    assert society.npv == pytest.approx(expected)
    assert all(math.isfinite(v) for r in result.tornado
               for v in (r.npv_low, r.npv_high, r.swing, r.low_value, r.high_value))  # fmt: skip
    assert [r.parameter for r in result.tornado if "quantity" in r.parameter] == []
    assert len(result.tornado) == 1  # the deadweight's bar only


def test_quantity_from_an_effect_with_zero_standard_error():
    inv = investment(outcome_quantity=None, outcome_from_evaluation={"per_unit": 2.0})
    verdict = Verdict(code="effect_found", text_sv="effekt", text_en="effect")
    effect = EffectResult(design="did", method="test", inference="none", estimate=2.0, se=0.0,
                          verdict=verdict)  # fmt: skip
    assert evaluation_quantities(inv, effect)["o1"].is_fixed
    result = calculate(inv, effect=effect, draws=200, seed=1)
    society = _society(result)
    assert society.npv == pytest.approx(NPV_4_UNITS)  # 2.0 effect × 2 per unit = 4 units
    assert society.npv_mean == pytest.approx(NPV_4_UNITS)
    assert society.npv_interval.lo == pytest.approx(NPV_4_UNITS)
    assert society.npv_interval.hi == pytest.approx(NPV_4_UNITS)
    assert result.tornado == []

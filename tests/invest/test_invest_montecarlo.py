"""Monte Carlo: reproducible, converging, honest about chance; distributions; the tornado."""

from __future__ import annotations

import numpy as np
import pytest
from invest_helpers import investment
from scipy import stats

from jamlik.invest.calc import calculate
from jamlik.invest.distributions import Beta, LogNormal, Pert, Triangular, Uniform
from jamlik.invest.engine import evaluate
from jamlik.invest.model import PERSPECTIVES
from jamlik.invest.montecarlo import draw, tornado
from jamlik.invest.plan import build_plan
from jamlik.invest.values import load_cpi, load_library

SOC = PERSPECTIVES.index("society")
# Uncertain but linear: products of independent parameters and no uncertain drop-off, so the
# mean NPV over draws converges to the NPV at the parameters' means.
LINEAR = dict(
    optimism_bias={"dist": "triangular", "low": 0, "mode": 0.1, "high": 0.4},
    outcome_quantity={"dist": "lognormal", "mean": 2, "sd": 0.8},
    outcome_link={"dist": "pert", "low": 0.5, "mode": 0.8, "high": 1},
    outcome_deadweight={"dist": "beta", "a": 2, "b": 8},
)


def plan_of(**changes):
    return build_plan(investment(**changes), load_library(), load_cpi())


def test_same_seed_same_draws_other_seed_other_draws() -> None:
    plan = plan_of(**LINEAR)
    assert np.array_equal(draw(plan, 500, seed=7), draw(plan, 500, seed=7))
    assert not np.array_equal(draw(plan, 500, seed=7), draw(plan, 500, seed=8))


def test_changing_one_distribution_leaves_the_other_draws_alone() -> None:
    a = plan_of(**LINEAR)
    b = plan_of(**{**LINEAR, "outcome_quantity": {"dist": "uniform", "low": 0, "high": 5}})
    xa, xb = draw(a, 300, seed=3), draw(b, 300, seed=3)
    changed = [p.name for p in a.params].index("o1.quantity")
    others = [k for k in range(xa.shape[1]) if k != changed]
    assert np.array_equal(xa[:, others], xb[:, others])
    assert not np.array_equal(xa[:, changed], xb[:, changed])


def test_mean_of_draws_converges_to_the_deterministic_npv() -> None:
    plan = plan_of(**LINEAR)
    _, m0 = evaluate(plan, plan.central())
    target = m0.npv[0, SOC]
    ses = {}
    for n in (2_500, 10_000, 40_000):
        npv = evaluate(plan, draw(plan, n, seed=11))[1].npv[:, SOC]
        ses[n] = npv.std(ddof=1) / np.sqrt(n)
        assert abs(npv.mean() - target) < 4 * ses[n], n
    # The Monte Carlo standard error falls like 1/√n: quadrupling n halves it.
    assert ses[10_000] / ses[2_500] == pytest.approx(0.5, rel=0.1)
    assert ses[40_000] / ses[10_000] == pytest.approx(0.5, rel=0.1)


def test_chance_that_benefits_exceed_costs() -> None:
    # NPV > 0 exactly when the quantity exceeds the break-even 1.4572 units (see the economics
    # test), so P = P(U(0, 4) > 1.4572) = (4 − 1.4572) / 4.
    d1, d2, d3 = 1 / 1.05, 1 / 1.05**2, 1 / 1.05**3
    needed = (100_000 + 20_000 * d1) / (30_000 * (d1 + d2 + d3))
    inv = investment(outcome_quantity={"dist": "uniform", "low": 0, "high": 4})
    n = 20_000
    p = calculate(inv, draws=n, seed=5).perspective("society").p_benefits_exceed_costs
    expected = (4 - needed) / 4
    assert abs(p - expected) < 4 * np.sqrt(expected * (1 - expected) / n)


@pytest.mark.parametrize(
    ("dist", "mean", "reference"),
    [
        (
            Triangular(dist="triangular", low=1, mode=2, high=6),
            (1 + 2 + 6) / 3,
            stats.triang(c=0.2, loc=1, scale=5),
        ),
        (Pert(dist="pert", low=0, mode=0.2, high=1), (0 + 4 * 0.2 + 1) / 6, stats.beta(1.8, 4.2)),
        (Uniform(dist="uniform", low=2, high=4), 3.0, stats.uniform(2, 2)),
        (
            Beta(dist="beta", a=2, b=6, low=10, high=20),
            10 + 10 * 2 / 8,
            stats.beta(2, 6, loc=10, scale=10),
        ),
        (LogNormal(dist="lognormal", mean=5, sd=2), 5.0, None),
    ],
)
def test_distributions_match_their_formulas(dist, mean, reference) -> None:
    assert dist.mean() == pytest.approx(mean)
    x = dist.sample(np.random.default_rng(0), 200_000)
    assert x.mean() == pytest.approx(mean, rel=0.01)
    if reference is not None:
        q = np.array([0.1, 0.5, 0.9])
        assert dist.quantile(q) == pytest.approx(reference.ppf(q))
        assert stats.kstest(x[:5000], reference.cdf).pvalue > 0.001
    else:
        assert x.std() == pytest.approx(2.0, rel=0.02)


def test_tornado_swings_by_hand() -> None:
    # NPV is linear in the quantity Q: NPV = Q · 81,697.44 · (1 − attribution) − 119,047.62
    # (see the economics test); with attribution at its mean 0.05 the swing is
    # 81,697.44 × 0.95 × (P90 − P10 of Q ~ U(0, 4) = 3.2).
    d = 1 / 1.05 + 1 / 1.05**2 + 1 / 1.05**3
    plan = plan_of(outcome_quantity={"dist": "uniform", "low": 0, "high": 4},
                   outcome_attribution={"dist": "uniform", "low": 0, "high": 0.1})  # fmt: skip
    bars = {plan.params[b.index].name: b for b in tornado(plan)}
    q = bars["o1.quantity"]
    assert (q.low_value, q.high_value) == pytest.approx((0.4, 3.6))
    assert q.npv_high[SOC] - q.npv_low[SOC] == pytest.approx(30_000 * d * 0.95 * 3.2)
    a = bars[
        "o1.attribution"
    ]  # at Q = 2: benefits 60,000·d·(1 − attribution), swing over 0.01…0.09
    assert a.npv_low[SOC] - a.npv_high[SOC] == pytest.approx(60_000 * d * 0.08)
    # Sorted by swing in the result, biggest first.
    rows = calculate(investment(outcome_quantity={"dist": "uniform", "low": 0, "high": 4},
                                outcome_attribution={"dist": "uniform", "low": 0, "high": 0.1}),
                     draws=2000, seed=1).tornado  # fmt: skip
    assert [r.parameter for r in rows] == ["o1.quantity", "o1.attribution"]
    assert rows[0].rank_correlation > 0.9 > -0.05 > rows[1].rank_correlation

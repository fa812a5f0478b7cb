"""Trend and change verdicts: statsmodels for the fit, constructed series for the verdicts,
simulation for the interval's coverage."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from jamlik.measures.change import NULL_VALUES, change, trend


def series(measure, estimates, ses, start=2015, **keys):
    return pd.DataFrame(
        {
            **keys,
            "measure": measure,
            "period": [str(start + i) for i in range(len(estimates))],
            "estimate": estimates,
            "se": ses,
        }
    )


def dersimonian_laird(t, y, se):
    """τ² for a straight line, written with matrices (hat matrix), not with the module's sums."""
    X = np.column_stack([np.ones_like(t), t])
    W = np.diag(1 / se**2)
    P = W - W @ X @ np.linalg.inv(X.T @ W @ X) @ X.T @ W
    Q = y @ P @ y
    return max(0.0, (Q - (len(t) - 2)) / np.trace(P))


# ------------------------------------------------------------------ the fit against statsmodels


def test_slope_and_se_match_statsmodels_wls_with_known_variances():
    t = np.arange(2015, 2022, dtype=float)
    y = np.array([10.1, 9.7, 9.0, 8.9, 8.1, 7.6, 7.2])
    se = np.array([0.5, 0.6, 0.4, 0.5, 0.7, 0.5, 0.6])
    fit = sm.WLS(y, sm.add_constant(t), weights=1 / se**2).fit(
        cov_type="fixed scale", cov_kwds={"scale": 1.0}
    )
    out = trend(series("D", y, se), texts=False).iloc[0]
    assert out["slope"] == pytest.approx(fit.params[1], rel=1e-10)
    assert out["se"] == pytest.approx(fit.bse[1], rel=1e-10)
    lo, hi = fit.conf_int(alpha=0.05)[1]
    assert (out["ci_lb"], out["ci_ub"]) == pytest.approx((lo, hi), rel=1e-8)
    assert out["tau"] == 0.0  # these points scatter less than their se allow


def test_overdispersed_points_widen_the_interval_like_knapp_hartung():
    t = np.arange(8, dtype=float)
    y = np.array([10.0, 7.0, 9.5, 6.0, 8.0, 4.0, 6.5, 3.0])  # zig-zag far beyond se = 0.5
    se = np.full(8, 0.5)
    tau2 = dersimonian_laird(t, y, se)
    assert tau2 > 0
    fit = sm.WLS(y, sm.add_constant(t), weights=1 / (se**2 + tau2)).fit()
    scale = max(1.0, fit.scale)
    q = stats.t.ppf(0.975, 6)
    out = trend(series("D", y, se, start=0).assign(period=t), texts=False).iloc[0]
    assert out["tau"] == pytest.approx(math.sqrt(tau2), rel=1e-9)
    assert out["slope"] == pytest.approx(fit.params[1], rel=1e-9)
    assert out["se"] == pytest.approx(
        math.sqrt(scale) * fit.bse[1] / math.sqrt(fit.scale), rel=1e-9
    )
    assert out["ci_ub"] - out["slope"] == pytest.approx(q * out["se"], rel=1e-9)
    plain = trend(series("D", y, se, start=0).assign(period=t), overdispersion=False).iloc[0]
    assert plain["se"] < out["se"] / 3  # the known-se interval would be far too narrow


# ------------------------------------------------------------------ verdicts on constructed series


def test_verdicts_follow_the_direction_of_each_measure():
    frame = pd.concat(
        [
            series("D", [10, 8.5, 7, 5.4, 4], [0.4] * 5, indicator="narrow_pos"),
            series("SII", [-10, -8.2, -7, -5.5, -4], [0.4] * 5, indicator="narrow_neg"),
            series("D", [-3, -4.5, -6, -7.2, -9], [0.4] * 5, indicator="widen_neg"),
            series("R", [2.0, 1.8, 1.6, 1.45, 1.2], [0.03] * 5, indicator="ratio_down"),
            series("RII", [0.5, 0.6, 0.7, 0.8, 0.9], [0.02] * 5, indicator="ratio_up_below_1"),
            series("GINI", [0.30, 0.31, 0.33, 0.35, 0.36], [0.004] * 5, indicator="widen"),
            series("D", [5.1, 4.8, 5.3, 4.9, 5.2], [0.4] * 5, indicator="flat"),
            series("D", [10, 4], [0.4, 0.4], indicator="two_points"),
            series("D", [10, 8, 6, 4], [0.4] * 4, indicator="short_span", start=2021).assign(
                period=["2021", "2022", "2023", "2023.5"]
            ),
            series("D", [10, 8, np.nan, 6, 5], [0.4, np.nan, 0.4, 0.4, 0.4], indicator="gaps"),
        ],
        ignore_index=True,
    )
    out = trend(frame, by="indicator").set_index("indicator")
    assert out.loc["narrow_pos", "verdict"] == "narrowing"
    assert out.loc["narrow_neg", "verdict"] == "narrowing"
    assert out.loc["widen_neg", "verdict"] == "widening"
    assert out.loc["ratio_down", "verdict"] == "narrowing"
    assert out.loc["ratio_up_below_1", "verdict"] == "narrowing"
    assert out.loc["widen", "verdict"] == "widening"
    assert out.loc["flat", "verdict"] == "no clear change"
    assert out.loc["two_points", "verdict"] == "too few points"
    assert out.loc["two_points", "slope"] == pytest.approx(-6.0)  # slope is still reported
    assert out.loc["short_span", "verdict"] == "too few points"  # 4 points over 2.5 years
    assert out.loc["gaps", "n_points"] == 3  # rows without estimate or se do not count
    assert out.loc["gaps", "verdict"] == "too few points"
    assert out.loc["narrow_pos", "verdict_sv"] == "minskar"
    assert out.loc["narrow_pos", "text_sv"].startswith("Gapet minskar: D förändras med −1,")
    assert "95 % KI" in out.loc["narrow_pos", "text_sv"]
    assert out.loc["narrow_pos", "text_en"].startswith("The gap is narrowing")
    assert "at least 4 over at least 3 years" in out.loc["short_span", "text_en"]


def test_a_gap_that_crosses_equality_gets_a_note():
    out = trend(series("SII", [6, 3, 0.5, -2, -4.5], [0.3] * 5)).iloc[0]
    assert out["verdict"] == "narrowing"  # |−4.5| < |6| at the fitted ends
    assert "crossed equality" in out["note"]


def test_unknown_measure_needs_an_equality_value():
    frame = series("SEG_ISO", [0.5, 0.45, 0.4, 0.35], [0.01] * 4)
    with pytest.raises(ValueError, match="null_values"):
        trend(frame)
    out = trend(frame, null_values={"SEG_ISO": 0.2}).iloc[0]
    assert out["verdict"] == "narrowing"


def test_period_labels_need_a_time_function():
    frame = series("D", [10, 8, 6, 4], [0.4] * 4).assign(
        period=["2019/20", "2020/21", "2021/22", "2022/23"]
    )
    with pytest.raises(ValueError, match="to_time"):
        trend(frame)
    out = trend(frame, to_time=lambda p: int(p[:4]) + 1.0).iloc[0]
    assert out["slope"] == pytest.approx(-2.0)
    assert (out["first"], out["last"]) == ("2019/20", "2022/23")


def test_repeated_periods_are_refused():
    frame = pd.concat([series("D", [1, 2], [0.1, 0.1]), series("D", [1, 2], [0.1, 0.1])])
    with pytest.raises(ValueError, match="same series and period twice"):
        trend(frame)


def test_polars_and_pyarrow_come_back_as_they_went_in():
    pl = pytest.importorskip("polars")
    import pyarrow as pa

    frame = series("D", [10, 8, 6, 4], [0.4] * 4)
    assert isinstance(trend(pl.from_pandas(frame)), pl.DataFrame)
    assert isinstance(change(pa.Table.from_pandas(frame), start="2015", end="2018"), pa.Table)


# ------------------------------------------------------------------ change between two periods


def test_change_between_two_periods_by_hand():
    frame = pd.concat(
        [
            series("D", [10.0, 9.0, 7.0], [0.6, 0.5, 0.8], indicator="a"),
            series("R", [1.50, 1.52, 1.55], [0.05, 0.05, 0.05], indicator="b"),
            series("D", [3.0, np.nan, 2.0], [0.5, 0.5, np.nan], indicator="c"),
        ],
        ignore_index=True,
    )
    out = change(frame, by="indicator", start=2015, end="2017").set_index("indicator")
    a = out.loc["a"]
    assert a["difference"] == pytest.approx(-3.0)
    assert a["se"] == pytest.approx(1.0)  # √(0.6² + 0.8²)
    assert (a["ci_lb"], a["ci_ub"]) == pytest.approx((-3 - 1.959964, -3 + 1.959964), rel=1e-6)
    assert a["verdict"] == "narrowing" and a["text_en"].startswith("The gap narrowed")
    assert out.loc["b", "verdict"] == "no clear change"  # 0.05 ± 1.96·0.0707
    assert out.loc["c", "verdict"] == "too few points"  # 2017 has no se
    latest = change(frame, by="indicator").set_index("indicator")  # first and last available
    assert latest.loc["c", "end"] == "2015" and latest.loc["c", "verdict"] == "too few points"
    assert latest.loc["a", "start"] == "2015" and latest.loc["a", "end"] == "2017"


# ------------------------------------------------------------------ coverage by simulation


@pytest.mark.parametrize("tau", [0.0, 1.0])
def test_trend_interval_coverage(tau):
    """Many series from a known slope, with and without real year-to-year variation beyond the
    standard errors: the 95 % interval must cover the true slope close to 95 % of the time."""
    rng = np.random.default_rng(42 + int(tau))
    reps, n_t, slope = 2000, 6, -0.3
    t = np.tile(np.arange(2018, 2018 + n_t, dtype=float), reps)
    se = rng.uniform(0.5, 2.0, reps * n_t)
    y = 5 + slope * (t - 2018) + rng.normal(size=t.size) * np.sqrt(se**2 + tau**2)
    frame = pd.DataFrame(
        {
            "rep": np.repeat(np.arange(reps), n_t),
            "measure": "D",
            "period": t,
            "estimate": y,
            "se": se,
        }
    )
    out = trend(frame, by="rep", texts=False)
    coverage = np.mean((out.ci_lb <= slope) & (slope <= out.ci_ub))
    # sd of a 2000-draw share at 95 % is 0.005; with τ = 0 the rule is somewhat conservative.
    assert 0.93 <= coverage <= 0.985, coverage
    if tau == 0.0:
        known = trend(frame, by="rep", texts=False, overdispersion=False)
        assert np.mean((known.ci_lb <= slope) & (slope <= known.ci_ub)) == pytest.approx(
            0.95, abs=0.015
        )


def test_null_values_cover_the_measures_that_have_one():
    assert NULL_VALUES["R"] == NULL_VALUES["RII"] == NULL_VALUES["RII_LIN"] == 1.0
    assert NULL_VALUES["PALMA"] == 0.25
    assert NULL_VALUES["SII"] == NULL_VALUES["GINI"] == NULL_VALUES["SEG_M"] == 0.0
    assert "SEG_ISO" not in NULL_VALUES and "SEG_EXP" not in NULL_VALUES


def test_trend_reads_compute_output_directly():
    """Observations → compute() (two confidence levels) → trend(): the gap between districts
    shrinks by 2 points a year, so D must be judged narrowing."""
    from jamlik.measures import compute

    rows = []
    for i, year in enumerate(range(2018, 2024)):
        for sub, est in (("north", 60.0), ("south", 80.0 - 2 * i)):
            rows.append(
                {
                    "indicator": "behorighet",
                    "period": str(year),
                    "area": "gbg",
                    "dimension": "district",
                    "subgroup": sub,
                    "estimate": est,
                    "se": 0.8,
                    "population": 5000.0,
                    "favourable_indicator": 1,
                    "ordered_dimension": 0,
                }
            )
    measured = compute(pd.DataFrame(rows), measures=["D", "R"], conf_level=(0.95, 0.998))
    out = trend(measured, by=["indicator", "area", "dimension"]).set_index("measure")
    assert out.loc["D", "slope"] == pytest.approx(-2.0)
    assert out.loc["D", "verdict"] == "narrowing"
    assert out.loc["R", "verdict"] == "narrowing"  # 80/60 → 70/60, toward 1
    assert out.loc["D", "n_points"] == 6

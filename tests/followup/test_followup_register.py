"""Register data (no standard errors, as from Kolada): trends rest on the year-to-year scatter
alone, which must equal ordinary least squares with Student's t (checked with statsmodels)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import statsmodels.api as sm
from followup_helpers import CITY, YEARS, indicator, noise_maker, programme, sex_gap_rows, workspace

from jamlik.data import Target
from jamlik.followup import build_followup

NOISE = noise_maker(11, 0.8)


def level(y: int) -> float:
    return 60.0 + 0.5 * (y - 2012) + NOISE(y)[0]


def gap(y: int) -> float:
    return 8.0 - 0.3 * (y - 2012) + NOISE(y)[1]


@pytest.fixture(scope="module")
def followup(tmp_path_factory: pytest.TempPathFactory):
    rows = sex_gap_rows("reg", level, gap)
    for r in rows:
        r["se"] = None
    prog = programme([{"id": "g", "kind": "goal", "title": "Mål", "indicators": ["reg"]}])
    ind = indicator("reg", targets=[Target(year=2030, value=75.0)])
    ws = workspace(tmp_path_factory.mktemp("register"), [ind], rows, prog)
    return build_followup(ws, "test-prog", 2025, today=date(2025, 6, 1))


def _ols(values):
    t = np.array([y + 0.5 for y in YEARS])
    return sm.OLS(np.array(values), sm.add_constant(t)).fit(), t


def test_gap_trend_is_ordinary_least_squares(followup) -> None:
    d = next(
        g
        for g in followup.indicator("reg").gaps
        if g.area == CITY and g.dimension == "sex" and g.measure == "D"
    )
    assert all(p.se is None for p in d.series)
    fit, _ = _ols([gap(y) for y in YEARS])  # women − men = the gap (it stays positive)
    lo, hi = fit.conf_int(0.05)[1]
    assert d.trend.slope == pytest.approx(fit.params[1], rel=1e-6)
    assert d.trend.ci_lb == pytest.approx(lo, rel=1e-4)
    assert d.trend.ci_ub == pytest.approx(hi, rel=1e-4)
    assert d.trend.note and "scatter" in d.trend.note
    assert d.trend.verdict == "narrowing"


def test_level_without_se_is_judged_by_sign_and_says_so(followup) -> None:
    lvl = followup.indicator("reg").level
    assert lvl.change_se is None and lvl.change == pytest.approx(level(2025) - level(2018))
    assert lvl.verdict == "improved"
    assert "ingen osäkerhet" in lvl.text_sv


def test_target_projection_is_the_ols_line(followup) -> None:
    target = followup.indicator("reg").targets[0]
    fit, _ = _ols([level(y) for y in YEARS])
    pred = fit.get_prediction(np.array([[1.0, 2030.5]])).summary_frame(alpha=0.05)
    assert target.projected == pytest.approx(pred["mean"].iloc[0], rel=1e-6)
    assert target.projected_lb == pytest.approx(pred["mean_ci_lower"].iloc[0], rel=1e-4)
    assert target.projected_ub == pytest.approx(pred["mean_ci_upper"].iloc[0], rel=1e-4)

"""Recover from the generated data the gradient and the trends the demo model was built with.

Three layers: (1) the finest cells follow the documented equation, and statsmodels fitted to
their draws gives back every true coefficient; (2) the published district tables show the
socioeconomic gradient with the right sign and the size that composition predicts; (3) the
published gradient and trend match what the true model implies, within sampling error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit

from jamlik.demo.indicators import INDICATORS

IDS = [i.id for i in INDICATORS]


def by_id(truth, indicator_id):
    return next(i for i in truth.indicators if i.id == indicator_id)


def design(cells: pd.DataFrame) -> pd.DataFrame:
    """Covariates of the documented linear predictor, each effect with its change over time."""
    u = (cells["year"].to_numpy() - 2012) / 13
    z = cells["ses"].to_numpy()
    w = cells["woman"].to_numpy(dtype=float)
    a = cells["abroad"].to_numpy(dtype=float)
    s = 3.0 - cells["education"].to_numpy()
    return pd.DataFrame(
        {
            "const": 1.0,
            "u": u,
            "z": z,
            "z_u": z * u,
            "w": w,
            "w_u": w * u,
            "a": a,
            "a_u": a * u,
            "s": s,
            "s_u": s * u,
        }  # fmt: skip
    )


def true_coefficients(ind) -> np.ndarray:
    def pair(effect):
        return [effect.start, effect.final - effect.start]

    return np.array(
        [
            ind.intercept,
            ind.trend,
            *pair(ind.district),
            *pair(ind.female),
            *pair(ind.foreign),
            *pair(ind.education),
        ]  # fmt: skip
    )


def own_eta(cells: pd.DataFrame, ind) -> np.ndarray:
    return design(cells).to_numpy() @ true_coefficients(ind)


@pytest.mark.parametrize("indicator_id", IDS)
def test_cells_follow_the_documented_equation(truth, indicator_id):
    ind = by_id(truth, indicator_id)
    cells = truth.cells[truth.cells["indicator"] == indicator_id]
    eta = own_eta(cells, ind)
    expected = expit(eta) if ind.link == "logit" else eta
    np.testing.assert_allclose(cells["true_value"], expected, rtol=1e-12)


@pytest.mark.parametrize("indicator_id", IDS)
def test_regression_on_the_finest_cells_recovers_every_coefficient(truth, indicator_id):
    ind = by_id(truth, indicator_id)
    cells = truth.cells[(truth.cells["indicator"] == indicator_id) & (truth.cells["n"] > 0)]
    X = design(cells)
    n = cells["n"].to_numpy(dtype=float)
    if ind.link == "logit":
        x = cells["numerator"].to_numpy()
        fit = sm.GLM(np.column_stack([x, n - x]), X, family=sm.families.Binomial()).fit()
    else:
        # Var(value) = kappa^2 / n: weighted least squares with weights n, scale kappa^2.
        fit = sm.WLS(cells["value"].to_numpy(), X, weights=n).fit()
        assert fit.scale == pytest.approx(ind.se_coefficient**2, rel=0.15)
    z_scores = (fit.params.to_numpy() - true_coefficients(ind)) / fit.bse.to_numpy()
    assert np.all(np.abs(z_scores) < 4), dict(zip(X.columns, z_scores.round(2), strict=True))


def district_totals(observations, indicator_id):
    t = observations[
        (observations["indicator"] == indicator_id)
        & (observations["dimension"] == "total")
        & (observations["area"] != "exempelstad")
        & observations["estimate"].notna()
    ]
    return t


def fit_gradient(frame: pd.DataFrame, ses: dict, value: np.ndarray, logit: bool):
    """Regression of district values on the socioeconomic index and time (u)."""
    X = sm.add_constant(
        np.column_stack(
            [frame["area"].map(ses).to_numpy(), (frame["period"].astype(int) - 2012) / 13]
        )
    )
    w = frame["population"].to_numpy(dtype=float)
    if logit:
        return sm.GLM(value, X, family=sm.families.Binomial(), var_weights=w).fit()
    return sm.WLS(value, X, weights=w).fit()


def expected_district_values(truth, ind) -> pd.Series:
    """E[published district total] under the true model, aggregated here from the cells."""
    cells = truth.cells[truth.cells["indicator"] == ind.id]
    eta = own_eta(cells, ind)
    value = expit(eta) if ind.link == "logit" else eta
    frame = cells.assign(nv=cells["n"] * value, period=cells["year"].astype(str))
    g = frame.groupby(["district", "period"])[["nv", "n"]].sum()
    return g["nv"] / g["n"]


@pytest.mark.parametrize("indicator_id", IDS)
def test_published_gradient_matches_what_the_true_model_implies(observations, truth, indicator_id):
    ind = by_id(truth, indicator_id)
    ses = {d.id: d.ses for d in truth.districts}
    t = district_totals(observations, indicator_id)
    logit = ind.link == "logit"
    y = t["estimate"].to_numpy() / ind.scale
    observed = fit_gradient(t, ses, y, logit)
    expected = expected_district_values(truth, ind)
    e = expected.loc[list(zip(t["area"], t["period"], strict=True))].to_numpy()
    implied = fit_gradient(t, ses, e, logit)
    z_scores = (observed.params - implied.params) / observed.bse
    assert np.all(np.abs(z_scores) < 4), z_scores  # gradient on z and trend on u


@pytest.mark.parametrize("indicator_id", IDS)
def test_published_gradient_has_the_sign_and_size_of_the_true_parameter(
    observations, truth, indicator_id
):
    """Marginal gradient ≈ beta + phi * d(share born abroad)/dz + lambda * d(mean
    disadvantage)/dz on the link scale: poorer districts also have more people born abroad and
    with less education. The slopes of composition come from the published populations."""
    ind = by_id(truth, indicator_id)
    ses = {d.id: d.ses for d in truth.districts}
    o = observations[
        (observations["indicator"] == indicator_id) & (observations["area"] != "exempelstad")
    ]
    key = ["area", "period"]
    total = o[o["dimension"] == "total"].set_index(key)["population"].astype(float)
    abroad = o[o["subgroup"] == "born_abroad"].set_index(key)["population"].astype(float)
    edu = o[o["dimension"] == ind.education_dimension]
    disadvantage = (
        (edu["population"].astype(float) * (3 - edu["subgroup_order"].astype(float)))
        .groupby([edu["area"], edu["period"]])
        .sum()
    )
    z = total.index.get_level_values("area").map(ses).to_numpy()
    share_slope = np.polyfit(z, (abroad / total).loc[total.index].to_numpy(), 1)[0]
    disadvantage_slope = np.polyfit(z, (disadvantage / total).loc[total.index].to_numpy(), 1)[0]
    approx = (
        ind.district.at(0.5)
        + ind.foreign.at(0.5) * share_slope
        + ind.education.at(0.5) * disadvantage_slope
    )

    t = district_totals(observations, indicator_id)
    slope = fit_gradient(t, ses, t["estimate"].to_numpy() / ind.scale, ind.link == "logit").params[
        1
    ]
    assert np.sign(slope) == np.sign(ind.district.at(0.5))
    assert abs(slope) > abs(ind.district.at(0.5))  # composition adds to the gradient
    assert slope == pytest.approx(approx, rel=0.25)


@pytest.mark.parametrize("indicator_id", IDS)
def test_municipal_trend_matches_the_true_model(observations, truth, indicator_id):
    ind = by_id(truth, indicator_id)
    t = observations[
        (observations["indicator"] == indicator_id)
        & (observations["area"] == "exempelstad")
        & (observations["dimension"] == "total")
    ]
    cells = truth.cells[truth.cells["indicator"] == indicator_id]
    eta = own_eta(cells, ind)
    value = expit(eta) if ind.link == "logit" else eta
    g = cells.assign(nv=cells["n"] * value).groupby("year")[["nv", "n"]].sum()
    expected = (g["nv"] / g["n"]).to_numpy() * ind.scale
    years = t["period"].astype(int).to_numpy()
    slope, cov = np.polyfit(
        years, t["estimate"].to_numpy(), 1, w=1 / t["se"].to_numpy(), cov="unscaled"
    )
    expected_slope = np.polyfit(years, expected, 1)[0]
    assert abs(slope[0] - expected_slope) < 4 * np.sqrt(cov[0, 0])

"""The published demo tables: layout, populations, estimates, suppression, reproducibility.

Expected values are recomputed here from the unpublished finest cells (`truth.cells`) with
plain pandas and statsmodels, not taken from the generator's own aggregation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from jamlik.demo.generator import generate_observations

KEY = ["indicator", "period", "area", "dimension", "subgroup"]
SEX = {0: "men", 1: "women"}
COUNTRY = {0: "born_in_sweden", 1: "born_abroad"}
EDUCATION = {1: "compulsory", 2: "upper_secondary", 3: "post_secondary"}
LIFE_EXPECTANCY = "ex-medellivslangd-30"


def independent_aggregate(truth) -> pd.DataFrame:
    """Population, numerator and weighted sum of every published cell, from the finest cells."""
    c = truth.cells.copy()
    c["total"] = "total"
    c["sex"] = c["woman"].map(SEX)
    c["country_of_birth"] = c["abroad"].map(COUNTRY)
    c["edu"] = c["education"].map(EDUCATION)
    c["nv"] = np.where(c["n"] > 0, c["n"] * c["value"].fillna(0), 0.0)
    edu_dim = {i.id: i.education_dimension for i in truth.indicators}
    parts = []
    for dimension, column in [("total", "total"), ("sex", "sex"),
                              ("country_of_birth", "country_of_birth"), ("education", "edu")]:  # fmt: skip
        for area in ("municipality", "district"):
            keys = ["indicator", "year", column] + (["district"] if area == "district" else [])
            g = c.groupby(keys)[["n", "numerator", "nv"]].sum().reset_index()
            g["area"] = g["district"] if area == "district" else "exempelstad"
            g["subgroup"] = g[column]
            g["dimension"] = g["indicator"].map(edu_dim) if dimension == "education" else dimension
            parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    out["period"] = out["year"].astype(str)
    return out[[*KEY, "n", "numerator", "nv"]]


@pytest.fixture(scope="module")
def merged(observations, truth) -> pd.DataFrame:
    return observations.merge(independent_aggregate(truth), on=KEY, how="outer", indicator=True)


def test_one_row_per_designed_cell(observations, truth, merged):
    # 9 yearly indicators × 14 years + turnout × 3 elections, × 11 areas,
    # × (total 1 + sex 2 + country of birth 2 + education 3) subgroups.
    assert len(observations) == (9 * 14 + 3) * 11 * 8 == 11_352
    assert not observations.duplicated(KEY).any()
    assert (merged["_merge"] == "both").all()


def test_every_cell_has_its_population(merged):
    assert merged["population"].notna().all()
    np.testing.assert_array_equal(merged["population"].to_numpy(dtype=float), merged["n"])
    props = merged[merged["indicator"] != LIFE_EXPECTANCY]
    np.testing.assert_array_equal(props["denominator"].to_numpy(dtype=float), props["n"])


def test_proportions_estimate_se_and_wilson_interval(merged):
    shown = merged[(merged["indicator"] != LIFE_EXPECTANCY) & merged["estimate"].notna()]
    x, n = shown["numerator_y"].to_numpy(), shown["n"].to_numpy()
    p = x / n
    np.testing.assert_allclose(shown["estimate"], 100 * p, rtol=1e-12)
    np.testing.assert_allclose(shown["se"], 100 * np.sqrt(p * (1 - p) / n), rtol=1e-9, atol=1e-12)
    lb, ub = proportion_confint(x, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose(shown["ci_lb"], 100 * lb, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(shown["ci_ub"], 100 * ub, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(shown["numerator_x"].to_numpy(dtype=float), x)


def test_life_expectancy_is_population_weighted_with_se_from_population(merged, truth):
    kappa = next(i.se_coefficient for i in truth.indicators if i.id == LIFE_EXPECTANCY)
    shown = merged[(merged["indicator"] == LIFE_EXPECTANCY) & merged["estimate"].notna()]
    np.testing.assert_allclose(shown["estimate"], shown["nv"] / shown["n"], rtol=1e-12)
    np.testing.assert_allclose(shown["se"], kappa / np.sqrt(shown["n"]), rtol=1e-12)
    assert shown["numerator_x"].isna().all()
    assert shown["estimate"].min() > 40 and shown["estimate"].max() < 65


def test_suppressed_cells_carry_no_values_and_a_flag(observations):
    hidden = observations["flag"].isin(["suppressed", "suppressed_secondary"])
    assert 0.02 < hidden.mean() < 0.2  # some, as official small-area tables have
    for column in ("estimate", "se", "ci_lb", "ci_ub", "numerator"):
        assert observations.loc[hidden, column].isna().all(), column
    assert observations.loc[hidden, "population"].notna().all()
    shown = observations[~hidden]
    assert shown["flag"].isna().all()
    assert shown[["estimate", "se", "ci_lb", "ci_ub"]].notna().all().all()


def test_primary_suppression_rule(merged):
    """Fewer than 10 people, or numerator or complement of 1 or 2 (life expectancy: < 1 000)."""
    props = merged["indicator"] != LIFE_EXPECTANCY
    n, x = merged["n"], merged["numerator_y"]
    small = np.where(
        props,
        (n < 10) | x.between(1, 2) | (n - x).between(1, 2),
        n < 1000,
    )
    hidden = merged["flag"] == "suppressed"
    assert small.sum() > 100
    assert hidden[small].all()
    # Cells hidden without being small are secondary: their series has another hidden cell.
    series = hidden.groupby([merged[k] for k in KEY[:4]]).transform("sum")
    assert (series[hidden & ~small] >= 2).all()


def test_no_breakdown_has_a_single_recoverable_hidden_cell(observations):
    """In no sum total = Σ subgroups is exactly one cell hidden (the total counts too)."""
    is_hidden = observations["flag"].isin(["suppressed", "suppressed_secondary"])
    area_key = [observations[k] for k in KEY[:3]]
    total_hidden = (is_hidden & (observations["dimension"] == "total")).groupby(area_key).sum()
    breakdowns = observations[observations["dimension"] != "total"]
    hidden = is_hidden[breakdowns.index].groupby([breakdowns[k] for k in KEY[:4]]).sum()
    with_total = hidden + total_hidden.reindex(hidden.index.droplevel(3)).to_numpy()
    assert not (with_total == 1).any()


def test_municipality_cells_are_never_suppressed(observations):
    assert observations.loc[observations["area"] == "exempelstad", "estimate"].notna().all()


def test_reference_and_order_columns(observations):
    country = observations[observations["dimension"] == "country_of_birth"]
    assert set(zip(country["subgroup"], country["reference_subgroup"], strict=True)) == {
        ("born_in_sweden", 1),
        ("born_abroad", 0),
    }
    ordered = observations[observations["dimension"].isin(["parental_education", "education"])]
    assert set(zip(ordered["subgroup"], ordered["subgroup_order"], strict=True)) == {
        ("compulsory", 1),
        ("upper_secondary", 2),
        ("post_secondary", 3),
    }
    others = observations[~observations["dimension"].isin(["parental_education", "education"])]
    assert others["subgroup_order"].isna().all()


def test_same_seed_same_data_other_seed_other_data(observations):
    again, _ = generate_observations(2018)
    pd.testing.assert_frame_equal(observations, again)
    other, _ = generate_observations(7)
    pd.testing.assert_frame_equal(observations[KEY], other[KEY])
    np.testing.assert_array_equal(observations["population"], other["population"])
    both = observations["estimate"].notna() & other["estimate"].notna()
    differs = observations.loc[both, "estimate"] != other.loc[both, "estimate"]
    assert differs.mean() > 0.9


def test_every_value_says_it_is_fictitious(observations):
    assert observations["source"].str.contains("Fiktiva exempeldata").all()

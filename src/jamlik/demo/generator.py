r"""The statistical model behind the fictitious Exempelstad data, and its vectorised generator.

Every number is invented ("Fiktiva exempeldata"). The model is small enough to state in full, and
its true parameters are data (`jamlik.demo.exempelstad`, `jamlik.demo.indicators`), so tests can
check that the published tables give them back.

Population (a register, so counts are exact and not drawn)
----------------------------------------------------------
Time index u = (t - 2012) / 13, so u = 0 in 2012 and u = 1 in 2025. District d has

    N_d(t) = N_d(2012) * (1 + g_d)^(t - 2012)

inhabitants and a latent socioeconomic index z_d. An indicator counts a population group g (its
denominator: children 1–5, pupils in year 9, residents 20–64, ...). The group's cell for sex s,
country of birth c (0 born in Sweden, 1 born outside) and education level e (1 förgymnasial,
2 gymnasial, 3 eftergymnasial; the parents' for children and young people, one's own for adults) is

    n = round( N_d(t) * share_g * exp(-tilt_g * z_d) * 1/2 * P(c | d) * P(e | d, c, t) )
    P(c = 1 | d) = f_g * logistic(a_f + b_f * z_d)
    m = b_e * z_d + c_e * c + d_e * u + shift_g
    P(e <= 1) = logistic(k_1 - m),   P(e <= 2) = logistic(k_2 - m)      (ordered logit)

so poorer districts have more children, more people born abroad and less education.

True value of a cell
--------------------
For indicator i the linear predictor is

    eta = alpha_i + tau_i * u + beta_i(u) * z_d + sigma_i(u) * [s = woman]
          + phi_i(u) * c + lambda_i(u) * (3 - e)

where each coefficient moves linearly in time, x(u) = x_start + (x_end - x_start) * u
(`Effect`). lambda is the effect of one step of disadvantage, so the extreme education gap on the
link scale is 2 * lambda. Proportions (scale 100) have true value p = logistic(eta); life
expectancy (scale 1, years) has true value mu = eta.

Draws ("sampling error that fits each cell's size")
---------------------------------------------------
Proportions: numerator ~ Binomial(n, p) in each cell. Published cells are sums over the cells they
cover (numerator and denominator added), so every table adds up, and

    estimate = 100 * x / n,   se = 100 * sqrt(phat * (1 - phat) / n),   95 % CI: Wilson.

Means: cell value ~ Normal(mu, kappa_i / sqrt(n)); a published cell is the population-weighted
mean of its cells, whose standard error is again kappa_i / sqrt(n) with n the published cell's
population; 95 % CI: estimate +- 1.96 se.

Published tables
----------------
For each indicator, year (election years only for turnout) and area (Exempelstad and each
district): dimension "total", "sex" (women = kvinnor, men = män), "country_of_birth"
(born_in_sweden = född i Sverige, the reference; born_abroad) and the ordered education dimension,
"parental_education" for children and young people or "education" for adults (compulsory =
förgymnasial 1, upper_secondary = gymnasial 2, post_secondary = eftergymnasial 3).

Gaps built to move (`jamlik.demo.indicators.GAPS`; |x_end| < |x_start| narrows)
-------------------------------------------------------------------------------
Narrow: preschool, culture school, employment and turnout by country of birth; culture school
by parental education; life expectancy by sex. Widen: low economic standard and eligibility for
upper secondary by parental education; problematic absence and overcrowding over the districts'
index; young people neither working nor studying by country of birth; life expectancy by
education.

Suppression (röjandekontroll) is jamlik's own rule, `jamlik.data.suppression.suppress`: a cell
with fewer than 10 people, or whose numerator or complement (n - x) is 1 or 2, is published with
flag "suppressed" and no estimate, se, interval or numerator; its population stays. Further
cells are hidden (flag "suppressed_secondary") until no hidden cell can be computed or narrowed
from the totals, the other subgroups and the other districts (linked-table secondary
suppression). Life expectancy is withheld for groups under 1 000 inhabitants.

Same seed, same data: each indicator draws from its own numpy Generator seeded by
(seed, crc32(indicator id)), so adding an indicator does not change the others.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit

from jamlik.data import OBSERVATION_COLUMNS, suppress
from jamlik.data.policy import SuppressionPolicy
from jamlik.demo.definitions import COUNTRIES, EDUCATION_LEVELS, SEXES
from jamlik.demo.exempelstad import COMPOSITION, DISTRICTS, MUNICIPALITY_ID, SOURCE
from jamlik.demo.indicators import GAPS, INDICATORS
from jamlik.demo.model import (
    Composition,
    District,
    Gap,
    IndicatorModel,
    Suppression,
    time_index,
)
from jamlik.demo.population import population_cells

DEFAULT_SEED = 2018
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Truth:
    """What the data were built from: districts, indicator parameters, the gaps built to move,
    and `cells`, the unpublished finest table (indicator × year × district × sex × country of
    birth × education) with its population `n`, true value `true_value` and drawn `numerator`
    (proportions) or `value` (means)."""

    seed: int
    districts: tuple[District, ...]
    indicators: tuple[IndicatorModel, ...]
    composition: Composition
    gaps: tuple[Gap, ...]
    cells: pd.DataFrame


def _rng(seed: int, key: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])


def linear_predictor(
    ind: IndicatorModel, districts: tuple[District, ...] = DISTRICTS
) -> np.ndarray:
    """eta with axes (year, district, sex, country of birth, education)."""
    u = time_index(np.asarray(ind.years, dtype=float))[:, None, None, None, None]
    z = np.array([d.ses for d in districts])[None, :, None, None, None]
    woman = np.array([0.0, 1.0])[None, None, :, None, None]
    abroad = np.array([0.0, 1.0])[None, None, None, :, None]
    disadvantage = (3 - np.arange(1, 4, dtype=float))[None, None, None, None, :]
    return (
        ind.intercept
        + ind.trend * u
        + ind.district.at(u) * z
        + ind.female.at(u) * woman
        + ind.foreign.at(u) * abroad
        + ind.education.at(u) * disadvantage
    )


def draw_cells(
    ind: IndicatorModel, seed: int, districts: tuple[District, ...] = DISTRICTS
) -> pd.DataFrame:
    """The finest (unpublished) table for one indicator, with its random draws."""
    n = population_cells(ind.population, ind.years, districts)
    eta = linear_predictor(ind, districts)
    rng = _rng(seed, ind.id)
    if ind.link == "logit":
        truth = expit(eta)
        numerator = rng.binomial(n, truth).astype(float)
        value = np.full(n.shape, np.nan)
    else:
        truth = eta
        with np.errstate(divide="ignore"):
            sd = ind.se_coefficient / np.sqrt(n)
        draw = rng.normal(size=n.shape)
        value = np.where(n > 0, truth + draw * np.where(n > 0, sd, 0.0), np.nan)
        numerator = np.full(n.shape, np.nan)

    shape = n.shape
    index = np.indices(shape).reshape(len(shape), -1)
    return pd.DataFrame(
        {
            "indicator": ind.id,
            "year": np.asarray(ind.years)[index[0]],
            "district": np.array([d.id for d in districts])[index[1]],
            "ses": np.array([d.ses for d in districts])[index[1]],
            "woman": index[2],
            "abroad": index[3],
            "education": index[4] + 1,
            "n": n.ravel(),
            "true_value": truth.ravel(),
            "numerator": numerator.ravel(),
            "value": value.ravel(),
        }
    )


def _publish(cells: pd.DataFrame, indicators: tuple[IndicatorModel, ...]) -> pd.DataFrame:
    """Aggregate the finest cells of all indicators to the published tables, at once."""
    by_id = {i.id: i for i in indicators}
    cells = cells.assign(
        weighted=np.where(cells["n"] > 0, cells["n"] * cells["value"].fillna(0.0), 0.0),
        sex=np.array([sid for sid, _, _ in SEXES], dtype=object)[cells["woman"]],
        country=np.array([sid for sid, _, _ in COUNTRIES], dtype=object)[cells["abroad"]],
        level=np.array([sid for sid, _, _ in EDUCATION_LEVELS], dtype=object)[
            cells["education"] - 1
        ],
        total="total",
    )
    dimensions = [("total", "total"), ("sex", "sex"), ("country_of_birth", "country"),
                  (None, "level")]  # fmt: skip
    parts = []
    for area_column in (None, "district"):
        for dimension, column in dimensions:
            keys = ["indicator", "year", *([area_column] if area_column else []), column]
            g = cells.groupby(keys, sort=False)[["n", "numerator", "weighted"]].sum(min_count=1)
            g = g.reset_index().rename(columns={column: "subgroup", "district": "area"})
            if area_column is None:
                g["area"] = MUNICIPALITY_ID
            g["dimension"] = dimension or g["indicator"].map(
                {i.id: i.education_dimension for i in indicators}
            )
            parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    frame = _estimates(out, by_id)
    # Each group of indicators sharing a suppression rule goes through jamlik's own rule.
    rules = {i.suppression for i in indicators}
    suppressed = [
        _suppressed(
            frame[frame["indicator"].isin([i.id for i in indicators if i.suppression == r])], r
        )
        for r in rules
    ]
    return _sorted(pd.concat(suppressed, ignore_index=True), indicators)


def _estimates(out: pd.DataFrame, by_id: dict[str, IndicatorModel]) -> pd.DataFrame:
    """Estimates, standard errors and intervals of the published cells, before suppression."""
    ids = out["indicator"]
    logit = ids.map({k: i.link == "logit" for k, i in by_id.items()}).to_numpy(dtype=bool)
    scale = ids.map({k: i.scale for k, i in by_id.items()}).to_numpy(dtype=float)
    kappa = ids.map({k: i.se_coefficient for k, i in by_id.items()}).to_numpy(dtype=float)
    n = out["n"].to_numpy(dtype=float)
    x = out["numerator"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        # Wilson score interval: stays inside [0, 1] and is sensible near 0 and 1.
        centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
        half = Z95 / (1 + Z95**2 / n) * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2))
        mean = out["weighted"].to_numpy(dtype=float) / n
        mean_se = kappa / np.sqrt(n)
        estimate = np.where(logit, p * scale, mean)
        se = np.where(logit, np.sqrt(p * (1 - p) / n) * scale, mean_se)
    lb = np.where(logit, (centre - half) * scale, mean - Z95 * mean_se)
    ub = np.where(logit, (centre + half) * scale, mean + Z95 * mean_se)

    dimension = out["dimension"].to_numpy(dtype=object)
    subgroup = out["subgroup"].to_numpy(dtype=object)
    order = {sid: i + 1 for i, (sid, _, _) in enumerate(EDUCATION_LEVELS)}
    is_education = np.isin(dimension, ["education", "parental_education"])
    is_country = dimension == "country_of_birth"
    return pd.DataFrame(
        {
            "indicator": ids.to_numpy(dtype=object),
            "period": out["year"].astype(str).to_numpy(),
            "area": out["area"].to_numpy(dtype=object),
            "dimension": dimension,
            "subgroup": subgroup,
            "subgroup_order": pd.Series([order.get(s, 0) for s in subgroup], dtype="Int64").where(
                is_education
            ),
            "reference_subgroup": pd.Series(
                (subgroup == COUNTRIES[0][0]).astype(int), dtype="Int64"
            ).where(is_country),
            "estimate": estimate,
            "se": se,
            "ci_lb": lb,
            "ci_ub": ub,
            "population": n,
            "numerator": np.where(logit, x, np.nan),
            "denominator": np.where(logit, n, np.nan),
            "flag": None,
            "source": SOURCE,
        }
    )


def _suppressed(frame: pd.DataFrame, rule: Suppression) -> pd.DataFrame:
    """Apply jamlik's own röjandekontroll with the indicator's thresholds, then tidy types."""
    policy = SuppressionPolicy(
        min_population=rule.min_denominator, min_numerator=rule.min_numerator
    )
    out = suppress(frame, policy, parents={d.id: MUNICIPALITY_ID for d in DISTRICTS})
    for column in ("population", "numerator", "denominator"):
        out[column] = pd.array(out[column].round().to_numpy(), dtype="Float64").astype("Int64")
    out["flag"] = pd.array(out["flag"].to_numpy(dtype=object), dtype="str")
    return out


def _sorted(frame: pd.DataFrame, indicators: tuple[IndicatorModel, ...]) -> pd.DataFrame:
    """Indicators, areas and dimensions in the order people read them; then period, subgroup."""
    ranks = {
        "indicator": {i.id: k for k, i in enumerate(indicators)},
        "area": {MUNICIPALITY_ID: -1} | {d.id: k for k, d in enumerate(DISTRICTS)},
        "dimension": {
            "total": 0,
            "sex": 1,
            "country_of_birth": 2,
            "parental_education": 3,
            "education": 3,
        },  # fmt: skip
        "subgroup": {sid: k for k, (sid, _, _) in enumerate(SEXES + COUNTRIES + EDUCATION_LEVELS)},
    }
    keys = pd.DataFrame({c: frame[c].map(r) for c, r in ranks.items()}).assign(
        period=frame["period"]
    )
    order = keys.sort_values(
        ["indicator", "area", "dimension", "period", "subgroup"], kind="stable"
    )
    return frame.loc[order.index].reset_index(drop=True)


def generate_observations(seed: int = DEFAULT_SEED) -> tuple[pd.DataFrame, Truth]:
    """Draw the published observations (observation layout) and the truth behind them."""
    cells = pd.concat([draw_cells(ind, seed) for ind in INDICATORS], ignore_index=True)
    observations = _publish(cells, INDICATORS)[OBSERVATION_COLUMNS]
    truth = Truth(
        seed=seed,
        districts=DISTRICTS,
        indicators=INDICATORS,
        composition=COMPOSITION,
        gaps=GAPS,
        cells=cells,
    )
    return observations, truth

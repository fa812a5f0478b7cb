"""What an effect estimate returns: the numbers, how they were inferred, and a verdict."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

VerdictCode = Literal["effect_found", "no_effect_found", "too_little_data", "inconclusive"]

# 2.8 ≈ z(0.975) + z(0.80): a true effect of 2.8 standard errors is found 80 % of the time in a
# two-sided test at the 5 % level. Other levels use their own quantiles (see `mde_multiplier`).
MDE_POWER = 0.80


class Verdict(BaseModel):
    """The conclusion in words that never claim more than the design supports."""

    code: VerdictCode
    text_sv: str
    text_en: str


class SeriesPoint(BaseModel):
    """One period of the treated unit and its counterfactual (comparison mean or synthetic)."""

    period: str
    time: float
    treated: float | None
    counterfactual: float | None
    post: bool


class EffectResult(BaseModel):
    """An effect estimate for one initiative's indicator."""

    design: Literal["did", "synthetic_control", "sdid", "its"]
    method: str  # in words, including the inference used
    inference: Literal["permutation", "cluster", "hac", "placebo_variance", "none"]
    indicator: str | None = None
    indicator_title: str | None = None
    indicator_title_en: str | None = None
    unit_sv: str | None = None  # the estimate's unit, e.g. "procentenheter"
    unit_en: str | None = None  # e.g. "percentage points"
    estimate: float | None = None
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    p_value: float | None = None
    alpha: float = 0.05
    mde: float | None = None  # minimum detectable effect at 80 % power
    n_units: int = 0
    n_pre: int = 0
    n_post: int = 0
    treated: list[str] = Field(default_factory=list)
    comparison: list[str] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)  # synthetic control donor weights
    pretrend_p: float | None = None  # DiD: differential linear pre-trend test
    pre_rmspe: float | None = None  # synthetic control: pre-period fit
    slope_change: float | None = None  # ITS
    slope_change_se: float | None = None
    series: list[SeriesPoint] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    verdict: Verdict

"""Uncertainty distributions for the parameters of an investment calculation.

Every uncertain number in an investment file is either a plain number (fixed) or a mapping
with a `dist` key::

    deadweight: 0.2                                   # fixed
    quantity: {dist: triangular, low: 2, mode: 5, high: 9}
    link: {dist: pert, low: 0.05, mode: 0.1, high: 0.2}
    value: {dist: lognormal, mean: 12500000, sd: 2000000}

The central (deterministic) value of a parameter is its distribution's mean, so that the mean
of Monte Carlo draws converges to the deterministic result wherever the model is linear in
the parameters. Draws and quantiles come from numpy and scipy.stats.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from scipy import stats

from jamlik.yamlio import Tagged


class _Dist(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    def mean(self) -> float:
        """The expected value: the central value used by the deterministic calculation."""
        return float(self.frozen().mean())

    def quantile(self, q: float | np.ndarray) -> float | np.ndarray:
        """Inverse distribution function at q (0 < q < 1)."""
        return self.frozen().ppf(q)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n independent draws."""
        return np.asarray(self.frozen().rvs(size=n, random_state=rng), dtype=float)

    def support(self) -> tuple[float, float]:
        """Smallest and largest value the distribution can take."""
        lo, hi = self.frozen().support()
        return float(lo), float(hi)

    @property
    def is_fixed(self) -> bool:
        return False

    def frozen(self) -> Any:  # a scipy.stats frozen distribution
        raise NotImplementedError


class Fixed(_Dist):
    """A known number (no uncertainty). Written in files as a plain number."""

    dist: Literal["fixed"] = "fixed"
    value: float

    def mean(self) -> float:
        return self.value

    def quantile(self, q: float | np.ndarray) -> float | np.ndarray:
        return np.full_like(np.asarray(q, dtype=float), self.value)[()]

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)

    def support(self) -> tuple[float, float]:
        return self.value, self.value

    @property
    def is_fixed(self) -> bool:
        return True


class Normal(_Dist):
    """Normal with mean and standard deviation (unbounded: not for rates or shares)."""

    dist: Literal["normal"]
    mean_: float = Field(alias="mean")
    sd: float = Field(ge=0)

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)

    # A zero spread (sd: 0, or an effect estimated with no standard error) is a constant.
    # scipy refuses scale=0 and answers NaN, so the constant is spelt out here, like `Fixed`.

    def frozen(self) -> Any:
        return stats.norm(loc=self.mean_, scale=self.sd)

    def mean(self) -> float:
        return self.mean_

    def quantile(self, q: float | np.ndarray) -> float | np.ndarray:
        if self.sd == 0:
            return np.full_like(np.asarray(q, dtype=float), self.mean_)[()]
        return super().quantile(q)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.normal(self.mean_, self.sd, n)

    def support(self) -> tuple[float, float]:
        return (self.mean_, self.mean_) if self.sd == 0 else super().support()

    @property
    def is_fixed(self) -> bool:
        return self.sd == 0


class LogNormal(_Dist):
    """Lognormal given by the mean and standard deviation of the value itself (not its log)."""

    dist: Literal["lognormal"]
    mean_: float = Field(alias="mean", gt=0)
    sd: float = Field(gt=0)

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)

    def _log_params(self) -> tuple[float, float]:
        sigma2 = math.log1p((self.sd / self.mean_) ** 2)
        return math.log(self.mean_) - sigma2 / 2, math.sqrt(sigma2)

    def frozen(self) -> Any:
        mu, sigma = self._log_params()
        return stats.lognorm(s=sigma, scale=math.exp(mu))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        mu, sigma = self._log_params()
        return rng.lognormal(mu, sigma, n)


class Triangular(_Dist):
    """Triangular between low and high with its peak at mode."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("needs low <= mode <= high and low < high")
        return self

    def frozen(self) -> Any:
        width = self.high - self.low
        return stats.triang(c=(self.mode - self.low) / width, loc=self.low, scale=width)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, n)


class Uniform(_Dist):
    """Uniform between low and high."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError("needs low < high")
        return self

    def frozen(self) -> Any:
        return stats.uniform(loc=self.low, scale=self.high - self.low)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)


class Beta(_Dist):
    """Beta(a, b) stretched onto [low, high] (default [0, 1]): for shares and rates."""

    dist: Literal["beta"]
    a: float = Field(gt=0)
    b: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> Beta:
        if not self.low < self.high:
            raise ValueError("needs low < high")
        return self

    def frozen(self) -> Any:
        return stats.beta(self.a, self.b, loc=self.low, scale=self.high - self.low)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.low + (self.high - self.low) * rng.beta(self.a, self.b, n)


class Pert(_Dist):
    """PERT: a beta distribution from low, most likely (mode) and high; `lamb` (default 4)
    sets how strongly values concentrate around the mode. Mean = (low + lamb·mode + high) /
    (lamb + 2)."""

    dist: Literal["pert"]
    low: float
    mode: float
    high: float
    lamb: float = Field(default=4.0, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Pert:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("needs low <= mode <= high and low < high")
        return self

    def _shape(self) -> tuple[float, float]:
        width = self.high - self.low
        a = 1 + self.lamb * (self.mode - self.low) / width
        b = 1 + self.lamb * (self.high - self.mode) / width
        return a, b

    def frozen(self) -> Any:
        a, b = self._shape()
        return stats.beta(a, b, loc=self.low, scale=self.high - self.low)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        a, b = self._shape()
        return self.low + (self.high - self.low) * rng.beta(a, b, n)


DIST_KINDS = ("fixed", "normal", "lognormal", "triangular", "uniform", "beta", "pert")
# How files' problems with a distribution are worded (jamlik.yamlio's hook for tagged values).
TAGGED = Tagged("dist", "fördelning", "distribution", DIST_KINDS)


def _number_to_fixed(value: Any) -> Any:
    # A plain number in a file means "known exactly"; booleans are not numbers here.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"dist": "fixed", "value": float(value)}
    return value


Dist = Annotated[
    Fixed | Normal | LogNormal | Triangular | Uniform | Beta | Pert,
    Field(discriminator="dist"),
]
# What investment files accept wherever a number may be uncertain.
Param = Annotated[Dist, BeforeValidator(_number_to_fixed)]


def fixed(value: float) -> Fixed:
    """A known number as a distribution."""
    return Fixed(value=float(value))


def dump_param(dist: _Dist) -> Any:
    """A distribution as it is written in a file (plain number when fixed)."""
    if isinstance(dist, Fixed):
        v = dist.value
        return int(v) if float(v).is_integer() else v
    return dist.model_dump(mode="json", by_alias=True)

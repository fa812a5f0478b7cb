"""Discounting: constant or declining real rates, as discount factors per year.

Year t counts from the investment's base year (t = 0 is not discounted). With a rate r_s that
applies to the step from year s − 1 to year s, the discount factor is

    DF(0) = 1,  DF(t) = DF(t − 1) / (1 + r_t)

so a constant rate gives DF(t) = 1 / (1 + r)^t, and the Green Book's declining schedule
(3.5 % for years 0–30, 3.0 % for 31–75, 2.5 % for 76–125; HM Treasury, The Green Book) gives
DF(t) = 1/1.035^30 · 1/1.03^(t − 30) for 30 < t ≤ 75, and so on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# (first year the rate applies to, rate): HM Treasury Green Book, years 0–30, 31–75, 76–125.
GREEN_BOOK: tuple[tuple[int, float], ...] = ((0, 0.035), (31, 0.030), (76, 0.025))
DEFAULT_RATE = 0.035


def step_rates(schedule: Sequence[tuple[int, float]], horizon: int) -> np.ndarray:
    """The rate applying to each step t = 1 … horizon − 1 (index 0 is unused and 0)."""
    steps = sorted(schedule)
    if not steps or steps[0][0] != 0:
        raise ValueError("a discount schedule must start at year 0")
    rates = np.zeros(horizon)
    for t in range(1, horizon):
        rates[t] = [r for start, r in steps if start <= t][-1]
    return rates


def factors(
    horizon: int, rate: float = DEFAULT_RATE, schedule: Sequence[tuple[int, float]] | None = None
) -> np.ndarray:
    """Discount factors for years 0 … horizon − 1: constant `rate`, or a declining `schedule`."""
    if horizon < 1:
        raise ValueError("the horizon must be at least one year")
    if schedule is None:
        return (1.0 + rate) ** -np.arange(horizon, dtype=float)
    rates = step_rates(schedule, horizon)
    return np.cumprod(1.0 / (1.0 + rates))

"""Size of the interrupted-time-series test: how often its() finds a level change that is not
there.

    .venv/bin/python benchmarks/its_size.py [--replicates 2000] [--bootstrap 999] [--rho 0.5]

Series of 84 months (2019-01 … 2025-12) with a trend, a seasonal pattern and AR(1) errors
(ρ = 0.5 unless given, sd 1.2), no level change; the start is month 48. The share of series
with p ≤ 0.05 is the test's size (nominal 0.05), with its Monte-Carlo standard error
√(s(1 − s)/n). Seeds are fixed: series r uses seed 10,000 + r, its bootstrap seed r.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from jamlik.invest.effects.its import BOOTSTRAP, its

N = 84
START = 2023 + 0.5 / 12  # January 2023: month 48
SEASON = np.tile([0, 0, 0, 0, 0, -3, -14, -4, 0, 0, 0, -3], 7)[:N]
MONTHS = pd.period_range("2019-01", periods=N, freq="M")
FRAME = pd.DataFrame(
    {
        "period": [str(m) for m in MONTHS],
        "time": [m.year + (m.month - 0.5) / 12 for m in MONTHS],
    }
)


def null_series(seed: int, rho: float, sd: float = 1.2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    shocks = rng.normal(0, sd, N + 100)
    e = np.zeros(N + 100)
    for k in range(1, N + 100):
        e[k] = rho * e[k - 1] + shocks[k]
    values = 82 + 0.02 * np.arange(N) + SEASON + e[100:]
    return FRAME.assign(value=values)


def size(replicates: int, bootstrap: int, rho: float, **kwargs) -> tuple[float, float]:
    rejected = 0
    for r in range(replicates):
        res = its(null_series(10_000 + r, rho), START, bootstrap=bootstrap, seed=r, **kwargs)
        rejected += res.p_value <= 0.05
    s = rejected / replicates
    return s, float(np.sqrt(s * (1 - s) / replicates))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=2000)
    parser.add_argument("--bootstrap", type=int, default=BOOTSTRAP)
    parser.add_argument("--rho", type=float, nargs="+", default=[0.5])
    args = parser.parse_args()
    for rho in args.rho:
        t0 = time.perf_counter()
        s, mc = size(args.replicates, args.bootstrap, rho)
        print(
            f"AR(1) rho {rho}: size {s:.3f} ± {mc:.3f} ({args.replicates} series of {N} months, "
            f"{args.bootstrap} bootstrap series each; {time.perf_counter() - t0:.0f} s)"
        )


if __name__ == "__main__":
    main()

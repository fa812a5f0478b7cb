"""Size, coverage and placebo-based power of the panel estimators on simulated panels.

    .venv/bin/python benchmarks/effects_size.py [--replicates 400]

Panels of 21 units × 14 years (2012–2025, start 2023): units load on two common random-walk
factors with their own levels and noise sd 1 (as tests/invest's factor panels); the treated unit
is a mix of five others, so a synthetic control can fit it. For each estimator: how often it
finds an effect that is not there (size, nominal 0.05), how often its 95 % interval covers a
planted effect of +5, and how often it finds that effect; Monte-Carlo standard errors beside.
Seeds fixed (replicate r uses seed r).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from jamlik.invest.effects.did import did
from jamlik.invest.effects.sdid import synthetic_did
from jamlik.invest.effects.synth import synthetic_control

YEARS = np.arange(2012, 2026)
START = 2023.0
EFFECT = 5.0


def factor_panel(rng: np.random.Generator, n: int = 21) -> np.ndarray:
    factors = np.cumsum(rng.normal(0, 1, (2, YEARS.size)), axis=1)
    y = rng.normal(80, 3, (n, 1)) + rng.uniform(0, 1, (n, 2)) @ factors
    y = y + rng.normal(0, 1, (n, YEARS.size))
    y[0] = y[1:6].mean(axis=0) + rng.normal(0, 1, YEARS.size)
    return y


def frame(y: np.ndarray) -> pd.DataFrame:
    n = y.shape[0]
    return pd.DataFrame(
        {
            "unit": np.repeat([f"u{i:02d}" for i in range(n)], YEARS.size),
            "period": np.tile(YEARS.astype(str), n),
            "time": np.tile(YEARS + 0.5, n),
            "value": y.ravel(),
        }
    )


ESTIMATORS = {
    "DiD (permutation)": lambda f: did(f, ["u00"], START, power=False),
    "synthetic control": lambda f: synthetic_control(f, "u00", START, power=False),
    "synthetic DiD": lambda f: synthetic_did(f, ["u00"], START),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=400)
    n = parser.parse_args().replicates
    post = YEARS >= START

    def mc(x: float) -> float:
        return float(np.sqrt(x * (1 - x) / n))

    print("| estimator | size (no effect) | coverage of +5 | finds +5 |")
    print("|---|---|---|---|")
    for name, run in ESTIMATORS.items():
        t0 = time.perf_counter()
        false, covered, found = 0, 0, 0
        for r in range(n):
            y = factor_panel(np.random.default_rng(r))
            null = run(frame(y))
            false += null.p_value is not None and null.p_value <= 0.05
            y[0, post] += EFFECT
            hit = run(frame(y))
            covered += hit.ci_lb is not None and hit.ci_lb <= EFFECT <= hit.ci_ub
            found += hit.p_value is not None and hit.p_value <= 0.05
        s, c, f = false / n, covered / n, found / n
        print(
            f"| {name} | {s:.3f} ± {mc(s):.3f} | {c:.3f} ± {mc(c):.3f} | {f:.3f} ± {mc(f):.3f} |"
            f"  <!-- {time.perf_counter() - t0:.0f} s -->"
        )
    print(
        f"\n{n} panels per estimator, 21 units × 14 years, start 2023, planted effect +{EFFECT:g}"
    )


if __name__ == "__main__":
    main()

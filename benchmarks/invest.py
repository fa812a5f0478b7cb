"""Benchmark of the social-investment Monte Carlo (issue 8): 10,000 draws × 30 uncertain
parameters × a 20-year horizon must take under 1 s.

`bench_invest()` builds such an investment in code (4 outcomes with 6 uncertain parameters
each and their own uncertain unit value, an uncertain optimism bias and one uncertain cost:
30 uncertain parameters), then times, best of a few runs on a shared machine:

- `seconds_simulation`: drawing the parameters and evaluating every draw (cash flows by year
  and perspective, NPV, BCR, payback) — the figure the target is about;
- `seconds_calculate`: the whole `jamlik.invest.calculate` (simulation plus deterministic
  figures, break-even, tornado with rank correlations, intervals, histograms).

It returns a dict of figures and prints nothing; benchmarks/run.py prints them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from jamlik.invest.calc import calculate
from jamlik.invest.engine import evaluate
from jamlik.invest.model import Investment
from jamlik.invest.montecarlo import draw
from jamlik.invest.plan import build_plan
from jamlik.invest.values import load_cpi, load_library

DRAWS, HORIZON, TARGET_SECONDS = 10_000, 20, 1.0


def _best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return float(best)


def benchmark_investment(outcomes: int = 4) -> Investment:
    """An investment with 6·outcomes + outcomes + 2 uncertain parameters (30 for 4 outcomes)."""
    values, items = [], []
    for k in range(outcomes):
        values.append({
            "id": f"value-{k}", "title": f"Värde {k}", "unit": "person", "price_year": 2008,
            "value": {"dist": "uniform", "low": 8e6, "high": 15e6}, "spread_years": 40,
            "bearers": {"municipality": 0.2, "region": 0.1, "state": 0.2, "individual": 0.05, "lost_production": 0.45},
            "source": "Benchmark value.",
        })  # fmt: skip
        items.append({
            "id": f"o{k}", "title": f"Utfall {k}", "unit_value": f"value-{k}", "years": [2024, 2025, 2026],
            "quantity": {"dist": "triangular", "low": 1, "mode": 4, "high": 9},
            "link": {"dist": "pert", "low": 0.05, "mode": 0.1, "high": 0.3}, "lag": 2 + k,
            "deadweight": {"dist": "beta", "a": 2, "b": 8}, "attribution": {"dist": "uniform", "low": 0.1, "high": 0.3},
            "displacement": {"dist": "uniform", "low": 0, "high": 0.1}, "drop_off": {"dist": "uniform", "low": 0, "high": 0.1},
        })  # fmt: skip
    costs = [{"year": 2023 + t, "payer": payer, "amount": 400_000}
             for t in range(3) for payer in ("region", "municipality")]  # fmt: skip
    costs.append(
        {
            "year": 2023,
            "payer": "civil_society",
            "amount": {"dist": "normal", "mean": 100_000, "sd": 20_000},
        }
    )
    return Investment.model_validate({
        "initiative": "benchmark", "price_year": 2023, "horizon": HORIZON, "costs": costs,
        "optimism_bias": {"dist": "triangular", "low": 0, "mode": 0.1, "high": 0.3},
        "unit_values": values, "outcomes": items,
    })  # fmt: skip


def bench_invest(draws: int = DRAWS) -> dict[str, Any]:
    """Figures: draws, parameters (uncertain), horizon, seconds for the simulation and for the
    whole calculation, draws per second, and whether the 1 s target is met."""
    inv = benchmark_investment()
    library, cpi = load_library(), load_cpi()
    plan = build_plan(inv, library, cpi)
    uncertain = sum(p.uncertain for p in plan.params)
    simulation = _best_of(lambda: evaluate(plan, draw(plan, draws, seed=1)))
    whole = _best_of(
        lambda: calculate(inv, library=library, cpi=cpi, draws=draws, seed=1), repeat=3
    )
    return {
        "draws": draws,
        "parameters_uncertain": uncertain,
        "parameters_total": len(plan.params),
        "horizon_years": len(plan.years),
        "seconds_simulation": round(simulation, 4),
        "seconds_calculate": round(whole, 4),
        "draws_per_second": round(draws / simulation),
        "target_seconds": TARGET_SECONDS,
        "meets_target": simulation < TARGET_SECONDS and whole < TARGET_SECONDS,
    }


if __name__ == "__main__":
    for key, value in bench_invest().items():
        print(f"{key}: {value}")

"""`make bench`: how fast `jamlik.measures.compute()` is on a million rows.

1. compute() on 100,000 series × 10 subgroups (1,000,000 rows), every measure that applies to
   each series, analytic intervals (simulation off): time, rows per second, peak memory.
2. Against a plain per-series Python loop over the same WHO formulas and standard errors
   (benchmarks/loop_baseline.py), timed on a subset and extrapolated linearly (said so in the
   output); the two must agree on the numbers.
3. Against PySAL for the measures they share: `inequality` (Gini, Theil T) and `segregation`
   (dissimilarity), on tables where both compute the same quantity.
4. The distribution and segregation kernels on their own, and against PySAL's multigroup
   indices (benchmarks/beyond.py, by the author of those measures).

Timings are the best of a few runs: the machine is shared, and the best run is the one least
disturbed by others. Targets (issue 3): ≤ 2 s, < 1 GB, ≥ 50 × the loop.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loop_baseline import loop  # noqa: E402
from synthetic import segregation_table, subgroup_table  # noqa: E402

from jamlik.measures import compute  # noqa: E402

N_SERIES, K = 100_000, 10
LOOP_SUBSET = 2_000
# fmt: off
WHO_AND_LINEAR = [
    "D", "R", "ACI", "RCI", "SII", "RII", "SII_LIN", "RII_LIN", "PAR", "PAF", "BGV", "BGSD",
    "COV", "MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW", "IDISU", "IDISW", "TI", "MLD",
]
# fmt: on


def best_of(runs: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def section(title: str) -> None:
    print(f"\n== {title}")


def main() -> None:
    print(f"jamlik.measures benchmark  ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")  # fmt: skip
    frame = subgroup_table(N_SERIES, K)
    rows = len(frame)
    compute(frame.head(10 * K), draws=0)  # imports and first-call set-up

    section(f"compute(): {N_SERIES:,} series × {K} subgroups = {rows:,} rows, all measures")
    # Memory first, so the process's peak reflects the table and one call, not many results.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    out = compute(frame, draws=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del out
    seconds, out = best_of(3, lambda: compute(frame, draws=0))
    print(f"time           {seconds:.2f} s (best of 3)   target ≤ 2 s")
    print(f"throughput     {rows / seconds:,.0f} input rows/s; {len(out):,} result rows")
    print(f"measures       {out['measure'].nunique()} codes: {', '.join(out['measure'].unique())}")
    print(f"peak memory    {peak / 2**20:,.0f} MiB allocated during compute() (tracemalloc); "
          f"process peak RSS {after:,.0f} MiB, of which {before:,.0f} MiB before the call "
          "(Python, libraries, the input table)   target < 1 GB")  # fmt: skip
    del out

    section("(a) against a per-series Python loop, WHO's measures and the linear variants")
    vec_seconds, vec = best_of(2, lambda: compute(frame, measures=WHO_AND_LINEAR, draws=0))
    subset = frame.iloc[: LOOP_SUBSET * K]
    loop_seconds, looped = best_of(1, lambda: loop(subset))
    extrapolated = loop_seconds * N_SERIES / LOOP_SUBSET
    print(f"compute()      {vec_seconds:.2f} s for {N_SERIES:,} series")
    print(f"loop           {loop_seconds:.2f} s for {LOOP_SUBSET:,} series, extrapolated "
          f"linearly to {extrapolated:.0f} s for {N_SERIES:,}")  # fmt: skip
    print(f"ratio          {extrapolated / vec_seconds:,.0f} × faster   target ≥ 50 ×")
    print(f"agreement      {_agreement(vec, looped)}")

    section("(b) against PySAL inequality (Gini, Theil T; equal populations, so both compute "
            "the same unweighted index)")  # fmt: skip
    equal = frame.assign(population=1000.0)
    ours, got = best_of(2, lambda: compute(equal, measures=["GINI", "THEIL_T"], draws=0))
    _pysal_inequality(equal, ours, got)

    section("(c) against PySAL segregation (dissimilarity index D, two groups)")
    _pysal_segregation()
    _beyond_who()
    _other_areas()


def _print_figures(title: str, figures: dict) -> None:
    section(title)
    for key, value in figures.items():
        shown = f"{value:,.3g}" if isinstance(value, float) else f"{value:,}" if isinstance(
            value, int) and not isinstance(value, bool) else str(value)  # fmt: skip
        print(f"{key:<40} {shown}")


def _beyond_who() -> None:
    """The distribution and segregation kernels on their own (benchmarks/beyond.py)."""
    from beyond import BENCHMARKS

    for name, run in BENCHMARKS.items():
        _print_figures(f"(d) {name} (benchmarks/beyond.py)", run())


def _other_areas() -> None:
    """Issue targets outside the measures: social investments (< 1 s), the demo report
    (< 15 s), the web pages' p95 latency at 20 concurrent clients (< 200 ms) and the
    command's start-up (< 0.3 s)."""
    from startup import bench_startup

    from invest import bench_invest
    from report import bench_report
    from web import bench_web

    _print_figures(
        "(e) social investments: 10,000 draws × 30 parameters × 20 years", bench_invest()
    )
    _print_figures("(f) the demo's yearly report, HTML and PDF (DOCX apart)", bench_report())
    _print_figures("(g) web pages at 20 concurrent clients on loopback", bench_web())
    _print_figures("(h) the jamlik command's start-up (best of 7)", bench_startup())


def _agreement(vec: pd.DataFrame, looped: dict) -> str:
    table = vec.set_index(["indicator", "area", "measure"])
    worst = 0.0
    for (ind, area, code), values in looped.items():
        row = table.loc[(ind, area, code)]
        ours = (row["estimate"], row["se"], row["ci_lb"], row["ci_ub"])[: len(values)]
        for got, want in zip(ours, values, strict=True):
            if np.isfinite(want) or np.isfinite(got):
                worst = max(worst, abs(got - want) / max(abs(want), 1e-12))
    return f"largest relative difference {worst:.1e} over {len(looped):,} loop values"


def _pysal_inequality(frame: pd.DataFrame, ours: float, got: pd.DataFrame) -> None:
    from inequality.gini import Gini
    from inequality.theil import Theil

    y = frame["estimate"].to_numpy().reshape(N_SERIES, K)
    start = time.perf_counter()
    gini = np.array([Gini(row).g for row in y])
    gini_seconds = time.perf_counter() - start
    start = time.perf_counter()
    theil = Theil(y.T).T
    theil_seconds = time.perf_counter() - start
    mine = {
        code: got.loc[got["measure"] == code, "estimate"].to_numpy() for code in ("GINI", "THEIL_T")
    }
    print(f"compute()      {ours:.2f} s for GINI and THEIL_T of {N_SERIES:,} series "
          "(with their intervals and notes)")  # fmt: skip
    print(f"PySAL Gini     {gini_seconds:.2f} s (one call per series: Gini takes one "
          f"distribution)   ratio {gini_seconds / ours:.1f} ×")  # fmt: skip
    print(f"PySAL Theil    {theil_seconds:.3f} s (vectorised: all series as columns of one "
          "array, possible because every series has the same number of subgroups)")  # fmt: skip
    print(f"agreement      Gini max |diff| {np.max(np.abs(mine['GINI'] - gini)):.1e}, "
          f"Theil max |diff| {np.max(np.abs(mine['THEIL_T'] - theil)):.1e}")  # fmt: skip


def _pysal_segregation(n_cities: int = 10_000, subset: int = 300) -> None:
    try:
        from segregation.singlegroup import Dissim
    except ImportError as exc:  # the bench extra is not installed
        print(f"segregation not available ({exc}); skipped")
        return
    from jamlik.measures.segregation import segregation

    table = segregation_table(n_cities)
    ours, got = best_of(2, lambda: segregation(table, by="city", measures=["SEG_D"]))
    wide = table.pivot_table(index=["city", "area"], columns="group", values="count").reset_index()
    wide["total"] = wide["minority"] + wide["majority"]
    start = time.perf_counter()
    theirs = [
        Dissim(g, "minority", "total").statistic
        for _, g in wide[wide["city"] < subset].groupby("city")
    ]
    seconds = (time.perf_counter() - start) * n_cities / subset
    mine = got[(got["measure"] == "SEG_D") & (got["group"] == "minority")]
    diff = np.max(np.abs(mine["estimate"].to_numpy()[:subset] - np.asarray(theirs)))
    print(
        f"jamlik         {ours:.2f} s for SEG_D (and its notes) of {n_cities:,} cities × 20 areas"
    )
    print(f"PySAL Dissim   {seconds:.1f} s extrapolated from {subset} cities (one call per "
          f"city)   ratio {seconds / ours:,.0f} ×; max |diff| {diff:.1e}")  # fmt: skip


if __name__ == "__main__":
    main()

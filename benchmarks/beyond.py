"""Benchmarks for the measures beyond WHO's: distribution and segregation against PySAL.

`benchmarks/run.py` calls these; each returns a dict of figures and prints nothing. PySAL's
`inequality` and `segregation` packages are optional (`pip install -e ".[bench]"`); without them
the PySAL figures are replaced by a `pysal` entry saying why.

Like is compared with like: PySAL's Gini and Theil are unweighted, so the synthetic subgroups all
have the same population; PySAL computes one series per call (Gini, segregation indices) or one
call for all columns (Theil), and is timed on a sample of series and scaled up to the full table.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from jamlik.measures._batch import Batch
from jamlik.measures.distribution import MEASURES, theil_decomposition_frame
from jamlik.measures.segregation import segregation


def _best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def _peak_mb(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _batch(
    y: np.ndarray, n_series: int, k: int, w: np.ndarray | None = None, se: float = 1.0
) -> Batch:
    """n_series series of k subgroups each (equal populations unless `w` is given per row)."""
    rows = n_series * k
    return Batch(
        y=y.ravel(),
        se=np.full(rows, se),
        w=np.ones(rows) if w is None else w,
        order=np.full(rows, np.nan),
        ref=np.zeros(rows, bool),
        starts=np.arange(0, rows + 1, k, dtype=np.int64),
        favourable=np.ones(n_series, bool),
        ordered=np.zeros(n_series, bool),
        scale=np.ones(n_series),
        setting_average=np.full(n_series, np.nan),
    )


def distribution_vs_pysal(
    n_series: int = 100_000, n_subgroups: int = 10, pysal_sample: int = 2_000, seed: int = 0
) -> dict[str, Any]:
    """Vectorised GINI and THEIL_T over all series, against PySAL `inequality`.

    Figures: rows, jamlik seconds per measure, rows per second, peak MB; PySAL's seconds scaled
    to all series, the speed-up, and the largest absolute difference on the sampled series.
    """
    rng = np.random.default_rng(seed)
    y = rng.lognormal(3.0, 0.5, (n_series, n_subgroups))
    rows = n_series * n_subgroups
    result: dict[str, Any] = {"rows": rows, "series": n_series, "subgroups": n_subgroups}
    ours = {}
    for code in ("GINI", "THEIL_T"):
        # A fresh batch per run: measures memoise on the batch, and a warm memo is not the cost.
        seconds, values = _best_of(lambda c=code: MEASURES[c](_batch(y, n_series, n_subgroups)))
        ours[code] = values
        result[f"jamlik_{code}_seconds"] = seconds
        result[f"jamlik_{code}_rows_per_second"] = rows / seconds
    result["jamlik_peak_mb"] = _peak_mb(
        lambda: [MEASURES[c](_batch(y, n_series, n_subgroups)) for c in ("GINI", "THEIL_T")]
    )
    try:
        from inequality.gini import Gini
        from inequality.theil import Theil
    except ImportError as exc:  # optional benchmark dependency
        result["pysal"] = f"inequality not installed ({exc.name}); pip install inequality"
        return result
    sample = y[:pysal_sample]
    seconds, gini = _best_of(lambda: np.array([Gini(row).g for row in sample]), repeat=1)
    result["pysal_GINI_seconds_all_series"] = seconds * n_series / sample.shape[0]
    result["speedup_GINI"] = result["pysal_GINI_seconds_all_series"] / result["jamlik_GINI_seconds"]
    result["max_abs_difference_GINI"] = float(np.max(np.abs(gini - ours["GINI"][:pysal_sample])))
    # PySAL's Theil takes all series at once as columns: time it on the full table.
    seconds, theil = _best_of(lambda: Theil(y.T).T)
    result["pysal_THEIL_T_seconds_all_series"] = seconds
    result["speedup_THEIL_T"] = seconds / result["jamlik_THEIL_T_seconds"]
    result["max_abs_difference_THEIL_T"] = float(np.max(np.abs(theil - ours["THEIL_T"])))
    return result


def theil_decomposition_vs_pysal(
    n_series: int = 1_000, n_units: int = 1_000, n_groups: int = 8, seed: int = 0
) -> dict[str, Any]:
    """Between/within decomposition of Theil T for many series at once, against PySAL TheilD."""
    rng = np.random.default_rng(seed)
    y = rng.lognormal(3.0, 0.7, (n_series, n_units))
    groups = rng.integers(0, n_groups, n_units)
    frame = pd.DataFrame(
        {
            "series": np.repeat(np.arange(n_series), n_units),
            "group": np.tile(groups, n_series),
            "estimate": y.ravel(),
        }
    )
    seconds, ours = _best_of(
        lambda: theil_decomposition_frame(frame, "group", by="series", weight=None, index="T")
    )
    result: dict[str, Any] = {
        "rows": frame.shape[0],
        "series": n_series,
        "jamlik_seconds": seconds,
        "jamlik_rows_per_second": frame.shape[0] / seconds,
    }
    try:
        from inequality.theil import TheilD
    except ImportError as exc:
        result["pysal"] = f"inequality not installed ({exc.name}); pip install inequality"
        return result
    seconds, theirs = _best_of(lambda: TheilD(y.T, groups))
    result["pysal_seconds"] = seconds
    result["speedup"] = seconds / result["jamlik_seconds"]
    result["max_abs_difference_between"] = float(
        np.max(np.abs(np.ravel(theirs.bg) - ours["between"].to_numpy()))
    )
    return result


def _city_table(n_series: int, n_areas: int, n_groups: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(n_groups), (n_series, n_areas))
    sizes = rng.integers(300, 3000, (n_series, n_areas))
    counts = rng.multinomial(sizes, probs)
    return pd.DataFrame(
        {
            "year": np.repeat(np.arange(n_series), n_areas * n_groups),
            "area": np.tile(np.repeat(np.arange(n_areas), n_groups), n_series),
            "group": np.tile(np.arange(n_groups), n_series * n_areas),
            "count": counts.ravel(),
        }
    )


def segregation_vs_pysal(
    n_series: int = 500,
    n_areas: int = 200,
    n_groups: int = 6,
    pysal_sample: int = 20,
    seed: int = 0,
) -> dict[str, Any]:
    """Dissimilarity, multigroup dissimilarity and H for many cities at once, against PySAL
    `segregation` (one city per call, timed on a sample and scaled up)."""
    frame = _city_table(n_series, n_areas, n_groups, seed)
    codes = ["SEG_D", "SEG_DMULTI", "SEG_H"]
    seconds, ours = _best_of(lambda: segregation(frame, by="year", measures=codes))
    result: dict[str, Any] = {
        "rows": frame.shape[0],
        "series": n_series,
        "jamlik_seconds": seconds,
        "jamlik_rows_per_second": frame.shape[0] / seconds,
        "jamlik_peak_mb": _peak_mb(lambda: segregation(frame, by="year", measures=codes)),
    }
    try:
        from segregation.multigroup import MultiDissim, MultiInfoTheory
        from segregation.singlegroup import Dissim
    except ImportError as exc:
        result["pysal"] = f"segregation not installed ({exc.name}); pip install segregation"
        return result

    wide = frame.pivot_table(index=["year", "area"], columns="group", values="count")
    wide.columns = [f"g{c}" for c in wide.columns]
    wide["total"] = wide.sum(axis=1)
    cities = [wide.loc[y].reset_index(drop=True) for y in range(pysal_sample)]
    names = [f"g{g}" for g in range(n_groups)]

    def pysal_all() -> list[tuple[float, float, float]]:
        return [
            (
                Dissim(c, "g0", "total").statistic,
                MultiDissim(c, names).statistic,
                MultiInfoTheory(c, names).statistic,
            )
            for c in cities
        ]

    seconds, theirs = _best_of(pysal_all, repeat=1)
    result["pysal_seconds_all_series"] = seconds * n_series / pysal_sample
    result["speedup"] = result["pysal_seconds_all_series"] / result["jamlik_seconds"]
    mine = ours[ours.year < pysal_sample]
    d = mine[(mine.measure == "SEG_D") & (mine.group == 0)]["estimate"].to_numpy()
    dm = mine[mine.measure == "SEG_DMULTI"]["estimate"].to_numpy()
    h = mine[mine.measure == "SEG_H"]["estimate"].to_numpy()
    theirs_arr = np.array(theirs)
    result["max_abs_difference"] = float(
        max(
            np.max(np.abs(d - theirs_arr[:, 0])),
            np.max(np.abs(dm - theirs_arr[:, 1])),
            np.max(np.abs(h - theirs_arr[:, 2])),
        )
    )
    return result


BENCHMARKS = {
    "distribution_vs_pysal": distribution_vs_pysal,
    "theil_decomposition_vs_pysal": theil_decomposition_vs_pysal,
    "segregation_vs_pysal": segregation_vs_pysal,
}
"""Name → function, for `run.py` to loop over."""


# ------------------------------------------------------------------ coverage (for the docs)


def _coverage_distribution(rng: np.random.Generator, reps: int) -> dict[str, dict[str, float]]:
    from jamlik.measures._interval import analytic_limits
    from jamlik.measures.distribution import INTERVALS

    scenarios = {
        "spread 20-70, se 2": ([20.0, 30, 40, 55, 70], 2.0),
        "spread 20-70, se 6": ([20.0, 30, 40, 55, 70], 6.0),
        "close 40-50, se 2": ([40.0, 42, 45, 47, 50], 2.0),
    }
    pops = np.array([1.0, 2, 3, 2, 1]) * 1000
    out = {}
    for name, (truth_y, sd) in scenarios.items():
        k = len(truth_y)
        truth_batch = _batch(np.array(truth_y), 1, k, w=pops, se=sd)
        y = np.tile(truth_y, reps) + rng.normal(0, sd, reps * k)
        b = _batch(y, reps, k, w=np.tile(pops, reps), se=sd)
        row = {}
        for code, f in MEASURES.items():
            truth = f(truth_batch)[0]
            _, lo, hi = analytic_limits(INTERVALS[code], b, f(b), np.array([1.959964]))
            row[code] = float(np.mean((lo[0] <= truth) & (truth <= hi[0])))
        out[name] = row
    return out


def _coverage_trend(rng: np.random.Generator, reps: int) -> dict[str, dict[str, float]]:
    from jamlik.measures.change import trend

    out = {}
    for n_t in (4, 6, 10):
        for tau in (0.0, 0.5, 1.0, 3.0):
            t = np.tile(np.arange(n_t, dtype=float), reps)
            se = rng.uniform(0.5, 2.0, t.size)
            y = 0.3 * t + rng.normal(size=t.size) * np.sqrt(se**2 + tau**2)
            frame = pd.DataFrame(
                {"rep": np.repeat(np.arange(reps), n_t), "measure": "D", "period": t}
                | {"estimate": y, "se": se}
            )
            row = {}
            for label, over in (("jamlik", True), ("known se only", False)):
                fit = trend(frame, by="rep", texts=False, overdispersion=over)
                row[label] = float(np.mean((fit.ci_lb <= 0.3) & (fit.ci_ub >= 0.3)))
            out[f"{n_t} points, tau {tau:g}"] = row
    return out


def _coverage_segregation(rng: np.random.Generator, reps: int, draws: int) -> dict[str, float]:
    areas, groups = 30, 3
    sizes = rng.integers(100, 400, areas)
    probs = rng.dirichlet(np.ones(groups) * 1.5, areas)

    def long(counts: np.ndarray) -> pd.DataFrame:  # counts: replicates × areas × groups
        r, a, g = np.indices(counts.shape)
        return pd.DataFrame(
            {"rep": r.ravel(), "area": a.ravel(), "group": g.ravel(), "count": counts.ravel()}
        )

    truth = segregation(long((sizes[:, None] * probs)[None]), by="rep").drop(columns="rep")
    sample = long(rng.multinomial(sizes, probs, size=(reps, areas)))
    out = segregation(sample, by="rep", draws=draws, seed=1)
    merged = out.merge(truth, on=["measure", "group", "other_group"], suffixes=("", "_true"))
    merged["hit"] = (merged.ci_lb <= merged.estimate_true) & (merged.estimate_true <= merged.ci_ub)
    return {k: float(v) for k, v in merged.groupby("measure")["hit"].mean().items()}


def coverage_beyond(
    reps: int = 4_000, seg_reps: int = 300, seg_draws: int = 300, seed: int = 1
) -> dict[str, Any]:
    """Share of 95 % intervals covering a known truth, as written in docs/measures-beyond-who.md."""
    rng = np.random.default_rng(seed)
    return {
        "distribution (delta method)": _coverage_distribution(rng, reps),
        "trend slope": _coverage_trend(rng, reps),
        "segregation (basic bootstrap)": _coverage_segregation(rng, seg_reps, seg_draws),
    }

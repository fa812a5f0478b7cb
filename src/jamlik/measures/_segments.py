"""Segment arithmetic shared by the distribution kernels and the plain-array functions.

A "segment" is one series laid end to end with the others: rows `starts[s]:starts[s + 1]`, with
`sid` the series index of each row. The kernels take bare arrays rather than a `Batch`, so the same
code serves `compute()` (many series) and `gini(values)` (one series).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def seg_sum(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum within each (non-empty) segment."""
    return np.add.reduceat(values, starts[:-1])


def seg_min(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.minimum.reduceat(values, starts[:-1])


def seg_cumsum_before(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum of the rows *before* each row within its segment (0 at a segment's start).

    Segments of equal length are summed together as rows of a 2-D block; one running total over
    a million rows would cost later segments several digits of precision.
    """
    out = np.empty_like(values, dtype=np.float64)
    counts = np.diff(starts)
    for c in np.unique(counts):
        idx = starts[:-1][counts == c][:, None] + np.arange(c)
        block = values[idx]
        out[idx] = np.cumsum(block, axis=1) - block
    return out


@dataclass(frozen=True)
class Sorted:
    """Rows sorted by value inside each segment, with the population ranks the measures share.

    `order[k]` is the original row of sorted row k. `rank` is the mid-point of each row's slice of
    the population (tied values share one slice, so their rank is the same), `before` the
    population before the row in sort order.
    """

    order: np.ndarray
    y: np.ndarray
    w: np.ndarray
    before: np.ndarray
    rank: np.ndarray  # 0..1, tie-aware mid-point


def segment_order(y: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Row order that sorts y within each segment (segments keep their place).

    Segments of equal length are sorted together as the rows of a 2-D block: a two-key
    `np.lexsort` over a million rows is some fifty times slower.
    """
    order = np.empty(y.size, dtype=np.int64)
    counts = np.diff(starts)
    for c in np.unique(counts):
        idx = starts[:-1][counts == c][:, None] + np.arange(c)
        local = np.argsort(y[idx], axis=1, kind="stable")
        order[idx] = np.take_along_axis(idx, local, axis=1)
    return order


def sort_within(y: np.ndarray, w: np.ndarray, sid: np.ndarray, starts: np.ndarray) -> Sorted:
    order = segment_order(y, starts)
    ys, ws = y[order], w[order]
    before = seg_cumsum_before(ws, starts)
    total = seg_sum(ws, starts)[sid]
    same = (ys[1:] == ys[:-1]) & (sid[1:] == sid[:-1])
    if not same.any():
        rank = (before + ws / 2) / total
        return Sorted(order, ys, ws, before, rank)
    # Tied values share the mid-point of their joint slice of the population.
    n = ys.size
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = ~same
    run_start = np.flatnonzero(new_run)
    run_id = np.cumsum(new_run) - 1
    run_end = np.append(run_start[1:], n) - 1
    lo, hi = before[run_start], (before + ws)[run_end]
    rank = (lo[run_id] + hi[run_id]) / 2 / total
    return Sorted(order, ys, ws, before, rank)


def people_below(srt: Sorted, sid: np.ndarray, starts: np.ndarray, share: float) -> np.ndarray:
    """People of each sorted row who lie below population share `share` (a row straddling the cut
    is split at it: the Lorenz curve between rows is a straight line)."""
    W = seg_sum(srt.w, starts)[sid]
    return np.clip(share * W - srt.before, 0.0, srt.w)


def one_segment(n: int) -> tuple[np.ndarray, np.ndarray]:
    """`sid` and `starts` for a single series of n rows."""
    return np.zeros(n, dtype=np.int64), np.array([0, n], dtype=np.int64)

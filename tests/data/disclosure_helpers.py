"""An attacker written apart from jamlik's audit, the old per-series rule, and table builders.

`subtraction_attack` is what the issue did by hand (Exempelstad's eligible minus the nine other
districts' gives Ekbacka's): over the published cells, wherever a sum (area = areas under it;
total = subgroups of a dimension) has a single unknown term, subtract; repeat until nothing new
is learnt. Where the sizes show the parts leave some people out (n_whole − Σ n_parts = r > 0),
the unknown count lies in [S − r, S]. It uses no linear programming and shares no code with
`jamlik.data.disclosure`, so the audit is checked against an independent derivation.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

HIDDEN = {"suppressed", "suppressed_secondary", "..", "x", "X"}
Key = tuple[str, str, str, str, str]  # indicator, period, area, dimension, subgroup


def _count(row) -> float | None:
    """The count a reader sees in a published row, or None."""
    if row["flag"] in HIDDEN:
        return None
    num = row.get("numerator")
    if num is not None and not pd.isna(num):
        return float(num)
    est, den = row.get("estimate"), row.get("denominator")
    if den is None or pd.isna(den):
        den = row.get("population")
    if est is None or pd.isna(est) or den is None or pd.isna(den):
        return None
    return float(est) * float(den) / 100.0


def _size(row) -> float | None:
    for c in ("denominator", "population"):
        v = row.get(c)
        if v is not None and not pd.isna(v):
            return float(v)
    return None


def sums(frame: pd.DataFrame, parents: dict[str, str]) -> list[tuple[Key, list[Key]]]:
    """Every (whole, parts) of the published table: breakdowns and the area hierarchy."""
    keys = {
        (str(r.indicator), str(r.period), str(r.area), str(r.dimension), str(r.subgroup))
        for r in frame.itertuples()
    }
    out = []
    for ind, per, area, dim, sub in keys:
        if dim == "total":
            for d in {k[3] for k in keys if k[:3] == (ind, per, area) and k[3] != "total"}:
                parts = [k for k in keys if k[:4] == (ind, per, area, d)]
                out.append(((ind, per, area, dim, sub), parts))
        kids = [a for a, p in parents.items() if p == area]
        parts = [(ind, per, k, dim, sub) for k in kids if (ind, per, k, dim, sub) in keys]
        if parts:
            out.append(((ind, per, area, dim, sub), parts))
    return out


def subtraction_attack(
    frame: pd.DataFrame, parents: dict[str, str], protection: int = 3
) -> dict[Key, tuple[float, float]]:
    """Hidden cells whose count is pinned to an interval narrower than min(protection, n):
    key → (low, high)."""
    rows = {
        (str(r["indicator"]), str(r["period"]), str(r["area"]), str(r["dimension"]),
         str(r["subgroup"])): r
        for r in frame.to_dict("records")
    }  # fmt: skip
    known = {k: v for k, r in rows.items() if (v := _count(r)) is not None}
    size = {k: _size(r) for k, r in rows.items()}
    found: dict[Key, tuple[float, float]] = {}
    changed = True
    while changed:
        changed = False
        for whole, parts in sums(frame, parents):
            terms = [whole, *parts]
            unknown = [k for k in terms if k not in known]
            if len(unknown) != 1:
                continue
            sizes = [size.get(k) for k in terms]
            if any(s is None for s in sizes):
                continue
            rest = sizes[0] - sum(sizes[1:])
            if rest < -0.5:
                continue  # overlapping parts: the sum does not hold
            (k,) = unknown
            if k == whole:
                value = sum(known[p] for p in parts)
                low, high = value, value + max(rest, 0)
            else:
                value = known[whole] - sum(known[p] for p in parts if p != k)
                low, high = value - max(rest, 0), value
            low, high = max(low, 0.0), min(high, size[k])
            width = math.floor(high + 1e-6) - math.ceil(low - 1e-6)
            if width < min(protection, size[k]) and k not in found:
                found[k] = (low, high)
            if high - low < 1e-6:
                known[k] = low
                changed = True
    return found


def old_per_series_suppress(frame: pd.DataFrame) -> pd.DataFrame:
    """jamlik's rule before linked tables (as of 8242a38): primary cells, then in each series
    (indicator × period × area × dimension) with exactly one hidden cell, the smallest other."""
    out = frame.copy()
    size = out["population"].astype(float).fillna(out["denominator"].astype(float))
    num = out["numerator"].astype(float)
    rest = out["denominator"].astype(float) - num
    hidden = (size < 10) | ((num > 0) & (num < 3)) | ((rest > 0) & (rest < 3))
    hidden |= out["flag"].isin(HIDDEN)
    series = ["indicator", "period", "area", "dimension"]
    keys = [out[c].astype(str) for c in series]
    shown_n = (~hidden).groupby(keys).transform("sum")
    hidden_n = hidden.groupby(keys).transform("sum")
    exposed = (hidden_n == 1) & (shown_n >= 1) & (out["dimension"] != "total")
    cand = out.loc[exposed & ~hidden, series].assign(_size=size)
    smallest = cand.sort_values("_size", kind="stable").groupby(series).head(1)
    hidden |= out.index.isin(smallest.index)
    for c in ("estimate", "se", "ci_lb", "ci_ub", "numerator"):
        out[c] = out[c].astype(float).where(~hidden, np.nan)
    out["flag"] = np.where(hidden, "suppressed", None)
    return out


def table(cells: dict[tuple[str, str, str], tuple[int, int]], indicator="i", period="2024"):
    """A published-layout frame from {(area, dimension, subgroup): (numerator, denominator)}."""
    rows = []
    for (area, dim, sub), (x, n) in cells.items():
        rows.append({
            "indicator": indicator, "period": period, "area": area, "dimension": dim,
            "subgroup": sub, "estimate": 100.0 * x / n, "se": 1.0, "ci_lb": 0.0, "ci_ub": 100.0,
            "population": float(n), "numerator": float(x), "denominator": float(n),
            "flag": None, "indicator_scale": 100.0,
        })  # fmt: skip
    return pd.DataFrame(rows)


def crossed(
    areas: dict[str, dict[str, tuple[int, int]]], parent: str, dimension: str = "edu"
) -> dict[tuple[str, str, str], tuple[int, int]]:
    """Cells of an area × subgroup table with each area's total and the parent's row and
    total as sums (so every relation holds exactly)."""
    cells: dict[tuple[str, str, str], tuple[int, int]] = {}
    subs = next(iter(areas.values())).keys()
    for a, row in areas.items():
        for s, v in row.items():
            cells[(a, dimension, s)] = v
        cells[(a, "total", "total")] = (sum(v[0] for v in row.values()),
                                        sum(v[1] for v in row.values()))  # fmt: skip
    for s in subs:
        cells[(parent, dimension, s)] = (sum(areas[a][s][0] for a in areas),
                                         sum(areas[a][s][1] for a in areas))  # fmt: skip
    cells[(parent, "total", "total")] = (sum(cells[(a, "total", "total")][0] for a in areas),
                                         sum(cells[(a, "total", "total")][1] for a in areas))  # fmt: skip
    return cells

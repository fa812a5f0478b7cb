"""The same measures written the usual way: one series at a time, a Python loop over series.

This is the yardstick `benchmarks/run.py` compares `compute()` with. Each formula is the plain
textbook one on the small arrays of one series (numpy on ~10 values), with the same analytic
standard errors; simulation intervals are off on both sides. It is also a check: run.py
compares its numbers with compute()'s on the series it times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

Z = 1.959963984540054


def _rank(w: np.ndarray) -> np.ndarray:
    cum = np.cumsum(w)
    return (cum - w / 2) / cum[-1]


def _logistic(x, f, wt, scale):
    mu = (wt * f + 0.5) / (wt + 1)
    eta = np.log(mu / (1 - mu))
    beta = np.zeros(2)
    X = np.column_stack([np.ones_like(x), x])
    for _ in range(50):
        v = mu * (1 - mu)
        z = eta + (f - mu) / v
        W = wt * v
        new = np.linalg.solve(X.T @ (W[:, None] * X), X.T @ (W * z))
        done = np.max(np.abs(new - beta)) <= 1e-10 * (1 + np.abs(new).sum())
        beta = new
        eta = X @ beta
        mu = expit(eta)
        if done:
            break
    H = X.T @ ((wt * mu * (1 - mu))[:, None] * X)
    dbeta = np.linalg.solve(H, (X * (wt / scale)[:, None]).T)  # 2 × n: ∂β/∂y
    return beta, dbeta


def _wald(est, grad, se):
    s = np.sqrt(np.sum((grad * se) ** 2))
    return est, s, est - Z * s, est + Z * s


def one_series(y, se, w, order, ref, favourable, ordered, scale) -> dict[str, tuple]:
    with np.errstate(all="ignore"):
        return _one_series(y, se, w, order, ref, favourable, ordered, scale)


def _one_series(y, se, w, order, ref, favourable, ordered, scale) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    n = y.size
    p = w / w.sum()
    mu = p @ y
    if ordered:
        idx = np.argsort(order, kind="stable")
        y, se, w, p = y[idx], se[idx], w[idx], p[idx]
        hi, lo = (n - 1, 0) if favourable else (0, n - 1)
        ref_i = n - 1
    else:
        has_ref = ref.sum() == 1
        r = int(np.flatnonzero(ref)[0]) if has_ref else -1
        others = np.arange(n) != r
        if has_ref and favourable:
            hi, lo = r, int(np.flatnonzero(others)[np.argmin(y[others])])
        elif has_ref:
            hi, lo = int(np.flatnonzero(others)[np.argmax(y[others])]), r
        else:
            hi, lo = int(np.argmax(y)), int(np.argmin(y))
        ref_i = int(np.argmax(y) if favourable else np.argmin(y))
    g = np.zeros(n)
    g[hi], g[lo] = 1, -1
    out["D"] = _wald(y[hi] - y[lo], g, se)
    s = np.sqrt((se[hi] / y[hi]) ** 2 + (se[lo] / y[lo]) ** 2)
    rr = y[hi] / y[lo]
    out["R"] = (rr, rr * s, rr * np.exp(-Z * s), rr * np.exp(Z * s))
    g = -p.copy()
    g[ref_i] += 1
    # PAR and PAF are 0 on the wrong side of the mean; their limits are clipped the same way
    lo_clip, hi_clip = (0.0, np.inf) if favourable else (-np.inf, 0.0)
    par, s, lb, ub = _wald(y[ref_i] - mu, g, se)
    par, lb, ub = np.clip([par, lb, ub], lo_clip, hi_clip)
    out["PAR"] = (par, s, lb, ub)
    g_log = -p / mu
    g_log[ref_i] += 1 / y[ref_i]
    s = np.sqrt(np.sum((g_log * se) ** 2))
    q = y[ref_i] / mu
    limits = [100 * (q - 1), 100 * (q * np.exp(-Z * s) - 1), 100 * (q * np.exp(Z * s) - 1)]
    paf, lb, ub = np.clip(limits, lo_clip, hi_clip)
    out["PAF"] = (paf, 100 * q * s, lb, ub)
    if ordered:
        c = p * (2 * _rank(w) - 1)
        aci = c @ y
        out["ACI"] = _wald(aci, c, se)
        out["RCI"] = _wald(aci / mu, c / mu - aci * p / mu**2, se)
        nn = np.ceil(w)
        x = _rank(nn)
        f = np.round(y / scale * nn) / nn
        beta, dbeta = _logistic(x, f, nn * nn, scale)
        p1, p0 = expit(beta.sum()), expit(beta[0])
        d = scale * np.array([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)])
        out["SII"] = _wald(scale * (p1 - p0), d @ dbeta, se)
        s = np.sqrt(np.sum((np.array([p0 - p1, 1 - p1]) @ dbeta * se) ** 2))
        rii = p1 / p0
        out["RII"] = (rii, rii * s, rii * np.exp(-Z * s), rii * np.exp(Z * s))
        q = nn / nn.sum()
        xbar = q @ x
        dx = x - xbar
        sxx = (q * dx) @ dx
        slope = (q * dx) @ y / sxx
        out["SII_LIN"] = _wald(slope, q * dx / sxx, se)
        at0, at1 = q @ y - slope * xbar, q @ y + slope * (1 - xbar)
        g_lin = (q + q * dx / sxx * (1 - xbar)) / at1 - (q - q * dx / sxx * xbar) / at0
        s = np.sqrt(np.sum((g_lin * se) ** 2))
        out["RII_LIN"] = (
            at1 / at0,
            at1 / at0 * s,
            at1 / at0 * np.exp(-Z * s),
            at1 / at0 * np.exp(Z * s),
        )
    else:
        dev = y - mu
        bgv = p @ dev**2
        s2 = se**2
        var = 4 * np.sum(p**2 * s2 * dev**2) + 2 * (
            np.sum(p**2 * s2) ** 2 - np.sum(p**4 * s2**2) + np.sum(p**2 * (1 - p) ** 2 * s2**2)
        )
        lb = max(bgv - Z * np.sqrt(var), 0.0)  # a variance is never negative
        out["BGV"] = (bgv, np.sqrt(var), lb, bgv + Z * np.sqrt(var))
        out["BGSD"] = (np.sqrt(bgv),)
        out["COV"] = (100 * np.sqrt(bgv) / mu,)
        best = y.max() if favourable else y.min()
        out["MDMU"] = (np.abs(dev).mean(),)
        out["MDMW"] = (p @ np.abs(dev),)
        out["MDBU"] = (np.abs(y - best).mean(),)
        out["MDBW"] = (p @ np.abs(y - best),)
        out["IDISU"] = (100 * np.abs(dev).mean() / mu,)
        out["IDISW"] = (100 * (p @ np.abs(dev)) / mu,)
        if ref.sum() == 1:
            yr = y[ref == 1][0]
            out["MDRU"] = (np.abs(y - yr).mean(),)
            out["MDRW"] = (p @ np.abs(y - yr),)
        rr_ = y / mu
        t = p @ (rr_ * np.log(rr_))
        out["TI"] = _wald(1000 * t, 1000 * p / mu * (np.log(rr_) - t), se)
        out["MLD"] = _wald(-1000 * p @ np.log(rr_), 1000 * p / mu * (1 - 1 / rr_), se)
    return out


def loop(frame: pd.DataFrame) -> dict[tuple[str, str, str], tuple]:
    """Every series of the frame, one after the other (grouped with pandas, as one would)."""
    results = {}
    for (ind, area), g in frame.groupby(["indicator", "area"], sort=False):
        res = one_series(
            g["estimate"].to_numpy(),
            g["se"].to_numpy(),
            g["population"].to_numpy(),
            g["subgroup_order"].to_numpy(),
            g["reference_subgroup"].to_numpy(),
            int(g["favourable_indicator"].iloc[0]),
            int(g["ordered_dimension"].iloc[0]),
            float(g["indicator_scale"].iloc[0]),
        )
        for code, values in res.items():
            results[(ind, area, code)] = values
    return results

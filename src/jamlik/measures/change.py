"""Change over time for any measure: the gap's trend, the change between two periods, and a verdict.

Input is a long table of `compute()` output plus a time column: the `by` columns, `measure`,
`estimate`, `se`, and e.g. `period` (output of `compute()` with several confidence levels is read
once per series and period). Output has one row per series × measure.

Trend (`trend`)
    Weighted least squares of the estimate on time. With the standard errors taken as known the
    weights are 1/se², se(slope) = 1/√Σw(t − t̄)² and the interval uses the normal quantile.
    Points often scatter more than their standard errors allow (the gap moves from year to year
    for reasons beyond sampling): the residual chi² = Σ (y − ŷ)²/se² then exceeds its n − 2 degrees
    of freedom (φ = chi²/(n − 2) > 1). jamlik then fits the straight-line random-effects model
    y_t = a + b·t + u_t + e_t, Var(e_t) = se_t², Var(u_t) = τ²: τ² by the DerSimonian-Laird method
    of moments, weights 1/(se² + τ²), and the modified Knapp-Hartung variance (the residual scale
    factor q = Σw(y − ŷ)²/(n − 2), used as max(1, q)) with Student's t on n − 2 degrees of freedom.
    The interval is therefore never narrower than the one the standard errors alone give, and it
    widens with the excess scatter. `overdispersion=False` keeps the plain known-se fit. The
    simulated coverage of both regimes is in docs/measures-beyond-who.md.

Change between two periods (`change`)
    d = y_end − y_start with se = √(se_start² + se_end²), as for independent estimates. Estimates for
    the same population in two periods are usually positively correlated, which makes this se
    conservative (too wide), never too narrow.

Verdict (both)
    "narrowing"       the interval for the slope (difference) excludes 0 and the gap's distance from
                      equality |ŷ − null| is smaller at the end than at the start
    "widening"        the interval excludes 0 and that distance is larger at the end
    "no clear change" the interval includes 0
    "too few points"  the minimum-data rule fails, and no verdict is given

    Minimum-data rule: a trend needs at least 4 periods (`min_points`) spanning at least 3 years
    (`min_span`, first to last midpoint), each with an estimate and a positive standard error; a
    change needs both periods with an estimate and a positive standard error.

    `null_value` is the value a measure takes at equality: 0 for differences, indices and
    concentration indices (D, SII, ACI, Gini, Theil, D of segregation, …), 1 for ratios (R, RII),
    0.25 for the Palma ratio (10 % / 40 %). A gap narrows when it moves toward that value, from
    either side; a gap that crosses it gets a note. Measures without a fixed equality value (the
    isolation and exposure indices, whose value at no segregation depends on the city's make-up)
    need `null_values={code: value}` from the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from jamlik.measures._tablekind import FrameT

from ._change_text import VERDICTS, change_texts, trend_texts
from ._tablekind import as_list, as_pandas, input_error, like_input, require_columns, series_ids

__all__ = ["NULL_VALUES", "VERDICTS", "change", "trend"]

# fmt: off
_ZERO = [
    "D", "ACI", "RCI", "ACI_B", "RCI_B", "RCI_W", "RCI_E", "SII", "SII_LIN", "PAR", "PAF",
    "BGV", "BGSD", "COV", "MDMU", "MDMW", "MDBU", "MDBW", "MDRU", "MDRW", "IDISU", "IDISW",
    "TI", "MLD", "GINI", "ATK05", "ATK1", "ATK2", "HOOVER", "THEIL_T", "THEIL_L",
    "SEG_D", "SEG_H", "SEG_DMULTI", "SEG_M",
]
# fmt: on
_ONE = ["R", "RII", "RII_LIN"]
NULL_VALUES: dict[str, float] = {
    **dict.fromkeys(_ZERO, 0.0),
    **dict.fromkeys(_ONE, 1.0),
    "PALMA": 0.25,
}
"""The value each measure takes when there is no inequality (see module docstring)."""


def _prepare(frame, by, time, measure, estimate, se, to_time, null_values, what):
    df, kind = as_pandas(frame, what)
    by_cols = as_list(by)
    if measure in by_cols:
        by_cols.remove(measure)
    require_columns(df, [*by_cols, measure, estimate, se, time], what)
    if "conf_level" in df.columns and "conf_level" not in by_cols:
        # compute() with several confidence levels repeats each estimate once per level.
        df = df.drop_duplicates([*by_cols, measure, time, estimate, se]).reset_index(drop=True)
    t = _numeric_time(df[time], to_time, what)
    y = pd.to_numeric(df[estimate], errors="coerce").to_numpy(dtype=float)
    s_e = pd.to_numeric(df[se], errors="coerce").to_numpy(dtype=float)
    usable = np.isfinite(y) & np.isfinite(s_e) & (s_e > 0) & np.isfinite(t)
    keys = [*by_cols, measure]
    sid, series = series_ids(df, keys)
    dup = pd.DataFrame({"s": sid[usable], "t": t[usable]}).duplicated(keep=False).to_numpy()
    if dup.any():
        example = df.iloc[np.flatnonzero(usable)[dup]][[*keys, time]].head(3).to_dict("records")
        raise input_error(
            what,
            f"{int(dup.sum())} rows give the same series and period twice (e.g. {example}); "
            "add the column that tells them apart to `by`",
        )
    nulls = {**NULL_VALUES, **(null_values or {})}
    codes = series[measure].astype(str)
    unknown = sorted(set(codes) - set(nulls))
    if unknown:
        raise input_error(
            what,
            f"no equality value known for measure(s) {unknown}; pass "
            f"null_values={{'{unknown[0]}': <value at equality>}} so narrowing can be told from widening",
        )
    null = codes.map(nulls).to_numpy(dtype=float)
    labels = _time_labels(df[time])
    return df, kind, keys, sid, series, t, y, s_e, usable, null, labels


def _numeric_time(col: pd.Series, to_time: Callable[[Any], float] | None, what: str) -> np.ndarray:
    if to_time is not None:
        uniq = pd.unique(col.dropna())
        lookup = {u: float(to_time(u)) for u in uniq}
        return col.map(lookup).to_numpy(dtype=float)
    if pd.api.types.is_numeric_dtype(col):
        return col.to_numpy(dtype=float)
    t = pd.to_numeric(col, errors="coerce")
    odd = col[t.isna() & col.notna()].unique()
    if odd.size:
        raise input_error(
            what,
            f"time values such as {list(odd[:3])} are not numbers; pass "
            "to_time=jamlik.data.period_midpoint (or another function from period to decimal year)",
        )
    return t.to_numpy(dtype=float)


def _time_labels(col: pd.Series) -> np.ndarray:
    """Period labels for the output and the sentences: 2024.0 reads as "2024"."""
    if pd.api.types.is_numeric_dtype(col):
        return np.array([f"{v:g}" if np.isfinite(v) else "–" for v in col.to_numpy(dtype=float)])
    return col.astype(str).to_numpy()


def _check_level(conf_level: float, what: str) -> None:
    if not 0 < conf_level < 1:
        raise input_error(what, f"conf_level must be between 0 and 1, got {conf_level!r}")


def _direction(start_fit, end_fit, null, significant, enough):
    d0, d1 = np.abs(start_fit - null), np.abs(end_fit - null)
    verdict = np.where(d1 < d0, "narrowing", "widening")
    verdict = np.where(significant, verdict, "no clear change")
    verdict = np.where(enough, verdict, "too few points")
    crossed = enough & (np.sign(start_fit - null) * np.sign(end_fit - null) < 0)
    note = np.where(crossed, "the gap changed direction (crossed equality) during the period", None)
    return verdict, note


def trend(
    frame: FrameT,
    by: str | Iterable[str] | None = None,
    time: str = "period",
    *,
    measure: str = "measure",
    estimate: str = "estimate",
    se: str = "se",
    conf_level: float = 0.95,
    min_points: int = 4,
    min_span: float = 3.0,
    overdispersion: bool = True,
    null_values: Mapping[str, float] | None = None,
    to_time: Callable[[Any], float] | None = None,
    texts: bool = True,
) -> FrameT:
    """The trend of every series × measure at once (weighted least squares on time, 1/se² weights).

    Returns the `by` columns, `measure`, `slope` (change per unit of time, i.e. per year), `se`,
    `ci_lb`, `ci_ub`, `n_points`, `first`, `last` (period labels), `span`, `start_fit`, `end_fit`
    (fitted values at the first and last period), `dispersion` (residual chi²/(n − 2) of the
    known-se fit), `tau` (sd of the extra year-to-year variation), `null_value`, `verdict`
    (narrowing | widening | no clear change | too few points), `verdict_sv`, `verdict_en`,
    `text_sv`, `text_en` (a sentence a report can quote) and `note`. Slopes are given whenever two
    periods have estimates; the verdict follows the minimum-data rule in the module docstring.
    Time may be numeric, or period labels with `to_time` (e.g. `jamlik.data.period_midpoint`).
    """
    what = "trend"
    _check_level(conf_level, what)
    df, kind, keys, sid, series, t, y, s_e, usable, null, labels = _prepare(
        frame, by, time, measure, estimate, se, to_time, null_values, what
    )
    S = len(series)
    s, t, y, labels = sid[usable], t[usable], y[usable], labels[usable]
    se2 = s_e[usable] ** 2
    n = np.bincount(s, minlength=S)
    df_resid = n - 2
    fixed = _wls(s, t, y, 1.0 / se2, S)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(df_resid > 0, fixed["Q"] / df_resid, np.nan)
        tau2 = _dersimonian_laird(s, t, 1.0 / se2, fixed["Q"], df_resid, S)
        if not overdispersion:
            tau2 = np.zeros(S)
        fit = _wls(s, t, y, 1.0 / (se2 + tau2[s]), S)
        slope, t_bar, y_bar = fit["slope"], fit["t_bar"], fit["y_bar"]
        # Modified Knapp-Hartung: rescale by the residual scatter, never below the known-se variance.
        kh = np.where(df_resid > 0, fit["Q"] / df_resid, np.nan)
        extra = overdispersion & ((tau2 > 0) | (kh > 1))
        se_slope = np.sqrt(np.where(extra, np.maximum(kh, 1.0), 1.0) / fit["stt"])
        q = np.where(
            extra,
            stats.t.ppf(0.5 + conf_level / 2, np.maximum(df_resid, 1)),
            stats.norm.ppf(0.5 + conf_level / 2),
        )
    t_min = _seg_extreme(s, t, S, np.minimum)
    t_max = _seg_extreme(s, t, S, np.maximum)
    span = np.where(n > 0, t_max - t_min, 0.0)
    start_fit = y_bar + slope * (t_min - t_bar)
    end_fit = y_bar + slope * (t_max - t_bar)
    lo, hi = slope - q * se_slope, slope + q * se_slope
    enough = (n >= min_points) & (span >= min_span - 1e-9) & np.isfinite(se_slope)
    significant = (lo > 0) | (hi < 0)
    verdict, note = _direction(start_fit, end_fit, null, significant, enough)

    out = series.copy()
    out["slope"], out["se"], out["ci_lb"], out["ci_ub"] = slope, se_slope, lo, hi
    out["n_points"] = n
    out["first"] = _label_at(s, t, labels, S, first=True)
    out["last"] = _label_at(s, t, labels, S, first=False)
    out["span"], out["start_fit"], out["end_fit"] = span, start_fit, end_fit
    out["dispersion"], out["tau"] = phi, np.sqrt(tau2)
    out["null_value"], out["verdict"] = null, verdict
    out["note"] = note
    out = trend_texts(out, measure, conf_level, min_points, min_span) if texts else out
    return like_input(out, kind)


def change(
    frame: FrameT,
    by: str | Iterable[str] | None = None,
    time: str = "period",
    start: Any = None,
    end: Any = None,
    *,
    measure: str = "measure",
    estimate: str = "estimate",
    se: str = "se",
    conf_level: float = 0.95,
    null_values: Mapping[str, float] | None = None,
    to_time: Callable[[Any], float] | None = None,
    texts: bool = True,
) -> FrameT:
    """Change of every series × measure between two periods, with an interval and a verdict.

    `start` and `end` are period values as in the `time` column (compared on numeric time, so
    2024 matches "2024"); None means each series' first / last period with an estimate and se.
    Returns the `by` columns, `measure`, `start`, `end` (labels), `estimate_start`, `estimate_end`,
    `difference` (end − start), `se`, `ci_lb`, `ci_ub`, `null_value`, `verdict`, `verdict_sv`,
    `verdict_en`, `text_sv`, `text_en` and `note`.
    """
    what = "change"
    _check_level(conf_level, what)
    df, kind, keys, sid, series, t, y, s_e, usable, null, labels = _prepare(
        frame, by, time, measure, estimate, se, to_time, null_values, what
    )
    S = len(series)
    u = np.flatnonzero(usable)
    at = {}
    for name, value, pick_first in (("start", start, True), ("end", end, False)):
        if value is None:
            target = _seg_extreme(sid[u], t[u], S, np.minimum if pick_first else np.maximum)
        else:
            target = np.full(S, _numeric_time(pd.Series([value]), to_time, what)[0])
        row = np.full(S, -1)
        hit = u[np.isclose(t[u], target[sid[u]], rtol=0, atol=1e-9)]
        row[sid[hit]] = hit
        at[name] = row
    i0, i1 = at["start"], at["end"]
    have = (i0 >= 0) & (i1 >= 0) & (i0 != i1)
    y0, y1 = np.where(i0 >= 0, y[i0], np.nan), np.where(i1 >= 0, y[i1], np.nan)
    se0, se1 = np.where(i0 >= 0, s_e[i0], np.nan), np.where(i1 >= 0, s_e[i1], np.nan)
    diff, se_diff = y1 - y0, np.sqrt(se0**2 + se1**2)
    z = stats.norm.ppf(0.5 + conf_level / 2)
    lo, hi = diff - z * se_diff, diff + z * se_diff
    verdict, note = _direction(y0, y1, null, (lo > 0) | (hi < 0), have)

    out = series.copy()
    out["start"] = np.where(i0 >= 0, labels[i0], None if start is None else str(start))
    out["end"] = np.where(i1 >= 0, labels[i1], None if end is None else str(end))
    out["estimate_start"], out["estimate_end"] = y0, y1
    out["difference"], out["se"], out["ci_lb"], out["ci_ub"] = diff, se_diff, lo, hi
    out["null_value"], out["verdict"], out["note"] = null, verdict, note
    out = change_texts(out, measure, conf_level) if texts else out
    return like_input(out, kind)


def _wls(s, t, y, w, n_series) -> dict[str, np.ndarray]:
    """Straight-line weighted least squares per series: slope, centre, Σw(t − t̄)², residual Q."""
    with np.errstate(divide="ignore", invalid="ignore"):
        sw = np.bincount(s, w, n_series)
        t_bar = np.bincount(s, w * t, n_series) / sw
        y_bar = np.bincount(s, w * y, n_series) / sw
        dt = t - t_bar[s]
        stt = np.bincount(s, w * dt**2, n_series)
        slope = np.where(stt > 0, np.bincount(s, w * dt * (y - y_bar[s]), n_series) / stt, np.nan)
        resid = y - y_bar[s] - slope[s] * dt
    return {
        "slope": slope,
        "t_bar": t_bar,
        "y_bar": y_bar,
        "stt": stt,
        "Q": np.bincount(s, w * resid**2, n_series),
    }


def _dersimonian_laird(s, t, w, Q, df_resid, n_series) -> np.ndarray:
    """Method-of-moments between-period variance τ² for a straight line (DerSimonian-Laird).

    τ² = max(0, (Q − (n − 2)) / tr P) with P = W − W X (XᵀWX)⁻¹ XᵀW, X = [1, t]; tr P is written
    out from the 2 × 2 sums so every series is done at once.
    """
    tc = t - np.bincount(s, t, n_series)[s] / np.maximum(np.bincount(s, minlength=n_series), 1)[s]

    def total(v):
        return np.bincount(s, v, n_series)

    s0, s1, s2 = total(w), total(w * tc), total(w * tc**2)
    b00, b01, b11 = total(w**2), total(w**2 * tc), total(w**2 * tc**2)
    trace_p = s0 - (s2 * b00 - 2 * s1 * b01 + s0 * b11) / (s0 * s2 - s1**2)
    return np.where(df_resid > 0, np.maximum(0.0, (Q - df_resid) / trace_p), 0.0)


def _seg_extreme(s, values, n_series, ufunc):
    """Per-series minimum or maximum (NaN for a series without values)."""
    acc = np.full(n_series, np.inf if ufunc is np.minimum else -np.inf)
    ufunc.at(acc, s, values)
    return np.where(np.isfinite(acc), acc, np.nan)


def _label_at(s, t, labels, n_series, first: bool) -> np.ndarray:
    """The period label of each series' first (or last) usable point."""
    out = np.full(n_series, None, dtype=object)
    order = np.lexsort((t if first else -t, s))
    s_sorted = s[order]
    lead = np.ones(s_sorted.size, dtype=bool)
    lead[1:] = s_sorted[1:] != s_sorted[:-1]
    out[s_sorted[lead]] = labels[order][lead]
    return out

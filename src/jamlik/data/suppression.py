"""Röjandekontroll: blank small cells before anything is shown or exported.

Rule (defaults follow common practice in Swedish official statistics for counts of people):

1. Primary: a cell is suppressed when its size (population, else denominator) is below
   `min_population` (10), or when its numerator, or the complement denominator − numerator, is
   1 or 2 (below `min_numerator`, 3): few people sharing or lacking an attribute are identifiable.
   Cells whose size is unknown are left as delivered: official sources have already checked them.
2. Secondary: a series (indicator × period × area × dimension) with exactly one suppressed
   cell would let a reader recover it from the area total and the other cells, so the
   smallest other cell of that series is suppressed too.
3. Where the area total itself is suppressed, `setting_average` is blanked as well.

A suppressed cell keeps its keys and population, loses estimate, se, ci_lb, ci_ub and
numerator, and gets flag "suppressed" (a source's own suppression symbol is kept).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jamlik.data.models import TOTAL

DEFAULT_MIN_POPULATION = 10
DEFAULT_MIN_NUMERATOR = 3
SUPPRESSED = "suppressed"
# Flags meaning "suppressed" as sources write them: SCB's "..", "x" and jamlik's own word.
SUPPRESSION_FLAGS = frozenset({SUPPRESSED, "..", "x", "X"})
_BLANKED = ("estimate", "se", "ci_lb", "ci_ub", "numerator")
_SERIES = ["indicator", "period", "area", "dimension"]


def is_suppressed_flag(flag: pd.Series) -> pd.Series:
    """True where a flag marks a suppressed cell."""
    return flag.isin(SUPPRESSION_FLAGS).fillna(False).astype(bool)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return pd.Series(np.nan, index=frame.index)


def suppress(
    frame: pd.DataFrame,
    min_population: float = DEFAULT_MIN_POPULATION,
    min_numerator: float = DEFAULT_MIN_NUMERATOR,
    *,
    secondary: bool = True,
) -> pd.DataFrame:
    """A copy of an observation frame with small cells blanked (see the module docstring).

    Works on any frame with the observation columns (`observations_frame`'s output or a frame
    about to be imported or exported); columns it does not find are treated as unknown.
    """
    out = frame.copy()
    size = _column(out, "population").fillna(_column(out, "denominator"))
    num = _column(out, "numerator")
    rest = _column(out, "denominator") - num
    primary = (
        (size < min_population)
        | ((num > 0) & (num < min_numerator))
        | ((rest > 0) & (rest < min_numerator))
    )
    flag = out["flag"] if "flag" in out else pd.Series(None, index=out.index, dtype=object)
    already = is_suppressed_flag(flag)
    hidden = primary | already

    if secondary and set(_SERIES) <= set(out.columns) and len(out):
        keys = out[_SERIES].astype(str)
        shown_count = (~hidden).groupby([keys[c] for c in _SERIES]).transform("sum")
        hidden_count = hidden.groupby([keys[c] for c in _SERIES]).transform("sum")
        exposed = (hidden_count == 1) & (shown_count >= 1) & (out["dimension"] != TOTAL)
        candidates = out.loc[exposed & ~hidden, _SERIES].assign(_size=size.fillna(np.inf))
        if len(candidates):
            smallest = candidates.sort_values("_size", kind="stable").groupby(_SERIES).head(1)
            hidden = hidden | out.index.isin(smallest.index)

    for c in _BLANKED:
        if c in out:
            out[c] = out[c].astype("float64").where(~hidden, np.nan)
    new_flag = flag.astype(object).where(flag.notna(), None)  # missing flag is None, as read
    new_flag = new_flag.where(~(hidden & ~already), SUPPRESSED)
    if "flag" in out or hidden.any():
        out["flag"] = new_flag
    if "setting_average" in out and set(_SERIES) <= set(out.columns):
        total_hidden = out.loc[
            (out["dimension"] == TOTAL) & hidden, ["indicator", "period", "area"]
        ]
        if len(total_hidden):
            key = pd.MultiIndex.from_frame(out[["indicator", "period", "area"]])
            gone = key.isin(pd.MultiIndex.from_frame(total_hidden))
            out["setting_average"] = out["setting_average"].astype("float64").where(~gone, np.nan)
    return out

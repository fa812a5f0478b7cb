"""`compute()`: many series in, one long table of measures with intervals out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from jamlik.measures._batch import Batch, Requirement, seg_min
from jamlik.measures._checks import Facts, NoteBook, failures
from jamlik.measures._errors import MeasureInputError
from jamlik.measures._frame import read_series
from jamlik.measures._interval import (
    Analytic,
    Simulation,
    analytic_limits,
    simulate,
    simulation_limits,
    z_values,
)
from jamlik.measures._registry import registry
from jamlik.measures._tablekind import FrameT, like_input

OUTPUT_COLUMNS = ("measure", "conf_level", "estimate", "se", "ci_lb", "ci_ub", "note")
MIN_FINITE_DRAWS = 0.95
_NO_SE = "no interval: standard error missing for some subgroups"
_NO_INTERVAL = "no interval: not defined for these values"


def compute(
    frame: FrameT,
    measures: str | Sequence[str] | None = None,
    by: str | Sequence[str] | None = None,
    conf_level: float | Sequence[float] = 0.95,
    draws: int = 1000,
    seed: int = 123456,
    missing: Literal["note", "drop"] = "note",
) -> FrameT:
    """Summary measures of inequality for every series in `frame`, with confidence intervals.

    Args:
        frame: one row per subgroup (pandas, Polars or PyArrow), HEAT Plus column names:
            `estimate`, `favourable_indicator` (1/0) and `ordered_dimension` (1/0) are required;
            `se`, `population`, `subgroup_order`, `reference_subgroup` (1/0),
            `indicator_scale`, `setting_average`, and `lmin`/`lmax` (bounds of a bounded
            indicator, for ACI_B, RCI_B, RCI_W, RCI_E) are used when present.
        measures: codes from `catalogue()` (e.g. ["D", "SII"]); None computes every measure
            that applies to each series (ordered or not, enough subgroups, bounds given) and
            skips the rest silently. Named measures are reported for every series, with a note
            where they do not apply.
        by: the columns that identify a series; default: those of indicator, indicator_abbr,
            period, date, area, setting, dimension present in the table.
        conf_level: one level or several, e.g. (0.95, 0.998): one output row per level.
        draws: draws per series for simulation-based intervals; 0 skips those intervals.
        seed: makes simulation intervals reproducible; the same series, seed and draws give
            the same interval whatever else is in the table.
        missing: "note" gives a series with a missing estimate a note and no numbers; "drop"
            computes it from the subgroups that have an estimate, and says so in the note.

    Returns:
        The same kind of table: the `by` columns, `measure`, `conf_level`, `estimate`, `se`
        (on the estimate's scale), `ci_lb`, `ci_ub`, `note` (why a value or interval is
        missing, or a caveat); rows ordered by series, then catalogue order, then level.

    Raises:
        MeasureInputError: a missing column, a column of the wrong type, an unknown measure
            code or an invalid argument. Problems with single series never raise.
    """
    levels = _levels(conf_level)
    if not isinstance(draws, (int, np.integer)) or draws < 0 or draws == 1:
        raise MeasureInputError(["draws must be 0 (no simulation) or an integer of at least 2"])
    if missing not in ("note", "drop"):
        raise MeasureInputError([f"missing must be 'note' or 'drop', not {missing!r}"])
    reg = registry()
    codes = _codes(measures, reg)
    run = _Run(read_series(frame, by, missing), reg, levels, draws, seed, measures is not None)
    parts = [run.measure(m, code) for m, code in enumerate(codes)]
    run.simulate_pending()
    table = _table(parts, codes, levels, run.series.keys, run.book)
    return like_input(table, run.series.kind)


class _Run:
    """State shared by the measures of one compute() call: the series, their facts, the
    sub-batches already cut, the notes."""

    def __init__(self, series, reg, levels: np.ndarray, draws: int, seed: int, explicit: bool):
        self.series, self.reg, self.draws, self.seed, self.explicit = (
            series, reg, draws, seed, explicit
        )  # fmt: skip
        self.b = series.batch
        self.facts = Facts.of(series)
        self.z = z_values(levels)
        self.se_complete = seg_min(np.isfinite(self.b.se) & (self.b.se >= 0), self.b).astype(bool)
        self.keys: np.ndarray | None = None  # series key hashes, made when simulation needs them
        self.subsets: dict[bytes, Batch] = {}
        self.masks: dict[Requirement, np.ndarray] = {}
        self.book = NoteBook()
        # simulation-based measures wait here, grouped by their sub-batch, to share draws
        self.pending: dict[bytes, list[tuple]] = {}

    def measure(self, m: int, code: str) -> _Part:
        b, req, n = self.b, self.reg.requires[code], self.b.n_series
        if req not in self.masks:  # measures of one family mostly share their requirement
            self.masks[req] = failures(req, self.facts)
        mask = self.masks[req]
        emit = np.ones(n, dtype=bool)
        if not self.explicit:
            emit = _applies(req, self.facts) & _has_columns(req, self.series.columns)
        ok = (mask == 0) & emit
        where = np.flatnonzero(emit)
        note = self.book.from_failures(mask, req)
        est, se = np.full(n, np.nan), np.full(n, np.nan)
        lo, hi = np.full((self.z.size, n), np.nan), np.full((self.z.size, n), np.nan)
        if ok.any():
            key = ok.tobytes()
            if key not in self.subsets:
                self.subsets[key] = b.subset(ok)
            sub = self.subsets[key]
            with np.errstate(all="ignore"):
                values = np.asarray(self.reg.measures[code](sub), dtype=np.float64)
            values[~np.isfinite(values)] = np.nan
            est[ok] = values
            undefined = ok & np.isnan(est)
            note[undefined] = self.book.code(
                self.reg.undefined.get(code, "not defined for these values")
            )
            spec = self.reg.intervals.get(code, Simulation())
            idx = np.flatnonzero(ok)
            part = _Part(where, m, est, se, lo, hi, note)
            if isinstance(spec, Analytic):
                se[idx], lo[:, idx], hi[:, idx] = analytic_limits(spec, sub, values, self.z)
                self._interval_notes(part, ok & ~undefined)
            elif self.draws == 0:
                self.book.add(note, ok & ~undefined, "no interval: simulation turned off (draws=0)")
            else:  # simulated later, together with the other measures of the same series
                self.pending.setdefault(key, []).append((code, spec, values, part, ok & ~undefined))
        dropped = self.series.dropped
        for k in np.unique(dropped[dropped > 0]):
            text = f"computed without {k} subgroup(s) that have no estimate"
            self.book.add(note, ~np.isnan(est) & (dropped == k), text)
        return _Part(where, m, est, se, lo, hi, note)

    def _interval_notes(self, part: _Part, computed: np.ndarray) -> None:
        no_interval = computed & np.isnan(part.lo[0])
        self.book.add(part.note, no_interval & ~self.se_complete, _NO_SE)
        self.book.add(part.note, no_interval & self.se_complete, _NO_INTERVAL)

    def simulate_pending(self) -> None:
        """Simulation intervals: one set of draws per group of series, shared by the measures
        computed on that group."""
        for key, pending in self.pending.items():
            idx = np.flatnonzero(np.frombuffer(key, dtype=bool))
            complete = self.se_complete[idx]
            if complete.any():
                if self.keys is None:
                    self.keys = self.series.key_hash()
                fns = {code: self.reg.measures[code] for code, *_ in pending}
                sim = self.subsets[key].subset(complete)
                results = simulate(fns, sim, self.keys[idx[complete]], self.draws, self.seed)
                for code, spec, values, part, _ in pending:
                    r = results[code]
                    v = values[complete]
                    sd = np.where((r.finite >= MIN_FINITE_DRAWS) & np.isfinite(v), r.sd, np.nan)
                    gi = idx[complete]
                    part.se[gi] = sd
                    part.lo[:, gi], part.hi[:, gi] = simulation_limits(spec, v, r.mean, sd, self.z)
            for *_, part, computed in pending:
                self._interval_notes(part, computed)


def _levels(conf_level: float | Sequence[float]) -> np.ndarray:
    try:
        levels = np.atleast_1d(np.asarray(conf_level, dtype=np.float64))
    except (TypeError, ValueError):
        levels = np.array([np.nan])
    if levels.ndim != 1 or levels.size == 0 or not np.all((levels > 0) & (levels < 1)):
        raise MeasureInputError(
            [f"conf_level must be a number between 0 and 1, or several: got {conf_level!r}"]
        )
    return levels


def _codes(measures: str | Sequence[str] | None, reg) -> list[str]:
    if measures is None:
        return list(reg.measures)
    asked = [measures] if isinstance(measures, str) else list(measures)
    problems = []
    for code in asked:
        if code in reg.measures:
            continue
        if code in reg.entries:
            problems.append(
                f"measure {code!r} is not computed by compute(); see its catalogue entry "
                f"(family '{reg.entries[code].family}')"
            )
        else:
            problems.append(f"unknown measure {code!r}; known: {', '.join(reg.measures)}")
    if problems:
        raise MeasureInputError(problems, what="measures")
    order = {c: i for i, c in enumerate(reg.measures)}
    return sorted(dict.fromkeys(asked), key=order.__getitem__)


def _applies(req, f: Facts) -> np.ndarray:
    """measures=None: leave out measures that do not fit the kind of series at all."""
    known = f.ordered_known & ~f.inconsistent
    wrong_kind = known & (
        ((req.ordered is True) & ~f.ordered) | ((req.ordered is False) & f.ordered)
    )
    too_few_for_complex = (f.counts >= 2) & (f.counts < req.min_subgroups)
    return ~wrong_kind & ~too_few_for_complex


def _has_columns(req, columns: frozenset[str]) -> bool:
    return not req.bounds or {"lmin", "lmax"} <= columns


class _Part(NamedTuple):
    """One measure's values for every series (limits: levels × series), filled in place as
    intervals are computed; `where` are the series that get a row in the output."""

    where: np.ndarray
    measure: int
    estimate: np.ndarray
    se: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    note: np.ndarray


def _table(
    parts: list[_Part], codes: list[str], levels: np.ndarray, keys: pd.DataFrame, book: NoteBook
) -> pd.DataFrame:
    """Long table ordered by series, then measure, then confidence level."""
    n_levels = levels.size
    where = np.concatenate([p.where for p in parts])
    measure = np.concatenate([np.full(p.where.size, p.measure) for p in parts])
    order = np.lexsort((measure, where))
    rep = np.repeat(order, n_levels)  # each (series, measure) row once per level
    level_idx = np.tile(np.arange(n_levels), order.size)

    def cut(field: str) -> np.ndarray:
        return np.concatenate([getattr(p, field)[p.where] for p in parts])[rep]

    def limits(field: str) -> np.ndarray:
        stacked = np.concatenate([getattr(p, field)[:, p.where] for p in parts], axis=1)
        return stacked[level_idx, rep]

    se = cut("se")
    se[~np.isfinite(se)] = np.nan
    values = pd.DataFrame(
        {
            "measure": pd.Categorical.from_codes(measure[rep], categories=codes),
            "conf_level": levels[level_idx],
            "estimate": cut("estimate"),
            "se": se,
            "ci_lb": limits("lo"),
            "ci_ub": limits("hi"),
            "note": pd.Categorical.from_codes(cut("note"), categories=book.texts),
        },
        copy=False,  # fresh arrays: no need to copy them into one block
    )
    by = keys.iloc[where[rep]].reset_index(drop=True)
    return pd.concat([by, values], axis=1) if by.shape[1] else values

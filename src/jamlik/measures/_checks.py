"""Which series a measure can be computed for, and a short plain-English note for the others.

Every check is one vectorised test over all series; the notes of a measure are built from a
bit mask per series, so a table with 100,000 series formats only its few distinct messages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from jamlik.measures._batch import Batch, Requirement, seg_max, seg_min, seg_sum, weighted_mean
from jamlik.measures._frame import Series


@dataclass(frozen=True)
class Facts:
    """Per-series facts every requirement is checked against (computed once per call)."""

    counts: np.ndarray
    bad_estimate: np.ndarray
    inconsistent: np.ndarray
    ordered_known: np.ndarray
    ordered: np.ndarray
    favourable_known: np.ndarray
    order_missing: np.ndarray
    population_ok: np.ndarray  # every subgroup has a finite population >= 0, total > 0
    setting_ok: np.ndarray
    n_reference: np.ndarray
    scale_ok: np.ndarray
    y_min: np.ndarray
    y_max: np.ndarray
    bounds_ok: np.ndarray
    scale: np.ndarray
    lmin: np.ndarray
    lmax: np.ndarray
    means: dict[str, np.ndarray]  # μ per Requirement.mean

    @classmethod
    def of(cls, s: Series) -> Facts:
        b = s.batch
        w_ok = np.isfinite(b.w) & (b.w >= 0)
        population_ok = (seg_min(w_ok, b) > 0) & (seg_sum(np.where(w_ok, b.w, 0.0), b) > 0)
        safe = _with_safe_population(b, population_ok)
        with np.errstate(all="ignore"):
            means = {
                "population": np.where(population_ok, weighted_mean(safe), np.nan),
                "population_or_setting": np.where(
                    population_ok, weighted_mean(safe), b.setting_average
                ),
            }
            means["setting_or_population"] = np.where(
                np.isfinite(b.setting_average), b.setting_average, means["population"]
            )
        return cls(
            counts=b.counts,
            bad_estimate=s.bad_estimate,
            inconsistent=s.inconsistent,
            ordered_known=s.ordered_known,
            ordered=b.ordered,
            favourable_known=s.favourable_known,
            order_missing=b.ordered & (seg_max(np.isnan(b.order), b) > 0),
            population_ok=population_ok,
            setting_ok=np.isfinite(b.setting_average),
            n_reference=seg_sum(b.ref.astype(np.int64), b),
            scale_ok=np.isfinite(b.scale) & (b.scale > 0),
            y_min=seg_min(b.y, b),
            y_max=seg_max(b.y, b),
            bounds_ok=np.isfinite(b.lmin) & np.isfinite(b.lmax) & (b.lmin < b.lmax),
            scale=b.scale,
            lmin=b.lmin,
            lmax=b.lmax,
            means=means,
        )


def _with_safe_population(b: Batch, ok: np.ndarray) -> Batch:
    """A copy whose populations are usable everywhere, so the means can be taken in one pass."""
    return replace(b, w=np.where(ok[b.sid], b.w, 1.0))


# Each failed check sets one bit; the note lists the messages of the set bits, in this order.
_MESSAGES = (
    "estimate missing or not finite for some subgroups",
    "favourable_indicator, ordered_dimension, indicator_scale, setting_average, lmin or lmax "
    "differs between subgroups",
    "ordered_dimension missing",
    "needs at least {k} subgroups",
    "only for ordered dimensions",
    "only for non-ordered dimensions",
    "subgroup_order missing for some subgroups",
    "population missing, negative or 0 in total",
    "needs a population for every subgroup or a setting_average",
    "needs exactly one reference subgroup",
    "more than one reference subgroup",
    "favourable_indicator missing",
    "indicator_scale missing or not positive",
    "estimate outside 0..indicator_scale (a proportion is needed)",
    "lmin and lmax missing, or lmin not below lmax",
    "estimate outside lmin..lmax",
    "negative estimate (no logarithm)",
    "mean is not positive",
)


def failures(req: Requirement, f: Facts) -> np.ndarray:
    """Bit mask per series of the checks this requirement fails (0 = can be computed)."""
    ordered_ok = f.ordered_known & ~f.inconsistent
    mean = f.means.get(req.mean, f.means["population"])
    tests = [
        f.bad_estimate,
        f.inconsistent,
        ~f.ordered_known,
        f.counts < req.min_subgroups,
        ordered_ok & (req.ordered is True) & ~f.ordered,
        ordered_ok & (req.ordered is False) & f.ordered,
        f.order_missing,
        np.full(f.counts.size, req.weighted) & ~f.population_ok,
        np.full(f.counts.size, req.mean != "population")
        & ~f.population_ok
        & ~f.setting_ok
        & (not req.weighted),
        np.full(f.counts.size, req.reference) & (f.n_reference != 1),
        np.full(f.counts.size, req.uses_reference and not req.reference) & (f.n_reference > 1),
        np.full(f.counts.size, req.favourable) & ~f.favourable_known,
        np.full(f.counts.size, req.scale or req.within_scale) & ~f.scale_ok,
        np.full(f.counts.size, req.within_scale)
        & f.scale_ok
        & ((f.y_min < 0) | (f.y_max > f.scale)),
        np.full(f.counts.size, req.bounds) & ~f.bounds_ok,
        np.full(f.counts.size, req.bounds)
        & f.bounds_ok
        & ((f.y_min < f.lmin) | (f.y_max > f.lmax)),
        np.full(f.counts.size, req.nonnegative) & (f.y_min < 0),
        np.full(f.counts.size, req.positive_mean) & ~(mean > 0) & np.isfinite(mean),
    ]
    mask = np.zeros(f.counts.size, dtype=np.int64)
    for bit, failed in enumerate(tests):
        mask |= np.asarray(failed, dtype=np.int64) << bit
    return mask


class NoteBook:
    """Notes as integer codes into a list of distinct texts: a million rows of notes cost a
    million small integers, and the output column becomes a categorical for free."""

    def __init__(self) -> None:
        self.texts: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def code(self, text: str) -> int:
        if text not in self._index:
            self._index[text] = len(self.texts)
            self.texts.append(text)
        return self._index[text]

    def add(self, codes: np.ndarray, where: np.ndarray, text: str) -> None:
        """Append `text` to the notes of the rows in `where` (bool), in place."""
        if not where.any():
            return
        for old in np.unique(codes[where]):
            joined = f"{self.texts[old]}; {text}" if old else text
            codes[where & (codes == old)] = self.code(joined)

    def from_failures(self, mask: np.ndarray, req: Requirement) -> np.ndarray:
        """Note codes for the failure bit masks of one requirement (0 where nothing failed)."""
        codes = np.zeros(mask.size, dtype=np.int64)
        for value in np.unique(mask[mask != 0]):
            parts = [
                _MESSAGES[bit].format(k=req.min_subgroups)
                for bit in range(len(_MESSAGES))
                if value >> bit & 1
            ]
            codes[mask == value] = self.code("; ".join(parts))
        return codes

"""Röjandekontroll: blank small cells, and what would give them away, before anything is shown.

Rule (the thresholds are the workspace's `SuppressionPolicy`, `jamlik.data.policy`):

1. Primary ("för få personer"): a cell is hidden when its size (population, else denominator) is
   below `min_population`, or when its numerator, or the complement denominator − numerator, is
   positive and below `min_numerator`: few people sharing or lacking an attribute are
   identifiable. Cells whose size is unknown are left as delivered (official sources have
   checked them). Cells a source already flags as suppressed stay hidden.
2. Secondary ("skyddas för att en annan uppgift inte ska kunna räknas fram"): across each
   indicator × period — every area and every breakdown, linked by the area hierarchy and by
   each breakdown adding up to its total — further cells are hidden until the differencing
   attack of `jamlik.data.disclosure` finds no hidden count that can be computed or narrowed
   below `protection` people. The heuristic: for each exposed cell, take the relation through
   which it is exposed with the fewest unknowns and hide its smallest shown cell; audit the
   table again; repeat (at most once per cell, so it ends).
3. Where the area total itself is hidden, `setting_average` is blanked as well.

A hidden cell keeps its keys, loses estimate, se, ci_lb, ci_ub and numerator, and gets the flag
"suppressed" (primary) or "suppressed_secondary" (secondary); a source's own symbol is kept. Its
population and denominator stay, are rounded or are blanked as the policy says.

The result depends on the whole table: suppress complete indicator × period tables (all areas,
all dimensions) and select afterwards, so that every output hides the same cells.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from jamlik.data.disclosure import (
    SECONDARY,
    SUPPRESSION_FLAGS,
    build_table,
    column,
    exposed_cells,
    is_suppressed_flag,
    rounded_size,
    tables_of,
)
from jamlik.data.models import TOTAL
from jamlik.data.policy import (
    DEFAULT_MIN_NUMERATOR,
    DEFAULT_MIN_POPULATION,
    DEFAULT_POLICY,
    SuppressionPolicy,
)

SUPPRESSED = "suppressed"
MARKER = "jamlik_suppressed"  # frame.attrs key: the policy and hierarchy a frame passed
__all__ = [
    "DEFAULT_MIN_NUMERATOR",
    "DEFAULT_MIN_POPULATION",
    "SECONDARY",
    "SUPPRESSED",
    "SUPPRESSION_FLAGS",
    "is_suppressed_flag",
    "primary_mask",
    "suppress",
]
_BLANKED = ("estimate", "se", "ci_lb", "ci_ub", "numerator")


def primary_mask(frame: pd.DataFrame, policy: SuppressionPolicy = DEFAULT_POLICY) -> pd.Series:
    """True where a cell is too small to show by itself."""
    size = column(frame, "population").fillna(column(frame, "denominator"))
    num = column(frame, "numerator")
    rest = column(frame, "denominator") - num
    return (
        (size < policy.min_population)
        | ((num > 0) & (num < policy.min_numerator))
        | ((rest > 0) & (rest < policy.min_numerator))
    )


def _secondary(
    frame: pd.DataFrame,
    hidden: pd.Series,
    parents: Mapping[str, str | None],
    policy: SuppressionPolicy,
) -> pd.Series:
    """Cells to hide besides `hidden` so that the audit finds nothing (see module docstring)."""
    extra = pd.Series(False, index=frame.index)
    if not {"area", "dimension", "subgroup"} <= set(frame.columns):
        return extra
    est = column(frame, "estimate")
    size_all = column(frame, "denominator").fillna(column(frame, "population"))
    num = column(frame, "numerator")
    scale = column(frame, "indicator_scale")
    for _, rows in tables_of(frame):
        mask = hidden.loc[rows.index].to_numpy().copy()
        if not mask.any():
            continue
        size = size_all.loc[rows.index].to_numpy()
        sc = scale.loc[rows.index].to_numpy()
        sc = np.where(np.isfinite(sc), sc, 1.0)
        x_true = np.where(
            np.isfinite(num.loc[rows.index]), num.loc[rows.index], est.loc[rows.index] * size / sc
        )
        # A source's own hidden cell has no value even here; a virtual total over it (a sum a
        # reader may find elsewhere) is placed as if the cell sat mid-range.
        x_true = np.where(np.isfinite(x_true), x_true, size / 2)
        key = _table_key(rows, mask, x_true, size, policy, parents)
        if key in _DONE:
            mask = _DONE[key].copy()
        else:
            mask = _protect(rows, mask, x_true, size, policy, parents)
            _DONE[key] = mask.copy()
            while len(_DONE) > _DONE_MAX:
                _DONE.pop(next(iter(_DONE)))
        added = mask & ~hidden.loc[rows.index].to_numpy()
        extra.loc[rows.index[added]] = True
    return extra


# Tables already protected in this process (the web server, a report after its follow-up):
# the same table, policy and hierarchy always get the same cells hidden.
_DONE: dict[str, np.ndarray] = {}
_DONE_MAX = 20_000


def _table_key(rows, mask, x_true, size, policy, parents) -> str:
    h = hashlib.blake2b(digest_size=20)
    policy_json, hierarchy = _marker(policy, parents)
    h.update(policy_json.encode())
    h.update(repr(sorted(hierarchy)).encode())
    for c in ("area", "dimension", "subgroup"):
        h.update("\x1f".join(rows[c].astype(str)).encode())
    for a in (mask, x_true, size, column(rows, "estimate").to_numpy()):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _protect(rows, mask, x_true, size, policy, parents) -> np.ndarray:
    """The audit-driven greedy loop on one table: the final hidden mask."""
    mask = mask.copy()
    base = build_table(rows, mask, parents, policy, x_true=x_true, n_true=size)
    for _ in range(len(rows)):
        table = base.masked(mask, policy, sizes_published=False)
        found = exposed_cells(table, policy, quick=True)  # None: the sums do not add up
        cells = [f.cell for f in found or ()] or _alone(table)
        if not cells:
            break
        chosen = set()
        for cell in cells:
            pick = _partner(table, cell, mask)
            if pick is not None:
                chosen.add(pick)
        if not chosen:
            break
        mask[list(chosen)] = True
    return mask


def _alone(table) -> list[int]:
    """Hidden cells that are the only hidden member of a sum whose other members show, where
    some size in the sum is unknown. The audit cannot tell whether such a sum covers its whole
    (so it may find the cell safe), but a reader who knows the sizes from elsewhere (population
    by district and sex is public) can; as before linked suppression, such a sum is not left
    with a single hidden cell. Where every size is known, the audit's remainder is exact."""
    out = []
    for whole, parts, _ in table.relations:
        members = [whole, *parts]
        if all(np.isfinite(table.size[i]) for i in members):
            continue
        hidden = [i for i in members if table.protected[i]]
        if len(hidden) == 1 and any(np.isfinite(table.x[i]) for i in members):
            out.append(hidden[0])
    return out


def _partner(table, cell: int, mask: np.ndarray) -> int | None:
    """The cell to hide next for an exposed `cell`: in the relation through it with the fewest
    unknowns, a shown cell (a real row) that is no sum of others if one will do; among those,
    one whose other relations already hold a hidden cell, so hiding it opens no new door; and
    among those the smallest."""
    real = len(table.rows)
    unknown = ~np.isfinite(table.x)
    members_of = [[whole, *parts] for whole, parts, _ in table.relations]
    options = []
    for members in members_of:
        if cell not in members:
            continue
        shown = [i for i in members if i < real and not mask[i] and not unknown[i]]
        if shown:
            options.append((int(unknown[members].sum()), shown, members))
    if not options:
        return None
    options.sort(key=lambda o: o[0])
    _, shown, current = options[0]
    size = np.where(np.isfinite(table.size), table.size, np.inf)

    def opens(i: int) -> int:
        return sum(1 for m in members_of if i in m and m is not current and not unknown[m].any())

    # Totals are what readers look at first (an area's level, the municipality's row): hide
    # them only when nothing else in the relation will do.
    wholes = {whole for whole, _, _ in table.relations}
    return min(shown, key=lambda i: (i in wholes, opens(i), size[i], i))


def _hide_sizes(frame: pd.DataFrame, hidden: pd.Series, policy: SuppressionPolicy) -> None:
    for c in ("population", "denominator"):
        if c not in frame:
            continue
        values = column(frame, c)
        if policy.hidden_populations == "hidden":
            frame[c] = values.where(~hidden, np.nan)
        elif policy.hidden_populations == "rounded":
            rounded = pd.Series(rounded_size(values.to_numpy(), policy.rounding_base), frame.index)
            frame[c] = values.where(~hidden, rounded)


def suppress(
    frame: pd.DataFrame,
    policy: SuppressionPolicy | None = None,
    *,
    parents: Mapping[str, str | None] | None = None,
    secondary: bool = True,
) -> pd.DataFrame:
    """A copy of an observation frame with small cells, and what would give them away, blanked.

    Works on any frame with the observation columns (`observations_frame`'s output or a frame
    about to be imported or exported); columns it does not find are treated as unknown.
    `parents` maps area id → parent area id (`area_parents(workspace)`); without it only the
    breakdowns tie areas' cells together.
    """
    policy = policy or DEFAULT_POLICY
    parents = dict(parents or {})
    marker = _marker(policy, parents)
    done = frame.attrs.get(MARKER)
    if done and done[0] == marker[0] and marker[1] <= done[1]:
        # Already suppressed with this policy and at least this hierarchy; rows selected from
        # a suppressed frame stay safe (fewer rows and relations tie fewer cells together).
        return frame.copy()
    out = frame.copy()
    flag = out["flag"] if "flag" in out else pd.Series(None, index=out.index, dtype=object)
    already = is_suppressed_flag(flag)
    primary = primary_mask(out, policy) & ~already
    hidden = primary | already
    extra = pd.Series(False, index=out.index)
    if secondary and len(out) and hidden.any():
        extra = _secondary(out, hidden, parents, policy) & ~hidden
    hidden = hidden | extra

    for c in _BLANKED:
        if c in out:
            out[c] = out[c].astype("float64").where(~hidden, np.nan)
    new_flag = flag.astype(object).where(flag.notna(), None)  # missing flag is None, as read
    new_flag = new_flag.where(~primary, SUPPRESSED).where(~extra, SECONDARY)
    if "flag" in out or hidden.any():
        out["flag"] = new_flag
    _hide_sizes(out, hidden, policy)
    if "setting_average" in out and {"indicator", "period", "area", "dimension"} <= set(out):
        total_hidden = out.loc[
            (out["dimension"] == TOTAL) & hidden, ["indicator", "period", "area"]
        ]
        if len(total_hidden):
            key = pd.MultiIndex.from_frame(out[["indicator", "period", "area"]])
            gone = key.isin(pd.MultiIndex.from_frame(total_hidden))
            out["setting_average"] = out["setting_average"].astype("float64").where(~gone, np.nan)
    out.attrs[MARKER] = marker
    return out


def _marker(
    policy: SuppressionPolicy, parents: Mapping[str, str | None]
) -> tuple[str, frozenset[tuple[str, str]]]:
    return policy.model_dump_json(), frozenset((a, p) for a, p in parents.items() if p)

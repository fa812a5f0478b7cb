"""The differencing attack on published tables (röjanderevision): what can a reader compute?

One table is an indicator × period: every area, every dimension and subgroup. A reader knows, of
each cell, what is shown: the count x (the numerator, or estimate × size / scale) and the size n
(denominator, else population). The cells are tied by additivity:

- **breakdowns**: in each area, the subgroups of a dimension add up to the area's total;
- **the area hierarchy**: the areas directly under an area add up to it, subgroup by subgroup,
  at every depth.

Neither relation is assumed to be a partition: each gets a remainder (the people in no
subgroup, or living in no listed sub-area) that is ≥ 0 and, for counts, no more than its own
size. Where the sizes show the parts cover the whole exactly, the remainder is 0; where they
exceed it (overlapping areas or groups), the relation does not hold and is left out. Bounds:
0 ≤ x ≤ n for proportions (scale 100, 1000, …), sizes ≥ 0.

For every hidden cell, linear programming (SciPy's HiGHS) finds the least and greatest value
of its count that is consistent with everything shown. A hidden cell is **exposed** when that
interval holds fewer than `policy.protection` people (or fewer than its own size, for cells
smaller than that), counting whole people; for values that are not counts (means), when the
interval is finite at all. The relations that bind at the optimum (non-zero dual values) are
the path to it. All of one table's programmes (a minimum and a maximum per hidden cell) are
solved as one block-diagonal programme: copies do not interact, so each copy's optimum is its
own.

`audit(frame, parents, policy)` runs it on a published frame; `jamlik.data.suppression`
runs the same model on a candidate publication while it chooses what else to hide.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog

from jamlik.data.models import TOTAL
from jamlik.data.policy import DEFAULT_POLICY, SuppressionPolicy

PROPORTION_SCALES = (100.0, 1000.0, 10_000.0, 100_000.0)
SECONDARY = "suppressed_secondary"
# Flags meaning "suppressed" as sources write them: SCB's "..", "x", and jamlik's own words.
SUPPRESSION_FLAGS = frozenset({"suppressed", SECONDARY, "..", "x", "X"})
TABLE = ["indicator", "period"]
_EPS = 1e-7


def is_suppressed_flag(flag: pd.Series) -> pd.Series:
    """True where a flag marks a suppressed cell."""
    return flag.isin(SUPPRESSION_FLAGS).fillna(False).astype(bool)


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A numeric column as float64; NaN when the frame does not have it."""
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return pd.Series(np.nan, index=frame.index)


def rounded_size(n: np.ndarray, base: int) -> np.ndarray:
    """Sizes rounded to the nearest multiple of `base` (halves up), as hidden cells show them."""
    return np.floor(n / base + 0.5) * base


@dataclass(frozen=True)
class Exposure:
    """A hidden cell a reader can compute or narrow down, and how."""

    indicator: str
    period: str
    area: str
    dimension: str
    subgroup: str
    low: float  # the least and greatest count consistent with what is shown
    high: float
    required: float  # the interval it should at least span (people)
    exact: bool  # recovered exactly (one value possible)
    path: tuple[str, ...]  # the relations that give it

    def describe(self) -> str:
        what = "exakt / exactly" if self.exact else "inringad / narrowed"
        rng = f"{_fmt(self.low)}–{_fmt(self.high)}" if not self.exact else _fmt(self.low)
        return (
            f"{self.indicator} {self.period} {self.area} {self.dimension}/{self.subgroup}: "
            f"{what} {rng} (skydd / protection {_fmt(self.required)}) via "
            + "; ".join(self.path or ("gränser / bounds",))
        )


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 1e-6 else f"{v:.2f}"


@dataclass
class AuditResult:
    """What `audit` found: counts and every exposed cell."""

    tables: int = 0
    cells: int = 0
    hidden: int = 0
    primary: int = 0
    secondary: int = 0
    exposures: list[Exposure] = field(default_factory=list)
    inconsistent: list[tuple[str, str]] = field(default_factory=list)  # tables not adding up

    @property
    def ok(self) -> bool:
        return not self.exposures

    @property
    def exact(self) -> int:
        return sum(e.exact for e in self.exposures)


# --- One table as a reader sees it -------------------------------------------------------------


@dataclass
class Table:
    """The cells of one indicator × period as published, and what ties them."""

    keys: list[tuple[str, str, str]]  # (area, dimension, subgroup); virtual totals at the end
    rows: np.ndarray  # the frame's row labels of the real cells (len ≤ len(keys))
    x: np.ndarray  # the count a reader sees; NaN where hidden or missing
    x_tol: np.ndarray  # how far the shown count may be off (rounded estimates)
    n_lo: np.ndarray  # what a reader knows of the size
    n_hi: np.ndarray
    size: np.ndarray  # the size as far as the publisher knows it (for choosing cells to hide)
    protected: np.ndarray  # hidden cells: their counts must not be computable
    proportion: bool
    relations: list[tuple[int, list[int], str]]  # (whole, parts, label)
    x_full: np.ndarray  # the counts as they would be shown with nothing hidden
    leak: np.ndarray  # hidden cells that show their count anyway

    def masked(
        self, hidden: np.ndarray, policy: SuppressionPolicy, *, sizes_published: bool
    ) -> Table:
        """The table as a reader sees it with the real cells `hidden` hidden. Sizes are the
        published ones (`sizes_published`, the audit) or the true ones (suppression), which
        are then rounded or dropped as the policy says."""
        real = len(self.rows)
        mask = np.zeros(len(self.keys), dtype=bool)
        mask[:real] = hidden
        x = np.where(mask & ~self.leak, np.nan, self.x_full)
        size = self.size
        known = np.isfinite(size)
        n_lo = np.where(known, size, 0.0)
        n_hi = np.where(known, size, np.inf)
        if policy.hidden_populations == "rounded":
            half = policy.rounding_base / 2
            shown_n = size if sizes_published else rounded_size(size, policy.rounding_base)
            n_lo = np.where(mask & known, np.maximum(shown_n - half, 0), n_lo)
            n_hi = np.where(mask & known, shown_n + half, n_hi)
        elif policy.hidden_populations == "hidden" and not sizes_published:
            n_lo = np.where(mask, 0.0, n_lo)
            n_hi = np.where(mask, np.inf, n_hi)
        return Table(
            keys=self.keys,
            rows=self.rows,
            x=x,
            x_tol=np.where(np.isfinite(x), self.x_tol, 0.0),
            n_lo=n_lo,
            n_hi=n_hi,
            size=self.size,
            protected=mask,
            proportion=self.proportion,
            relations=self.relations,
            x_full=self.x_full,
            leak=self.leak,
        )


def _decimals(values: np.ndarray) -> np.ndarray:
    """The number of decimals a value is written with (at most 6; 6 when it is not rounded)."""
    out = np.full(values.shape, 6, dtype=float)
    todo = np.isfinite(values)
    for d in range(6):
        hit = todo & (np.abs(values * 10**d - np.round(values * 10**d)) < 1e-6)
        out[hit] = d
        todo &= ~hit
    return out


def build_table(
    rows: pd.DataFrame,
    hidden: np.ndarray,
    parents: Mapping[str, str | None],
    policy: SuppressionPolicy = DEFAULT_POLICY,
    *,
    x_true: np.ndarray | None = None,
    n_true: np.ndarray | None = None,
) -> Table:
    """The reader's view of one table. `rows` hold the published values (hidden rows' values
    are ignored); `x_true`/`n_true` (the publisher's) add a virtual total to a breakdown whose
    area has no total row, as if it were published elsewhere."""
    est = column(rows, "estimate").to_numpy()
    num = column(rows, "numerator").to_numpy()
    den = column(rows, "denominator").to_numpy()
    pop = column(rows, "population").to_numpy()
    size = np.where(np.isfinite(den), den, pop)
    scale_col = column(rows, "indicator_scale").to_numpy()
    scale = float(np.nanmax(scale_col)) if np.isfinite(scale_col).any() else math.nan
    shown_est = est[~hidden & np.isfinite(est)]
    if np.isfinite(num).any() and np.isfinite(den).any():
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = est / np.where(den > 0, num / den, np.nan)
        ratio = ratio[np.isfinite(ratio) & ~hidden]
        scale = float(np.median(ratio)) if len(ratio) else (scale if scale == scale else 100.0)
    proportion = bool(
        scale in PROPORTION_SCALES
        and (not len(shown_est) or (shown_est.min() >= -_EPS and shown_est.max() <= scale + _EPS))
    )
    if not math.isfinite(scale) or scale == 0:
        scale = 1.0
    # The area total's estimate shown as `setting_average` beside its subgroups counts as shown.
    keys = list(zip(rows["area"].astype(str), rows["dimension"].astype(str),
                    rows["subgroup"].astype(str), strict=True))  # fmt: skip
    if "setting_average" in rows:
        avg = column(rows, "setting_average").to_numpy()
        by_area = {}
        for (a, _, _), v in zip(keys, avg, strict=True):
            if math.isfinite(v):
                by_area.setdefault(a, v)
        est = est.copy()
        for i, (a, d, s) in enumerate(keys):
            if d == TOTAL and s == TOTAL and hidden[i] and a in by_area:
                est[i] = by_area[a]
    x = np.where(np.isfinite(num), num, est * size / scale)
    # The table's precision: estimates are rounded to the most decimals any shown one has.
    shown = np.isfinite(est) & ~hidden
    digits = float(_decimals(est[shown]).max()) if shown.any() else 6.0
    tol = np.where(np.isfinite(num), 0.0, 0.5 * 10.0**-digits * size / scale)
    # A hidden cell that still shows its estimate (say, as setting_average) shows its count.
    leak = hidden & ~np.isfinite(num) & np.isfinite(est) & np.isfinite(size)
    if x_true is not None:  # the publisher's own values: nothing is published yet
        leak[:] = False
    real = len(keys)
    index = {k: i for i, k in enumerate(keys)}
    extra_x, extra_n = [], []
    relations: list[tuple[int, list[int], str]] = []
    by_area: dict[str, dict[str, list[int]]] = {}
    for i, (a, d, _) in enumerate(keys):
        by_area.setdefault(a, {}).setdefault(d, []).append(i)
    for a, dims in by_area.items():
        whole = index.get((a, TOTAL, TOTAL))
        for d, parts in dims.items():
            if d == TOTAL:
                continue
            if whole is None:
                if x_true is None or n_true is None:
                    continue
                xs, ns = x_true[parts], n_true[parts]
                if not (np.isfinite(xs).all() and np.isfinite(ns).all()):
                    continue
                keys.append((a, TOTAL, f"(Σ {d})"))
                extra_x.append(float(xs.sum()))
                extra_n.append(float(ns.sum()))
                relations.append((len(keys) - 1, parts, f"{a}: Σ {d}"))
            else:
                relations.append((whole, parts, f"{a}: total = Σ {d}"))
    children: dict[str, list[str]] = {}
    for a in by_area:
        p = parents.get(a)
        if p is not None and p in by_area and p != a:
            children.setdefault(p, []).append(a)
    for p, kids in children.items():
        for i in range(real):
            a, d, s = keys[i]
            if a != p:
                continue
            parts = [index[(k, d, s)] for k in kids if (k, d, s) in index]
            if parts:
                relations.append((i, parts, f"{p} = Σ {'+'.join(sorted(kids))} [{d}/{s}]"))
    if extra_x:
        x = np.concatenate([x, extra_x])
        tol = np.concatenate([tol, np.zeros(len(extra_x))])
        size = np.concatenate([size, extra_n])
        leak = np.concatenate([leak, np.zeros(len(extra_x), dtype=bool)])
    base = Table(
        keys=keys,
        rows=rows.index.to_numpy(),
        x=x,
        x_tol=tol,
        n_lo=size,
        n_hi=size,
        size=size,
        protected=np.zeros(len(keys), dtype=bool),
        proportion=proportion,
        relations=relations,
        x_full=x,
        leak=leak,
    )
    return base.masked(hidden, policy, sizes_published=x_true is None)


# --- The linear programme ----------------------------------------------------------------------


class _Program:
    """Variables with bounds, and rows Σ coef·var (= | ≤) rhs with a label."""

    def __init__(self, big: float) -> None:
        self.big = big
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.eq: list[tuple[dict[int, float], float, str]] = []
        self.ub: list[tuple[dict[int, float], float, str]] = []

    def var(self, lo: float, hi: float) -> int:
        self.lo.append(max(lo, -self.big))
        self.hi.append(min(hi, self.big))
        return len(self.lo) - 1

    def row(self, terms: dict[int, float], rhs: float, tol: float, label: str) -> None:
        if tol <= 0:
            self.eq.append((terms, rhs, label))
        else:
            self.ub.append((terms, rhs + tol, label))
            self.ub.append(({k: -v for k, v in terms.items()}, -rhs + tol, label))

    @staticmethod
    def _matrix(rows, nvar):  # noqa: ANN205
        if not rows:
            return None, None
        r, c, v = [], [], []
        for i, (terms, _, _) in enumerate(rows):
            for k, coef in terms.items():
                r.append(i)
                c.append(k)
                v.append(coef)
        a = sp.csr_matrix((v, (r, c)), shape=(len(rows), nvar))
        return a, np.array([b for _, b, _ in rows], dtype=float)

    def ranges(self, targets: list[int]):
        """(low, high, labels binding at the low, at the high) of each target variable, or
        None when the programme is infeasible (the table does not add up). Variables that
        share no row are solved apart; within a part, the minimum and maximum of every target
        are one block-diagonal programme."""
        nvar = len(self.lo)
        parent = list(range(nvar))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for terms, _, _ in self.eq + self.ub:
            ks = list(terms)
            for k in ks[1:]:
                a, b = find(ks[0]), find(k)
                if a != b:
                    parent[a] = b
        wanted: dict[int, list[int]] = {}
        for j, t in enumerate(targets):
            wanted.setdefault(find(t), []).append(j)
        out: list = [None] * len(targets)
        for root, js in wanted.items():
            members = [v for v in range(nvar) if find(v) == root]
            local = {v: k for k, v in enumerate(members)}
            eq = [r for r in self.eq if find(next(iter(r[0]))) == root]
            ub = [r for r in self.ub if find(next(iter(r[0]))) == root]
            part = self._solve(
                [local[targets[j]] for j in js],
                [self.lo[v] for v in members],
                [self.hi[v] for v in members],
                [({local[k]: c for k, c in t.items()}, b, lab) for t, b, lab in eq],
                [({local[k]: c for k, c in t.items()}, b, lab) for t, b, lab in ub],
            )
            if part is None:
                return None
            for j, r in zip(js, part, strict=True):
                out[j] = r
        return out

    @classmethod
    def _solve(cls, targets, lo, hi, eq, ub):
        nvar, k = len(lo), len(targets)
        copies = 2 * k
        a_eq, b_eq = cls._matrix(eq, nvar)
        a_ub, b_ub = cls._matrix(ub, nvar)
        eye = sp.identity(copies, format="csr")
        c = np.zeros(copies * nvar)
        for j, t in enumerate(targets):
            c[2 * j * nvar + t] = 1.0
            c[(2 * j + 1) * nvar + t] = -1.0
        res = linprog(
            c,
            A_ub=sp.kron(eye, a_ub, format="csr") if a_ub is not None else None,
            b_ub=np.tile(b_ub, copies) if b_ub is not None else None,
            A_eq=sp.kron(eye, a_eq, format="csr") if a_eq is not None else None,
            b_eq=np.tile(b_eq, copies) if b_eq is not None else None,
            bounds=np.tile(np.column_stack([lo, hi]), (copies, 1)),
            method="highs",
        )
        if res.status != 0:
            return None
        sol = res.x.reshape(copies, nvar)
        eq_m = res.eqlin.marginals.reshape(copies, len(eq)) if eq else np.zeros((copies, 0))
        ub_m = res.ineqlin.marginals.reshape(copies, len(ub)) if ub else np.zeros((copies, 0))
        out = []
        for j, t in enumerate(targets):
            paths = []
            for copy in (2 * j, 2 * j + 1):
                used = [eq[i][2] for i in np.flatnonzero(np.abs(eq_m[copy]) > 1e-9)]
                used += [ub[i][2] for i in np.flatnonzero(np.abs(ub_m[copy]) > 1e-9)]
                paths.append(used)
            out.append((sol[2 * j, t], sol[2 * j + 1, t], paths[0], paths[1]))
        return out


@dataclass
class _Found:
    cell: int
    low: float
    high: float
    required: float
    exact: bool
    path: tuple[str, ...]


def exposed_cells(
    table: Table, policy: SuppressionPolicy, *, quick: bool = False
) -> list[_Found] | None:
    """The protected cells of a table a reader can compute or narrow below the protection
    interval; None when the table's published values contradict its relations. `quick`: when
    some hidden cell is the only unknown of a relation, return those without solving."""
    shown_anyway = [
        _Found(i, table.x[i], table.x[i], policy.protection, True, ("shown value",))
        for i in np.flatnonzero(table.protected & table.leak)
    ]
    if shown_anyway:
        return shown_anyway
    if not table.protected.any() or not table.relations:
        return []
    finite = np.concatenate([np.abs(table.x[np.isfinite(table.x)]),
                             table.n_hi[np.isfinite(table.n_hi)], [1.0]])  # fmt: skip
    big = 1e3 * float(finite.max()) + 1e6
    prog = _Program(big)
    xvar: dict[int, int] = {}
    nvar: dict[int, int] = {}
    prop = table.proportion
    trivial: dict[int, str] = {}

    def n_term(i: int):
        if table.n_lo[i] == table.n_hi[i]:
            return None, float(table.n_lo[i])
        if i not in nvar:
            nvar[i] = prog.var(float(table.n_lo[i]), float(table.n_hi[i]))
        return nvar[i], 0.0

    def x_term(i: int):
        if np.isfinite(table.x[i]):
            return None, float(table.x[i])
        if i not in xvar:
            if prop:
                nv, nc = n_term(i)
                xvar[i] = prog.var(0.0, nc if nv is None else math.inf)
                if nv is not None:
                    prog.ub.append(({xvar[i]: 1.0, nv: -1.0}, 0.0, f"{_key(table, i)}: x ≤ n"))
            else:
                xvar[i] = prog.var(-math.inf, math.inf)
        return xvar[i], 0.0

    for whole, parts, label in table.relations:
        members = [whole, *parts]
        signs = [1.0] + [-1.0] * len(parts)
        # Sizes: the remainder (people in no part) is ≥ 0; parts exceeding the whole overlap.
        known_n = all(table.n_lo[i] == table.n_hi[i] for i in members)
        if known_n:
            rest_n = sum(s * table.n_lo[i] for s, i in zip(signs, members, strict=True))
            slack_n = _EPS * (1 + sum(table.n_lo[i] for i in members))
            if rest_n < -max(slack_n, 0.5):
                continue
            rest_n = max(rest_n, 0.0)
            rest_var_n = None
        else:
            terms: dict[int, float] = {}
            rhs = 0.0
            for s, i in zip(signs, members, strict=True):
                v, c = n_term(i)
                if v is None:
                    rhs -= s * c
                else:
                    terms[v] = terms.get(v, 0.0) + s
            rest_var_n = prog.var(0.0, math.inf)
            terms[rest_var_n] = -1.0
            prog.row(terms, rhs, 0.0, label + " (n)")
        # Counts: whole − Σ parts − remainder = 0, within the rounding of what is shown.
        if rest_var_n is None and rest_n <= 0.5:
            rest = None
        elif prop:
            rest = prog.var(0.0, rest_n if rest_var_n is None else math.inf)
            if rest_var_n is not None:
                prog.ub.append(({rest: 1.0, rest_var_n: -1.0}, 0.0, label + " (rest)"))
        else:
            continue  # a mean over an unknown remainder ties nothing
        terms = {}
        rhs, tol, scale = 0.0, 0.0, 1.0
        for s, i in zip(signs, members, strict=True):
            v, c = x_term(i)
            if v is None:
                rhs -= s * c
                tol += table.x_tol[i]
                scale += abs(c)
            else:
                terms[v] = terms.get(v, 0.0) + s
        if not terms:
            continue
        if rest is None and len(terms) == 1:
            (only,) = terms
            for i in members:
                if xvar.get(i) == only and table.protected[i]:
                    trivial.setdefault(i, label)
        if rest is not None:
            terms[rest] = -1.0
        prog.row(terms, rhs, tol + _EPS * scale, label)

    if quick and trivial:
        return [
            _Found(i, table.x_full[i], table.x_full[i], policy.protection, True, (label,))
            for i, label in trivial.items()
        ]
    targets = [i for i in range(len(table.keys)) if table.protected[i] and i in xvar]
    if not targets:
        return []
    need_n = [i for i in targets if i in nvar]
    order = [xvar[i] for i in targets] + [nvar[i] for i in need_n]
    ranges = prog.ranges(order)
    if ranges is None:
        return None
    n_max = {i: ranges[len(targets) + k][1] for k, i in enumerate(need_n)}
    found = []
    for i, (lo, hi, path_lo, path_hi) in zip(targets, ranges, strict=False):
        path = tuple(dict.fromkeys(path_lo + path_hi))
        if prop:
            lo_i, hi_i = math.ceil(lo - 1e-6), math.floor(hi + 1e-6)
            width = hi_i - lo_i
            cap = n_max.get(i, table.n_hi[i])
            required = (
                min(policy.protection, math.floor(cap + 1e-6))
                if cap < big / 2
                else (policy.protection)
            )
            if width < required:
                found.append(_Found(i, lo_i, hi_i, required, width <= 0, path))
        elif hi < big / 2 and lo > -big / 2:
            found.append(_Found(i, lo, hi, 0.0, hi - lo <= 2 * _EPS * (1 + abs(hi)), path))
    return found


def _key(table: Table, i: int) -> str:
    a, d, s = table.keys[i]
    return f"{a} {d}/{s}"


# --- The auditor's entry point -----------------------------------------------------------------


def tables_of(frame: pd.DataFrame) -> Iterable[tuple[tuple[str, str], pd.DataFrame]]:
    """The frame split into tables (indicator × period), each with its rows in frame order."""
    keys = [c for c in TABLE if c in frame]
    if not keys:
        yield ("", ""), frame
        return
    for key, rows in frame.groupby(keys, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        yield (tuple(str(k) for k in key) + ("",) * (2 - len(key))), rows


def audit(
    frame: pd.DataFrame,
    parents: Mapping[str, str | None] | None = None,
    policy: SuppressionPolicy = DEFAULT_POLICY,
) -> AuditResult:
    """Run the differencing attack on a published frame (observation columns; a hidden cell is
    one whose flag says suppressed). `parents` maps area id → parent area id."""
    parents = parents or {}
    result = AuditResult()
    if not len(frame):
        return result
    hidden_all = is_suppressed_flag(
        frame["flag"] if "flag" in frame else pd.Series(None, index=frame.index, dtype=object)
    )
    flags = frame["flag"] if "flag" in frame else pd.Series(None, index=frame.index)
    result.cells = len(frame)
    result.hidden = int(hidden_all.sum())
    result.secondary = int((flags == SECONDARY).sum())
    result.primary = result.hidden - result.secondary
    for (ind, period), rows in tables_of(frame):
        result.tables += 1
        hidden = hidden_all.loc[rows.index].to_numpy()
        if not hidden.any():
            continue
        table = build_table(rows, hidden, parents, policy)
        found = exposed_cells(table, policy)
        if found is None:
            result.inconsistent.append((ind, period))
            continue
        for f in found:
            a, d, s = table.keys[f.cell]
            result.exposures.append(
                Exposure(ind, period, a, d, s, f.low, f.high, f.required, f.exact, f.path)
            )
    return result

"""Residential segregation between areas, from a long table of area × group counts.

Notation for one series (a city in one year): n_jm people of group m in area j, t_j = Σ_m n_jm,
N_m = Σ_j n_jm, T = Σ t_j, π_jm = n_jm/t_j, π_m = N_m/T; E = −Σ π_m ln π_m (the city's entropy)
and E_j the same inside area j.

| code        | index                                    | formula                                             |
|-------------|------------------------------------------|-----------------------------------------------------|
| SEG_D       | dissimilarity, group m vs all others      | ½ Σ_j |n_jm/N_m − (t_j − n_jm)/(T − N_m)|              |
| SEG_ISO     | isolation of group m (xPx)               | Σ_j (n_jm/N_m)(n_jm/t_j)                            |
| SEG_EXP     | exposure of m to n (interaction, xPy)    | Σ_j (n_jm/N_m)(n_jn/t_j)                            |
| SEG_H       | Theil's information theory index H       | Σ_j t_j (E − E_j) / (T E)  =  M / E                 |
| SEG_DMULTI  | multigroup dissimilarity (Sakoda)        | Σ_j Σ_m t_j |π_jm − π_m| / (2 T Σ_m π_m(1 − π_m))     |
| SEG_M       | mutual information index M (nats)        | Σ_j Σ_m (n_jm/T) ln(n_jm T / (t_j N_m))  =  E − Σ_j (t_j/T) E_j |

With two groups SEG_D of either group is the classic two-group D, and SEG_DMULTI equals it.
M decomposes exactly over a grouping of areas and of groups (`mutual_information_decomposition`).

Intervals (`draws > 0`): each area keeps its population and its group counts are redrawn from a
multinomial with the observed shares (seeded). Small areas make every index look more segregated
than the process behind it (random allocation alone gives D > 0), so the bootstrap's mean minus the
estimate is reported as `bias` and the interval is the *basic* bootstrap interval
[2θ̂ − q_(1−α/2), 2θ̂ − q_(α/2)], which corrects that bias to first order, clipped to the index's range.
The interval answers "how segregated is the process that produced these counts"; when the counts are
a whole-population register and that question is not asked, use `draws=0`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.special import xlogy

from jamlik.measures._tablekind import FrameT

from ._entry import Entry
from ._tablekind import as_list, as_pandas, input_error, like_input, require_columns, series_ids
from .segregation_decomposition import mutual_information_decomposition

__all__ = ["CODES", "ENTRIES", "mutual_information_decomposition", "segregation"]

GROUP_CODES = ("SEG_D", "SEG_ISO")  # one row per group
PAIR_CODES = ("SEG_EXP",)  # one row per ordered pair of groups
CITY_CODES = ("SEG_H", "SEG_DMULTI", "SEG_M")  # one row per series
CODES = (*GROUP_CODES, *PAIR_CODES, *CITY_CODES)


def _indices(
    X: np.ndarray, row_series: np.ndarray, n_series: int, which: Iterable[str] = CODES
) -> dict[str, np.ndarray]:
    """The indices in `which` for every series from dense counts X (rows: areas sorted by
    series; columns: groups). Group indices are series × groups, exposure series × groups²."""
    which = set(which)
    starts = np.searchsorted(row_series, np.arange(n_series))
    rs = row_series
    t = X.sum(axis=1)
    Ng = np.add.reduceat(X, starts, axis=0)  # series × groups
    T = Ng.sum(axis=1)
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        pi_j = np.where(t[:, None] > 0, X / t[:, None], 0.0)
        pi = Ng / T[:, None]
        if "SEG_D" in which:
            rest = (T[:, None] - Ng)[rs]
            gap = np.abs(X / Ng[rs] - (t[:, None] - X) / rest)
            out["SEG_D"] = 0.5 * np.add.reduceat(gap, starts, axis=0)
        if "SEG_ISO" in which:
            out["SEG_ISO"] = np.add.reduceat(X * pi_j, starts, axis=0) / Ng
        if "SEG_EXP" in which:
            pairs = np.einsum("rm,rn->rmn", X, pi_j)
            out["SEG_EXP"] = np.add.reduceat(pairs, starts, axis=0) / Ng[:, :, None]
        if which & {"SEG_H", "SEG_M"}:
            E = -xlogy(pi, pi).sum(axis=1)
            within = np.add.reduceat(-t * xlogy(pi_j, pi_j).sum(axis=1), starts) / T
            out["SEG_M"] = E - within
            out["SEG_H"] = out["SEG_M"] / E
        if "SEG_DMULTI" in which:
            simpson = (pi * (1 - pi)).sum(axis=1)
            spread = np.add.reduceat(t * np.abs(pi_j - pi[rs]).sum(axis=1), starts)
            out["SEG_DMULTI"] = spread / (2 * T * simpson)
    return {k: v for k, v in out.items() if k in which}


def _bootstrap(X, row_series, n_series, draws, seed, conf_level, est, usable, which):
    """Basic-bootstrap limits and bias for the indices in `which` (multinomial within areas)."""
    rng = np.random.default_rng(seed)
    t = X.sum(axis=1)
    R, G = X.shape
    n = np.where(usable[row_series], t, 0).astype(np.int64)
    pvals = np.where(t[:, None] > 0, X / np.where(t > 0, t, 1)[:, None], 1.0 / G)
    per_draw = R * G * (G if "SEG_EXP" in which else 1)
    chunk = max(1, min(draws, 4_000_000 // max(1, per_draw)))
    sims: dict[str, list[np.ndarray]] = {k: [] for k in which}
    done = 0
    while done < draws:
        k = min(chunk, draws - done)
        Xb = rng.multinomial(n, pvals, size=(k, R)).reshape(k * R, G).astype(float)
        rows = (np.arange(k)[:, None] * n_series + row_series[None, :]).ravel()
        res = _indices(Xb, rows, k * n_series, which)
        for key, val in res.items():
            sims[key].append(val.reshape(k, n_series, *val.shape[1:]))
        done += k
    alpha = 1 - conf_level
    out = {}
    for key, parts in sims.items():
        arr = np.concatenate(parts, axis=0)
        with np.errstate(invalid="ignore"):
            lo_q, hi_q = np.nanquantile(arr, [alpha / 2, 1 - alpha / 2], axis=0)
            bias = np.nanmean(arr, axis=0) - est[key]
        lo, hi = 2 * est[key] - hi_q, 2 * est[key] - lo_q
        upper = np.log(G) if key == "SEG_M" else 1.0
        out[key] = (np.clip(lo, 0, upper), np.clip(hi, 0, upper), bias)
    return out


def segregation(
    frame: FrameT,
    *,
    area: str = "area",
    group: str = "group",
    count: str = "count",
    by: str | Iterable[str] | None = None,
    measures: Sequence[str] | None = None,
    draws: int = 0,
    conf_level: float = 0.95,
    seed: int | None = 0,
) -> FrameT:
    """Segregation indices for one or many series (cities, years) at once.

    `frame` is long: one row per `by`… × `area` × `group` with a `count` of people (0 where a
    group is absent; a missing count makes the series' indices missing). Returns one row per
    series × measure (× group, × pair of groups): the `by` columns, `measure` (codes in `CODES`),
    `group` and `other_group` (null where they do not apply; SEG_D compares `group` with all others),
    `estimate`, `bias`, `ci_lb`, `ci_ub` (null unless `draws > 0`) and `note`.
    Accepts pandas, Polars or PyArrow and returns the same kind.

    Two areas, two groups, 100 people each; group a is 80 % of the north and 20 % of the south,
    so D = ½ (|80/100 − 20/100| + |20/100 − 80/100|) = 0.6:

    >>> import pandas as pd
    >>> from jamlik.measures.segregation import segregation
    >>> counts = pd.DataFrame({"area": ["north", "north", "south", "south"],
    ...                        "group": ["a", "b", "a", "b"], "count": [80, 20, 20, 80]})
    >>> out = segregation(counts, measures=["SEG_D", "SEG_DMULTI"])
    >>> list(zip(out["measure"], out["estimate"].round(3)))
    [('SEG_D', 0.6), ('SEG_D', 0.6), ('SEG_DMULTI', 0.6)]
    """
    df, kind = as_pandas(frame, "segregation")
    by_cols: list[str] = as_list(by)
    require_columns(df, [*by_cols, area, group, count], "segregation")
    wanted: list[str] = list(CODES) if measures is None else list(measures)
    unknown = [m for m in wanted if m not in CODES]
    if unknown:
        raise input_error("segregation", f"unknown measure(s) {unknown}; choose from {list(CODES)}")
    if not (0 < conf_level < 1) or draws < 0:
        raise input_error("segregation", "conf_level must be in (0, 1) and draws ≥ 0")
    dup = df.duplicated([*by_cols, area, group], keep=False).to_numpy()
    if dup.any():
        first = df.loc[dup, [*by_cols, area, group]].head(3).to_dict("records")
        raise input_error(
            "segregation",
            f"{int(dup.sum())} rows repeat the same series × area × group "
            f"(e.g. {first}); sum or remove them first",
        )
    counts = pd.to_numeric(df[count], errors="coerce").to_numpy(dtype=float)

    s, series_keys = series_ids(df, by_cols)
    rid, _ = series_ids(df, [*by_cols, area])
    gid, group_keys = series_ids(df, [group])
    n_series, R, G = len(series_keys), int(rid.max()) + 1, len(group_keys)
    row_series = np.zeros(R, dtype=np.int64)
    row_series[rid] = s
    X = np.zeros((R, G))
    X[rid, gid] = np.where(np.isfinite(counts) & (counts > 0), counts, 0.0)
    present = np.zeros((n_series, G), dtype=bool)
    present[s, gid] = True

    bad_count = np.bincount(s, ~np.isfinite(counts) | (counts < 0), n_series) > 0
    t = X.sum(axis=1)
    n_areas = np.bincount(row_series, t > 0, n_series)
    n_groups = (
        np.add.reduceat(X, np.searchsorted(row_series, np.arange(n_series)), axis=0) > 0
    ).sum(1)
    note = np.select(
        [bad_count, n_areas < 2, n_groups < 2],
        [
            "missing or negative count",
            "fewer than 2 areas with people",
            "fewer than 2 groups with people",
        ],
        default="",
    )
    usable = note == ""
    est = _indices(X, row_series, n_series, {*wanted, "SEG_ISO"})
    whole = np.all(np.equal(np.mod(counts[np.isfinite(counts)], 1), 0))
    boot = None
    if draws > 0:
        if not whole:
            raise input_error("segregation", "the bootstrap (draws > 0) needs whole-number counts")
        boot = _bootstrap(X, row_series, n_series, draws, seed, conf_level, est, usable, wanted)

    labels = group_keys[group].to_numpy()
    cols: dict[str, list[np.ndarray]] = {k: [] for k in _OUT}
    for code in wanted:
        if code in CITY_CODES:
            ss = np.arange(n_series)
            g1 = g2 = None
            pick: tuple = (ss,)
        elif code in GROUP_CODES:
            ss, g1 = np.nonzero(present)
            g2 = None
            pick = (ss, g1)
        else:
            ss, g1, g2 = np.nonzero(present[:, :, None] & present[:, None, :])
            keep = g1 != g2
            ss, g1, g2 = ss[keep], g1[keep], g2[keep]
            pick = (ss, g1, g2)
        ok = usable[ss]
        why = note[ss].astype(object)
        if g1 is not None:
            empty = ok & ~(est["SEG_ISO"][ss, g1] >= 0)
            why = np.where(empty, "group has no people in this series", why)
            ok = ok & ~empty
        cols["series"].append(ss)
        cols["measure"].append(np.full(ss.size, code, dtype=object))
        cols["group"].append(np.full(ss.size, None) if g1 is None else labels[g1])
        cols["other_group"].append(np.full(ss.size, None) if g2 is None else labels[g2])
        cols["estimate"].append(np.where(ok, est[code][pick], np.nan))
        for name, arr in zip(
            ("ci_lb", "ci_ub", "bias"), boot[code] if boot else (None,) * 3, strict=True
        ):
            cols[name].append(
                np.where(ok, arr[pick], np.nan) if arr is not None else np.full(ss.size, np.nan)
            )
        cols["note"].append(np.where(why == "", np.array(None, dtype=object), why))
    flat = {k: np.concatenate(v) for k, v in cols.items()}
    series_index = flat.pop("series")
    keys = series_keys.iloc[series_index].reset_index(drop=True) if by_cols else pd.DataFrame()
    result = pd.concat([keys, pd.DataFrame(flat)[list(_OUT[1:])]], axis=1)
    return like_input(result, kind)


_OUT = ("series", "measure", "group", "other_group", "estimate", "bias", "ci_lb", "ci_ub", "note")


def _entry(
    code, sv, en, formula, isv, ien, ref, applies="areas × groups (counts), 2+ areas"
) -> Entry:
    return Entry(
        code=code,
        name_sv=sv,
        name_en=en,
        kind="relative",
        weighted=True,
        applies_to=applies,
        formula=formula,
        interpretation_sv=isv,
        interpretation_en=ien,
        interval="multinomial bootstrap within areas (seeded), basic interval with bias estimate; "
        "none by default (draws=0)",
        interval_sv=(
            "Bootstrap: antalen i varje område dras om slumpvis (med fast slumpfrö) och "
            "intervallet räknas ur dragningarna, med en skattning av snedvridningen. Som "
            "standard räknas inget intervall (draws=0)."
        ),
        reference=ref,
        family="segregation",
    )


_MD = "Massey DS, Denton NA (1988). The dimensions of residential segregation. Social Forces 67:281-315."
_RF = (
    "Reardon SF, Firebaugh G (2002). Measures of multigroup segregation. Sociol Methodol 32:33-67."
)
_MR = (
    "Mora R, Ruiz-Castillo J (2011). Entropy-based segregation indices. Sociol Methodol 41:159-194."
)

ENTRIES: list[Entry] = [
    _entry(
        "SEG_D",
        "Segregationsindex (olikhetsindex)",
        "Index of dissimilarity",
        "D_m = ½ Σ_j |n_jm/N_m − (t_j − n_jm)/(T − N_m)|",
        "Andelen av gruppen som skulle behöva flytta till ett annat område för att gruppen ska vara "
        "jämnt fördelad över staden; 0 betyder ingen och 1 total boendesegregation.",
        "The share of the group that would have to move to another area for it to be spread evenly "
        "across the city; 0 means none and 1 complete residential segregation.",
        _MD,
    ),
    _entry(
        "SEG_ISO",
        "Isoleringsindex",
        "Isolation index",
        "xPx_m = Σ_j (n_jm/N_m)(n_jm/t_j)",
        "Hur stor andel av grannarna i det egna området som i genomsnitt tillhör samma grupp, för en "
        "person i gruppen. Jämför med gruppens andel av hela staden.",
        "For a member of the group, the average share of their area's residents who belong to the "
        "same group. Compare with the group's share of the whole city.",
        _MD,
    ),
    _entry(
        "SEG_EXP",
        "Exponeringsindex (interaktionsindex)",
        "Exposure (interaction) index",
        "xPy_mn = Σ_j (n_jm/N_m)(n_jn/t_j)",
        "Hur stor andel av grannarna i det egna området som i genomsnitt tillhör den andra gruppen, "
        "för en person i gruppen. Låga värden betyder få möten i bostadsområdet.",
        "For a member of the group, the average share of their area's residents who belong to the "
        "other group. Low values mean few encounters where people live.",
        _MD,
        applies="areas × groups (counts), 2+ areas, ordered pairs of groups",
    ),
    _entry(
        "SEG_H",
        "Theils entropiindex H",
        "Theil's information theory index H",
        "H = Σ_j t_j (E − E_j)/(T E) = M/E",
        "Hur mycket mindre blandade områdena är än staden som helhet, som andel av stadens "
        "blandning; 0 när alla områden har stadens sammansättning, 1 när varje område har en enda grupp.",
        "How much less mixed the areas are than the city as a whole, as a share of the city's mix; "
        "0 when every area has the city's composition, 1 when every area holds one group only.",
        _RF,
    ),
    _entry(
        "SEG_DMULTI",
        "Flergruppsindex för olikhet",
        "Multigroup dissimilarity index",
        "D = Σ_j Σ_m t_j |π_jm − π_m| / (2 T Σ_m π_m(1 − π_m))",
        "Som segregationsindex D men för alla grupper samtidigt; 0 betyder att alla områden har "
        "stadens sammansättning, 1 att grupperna bor helt åtskilda.",
        "Like the index of dissimilarity but for all groups at once; 0 means every area has the "
        "city's composition, 1 that the groups live completely apart.",
        _RF,
    ),
    _entry(
        "SEG_M",
        "Ömsesidig information M",
        "Mutual information index M",
        "M = Σ_j Σ_m p_jm ln(p_jm/(p_j p_m)) = E − Σ_j (t_j/T) E_j  (natural log)",
        "Hur mycket vetskapen om var någon bor säger om vilken grupp hen tillhör; 0 betyder inget. "
        "Kan delas upp exakt: mellan och inom stadsdelar, och mellan och inom grupper av grupper.",
        "How much knowing where someone lives tells about which group they belong to; 0 means "
        "nothing. Splits exactly between and within city parts, and between and within groups of groups.",
        _MR,
    ),
]

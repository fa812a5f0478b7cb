"""Benchmarks: an area's total against the whole it belongs to, a chosen group, and the nation.

The test is a z-test on the difference d = x − x_c with a normal interval d ± z·se(d):

- independent estimates (a group of other municipalities, the nation when the area is not
  defined as part of it): se(d)² = se² + se_c²;
- an area against a whole that contains it (a district against its municipality, or against any
  area up its chain of parents): with x_c = p·x + (1 − p)·x_rest and p the area's share of the
  whole's population, Cov(x, x_c) = p·se², so se(d)² = (1 − 2p)·se² + se_c².
- a group's value is the population-weighted mean of its members' totals (unweighted when a
  population is missing), se = √Σ wᵢ² seᵢ²; the area itself is left out of its own group.

The verdict follows polarity when the interval excludes 0 ("better", "worse"), else
"no_clear_difference"; values delivered without standard errors (register data) are compared
by sign and the sentence says there is no interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from scipy import stats

from jamlik.data import Area, Indicator, read_definitions
from jamlik.data.policy import SuppressionPolicy, read_policy
from jamlik.data.publish import published_observations
from jamlik.errors import JamlikError
from jamlik.followup import texts as tx
from jamlik.followup.model import Benchmark
from jamlik.followup.series import latest_period, num
from jamlik.workspace import Workspace

_NAMES = {
    "whole": ("helheten", "the whole"),
    "group": ("jämförelsegruppen", "the comparison group"),
    "nation": ("riket", "the nation"),
}


def compare_values(
    value: float | None,
    se: float | None,
    other: float | None,
    other_se: float | None,
    *,
    favourable: bool,
    conf_level: float = 0.95,
    share: float | None = None,
) -> dict:
    """Difference, se, interval, p-value and verdict of value − other (module docstring);
    `share` is the area's population share of `other` when `other` contains it."""
    if value is None or other is None:
        return {
            "difference": None,
            "se": None,
            "ci_lb": None,
            "ci_ub": None,
            "p_value": None,
            "verdict": "no_data",
        }
    d = value - other
    if se is None or other_se is None:
        verdict = (
            "no_clear_difference" if d == 0 else ("better" if (d > 0) == favourable else "worse")
        )
        return {
            "difference": d,
            "se": None,
            "ci_lb": None,
            "ci_ub": None,
            "p_value": None,
            "verdict": verdict,
        }
    p = share or 0.0
    var = max((1 - 2 * p) * se**2 + other_se**2, (1 - p) ** 2 * se**2)
    s = math.sqrt(var)
    z = stats.norm.ppf(0.5 + conf_level / 2)
    lo, hi = d - z * s, d + z * s
    p_value = float(2 * stats.norm.sf(abs(d) / s)) if s > 0 else (0.0 if d else 1.0)
    if lo > 0 or hi < 0:
        verdict = "better" if (d > 0) == favourable else "worse"
    else:
        verdict = "no_clear_difference"
    return {
        "difference": d,
        "se": s,
        "ci_lb": lo,
        "ci_ub": hi,
        "p_value": p_value,
        "verdict": verdict,
    }


def benchmarks_from(
    totals: pd.DataFrame,
    indicator: Indicator,
    area: str,
    areas: dict[str, Area],
    *,
    whole: str | None = None,
    group: Sequence[str] = (),
    nation: str | None = None,
    period: str | None = None,
    conf_level: float = 0.95,
) -> list[Benchmark]:
    """Benchmarks of one area from a frame of (suppressed) totals of one or more areas."""
    rows = totals[totals["indicator"] == indicator.id]
    if period is None:
        period = latest_period(
            rows.loc[(rows["area"] == area) & rows["estimate"].notna(), "period"]
        )
    if period is None:
        return []
    now = rows[rows["period"] == period].drop_duplicates("area").set_index("area")

    def get(a: str, col: str) -> float | None:
        return num(now.at[a, col]) if a in now.index else None

    out = []
    comparisons = [
        ("whole", [whole] if whole else []),
        ("group", [g for g in group if g != area]),
        ("nation", [nation] if nation else []),
    ]
    for kind, members in comparisons:
        if not members:
            continue
        if kind == "group":
            other, other_se = _group_value(members, get)
        else:
            other, other_se = get(members[0], "estimate"), get(members[0], "se")
        share = None
        if len(members) == 1 and _contains(members[0], area, areas):
            pop, whole_pop = get(area, "population"), get(members[0], "population")
            if not (pop and whole_pop):
                pop, whole_pop = areas[area].population, areas[members[0]].population
            share = pop / whole_pop if pop and whole_pop else 0.0
        result = compare_values(
            get(area, "estimate"),
            get(area, "se"),
            other,
            other_se,
            favourable=indicator.favourable,
            conf_level=conf_level,
            share=share,
        )
        text_sv, text_en = _texts(kind, result, indicator, areas, area, period, conf_level)
        out.append(
            Benchmark(
                indicator=indicator.id,
                period=period,
                area=area,
                comparison=kind,
                comparison_areas=members,
                value=get(area, "estimate"),
                comparison_value=other,
                text_sv=text_sv,
                text_en=text_en,
                **result,
            )
        )
    return out


def benchmark(
    workspace: Workspace,
    indicator: str,
    area: str,
    *,
    whole: str | None = None,
    group: Sequence[str] = (),
    nation: str | None = None,
    period: str | None = None,
    min_population: float | None = None,
    conf_level: float = 0.95,
    policy: SuppressionPolicy | None = None,
) -> list[Benchmark]:
    """Benchmarks of one area's total for one indicator (`whole` defaults to its parent)."""
    definitions = read_definitions(workspace)
    areas = {a.id: a for a in definitions.areas}
    ind = next((i for i in definitions.indicators if i.id == indicator), None)
    if ind is None or area not in areas:
        missing = indicator if ind is None else area
        raise JamlikError(
            f"'{missing}' finns inte i arbetsytan / is not defined in the workspace: "
            "import its definition first"
        )
    whole = whole or areas[area].parent
    wanted = [a for a in (area, whole, *group, nation) if a]
    policy = (policy or read_policy(workspace)).at_least(min_population)
    frame = published_observations(workspace, [indicator], policy=policy, definitions=definitions)
    frame = frame[frame["area"].isin(wanted) & (frame["dimension"] == "total")]
    return benchmarks_from(
        frame,
        ind,
        area,
        areas,
        whole=whole,
        group=group,
        nation=nation,
        period=period,
        conf_level=conf_level,
    )


def _group_value(members, get) -> tuple[float | None, float | None]:
    values = [(get(m, "estimate"), get(m, "se"), get(m, "population")) for m in members]
    values = [v for v in values if v[0] is not None]
    if not values:
        return None, None
    pops = [v[2] for v in values]
    weights = [p / sum(pops) for p in pops] if all(pops) else [1 / len(values)] * len(values)
    mean = sum(w * v[0] for w, v in zip(weights, values, strict=True))
    if any(v[1] is None for v in values):
        return mean, None
    return mean, math.sqrt(sum((w * v[1]) ** 2 for w, v in zip(weights, values, strict=True)))


def _contains(whole: str, area: str, areas: dict[str, Area]) -> bool:
    seen = set()
    current = areas.get(area)
    while current is not None and current.parent and current.id not in seen:
        seen.add(current.id)
        if current.parent == whole:
            return True
        current = areas.get(current.parent)
    return False


def _texts(kind, r, ind: Indicator, areas, area, period, conf_level) -> tuple[str, str]:
    name = areas[area].name if area in areas else area
    other_sv, other_en = _NAMES[kind]
    if r["verdict"] == "no_data":
        return (
            tx.sentence(f"{name} {period}: värden saknas för jämförelsen med {other_sv}"),
            tx.sentence(f"{name} in {period}: values missing for the comparison with {other_en}"),
        )
    u = ind.unit
    d_sv = tx.with_unit(r["difference"], u, "sv", difference=True)
    d_en = tx.with_unit(r["difference"], u, "en", difference=True)
    if r["ci_lb"] is None:
        ci_sv, ci_en = "källan anger ingen osäkerhet", "the source gives no uncertainty"
    else:
        level = round(conf_level * 100)
        ci_sv = f"{level} % KI {tx.number(r['ci_lb'], 'sv')} till {tx.number(r['ci_ub'], 'sv')}"
        ci_en = f"{level}% CI {tx.number(r['ci_lb'], 'en')} to {tx.number(r['ci_ub'], 'en')}"
    lead_sv, lead_en = {
        "better": ("bättre än", "better than"),
        "worse": ("sämre än", "worse than"),
        "no_clear_difference": ("ingen säker skillnad mot", "no clear difference from"),
    }[r["verdict"]]
    return (
        tx.sentence(f"{name} {period}: {lead_sv} {other_sv}, skillnad {d_sv} ({ci_sv})"),
        tx.sentence(f"{name} in {period}: {lead_en} {other_en}, difference {d_en} ({ci_en})"),
    )

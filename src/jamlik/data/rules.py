"""Rules across rows of an observation table: known ids, HEAT Plus self-description, series.

Used by `jamlik.data.validate.prepare`; each function adds problems to a Collector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from jamlik.data.cells import Collector, Num, row_list, text
from jamlik.data.layout import KEY
from jamlik.data.models import TOTAL

if TYPE_CHECKING:
    from jamlik.data.validate import Catalog, Prepared

SERIES = ["indicator", "period", "area", "dimension"]
_WHAT = {"indicator": "indikatorn", "dimension": "dimensionen", "subgroup": "undergruppen"}
_DEFINE = ": definiera den först / define it first (jamlik import definitions.yaml)"


def lookup(keys: pd.DataFrame | pd.Series, table: pd.Series) -> pd.Series:
    """Vectorised look-up of each row's key in `table` (NaN where absent)."""
    if isinstance(keys, pd.Series):
        return keys.map(table).astype("float64")
    if not len(table):
        return pd.Series(np.nan, index=keys.index, dtype="float64")
    pos = table.index.get_indexer(pd.MultiIndex.from_frame(keys))
    values = table.to_numpy(dtype="float64", na_value=np.nan)
    out = np.where(pos >= 0, values[np.maximum(pos, 0)], np.nan)
    return pd.Series(out, index=keys.index, dtype="float64")


def _consistent(c: Collector, values: pd.Series, group: list[pd.Series], field: str,
                what: str) -> pd.Series:  # fmt: skip
    """First value per group; a problem where a row disagrees with it."""
    first = values.groupby(group, dropna=False).transform("first")
    differs = values.notna() & first.notna() & (values != first)
    c.add(differs, field, f"{field} skiljer sig inom {_WHAT[what]} / differs within the same "
          f"{what}: ", Num(values), " här / here, ", Num(first), " tidigare / earlier in the file")  # fmt: skip
    return first


def check_known(c: Collector, out: pd.DataFrame, parsed: dict, ok: pd.Series, cat: Catalog) -> None:
    """jamlik layout: every id must be defined; metadata columns must agree with definitions."""
    c.add(ok & ~out["indicator"].isin(cat.indicators.index), "indicator",
          "okänd indikator / unknown indicator '", out["indicator"], "'" + _DEFINE)  # fmt: skip
    c.add(ok & ~out["area"].isin(cat.areas), "area",
          "okänt område / unknown area '", out["area"], "'" + _DEFINE)  # fmt: skip
    unknown_dim = ok & ~out["dimension"].isin(cat.dimensions.index)
    c.add(unknown_dim, "dimension",
          "okänd dimension / unknown dimension '", out["dimension"], "'" + _DEFINE)  # fmt: skip
    keys = out[["dimension", "subgroup"]].fillna("")
    sub_known = lookup(keys, cat.subgroups["reference"]).notna()
    c.add(ok & ~unknown_dim & ~sub_known, "subgroup", "okänd undergrupp / unknown subgroup '",
          out["subgroup"], "' of dimension '", out["dimension"], "'" + _DEFINE)  # fmt: skip
    stored = {
        "favourable_indicator": out["indicator"].map(cat.indicators["favourable"]),
        "indicator_scale": out["indicator"].map(cat.indicators["scale"]),
        "ordered_dimension": out["dimension"].map(cat.dimensions),
        # a non-ordered subgroup has no order: HEAT Plus writes 0 for it
        "subgroup_order": lookup(keys, cat.subgroups["order"]).fillna(0).where(sub_known),
        "reference_subgroup": lookup(keys, cat.subgroups["reference"]),
    }
    for col, want in stored.items():
        have = parsed[col]
        c.add(ok & have.notna() & want.notna() & (have != want), col,
              "stämmer inte med definitionen / disagrees with the workspace's definition: ",
              Num(have), " här / here, ", Num(want), " definierat / defined")  # fmt: skip


def describe_heat(c: Collector, df: pd.DataFrame, out: pd.DataFrame, parsed: dict,
                  ok: pd.Series, cat: Catalog, prepared: Prepared) -> None:  # fmt: skip
    """HEAT Plus layout: definitions come from the file; they must agree among rows and with
    what the workspace already holds. Fills `prepared.new_*` with what is to be created."""
    ind, dim, sub = out["indicator"], out["dimension"], out["subgroup"]
    for col in ("favourable_indicator", "indicator_scale", "ordered_dimension"):
        c.add(ok & parsed[col].isna(), col, "värde saknas / value is missing (HEAT Plus template)")
    fav = _consistent(c, parsed["favourable_indicator"], [ind], "favourable_indicator", "indicator")
    scale = _consistent(c, parsed["indicator_scale"], [ind], "indicator_scale", "indicator")
    ordered = _consistent(c, parsed["ordered_dimension"], [dim], "ordered_dimension", "dimension")
    sub_order = parsed["subgroup_order"].where(ordered == 1)
    order = _consistent(c, sub_order, [dim, sub], "subgroup_order", "subgroup")
    ref = _consistent(c, parsed["reference_subgroup"].fillna(0), [dim, sub],
                      "reference_subgroup", "subgroup")  # fmt: skip
    c.add(ok & (ordered == 1) & ~(parsed["subgroup_order"] >= 1), "subgroup_order",
          "ordnad dimension: subgroup_order ska vara 1..k / ordered dimension: subgroup_order "
          "must be 1..k (1 = most disadvantaged)")  # fmt: skip
    c.add(ok & (ordered == 0) & (parsed["subgroup_order"] > 0), "subgroup_order",
          "ska vara 0 eller tom för en oordnad dimension / must be 0 or empty for a non-ordered "
          "dimension (ordered_dimension = 0)")  # fmt: skip
    keys = out[["dimension", "subgroup"]].fillna("")
    sub_known = lookup(keys, cat.subgroups["reference"]).notna()
    for col, values, stored in (
        ("favourable_indicator", fav, ind.map(cat.indicators["favourable"])),
        ("indicator_scale", scale, ind.map(cat.indicators["scale"])),
        ("ordered_dimension", ordered, dim.map(cat.dimensions)),
        ("subgroup_order", order.fillna(0),
         lookup(keys, cat.subgroups["order"]).fillna(0).where(sub_known)),
    ):  # fmt: skip
        c.add(ok & stored.notna() & values.notna() & (values != stored), col,
              "stämmer inte med arbetsytans definition / disagrees with the workspace's "
              "definition: ", Num(values), " här / here, ", Num(stored), " sparat / stored")  # fmt: skip
    if c:
        return
    title = text(df["indicator_title"]) if "indicator_title" in df else ind
    rows = pd.DataFrame({"id": ind, "title": title.fillna(ind), "fav": fav, "scale": scale})[ok]
    prepared.new_indicators = rows[~rows["id"].isin(cat.indicators.index)].drop_duplicates("id")
    code = text(df["area_code"]) if "area_code" in df else pd.Series(None, index=df.index)
    areas = pd.DataFrame({"id": out["area"], "code": code})[ok]
    prepared.new_areas = areas[~areas["id"].isin(cat.areas)].drop_duplicates("id")
    dims = pd.DataFrame({"id": dim, "ordered": ordered})[ok]
    prepared.new_dimensions = dims[~dims["id"].isin(cat.dimensions.index)].drop_duplicates("id")
    subs = pd.DataFrame({"dimension": dim, "subgroup": sub, "order": order, "ref": ref})[ok]
    prepared.new_subgroups = subs[~sub_known[ok]].drop_duplicates(["dimension", "subgroup"])
    # The series checks read order and reference from the file; order 0 means "not ordered".
    parsed["subgroup_order"] = sub_order
    parsed["reference_subgroup"] = parsed["reference_subgroup"].fillna(0)


def check_series(c: Collector, out: pd.DataFrame, parsed: dict, ok: pd.Series) -> None:
    """Checks across rows: duplicate keys, gaps in subgroup_order, two reference subgroups."""
    rows = pd.Series(out.index, index=out.index)
    first = rows[ok].groupby([out.loc[ok, k] for k in KEY]).transform("first")
    dup = pd.Series(False, index=out.index)
    dup[ok] = first != rows[ok]
    c.add(dup, "subgroup", "samma nyckel som rad / same key as row ", first,
          " (indicator, period, area, dimension, subgroup)")  # fmt: skip
    use = ok & ~dup

    order = parsed["subgroup_order"].where(use & (parsed["subgroup_order"] > 0))
    has = order.notna()
    if has.any():
        sub = out.loc[has, SERIES].assign(order=order[has], row=rows[has])
        stats = sub.groupby(SERIES, sort=False).agg(
            n=("order", "size"), u=("order", "nunique"), lo=("order", "min"), hi=("order", "max")
        )
        gaps = stats[(stats["lo"] != 1) | (stats["hi"] != stats["n"]) | (stats["u"] != stats["n"])]
        if len(gaps):
            broken = sub.merge(gaps.reset_index()[SERIES], on=SERIES)
            for key, grp in broken.groupby(SERIES, sort=False):  # one problem per broken series
                found = ", ".join(f"{v:g}" for v in sorted(grp["order"]))
                c.one(
                    f"luckor i subgroup_order / gaps in subgroup_order in the series "
                    f"{' / '.join(key)}: found {found}, expected 1..{len(grp)} "
                    f"(rows {row_list(sorted(grp['row']))})",
                    row=int(grp["row"].min()), field="subgroup_order",
                )  # fmt: skip
    ref = (parsed["reference_subgroup"] == 1) & use
    if ref.any():
        first_ref = rows[ref].groupby([out.loc[ref, k] for k in SERIES]).transform("first")
        later = pd.Series(False, index=out.index)
        later[ref] = first_ref != rows[ref]
        c.add(later, "reference_subgroup", "två referensgrupper i samma serie / two reference "
              "subgroups in one series (the first is in row ", first_ref, ")")  # fmt: skip


def drop_redundant_average(out: pd.DataFrame) -> None:
    """setting_average equal to the area total in the same table says nothing new: reads derive
    it from the total, so storing it would only make a re-import of an export look changed."""
    avg = out["setting_average"]
    if avg.notna().any():
        total = out[(out["dimension"] == TOTAL) & (out["subgroup"] == TOTAL)]
        tot = total.set_index(["indicator", "period", "area"])["estimate"]
        tot = tot[~tot.index.duplicated()]
        same = np.isclose(lookup(out[["indicator", "period", "area"]], tot), avg)
        out["setting_average"] = avg.where(~same, np.nan)

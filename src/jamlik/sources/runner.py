"""Running a query end to end: download, map to jamlik's codes, define what is new, import.

Used by `jamlik source … fetch` (which then saves the query) and by `jamlik refresh` (which runs
every saved query again, incrementally where the source allows: Kolada's `from_date`, PxWeb's
table `updated` stamp). Definitions jamlik creates come from the source's own labels; those the
workspace already has are never overwritten, so a user's titles, polarity and targets stay.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from jamlik.data import ImportSummary, InTransaction
from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.sources import kolada as kol
from jamlik.sources import pxweb as px
from jamlik.sources.http import HttpClient, ProgressHook
from jamlik.sources.mapping import SourceMapping, apply_mapping, kolada_mapping
from jamlik.sources.pxselect import TableMeta
from jamlik.sources.saved import QueryState, SavedQuery
from jamlik.sources.store import Origins, build_definitions, new_ids, require_polarity, store
from jamlik.sources.yamlio import validated
from jamlik.workspace import Workspace

KOLADA_LABEL = "Kolada"


@dataclass
class RunResult:
    """What one run did: for the CLI summary and for the saved query's state."""

    name: str
    source: str
    url: str
    rows: int = 0
    requests: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    skipped: str | None = None  # why nothing was fetched (e.g. the table has not changed)
    deleted: int = 0
    removed: int = 0  # stored values removed because the source deleted them
    warnings: list[str] = field(default_factory=list)
    definitions: ImportSummary | None = None
    observations: ImportSummary | None = None
    state: QueryState = field(default_factory=QueryState)

    def report(self) -> str:
        """A short bilingual summary for the terminal (warnings are separate)."""
        if self.skipped:
            lines = [f"{self.name}: {self.skipped}"]
        else:
            lines = [
                f"{self.name}: {self.rows} observationer / observations från / from {self.url}"
            ]
        lines.append(
            f"  {self.requests} anrop / requests, {self.cache_hits} från cache / cached, "
            f"{self.seconds:.1f} s"
        )
        for summary in (self.definitions, self.observations):
            if summary is not None:
                lines.append("  " + str(summary).replace("\n", "\n  "))
        return "\n".join(lines)


def run_query(
    workspace: Workspace,
    query: SavedQuery,
    http: HttpClient,
    *,
    incremental: bool = False,
    kolada_url: str | None = None,
    kolada_rate: float = kol.RATE,
    progress: ProgressHook | None = None,
    in_transaction: InTransaction | None = None,
) -> RunResult:
    """Fetch `query` and import it into `workspace`; returns what happened.

    `incremental` asks only for what changed since `query.state.last_run`. Raises before any
    download when a new indicator has no polarity, and writes nothing when validation fails.
    `in_transaction(session, summary)` runs inside the import's transaction for each import
    record it writes (the web page records who asked for the refresh).
    """
    workspace.init()
    started = datetime.now(UTC)
    before = {k: (s.requests, s.cache_hits) for k, s in http.stats.items()}
    t0 = time.perf_counter()
    if query.source == "kolada":
        result = _run_kolada(
            workspace, query, http, incremental, kolada_url, kolada_rate, progress, in_transaction
        )
    else:
        result = _run_pxweb(workspace, query, http, incremental, progress, in_transaction)
    for key, stats in http.stats.items():
        r0, c0 = before.get(key, (0, 0))
        result.requests += stats.requests - r0
        result.cache_hits += stats.cache_hits - c0
    result.seconds = time.perf_counter() - t0
    result.state.last_run = started.isoformat(timespec="seconds")
    if result.skipped:
        result.state.rows = query.state.rows
    return result


# -- Kolada ------------------------------------------------------------------------------------


def _run_kolada(
    workspace: Workspace,
    query: SavedQuery,
    http: HttpClient,
    incremental: bool,
    base_url: str | None,
    rate: float,
    progress: ProgressHook | None,
    in_transaction: InTransaction | None = None,
) -> RunResult:
    q = query.kolada
    assert q is not None
    units = bool(q.ou)
    client = kol.Kolada(http, base_url or query.url, rate=rate)
    if not q.kpi and q.kpi_title:
        q = q.model_copy(update={"kpi": [resolve_kpi_title(client, q.kpi_title, query.name)]})
    mapping = validated(SourceMapping, kolada_mapping(query.map, units=units), f"{query.name}: map")
    result = RunResult(query.name, "kolada", client.base_url)

    wanted = {mapping.indicator.value or mapping.indicator.code_for(k): k for k in q.kpi}
    new_indicators = new_ids(workspace, "indicator", list(wanted))
    require_polarity(mapping, new_indicators, query.name)

    from_date = None
    if incremental and query.state.last_run:
        # A day's overlap: Kolada dates changes by day, and a repeated row changes nothing.
        last = datetime.fromisoformat(query.state.last_run) - timedelta(days=1)
        from_date = last.date().isoformat()
    years = kol.parse_years(q.years) if q.years else None
    if units:
        data = client.unit_data(q.kpi, q.ou, years, from_date=from_date, progress=progress)
    else:
        data = client.data(q.kpi, q.municipality, years, from_date=from_date, progress=progress)
    result.deleted = data.deleted
    result.warnings.extend(data.warnings)

    # Titles and names only for what the workspace lacks: known ids need no metadata calls.
    labels: dict[str, dict[str, str]] = {"gender": {"K": "Kvinnor", "M": "Män"}}
    descriptions: dict[str, str] = {}
    if new_indicators:
        found = {str(k["id"]): k for k in client.kpis([wanted[i] for i in new_indicators])}
        unknown = [wanted[i] for i in new_indicators if wanted[i] not in found]
        if unknown:
            result.warnings.append(f"Kolada knows no KPI {', '.join(unknown)}; check the id.")
        labels["kpi"] = {k: str(m.get("title") or k) for k, m in found.items()}
        descriptions = {k: m["description"] for k, m in found.items() if m.get("description")}
    area_var = data.area_column
    area_codes = sorted(set(data.frame[area_var])) if not data.frame.empty else []
    area_ids = {mapping.area.value or mapping.area.code_for(c): c for c in area_codes}
    new_areas = new_ids(workspace, "area", list(area_ids))
    parents: dict[str, str] = {}
    # A municipality id may be a group's: its values average the members (Kolada's `count`).
    groups: dict[str, dict] = {c: {} for c in _known_groups(workspace, area_ids)}
    if new_areas:
        wanted_areas = [area_ids[a] for a in new_areas]
        items = client.units(wanted_areas) if units else client.municipalities(wanted_areas)
        labels[area_var] = {str(m["id"]): str(m.get("title") or m["id"]) for m in items}
        maybe = [c for c in wanted_areas if c not in labels[area_var]]
        if maybe and not units:
            for g in client.municipality_groups(maybe):
                gid = str(g["id"])
                groups[gid] = g
                labels[area_var][gid] = f"{g.get('title') or gid} {GROUP_MARK}"
        parents = {str(m["id"]): str(m["municipality"]) for m in items if m.get("municipality")}
    extra_areas = []
    if units and parents:  # a unit's municipality must be an area before the unit can be
        missing = new_ids(workspace, "area", sorted(set(parents.values())))
        for m in client.municipalities(missing) if missing else []:
            extra_areas.append({"id": str(m["id"]), "name": str(m.get("title") or m["id"]),
                                "level": "municipality", "code": str(m["id"])})  # fmt: skip

    frame = data.frame.drop(columns=[kol.COUNT])
    mapped = apply_mapping(frame, mapping, source=_kolada_sources(data.frame, area_var, groups),
                           labels=labels)  # fmt: skip
    if groups:
        result.warnings.append(
            f"{', '.join(sorted(groups))}: kommungrupper / municipality groups — their values are "
            "unweighted means of the members (the source column says how many), not a "
            "municipality's own values."
        )
    gone = None
    if data.deleted_frame is not None and not data.deleted_frame.empty:
        gone_frame = data.deleted_frame.drop(columns=[kol.COUNT])
        gone = apply_mapping(gone_frame, mapping, source=KOLADA_LABEL).frame
    origins = Origins("kolada", descriptions, parents, extra_areas=extra_areas)
    defs = build_definitions(workspace, mapped, mapping, origins, query.name)
    request = {"kpi": q.kpi, "kpi_title": q.kpi_title, "municipality": q.municipality, "ou": q.ou, "years": q.years,
               "from_date": from_date}  # fmt: skip
    _store(
        workspace,
        result,
        mapped,
        defs,
        request,
        f"{kol.ATTRIBUTION} (licens / licence: {kol.LICENCE})",
        in_transaction,
        gone,
    )
    if data.deleted:
        result.warnings.append(
            f"{data.deleted} värden är borttagna i Kolada / values are marked deleted in Kolada: "
            f"not stored, and {result.removed} stored earlier were removed."
        )
    return result


# -- PxWeb -------------------------------------------------------------------------------------


def _run_pxweb(
    workspace: Workspace,
    query: SavedQuery,
    http: HttpClient,
    incremental: bool,
    progress: ProgressHook | None,
    in_transaction: InTransaction | None = None,
) -> RunResult:
    assert query.url and query.select is not None
    client = px.PxWeb(http, query.url)
    result = RunResult(query.name, "pxweb", query.url)
    if not query.map:
        raise ValidationError(
            [
                Problem(
                    query.name,
                    "a PxWeb query needs 'map' (indicator, area, dimensions)",
                    field="map",
                )
            ]
        )
    mapping = validated(SourceMapping, query.map, f"{query.name}: map")

    updated = client.updated() if incremental or query.state.table_updated is None else None
    if incremental and updated and updated == query.state.table_updated:
        result.skipped = f"tabellen är oförändrad / the table has not changed since {updated}"
        result.state.table_updated = updated
        return result

    plan = client.plan(query.select, source=query.name)
    meta = plan.meta
    mapping = _dimension_hierarchies(meta, mapping, plan.selection, query.name)
    labels = {v.code: dict(zip(v.values, v.value_texts, strict=False)) for v in meta.variables}
    if mapping.indicator.value:
        wanted = [mapping.indicator.value]
    else:
        codes = plan.selection.get(mapping.indicator.variable or "", [])
        wanted = [mapping.indicator.code_for(c) for c in codes]
    require_polarity(mapping, new_ids(workspace, "indicator", wanted), query.name)

    data = client.download(plan, progress=progress)
    time_var = meta.time_variable.code if meta.time_variable else None
    titles = {v.code: _title(v.text) for v in meta.variables if v.text and v.text != v.code}
    mapped = apply_mapping(data.frame, mapping, source=data.source or "PxWeb", labels=labels,
                           time_variable=time_var, titles=titles,
                           positions={v.code: v.values for v in meta.variables},
                           where=f"{query.name}: map")  # fmt: skip
    if mapping.indicator.value:  # a fixed indicator is named after the table
        mapped.indicators = {mapping.indicator.value: (mapping.indicator.value, meta.title)}
    fetched_areas = {code for code, _ in mapped.areas.values()}
    parents, levels = _area_hierarchy(meta, mapping, fetched_areas)
    origins = Origins("pxweb", {}, parents, ref=query.url, levels=levels,
                      units=_indicator_units(meta, plan.selection, mapping))  # fmt: skip
    defs = build_definitions(workspace, mapped, mapping, origins, query.name)
    attribution = f"Källa: {data.source}" if data.source else f"Källa: {query.url}"
    if data.licence:
        attribution += f" (licens / licence: {data.licence})"
    notes = selected_notes(meta, plan.selection)
    mandatory = [n["text"] for n in notes if n["mandatory"]]
    if mandatory:
        # The attribution travels with the values to every page, export and report footnote
        # that credits the source, which is where a mandatory note must be shown.
        attribution += " — Obs / Note: " + " ".join(mandatory)
    request = {"select": query.select, "queries": len(data.queries)}
    if notes:
        request["notes"] = notes
    _store(workspace, result, mapped, defs, request, attribution, in_transaction)
    result.state.table_updated = updated or meta.updated
    return result


GROUP_MARK = "(kommungrupp, medelvärde / municipality group, mean)"


def _known_groups(workspace: Workspace, area_ids: Mapping[str, str]) -> list[str]:
    """Source codes of areas the workspace already holds as Kolada municipality groups."""
    from sqlalchemy import select

    from jamlik.data.tables import AreaRow

    if not area_ids:
        return []
    with workspace.session() as session:
        marked = session.scalars(
            select(AreaRow.id).where(AreaRow.id.in_(list(area_ids)))
            .where(AreaRow.name.contains(GROUP_MARK))
        ).all()  # fmt: skip
    return [area_ids[a] for a in marked]


def _kolada_sources(frame: pd.DataFrame, area_var: str, groups: Mapping[str, dict]) -> pd.Series:
    """Each value's source: "Kolada", or for a group's value how many members it averages, so
    a group mean is never read as a municipality's own value."""
    out = pd.Series(KOLADA_LABEL, index=frame.index, dtype=object)
    counted = pd.to_numeric(frame[kol.COUNT], errors="coerce").fillna(1)
    is_group = frame[area_var].isin(list(groups)) | (counted > 1)
    counts = frame.loc[is_group, kol.COUNT]
    out[is_group] = [
        f"Kolada: medelvärde av {'?' if pd.isna(n) else int(n)} kommuner / "
        f"unweighted mean of {'?' if pd.isna(n) else int(n)} municipalities"
        for n in counts
    ]
    return out


def resolve_kpi_title(client: kol.Kolada, words: str, name: str) -> str:
    """The one KPI whose title holds `words`, from Kolada's own catalogue; an error listing the
    candidates when there are none or several (then write the chosen id under `kpi:`)."""
    found = client.kpis(title=words)
    wanted = " ".join(words.casefold().split())
    exact = [k for k in found if " ".join(str(k.get("title", "")).casefold().split()) == wanted]
    chosen = exact if len(exact) == 1 else found
    if len(chosen) == 1:
        return str(chosen[0]["id"])
    shown = "; ".join(f"{k.get('id')}: {k.get('title')}" for k in found[:8]) or "none"
    raise JamlikError(
        f"{name}: Kolada has {len(found)} KPIs whose title holds {words!r} ({shown}); write the "
        "one you mean under kolada.kpi in the query file / skriv nyckeltalets id under kpi."
    )


def _title(text: str) -> str:
    """A source label as a title: SCB writes "kön", a dimension is titled "Kön"."""
    return text[:1].upper() + text[1:]


def selected_notes(meta: TableMeta, selection: Mapping[str, list[str]]) -> list[dict]:
    """The table's notes that concern what was fetched: the table's own, those of the selected
    variables, and those of the selected values (each as {text, mandatory, dimension?, category?})."""
    out = []
    for note in meta.extra.get("notes", []):
        dim, code = note.get("dimension"), note.get("category")
        if dim and dim not in selection:
            continue
        if code and code not in selection.get(dim, []):
            continue
        out.append(note)
    return out


def _area_hierarchy(
    meta: TableMeta, mapping: SourceMapping, fetched: set[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Parents and levels of new areas from a JSON-stat `child` hierarchy of the area variable.

    A parent counts only when it was fetched too (it must become an area as well); levels go
    down from the mapping's level with each fetched ancestor (municipality → district → subarea).
    """
    var = meta.variable(mapping.area.variable) if mapping.area.variable else None
    if var is None or not var.children:
        return {}, {}
    up = {kid: parent for parent, kids in var.children.items() for kid in kids}
    levels_down = ["municipality", "district", "subarea"]
    start = levels_down.index(mapping.area.level)
    parents: dict[str, str] = {}
    levels: dict[str, str] = {}
    for code in fetched:
        ancestors = []
        node = up.get(code)
        while node is not None and len(ancestors) < 10:
            if node in fetched:
                ancestors.append(node)
            node = up.get(node)
        if ancestors:
            parents[code] = mapping.area.code_for(ancestors[0])
        depth = start + len(ancestors)
        if depth >= len(levels_down):
            raise ValidationError(
                [Problem("map", f"{var.code} nests {code} {len(ancestors)} levels deep; jamlik "
                         "has municipality → district → subarea. Select fewer levels / "
                         "färre nivåer", field="area")]
            )  # fmt: skip
        levels[code] = levels_down[depth]
    return parents, levels


def _dimension_hierarchies(
    meta: TableMeta, mapping: SourceMapping, selection: Mapping[str, list[str]], name: str
) -> SourceMapping:
    """The mapping with what a JSON-stat `child` hierarchy of a dimension's variable says.

    The root (the one category without a parent whose descendants are all the others) is the
    dimension's total when it was fetched and the mapping names no `total` itself. The other
    fetched categories are the subgroups; one that contains another fetched one (a group and
    its parts, at any depth) is refused before anything is downloaded, since a subgroup cannot
    hold another. Only fetched categories count, as for area parents: the leaves of a deeper
    tree, fetched without the groups between them, are subgroups side by side.
    """
    problems: list[Problem] = []
    dims = []
    for k, dim in enumerate(mapping.dimensions):
        var = meta.variable(dim.variable)
        fetched = selection.get(dim.variable, [])
        if var is None or not var.children or not fetched:
            dims.append(dim)
            continue
        up = {kid: parent for parent, kids in var.children.items() for kid in kids}
        roots = [c for c in var.values if c not in up]
        total = list(dim.total)
        if not total and len(roots) == 1 and roots[0] in fetched:
            below, todo = set(), [roots[0]]
            while todo:  # the root's descendants: all other categories, or it is not everyone
                kids = [c for c in var.children.get(todo.pop(), []) if c not in below]
                below.update(kids)
                todo += kids
            if below | set(roots) == set(var.values):
                total = roots
        groups = set(fetched) - set(total)
        nested: dict[str, list[str]] = {}  # a selected group → its selected parts
        for code in fetched:
            node, seen = up.get(code), set()
            while node is not None and node not in groups and node not in seen:
                seen.add(node)  # a cycle in `child` must not loop forever
                node = up.get(node)
            if code in groups and node in groups:
                nested.setdefault(node, []).append(code)
        for node, parts in nested.items():
            problems.append(
                Problem(
                    name,
                    f"{dim.variable} (dimension {dim.dimension}): {node} holds {', '.join(parts)}, "
                    f"and all were selected; a subgroup cannot hold another. Select either {node} "
                    "or its parts / välj antingen gruppen eller dess delar",
                    field=f"map.dimensions[{k}]",
                )
            )
        dims.append(dim.model_copy(update={"total": total}))
    if problems:
        raise ValidationError(problems)
    return mapping.model_copy(update={"dimensions": dims})


def _indicator_units(
    meta: TableMeta, selection: Mapping[str, list[str]], mapping: SourceMapping
) -> dict[str, tuple[str, float]]:
    """Each new indicator's unit and scale from JSON-stat `category.unit`: the indicator
    variable's own, or, for a fixed indicator, that of the one selected value of the metric
    variable (ContentsCode)."""
    out: dict[str, tuple[str, float]] = {}
    if mapping.indicator.variable:
        var = meta.variable(mapping.indicator.variable)
        for code in selection.get(mapping.indicator.variable, []):
            if var is not None and code in var.units:
                out[mapping.indicator.code_for(code)] = unit_and_scale(var.units[code])
        return out
    metric = next((v for v in meta.variables if v.role == "metric"), None) or meta.variable(
        "ContentsCode"
    )
    chosen = selection.get(metric.code, []) if metric else []
    if metric and len(chosen) == 1 and chosen[0] in metric.units and mapping.indicator.value:
        out[mapping.indicator.value] = unit_and_scale(metric.units[chosen[0]])
    return out


_MULTIPLIERS = {3: "tusen", 6: "miljoner", 9: "miljarder"}


def unit_and_scale(unit: Mapping[str, Any]) -> tuple[str, float]:
    """A JSON-stat unit as jamlik's (unit text, scale).

    jamlik's scale is the base of a proportion (100 for percent, 1000 per thousand), which the
    measures use as a bound; a power-of-ten multiplier ("in millions") is part of the unit text,
    so a value stays the number the source published.
    """
    label = str(unit.get("label") or unit.get("base") or unit.get("symbol") or "").strip()
    symbol = str(unit.get("symbol") or "").strip()
    text = label or symbol
    multiplier = unit.get("multiplier")
    if isinstance(multiplier, int) and not isinstance(multiplier, bool) and multiplier:
        prefix = _MULTIPLIERS.get(multiplier, f"10^{multiplier}")
        text = f"{prefix} {text}".strip()
    if symbol and symbol not in text:
        text = f"{text} ({symbol})" if text else symbol
    plain = f"{label} {symbol}".lower()
    scale = 1.0
    if "%" in plain or "procent" in plain or "percent" in plain:
        scale = 100.0
    elif re.search(r"per 100 ?000\b", plain):
        scale = 100000.0
    elif "‰" in plain or "promille" in plain or re.search(r"per (1 ?000|tusen)\b", plain):
        scale = 1000.0
    return text[:80], scale


def _store(workspace, result: RunResult, mapped, defs, request: dict, attribution: str,
           in_transaction: InTransaction | None = None, gone=None) -> None:  # fmt: skip
    result.warnings.extend(mapped.warnings)
    stored = store(workspace, mapped, defs, source=f"{result.source}:{result.name}",
                   url=result.url, request=request, attribution=attribution,
                   in_transaction=in_transaction, gone=gone)  # fmt: skip
    result.removed = stored.removed
    result.rows = stored.rows
    result.definitions = stored.definitions
    result.observations = stored.observations
    result.state.rows = stored.rows

"""`jamlik source …` and `jamlik refresh`: find, fetch and refresh data from Kolada and PxWeb."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jamlik.cli.options import WorkspaceOpt
from jamlik.errors import JamlikError
from jamlik.workspace import Workspace

OfflineOpt = Annotated[
    bool,
    typer.Option(
        "--offline",
        envvar="JAMLIK_OFFLINE",
        help="Answer from the cache only; never contact a server.",
    ),
]
KoladaUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--url",
        envvar="JAMLIK_KOLADA_URL",
        help="Kolada API base (default https://api.kolada.se/v3/), e.g. a mirror.",
        show_default=False,
    ),
]


class Polarity(StrEnum):
    higher_is_better = "higher_is_better"
    higher_is_worse = "higher_is_worse"


PolarityOpt = Annotated[
    Polarity | None,
    typer.Option(
        "--polarity",
        help="For indicators new to the workspace: higher_is_better or higher_is_worse.",
        show_default=False,
    ),
]
NameOpt = Annotated[
    str | None,
    typer.Option(
        "--name", help="Name of the saved query (default: made from the query).", show_default=False
    ),
]
NoSaveOpt = Annotated[
    bool, typer.Option("--no-save", help="Do not save the query for `jamlik refresh`.")
]

kolada_app = typer.Typer(
    no_args_is_help=True,
    help="Kolada (RKA): nyckeltal för kommuner och enheter / key figures by municipality and unit.",
)
pxweb_app = typer.Typer(
    no_args_is_help=True,
    help="PxWeb API v1/v2: SCB, FHM, kommunernas statistikdatabaser / statistics databases.",
)
source_app = typer.Typer(
    no_args_is_help=True, help="Hämta data från källor / fetch data from sources."
)
source_app.add_typer(kolada_app, name="kolada")
source_app.add_typer(pxweb_app, name="pxweb")

_KINDS = ("kpi", "kpi_groups", "municipality", "municipality_groups", "ou")


def register(app: typer.Typer) -> None:
    """Add `jamlik source …` and `jamlik refresh` to the main app."""
    app.add_typer(source_app, name="source")
    app.command("refresh")(refresh)
    app.command("start")(start_command)


def start_command(
    organisation: Annotated[
        str, typer.Argument(help="goteborg, boras or vgr (the shipped starters).")
    ],
    workspace: WorkspaceOpt = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="Kolada base URL for the saved queries (default: the public API)."
        ),
    ] = None,
) -> None:
    """Starta en arbetsyta för en organisation / start a workspace for an organisation: its
    programme, areas, comparison municipalities and saved queries for public indicators."""
    from jamlik.starters import start

    ws = Workspace.resolve(workspace)
    done = start(organisation, ws, kolada_url=url)
    out = Console(highlight=False)
    out.print(
        f"{done.starter.organisation}: program / programme {done.programme}, "
        f"{done.areas} områden / areas, {done.indicators} indikatorer / indicators, "
        f"{len(done.queries)} sparade frågor / saved queries in {ws.path / 'queries'}",
        markup=False,
    )
    for item in done.starter.left_out:
        out.print(f"Utelämnat / left out: {item}", markup=False)
    out.print(
        f"Hämta värdena / fetch the values when online: jamlik refresh -w {ws.path}", markup=False
    )


# -- shared plumbing ---------------------------------------------------------------------------


def _http(ws: Workspace | None, offline: bool, *, fresh: bool = False):
    """The shared client; its cache lives in the workspace (none when searching without one)."""
    from jamlik.sources.http import HttpClient, HttpSettings, cache_dir_for

    settings = HttpSettings.from_env(offline=offline or None)
    if fresh and not settings.offline:
        settings.cache_ttl = 0  # refresh must see today's data; answers still go to the cache
    cache = cache_dir_for(ws.path) if ws is not None and ws.path.exists() else None
    return HttpClient(settings, cache_dir=cache)


@contextmanager
def _bar(description: str) -> Iterator[Any]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    console = Console(stderr=True)
    with Progress(
        *columns, transient=True, console=console, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task(description, total=None)

        def hook(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield hook


def _run_and_save(ws: Workspace, query: Any, http: Any, save: bool, **kw: Any) -> None:
    from jamlik.sources.runner import run_query
    from jamlik.sources.saved import save_query

    with _bar(f"Hämtar / fetching {query.name}") as hook:
        result = run_query(ws, query, http, progress=hook, **kw)
    saved = save_query(ws, query.model_copy(update={"state": result.state})) if save else None
    Console(highlight=False).print(result.report(), markup=False)
    for warning in result.warnings:
        Console(stderr=True, highlight=False).print(
            f"  [yellow]Varning / warning:[/] {escape(warning)}"
        )
    if saved is not None:
        Console(highlight=False).print(
            f"  sparad fråga / saved query: {saved} (jamlik refresh)", markup=False
        )


def _map_file(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    from jamlik.sources.yamlio import load_yaml

    data = load_yaml(path).data
    return data.get("map", data)


# -- Kolada ------------------------------------------------------------------------------------


@kolada_app.command("search")
def kolada_search(
    text: Annotated[str, typer.Argument(help="Words in the title, e.g. 'behörighet'.")],
    kind: Annotated[str, typer.Option(help=f"What to search: {', '.join(_KINDS)}.")] = "kpi",
    municipality: Annotated[
        str | None, typer.Option(help="Units (--kind ou) of this municipality.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many hits.")] = 100,
    url: KoladaUrlOpt = None,
    offline: OfflineOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Sök nyckeltal, kommuner eller enheter / search KPIs, municipalities or units by title."""
    from jamlik.sources.kolada import Kolada

    if kind not in _KINDS:
        raise JamlikError(f"--kind must be one of {', '.join(_KINDS)}, not {kind!r}.")
    ws = Workspace.resolve(workspace)
    with _http(ws, offline) as http:
        client = Kolada(http, url)
        found = {
            "kpi": lambda: client.kpis(title=text),
            "kpi_groups": lambda: client.kpi_groups(title=text),
            "municipality": lambda: client.municipalities(title=text),
            "municipality_groups": lambda: client.municipality_groups(title=text),
            "ou": lambda: client.units(title=text, municipality=municipality),
        }[kind]()
    table = Table("id", "titel / title", title=f"Kolada {kind}: {len(found)} träffar / hits")
    if kind == "kpi":
        table.add_column("kön / by gender")
        table.add_column("typ / type")
    for item in found[:limit]:
        row = [str(item.get("id", "")), str(item.get("title", ""))]
        if kind == "kpi":
            row += [
                "ja / yes" if item.get("is_divided_by_gender") else "",
                str(item.get("municipality_type", "")),
            ]
        table.add_row(*row)
    Console().print(table)
    if len(found) > limit:
        Console().print(f"… {len(found) - limit} till / more: narrow the search or raise --limit")


@kolada_app.command("fetch")
def kolada_fetch(
    kpi: Annotated[str, typer.Option("--kpi", help="KPI ids, comma-separated: N15428,N15419.")],
    municipality: Annotated[
        str | None, typer.Option("--municipality", "-m", help="Municipality ids: 1480,1490.")
    ] = None,
    years: Annotated[
        str | None, typer.Option("--years", "-y", help="2015-2025 or 2018,2020.")
    ] = None,
    ou: Annotated[
        str | None, typer.Option("--ou", help="Unit ids (unit data instead of municipalities).")
    ] = None,
    polarity: PolarityOpt = None,
    map_file: Annotated[
        Path | None, typer.Option("--map", help="Mapping YAML (indicator/area codes, dimension).")
    ] = None,
    name: NameOpt = None,
    no_save: NoSaveOpt = False,
    url: KoladaUrlOpt = None,
    offline: OfflineOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Hämta nyckeltal till arbetsytan / fetch KPI values into the workspace (by gender)."""
    from jamlik.sources.kolada import split_ids
    from jamlik.sources.saved import KoladaQuery, SavedQuery, default_name
    from jamlik.sources.yamlio import validated

    mapping = _map_file(map_file) or {}
    if polarity:
        indicator = mapping.setdefault("indicator", {})
        if isinstance(indicator, str):
            mapping["indicator"] = indicator = {"value": indicator}
        indicator["polarity"] = polarity.value
    kpis, areas = split_ids(kpi), split_ids(ou or municipality)
    query = validated(
        SavedQuery,
        {
            "name": name or default_name("kolada", kpis + areas),
            "source": "kolada",
            "url": url,  # a mirror used once is the mirror to refresh from
            "kolada": KoladaQuery(
                kpi=kpis, municipality=[] if ou else areas, ou=areas if ou else [], years=years
            ),
            "map": mapping or None,
        },
        "kolada fetch",
    )
    ws = Workspace.resolve(workspace)
    ws.init()
    with _http(ws, offline) as http:
        _run_and_save(ws, query, http, not no_save, kolada_url=url)


# -- PxWeb -------------------------------------------------------------------------------------


@pxweb_app.command("tables")
def pxweb_tables(
    url: Annotated[
        str, typer.Argument(help="A PxWeb API URL: a v1 database/folder, or the v2 base.")
    ],
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="Search text (v2 always, v1 on a database).")
    ] = None,
    offline: OfflineOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Bläddra och sök tabeller / browse folders and search tables."""
    from jamlik.sources.pxweb import PxWeb

    ws = Workspace.resolve(workspace)
    with _http(ws, offline) as http:
        client = PxWeb(http, url)
        if client.version == 2 and not query:
            raise JamlikError(
                "PxWeb v2 lists tables by search: add --query TEXT (e.g. --query folkmängd)."
            )
        nodes = client.search(query) if query else client.list()
    kinds = {"l": "mapp / folder", "t": "tabell / table", "h": "rubrik / heading"}
    table = Table(
        "id",
        "typ / type",
        "text",
        "uppdaterad / updated",
        "url",
        title=f"{len(nodes)} poster / entries",
    )
    for n in nodes:
        table.add_row(n.id, kinds.get(n.type, n.type), n.text, n.updated or "", n.url or "")
    Console().print(table)


CodelistOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--codelist",
        help="VARIABLE=CODELIST (PxWeb v2), e.g. Alder=agg_Ålder10år; repeat for more variables.",
    ),
]


def _codelists(items: list[str] | None) -> dict[str, str]:
    out = {}
    for item in items or []:
        var, sep, cl = item.partition("=")
        if not sep or not var.strip() or not cl.strip():
            raise JamlikError(
                f"--codelist {item!r}: write VARIABLE=CODELIST, e.g. Alder=agg_Ålder10år "
                "(the ids are listed by 'jamlik source pxweb metadata URL')."
            )
        out[var.strip()] = cl.strip()
    return out


@pxweb_app.command("metadata")
def pxweb_metadata(
    url: Annotated[str, typer.Argument(help="A table URL (v1 …/TableName, v2 …/tables/ID).")],
    codelist: CodelistOpt = None,
    offline: OfflineOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Visa tabellens variabler och värden / show a table's variables and values."""
    from jamlik.sources.pxweb import PxWeb

    ws = Workspace.resolve(workspace)
    with _http(ws, offline) as http:
        meta = PxWeb(http, url).metadata(codelists=_codelists(codelist))
    out = Console(highlight=False)
    out.print(meta.title, markup=False)
    for note in meta.extra.get("notes", []):
        if note.get("mandatory") and not note.get("dimension"):
            out.print(f"Obs (obligatorisk fotnot / mandatory note): {note['text']}", markup=False)
    for v in meta.variables:
        flags = [
            f
            for f, on in (("tid / time", v.time), ("kan utelämnas / eliminable", v.elimination))
            if on
        ]
        out.print(
            f"\n{v.code} ({v.text}){' — ' + ', '.join(flags) if flags else ''}: {len(v.values)} värden / values",
            markup=False,
        )
        if v.codelist:
            out.print(f"  (kodlista / codelist {v.codelist})", markup=False)
        for code, text in list(zip(v.values, v.value_texts, strict=False))[:12]:
            out.print(f"  {code}: {text}", markup=False)
        if len(v.values) > 12:
            out.print(f"  … {len(v.values) - 12} till / more", markup=False)
        for cl in v.codelists:
            kind = {"Aggregation": "gruppering / aggregation", "Valueset": "värdemängd / value set"}
            out.print(
                f"  kodlista / codelist {cl.get('id')}: {cl.get('label', '')} "
                f"({kind.get(str(cl.get('type')), cl.get('type'))})",
                markup=False,
            )


@pxweb_app.command("fetch")
def pxweb_fetch(
    url: Annotated[
        str | None, typer.Argument(help="The table URL (or give url: in the selection file).")
    ] = None,
    select: Annotated[Path, typer.Option("--select", "-s", help="Selection + mapping YAML.")] = ...,  # type: ignore[assignment]
    codelist: CodelistOpt = None,
    polarity: PolarityOpt = None,
    name: NameOpt = None,
    no_save: NoSaveOpt = False,
    offline: OfflineOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Hämta en tabell till arbetsytan / fetch a table into the workspace (split to fit limits)."""
    from jamlik.sources.saved import SavedQuery, default_name, load_selection
    from jamlik.sources.yamlio import validated

    spec, _doc = load_selection(select)
    table_url = url or spec.url
    if not table_url:
        raise JamlikError(
            f"{select}: give the table URL on the command line or as 'url:' in the file."
        )
    mapping = dict(spec.map)
    if polarity:
        indicator = mapping.get("indicator")
        indicator = {"value": indicator} if isinstance(indicator, str) else dict(indicator or {})
        mapping["indicator"] = {**indicator, "polarity": polarity.value}
    table_name = table_url.rstrip("/").rsplit("/", 1)[-1]
    selection: dict[str, Any] = dict(spec.select)
    for var, cl in _codelists(codelist).items():
        spec_of = selection.get(var, "*")
        values = spec_of.get("values", "*") if isinstance(spec_of, dict) else spec_of
        selection[var] = {"codelist": cl, "values": values}
    query = validated(
        SavedQuery,
        {
            "name": name or spec.name or default_name("pxweb", [table_name]),
            "source": "pxweb",
            "url": table_url,
            "select": selection,
            "map": mapping,
        },
        str(select),
    )
    ws = Workspace.resolve(workspace)
    ws.init()
    with _http(ws, offline) as http:
        _run_and_save(ws, query, http, not no_save)


# -- saved queries -----------------------------------------------------------------------------


@source_app.command("list")
def source_list(workspace: WorkspaceOpt = None) -> None:
    """Visa sparade frågor / list the workspace's saved queries."""
    from jamlik.sources.saved import saved_queries

    ws = Workspace.resolve(workspace)
    table = Table("namn / name", "källa / source", "senast / last run", "rader / rows")
    for q in saved_queries(ws):
        table.add_row(q.name, q.source, q.state.last_run or "", str(q.state.rows or ""))
    Console().print(table)


def refresh(
    full: Annotated[
        bool, typer.Option("--full", help="Fetch everything again, not only changes.")
    ] = False,
    only: Annotated[
        str | None, typer.Option("--only", help="Refresh only this saved query.")
    ] = None,
    url: KoladaUrlOpt = None,
    offline: OfflineOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Uppdatera alla sparade frågor / re-run every saved query, fetching only what changed."""
    from jamlik.sources.saved import saved_queries

    ws = Workspace.resolve(workspace)
    queries = [q for q in saved_queries(ws) if only is None or q.name == only]
    if not queries:
        raise JamlikError(
            f"Inga sparade frågor / no saved queries in {ws.path / 'queries'}"
            + (f" named {only!r}" if only else "")
            + "; fetch something first (jamlik source kolada fetch …)."
        )
    failed: list[str] = []
    with _http(ws, offline, fresh=True) as http:
        for q in queries:
            try:
                _run_and_save(ws, q, http, True, incremental=not full, kolada_url=url)
            except JamlikError as exc:  # one broken query must not stop the others
                failed.append(q.name)
                Console(stderr=True, highlight=False).print(
                    f"[bold red]{escape(q.name)}:[/] {escape(str(exc))}"
                )
    if failed:
        raise JamlikError(
            f"{len(failed)} av / of {len(queries)} frågor misslyckades / queries failed: "
            f"{', '.join(failed)}; the others were refreshed."
        )

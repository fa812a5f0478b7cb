"""Commands for the observation store: import, list definitions, export observations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from jamlik.cli.options import MIN_POPULATION_FLOOR, WorkspaceOpt
from jamlik.errors import ValidationError
from jamlik.workspace import Workspace

MAX_SHOWN = 50

OutOpt = Annotated[
    Path,
    typer.Option(
        "--out", "-o", help="Output file: .csv, .xlsx or .parquet (.yaml for definitions)."
    ),
]


def _fail(exc: ValidationError) -> None:
    """Print a long list of problems readably and exit non-zero; nothing was written."""
    err = Console(stderr=True, highlight=False)
    head, *_ = str(exc).splitlines()
    err.print(f"[bold red]Fel / Error:[/] {head}")
    for p in exc.problems[:MAX_SHOWN]:
        err.print(f"  - {p}", markup=False, soft_wrap=True)
    if len(exc.problems) > MAX_SHOWN:
        err.print(
            f"  … och {len(exc.problems) - MAX_SHOWN} till / and {len(exc.problems) - MAX_SHOWN} more"
        )
    note = str(exc).splitlines()[-1].strip()
    if note.startswith("("):
        err.print(f"  {note}", markup=False, soft_wrap=True)
    raise typer.Exit(1)


def import_command(
    file: Annotated[
        Path, typer.Argument(help="Definitions (.yaml) or observations (.csv, .xlsx, .parquet).")
    ],
    workspace: WorkspaceOpt = None,
    attribution: Annotated[
        str | None,
        typer.Option(help="Attribution/licence kept with the import, e.g. 'Källa: SCB'."),
    ] = None,
    fictitious: Annotated[
        bool,
        typer.Option(
            "--fictitious",
            help="Påhittade exempeldata: varje sida och rapport säger det / invented example "
            "data: every page and report says so.",
        ),
    ] = False,
) -> None:
    """Importera en fil / import a file: definitions or observations (all or nothing)."""
    from jamlik.data import import_file

    ws = Workspace.resolve(workspace)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())  # fmt: skip
    try:
        with Progress(*columns, transient=True, disable=not Console().is_terminal) as bar:
            task = bar.add_task("Läser och kontrollerar / reading and checking", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, description="Skriver / writing", completed=done, total=total)

            summary = import_file(
                ws, file, attribution=attribution, progress=progress, fictitious=fictitious
            )
    except ValidationError as exc:
        _fail(exc)
    Console(highlight=False).print(str(summary), markup=False, soft_wrap=True)


def _table(title: str, columns: list[str], rows: list[tuple]) -> None:
    table = Table(title=title)
    for i, col in enumerate(columns):
        if i == 0:
            # Ids are typed into other commands: never cut, however narrow the terminal.
            width = max([len(col), *(len(str(r[0])) for r in rows)])
            table.add_column(col, no_wrap=True, min_width=width)
        else:
            table.add_column(col)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


def list_indicators(workspace: WorkspaceOpt = None) -> None:
    """Lista indikatorer / list indicators with their number of observations."""
    from sqlalchemy import func, select

    from jamlik.data.query import require_workspace
    from jamlik.data.tables import IndicatorRow, ObservationRow

    ws = Workspace.resolve(workspace)
    require_workspace(ws)
    with ws.session() as s:
        counts = dict(
            s.execute(
                select(ObservationRow.indicator_id, func.count()).group_by(
                    ObservationRow.indicator_id
                )
            ).all()
        )
        rows = [
            (r.id, r.title, r.unit, f"{r.scale:g}",
             "högre är bättre" if r.polarity == "higher_is_better" else "högre är sämre",
             ":".join(filter(None, (r.source_kind, r.source_ref))) or None,
             counts.get(r.id, 0))
            for r in s.scalars(select(IndicatorRow).order_by(IndicatorRow.id))
        ]  # fmt: skip
    _table(
        "Indikatorer / indicators",
        ["id", "titel", "enhet", "skala", "riktning", "källa", "observationer"],
        rows,
    )


def list_areas(workspace: WorkspaceOpt = None) -> None:
    """Lista områden / list areas in their hierarchy."""
    from sqlalchemy import select

    from jamlik.data.query import require_workspace
    from jamlik.data.tables import AreaRow

    ws = Workspace.resolve(workspace)
    require_workspace(ws)
    with ws.session() as s:
        areas = s.scalars(select(AreaRow)).all()
        children: dict[str | None, list] = {}
        for a in areas:
            children.setdefault(a.parent_id, []).append(a)
        rows: list[tuple] = []

        def walk(parent: str | None, depth: int) -> None:
            for a in sorted(children.get(parent, []), key=lambda a: a.name):
                rows.append(("  " * depth + a.id, a.name, a.level, a.code, a.population))
                walk(a.id, depth + 1)

        walk(None, 0)
    _table("Områden / areas", ["id", "namn", "nivå", "kod", "folkmängd"], rows)


def list_dimensions(workspace: WorkspaceOpt = None) -> None:
    """Lista dimensioner / list dimensions and their subgroups."""
    from jamlik.data import read_definitions
    from jamlik.data.query import require_workspace

    ws = Workspace.resolve(workspace)
    require_workspace(ws)
    rows = []
    for d in read_definitions(ws).dimensions:
        subs = ", ".join(
            f"{s.order}. {s.id}" if s.order else (f"{s.id} (ref)" if s.reference else s.id)
            for s in d.subgroups
        )
        rows.append((d.id, d.title, "ja" if d.ordered else "nej", subs))
    _table("Dimensioner / dimensions", ["id", "titel", "ordnad", "undergrupper"], rows)


def export_observations(
    out: OutOpt,
    workspace: WorkspaceOpt = None,
    indicator: Annotated[
        list[str] | None, typer.Option(help="Only these indicators (repeatable).")
    ] = None,
    excel_sv: Annotated[
        bool,
        typer.Option(
            "--excel-sv", help="CSV för svenskt Excel / for Swedish Excel: ';', decimal comma, BOM."
        ),
    ] = False,
    min_population: Annotated[
        int | None,
        typer.Option(
            min=MIN_POPULATION_FLOOR,
            help="Suppress cells with fewer people than this (may be raised, never lowered; "
            "default: the workspace's policy, `jamlik privacy policy`).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Exportera observationer / export observations, small cells suppressed (röjandekontroll)."""
    from jamlik.data.policy import read_policy
    from jamlik.data.publish import published_observations
    from jamlik.spreadsheet_safe import safe_frame

    ws = Workspace.resolve(workspace)
    policy = read_policy(ws).at_least(min_population)
    frame = published_observations(ws, indicator or None, policy=policy)
    suffix = out.suffix.lower()
    sheet = safe_frame(frame) if suffix in (".csv", ".xlsx") else frame  # no formulas
    if suffix == ".csv" and excel_sv:
        sheet.to_csv(out, index=False, sep=";", decimal=",", encoding="utf-8-sig")
    elif suffix == ".csv":
        sheet.to_csv(out, index=False)
    elif suffix == ".xlsx":
        sheet.to_excel(out, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        raise typer.BadParameter("use .csv, .xlsx or .parquet", param_hint="--out")
    hidden = int(frame["flag"].isin(["suppressed", "suppressed_secondary"]).sum())
    Console(highlight=False).print(
        f"{len(frame)} rader / rows → {out} ({hidden} röjandeskyddade / suppressed)", markup=False
    )
    _source_notes(ws, frame, out)


def _source_notes(ws: Workspace, frame: Any, out: Path) -> None:
    """Mandatory notes of the sources (SCB's noteMandatory) go beside the exported values, in
    `<out>.notes.txt`, and on the terminal: a file format cannot carry them in every cell."""
    from jamlik.sources.notes import mandatory_texts

    with ws.session() as session:
        notes = mandatory_texts(session, sorted(set(frame["indicator"])) if len(frame) else [])
    if not notes:
        return
    side = out.with_name(out.name + ".notes.txt")
    text = "Obligatoriska fotnoter från källorna / mandatory notes of the sources:\n"
    side.write_text(text + "".join(f"- {n}\n" for n in notes), encoding="utf-8")
    Console(highlight=False).print(text.rstrip() + f" ({side})", markup=False)
    for n in notes:
        Console(highlight=False).print(f"  - {n}", markup=False)


def export_definitions(out: OutOpt, workspace: WorkspaceOpt = None) -> None:
    """Exportera definitioner / export areas, dimensions and indicators as YAML."""
    from jamlik.data import dump_definitions, read_definitions
    from jamlik.data.query import require_workspace

    ws = Workspace.resolve(workspace)
    require_workspace(ws)
    out.write_text(dump_definitions(read_definitions(ws)), encoding="utf-8")
    Console(highlight=False).print(f"Definitioner / definitions → {out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("import")(import_command)
    for name, command, help_ in (
        ("indicators", list_indicators, "Indikatorer / indicators."),
        ("areas", list_areas, "Områden / areas."),
        ("dimensions", list_dimensions, "Dimensioner / dimensions."),
    ):
        group = typer.Typer(no_args_is_help=True, help=help_)
        group.command("list")(command)
        app.add_typer(group, name=name)
    export = typer.Typer(no_args_is_help=True, help="Exportera / export data from a workspace.")
    export.command("observations")(export_observations)
    export.command("definitions")(export_definitions)
    app.add_typer(export, name="export")

"""`jamlik programme …`: check, import, export, list and show programmes; list the examples."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jamlik.cli.options import WorkspaceOpt
from jamlik.errors import JamlikError, Problem
from jamlik.workspace import Workspace

programme_app = typer.Typer(
    no_args_is_help=True,
    help="Program: kontrollera, importera, exportera och visa. / Programmes: check, import, "
    "export and show.",
)

FileArg = Annotated[
    Path, typer.Argument(help="Programfil (YAML) / programme file (YAML).", show_default=False)
]
LangOpt = Annotated[str, typer.Option("--lang", help="sv eller/or en.")]


def _fail(exc: JamlikError) -> typer.Exit:
    message = Text("Fel / Error: ", style="bold red").append(str(exc), style="")
    Console(stderr=True).print(message, soft_wrap=True)
    return typer.Exit(1)


def _print_problems(problems: list[Problem]) -> None:
    err = Console(stderr=True, highlight=False)
    n = len(problems)
    err.print(f"[bold red]{n} problem hittade / {n} problem{'s' if n != 1 else ''} found[/]")
    for p in problems:
        err.print(f"  - {p}", markup=False, soft_wrap=True)


@programme_app.command("check")
def check(
    file: FileArg,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Kontrollera även mot arbetsytan / also check areas, indicators and ids "
            "against this workspace.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Kontrollera en programfil / check a programme file (exit 1 on any problem)."""
    from jamlik.programme import check_programme, load_programme

    ws = Workspace.resolve(workspace) if workspace is not None else None
    problems = check_programme(file, ws)
    if problems:
        _print_problems(problems)
        raise typer.Exit(1)
    programme = load_programme(file)
    Console(highlight=False).print(
        f"OK: {file} — program '{programme.id}': {len(programme.nodes)} noder / nodes, "
        f"{len(programme.actors)} aktörer / actors, {len(programme.initiatives)} insatser / "
        "initiatives" + (f"; kontrollerad mot / checked against {ws.path}" if ws else ""),
        soft_wrap=True,
    )


@programme_app.command("import")
def import_(
    file: FileArg,
    workspace: WorkspaceOpt = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Skriv över ändringar gjorda i webben med filens värden (loggas) / overwrite "
            "what was changed in the web with the file's values (audited).",
        ),
    ] = False,
) -> None:
    """Importera ett program / import a programme into the workspace (all or nothing).

    En ny import av en programfil behåller det som ändrats i webben (anteckningar, nådda,
    insatser); ändrar filen något som också ändrats i webben stoppar importen och listar
    konflikterna. / Re-importing keeps what was changed in the web; where the file changes
    something also changed in the web, the import stops and lists the conflicts.
    """
    from jamlik.cli.accounts import _who
    from jamlik.programme import import_programme
    from jamlik.programme.store import ImportConflictError

    ws = Workspace.resolve(workspace)
    try:
        summary = import_programme(ws, file, replace=replace, by=_who())
    except ImportConflictError as exc:
        n = len(exc.conflicts)
        err = Console(stderr=True, highlight=False)
        err.print(
            f"[bold red]{n} konflikt{'er' if n != 1 else ''} mellan webben och filen / "
            f"{n} conflict{'s' if n != 1 else ''} between the web and the file[/]"
        )
        for p in exc.problems:
            err.print(f"  - {p}", markup=False, soft_wrap=True)
        err.print(
            "Inget ändrades. Ge filen webbens värden (jamlik programme export), eller "
            "importera med --replace för att skriva över webbens ändringar. / Nothing was "
            "changed. Give the file the web's values (jamlik programme export), or import "
            "with --replace to overwrite the web's changes.",
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    except JamlikError as exc:
        problems = getattr(exc, "problems", None)
        if problems:
            _print_problems(problems)
            Console(stderr=True).print("Inget ändrades. / Nothing was changed.")
            raise typer.Exit(1) from None
        raise _fail(exc) from None
    Console(highlight=False).print(f"{summary}\nArbetsyta / workspace: {ws.path}", soft_wrap=True)


@programme_app.command("export")
def export(
    programme_id: Annotated[
        str | None,
        typer.Argument(
            help="Programmets id (behövs när flera finns) / programme id.", show_default=False
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Skriv till fil / write to this file.")
    ] = None,
) -> None:
    """Exportera ett program som YAML / export a programme as YAML."""
    from jamlik.programme import export_programme, list_programmes

    ws = Workspace.resolve(workspace)
    try:
        if programme_id is None:
            stored = [p.id for p in list_programmes(ws)]
            if len(stored) != 1:
                raise JamlikError(
                    "ange vilket program / name the programme to export: "
                    + (", ".join(stored) if stored else "no programmes in this workspace")
                )
            programme_id = stored[0]
        text = export_programme(ws, programme_id)
    except JamlikError as exc:
        raise _fail(exc) from None
    if out is None:
        typer.echo(text, nl=False)
        return
    # Write beside the target and rename, so an interrupted export never leaves half a file.
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, out)
    Console(stderr=True, highlight=False).print(f"Skrev / wrote {out}")


@programme_app.command("list")
def list_(workspace: WorkspaceOpt = None) -> None:
    """Lista programmen / list the programmes in the workspace."""
    from jamlik.programme import list_programmes

    ws = Workspace.resolve(workspace)
    try:
        infos = list_programmes(ws)
    except JamlikError as exc:
        raise _fail(exc) from None
    if not infos:
        Console().print(
            "Inga program / no programmes. Importera med / import with: "
            "jamlik programme import FILE"
        )
        return
    table = Table("id", "Titel / title", "Noder", "Aktörer", "Insatser")
    for i in infos:
        table.add_row(i.id, i.title, str(i.nodes), str(i.actors), str(i.initiatives))
    Console().print(table)


@programme_app.command("show")
def show(
    programme_id: Annotated[
        str | None, typer.Argument(help="Programmets id / programme id.", show_default=False)
    ] = None,
    workspace: WorkspaceOpt = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Visa en programfil i stället / show a programme file."),
    ] = None,
    lang: LangOpt = "sv",
) -> None:
    """Visa programmets träd med insatser / show the programme tree with its initiatives."""
    from jamlik.programme import list_programmes, load_programme, read_programme
    from jamlik.programme.display import programme_tree

    if lang not in ("sv", "en"):
        raise typer.BadParameter("--lang must be sv or en")
    try:
        if file is not None:
            programme = load_programme(file)
        else:
            ws = Workspace.resolve(workspace)
            if programme_id is None:
                stored = [p.id for p in list_programmes(ws)]
                if len(stored) != 1:
                    raise JamlikError(
                        "ange vilket program / name the programme to show: "
                        + (", ".join(stored) if stored else "no programmes in this workspace")
                    )
                programme_id = stored[0]
            if not ws.exists:
                raise JamlikError(f"Ingen arbetsyta / no workspace at {ws.path}")
            with ws.session() as session:
                programme = read_programme(session, programme_id)
    except JamlikError as exc:
        problems = getattr(exc, "problems", None)
        if problems:
            _print_problems(problems)
            raise typer.Exit(1) from None
        raise _fail(exc) from None
    Console().print(programme_tree(programme, lang=lang))  # type: ignore[arg-type]


@programme_app.command("examples")
def examples_() -> None:
    """Lista exempelprogrammen / list the example programmes shipped with jamlik."""
    from jamlik.programme import examples, load_programme

    # Plain lines rather than a table: paths are meant to be copied whole, never truncated.
    console = Console(soft_wrap=True, highlight=False)
    for name, path in examples().items():
        console.print(Text(name, style="bold").append(f"  {load_programme(path).title}", style=""))
        console.print(f"  {path}", markup=False)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.add_typer(programme_app, name="programme")

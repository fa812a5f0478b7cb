"""`jamlik report`: write the yearly follow-up report as HTML, PDF and CSV tables."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from jamlik.cli.options import MIN_POPULATION_FLOOR, WorkspaceOpt
from jamlik.workspace import Workspace

STAGE_LABELS = {
    "followup": "Uppföljning / follow-up",
    "charts": "Diagram och tabeller / charts and tables",
    "html": "HTML",
    "pdf": "PDF (Typst)",
    "docx": "Word (DOCX)",
    "csv": "CSV-tabeller / CSV tables",
}


class Lang(StrEnum):
    sv = "sv"
    en = "en"


class Format(StrEnum):
    html = "html"
    pdf = "pdf"
    docx = "docx"
    both = "both"  # html and pdf (the default)
    all = "all"  # html, pdf and docx


FORMAT_SETS = {"both": ("html", "pdf"), "all": ("html", "pdf", "docx")}


class Investments(StrEnum):
    """The choices of jamlik.report.investments.InvestmentScope (not imported, for speed)."""

    auto = "auto"
    programme = "programme"
    workspace = "workspace"


HELP = (
    "Skriv årsrapporten för uppföljningen / write the yearly follow-up report.\n\n"
    "One self-contained HTML file, a PDF and/or a Word file (DOCX), plus the report's data "
    "tables as CSV files, with small groups suppressed everywhere. The report opens with a "
    "summary for the council; the full report follows as its appendix."
)


def register(app: typer.Typer) -> None:
    """Add `jamlik report` to the main app."""
    app.command(name="report", help=HELP)(report)


def _check_year(ws: Workspace, programme_id: str, year: int, force: bool) -> None:
    """A report for a year the programme does not cover is most likely a typing mistake."""
    from jamlik.programme.tables import ProgrammeRow

    with ws.session() as session:
        row = session.get(ProgrammeRow, programme_id)
        start, end = (row.period_start, row.period_end) if row else (None, None)
    before = start is not None and year < start.year
    after = end is not None and year > end.year
    if not (before or after):
        return
    span = f"{start.year if start else ''}–{end.year if end else ''}"
    said = (
        f"Programmet {programme_id} gäller {span}; {year} ligger utanför / the programme runs "
        f"{span}, {year} is outside it."
    )
    if not force:
        Console(stderr=True, highlight=False).print(
            f"[bold red]Fel / Error:[/] {said} Skriv --force för att ändå skriva rapporten / "
            "add --force to write it anyway.",
            soft_wrap=True,
        )
        raise typer.Exit(1)
    Console(stderr=True, highlight=False).print(f"[yellow]Varning / warning:[/] {said}")


def report(
    year: Annotated[int, typer.Option("--year", help="Uppföljningsår / follow-up year.")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Mapp för rapporten / output folder.", file_okay=False),
    ],
    workspace: WorkspaceOpt = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Språk / language.")] = Lang.sv,
    fmt: Annotated[
        list[Format] | None,
        typer.Option(
            "--format",
            help="html, pdf, docx, both (html och/and pdf, standard/default) eller/or all; "
            "kan upprepas / may be repeated: --format pdf --format docx.",
            show_default=False,
        ),
    ] = None,
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            help="Program-id (behövs bara om arbetsytan har flera / needed only when the "
            "workspace holds several).",
            show_default=False,
        ),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option(
            "--area",
            help="Område som följs upp (behövs bara när flera områden på översta nivån har "
            "data; filnamnen får då områdets id) / area followed (needed only when several "
            "top-level areas have data; the file names then carry the area's id).",
            show_default=False,
        ),
    ] = None,
    investments: Annotated[
        Investments,
        typer.Option(
            "--investments",
            help="Sociala investeringar i rapporten: programmets egna (programme), alla i "
            "arbetsytan (workspace) eller auto (egna för riktiga data, alla för exempeldata) / "
            "social investments shown: the programme's own, every one in the workspace, or "
            "auto (own for real data, all for example data).",
        ),
    ] = Investments.auto,
    min_population: Annotated[
        int | None,
        typer.Option(
            "--min-population",
            min=MIN_POPULATION_FLOOR,
            help="Dölj värden som bygger på färre personer än så (kan höjas, aldrig sänkas; "
            "annars arbetsytans policy, `jamlik privacy policy`) / suppress values resting on "
            "fewer people (may be raised, never lowered; default: the workspace's policy).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Skriv rapporten även för ett år utanför programmets period / write the "
            "report even for a year outside the programme's period.",
        ),
    ] = False,
) -> None:
    """Write the yearly report (the command's help text is HELP)."""
    from jamlik.report.build import STAGES, build_report, resolve_programme

    ws = Workspace.resolve(workspace)
    _check_year(ws, resolve_programme(ws, programme), year, force)
    chosen = [f.value for f in fmt or [Format.both]]
    formats = tuple(dict.fromkeys(x for f in chosen for x in FORMAT_SETS.get(f, (f,))))
    console = Console()
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks = {s: bar.add_task(STAGE_LABELS[s], total=None, start=False) for s in STAGES}

        def progress(stage: str, done: int, total: int) -> None:
            bar.start_task(tasks[stage])
            bar.update(tasks[stage], completed=done, total=total)

        files = build_report(
            ws,
            year,
            out,
            programme_id=programme,
            area=area,
            lang=lang.value,
            formats=formats,
            min_population=min_population,
            progress=progress,
            investments=investments.value,  # type: ignore[arg-type]
        )
    lines = []
    if files.fictitious:
        lines.append("[bold yellow]Fiktiva exempeldata / fictitious example data[/]")
    if files.html:
        lines.append(f"HTML: [bold]{files.html}[/]")
    if files.pdf:
        lines.append(f"PDF:  [bold]{files.pdf}[/]")
    if files.docx:
        lines.append(f"DOCX: [bold]{files.docx}[/]")
    lines.append(f"CSV:  {files.tables} ({files.n_tables} tabeller / tables)")
    lines.append(f"{files.n_charts} diagram / charts på / in {files.seconds:.1f} s")
    console.print("\n".join(lines), highlight=False)

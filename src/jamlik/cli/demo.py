"""`jamlik demo`: build the fictitious Exempelstad workspace and show what is in it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from jamlik.cli.options import WorkspaceOpt
from jamlik.workspace import Workspace

STAGE_LABELS = {
    "generate": "Genererar fiktiva data / generating fictitious data",
    "definitions": "Områden, dimensioner, indikatorer / definitions",
    "observations": "Observationer / observations",
    "programme": "Program och insatser / programme and initiatives",
    "invest:programme": "Sociala investeringar: program / social investments: programme",
    "invest:definitions": "Sociala investeringar: definitioner / definitions",
    "invest:observations": "Sociala investeringar: jämförelsedata / comparison data",
    "invest:investments": "Sociala investeringar / social investments",
    "invest:calculations": "Kalkyler (Monte Carlo) / calculations",
    "report:followup": "Årsrapport: uppföljning / yearly report: follow-up",
    "report:charts": "Årsrapport: diagram / charts",
    "report:html": "Årsrapport: HTML",
    "report:pdf": "Årsrapport: PDF",
    "report:csv": "Årsrapport: tabeller / tables (CSV)",
}
REPORT_YEAR = 2025
KIND_SV = {
    "goal": "Mål",
    "target_area": "Målområde",
    "focus_area": "Fokusområde",
    "priority_area": "Prioriterat område",
}
# Swedish (singular, plural) for what the tree shows as counts.
COUNTED = {
    "strategy": ("strategi", "strategier"),
    "aim": ("inriktning", "inriktningar"),
    "initiative": ("insats", "insatser"),
    "indicator": ("indikator", "indikatorer"),
}

Seed = Annotated[
    int | None,
    typer.Option(
        "--seed",
        # The default lives in jamlik.demo.generator.DEFAULT_SEED (imported lazily: it pulls
        # in pandas); a test checks that this text names it.
        help="Slumpfrö / random seed: same seed, same data. Standard / default: 2018.",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    """Add `jamlik demo` to the main app."""
    app.command(name="demo")(demo)


NoReport = Annotated[
    bool,
    typer.Option("--no-report", help="Skriv ingen årsrapport / skip the yearly report."),
]


NoServe = Annotated[
    bool,
    typer.Option("--no-serve", help="Starta inte webbservern / build without serving."),
]
Port = Annotated[int, typer.Option("--port", help="Port för webbservern / port to serve on.")]


def demo(
    workspace: WorkspaceOpt = None,
    seed: Seed = None,
    no_report: NoReport = False,
    no_serve: NoServe = False,
    port: Port = 8000,
) -> None:
    """Bygg demoarbetsytan för den påhittade kommunen Exempelstad (fiktiva exempeldata).

    Build the demo workspace for the fictitious municipality Exempelstad. Rerunning is safe: the
    same seed changes nothing, another seed updates the values in place, and what was changed in
    the web is kept (or the demo refuses, naming what it would replace).
    """
    from jamlik.cycle.demo import seed_demo_cycle
    from jamlik.demo import PROGRAMME_ID
    from jamlik.demo.build import build_demo
    from jamlik.demo.generator import DEFAULT_SEED
    from jamlik.errors import ValidationError
    from jamlik.invest.demo import build_invest_demo
    from jamlik.programme.store import ImportConflictError
    from jamlik.report import build_report
    from jamlik.web.settings import REPORTS_FOLDER

    if not no_serve:
        from jamlik.cli.web import check_port_free

        check_port_free("127.0.0.1", port)  # before a build of half a minute, not after
    ws = Workspace.resolve(workspace)
    console = Console()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGE_LABELS.get(stage, stage), total=None)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            built = build_demo(ws, DEFAULT_SEED if seed is None else seed, progress)
        except ImportConflictError as exc:
            bar.stop()
            _refuse(exc)
        except ValidationError as exc:  # the demo's programme with the web's edits is invalid
            bar.stop()
            err = Console(stderr=True, highlight=False)
            for p in exc.problems:
                err.print(f"  - {p}", markup=False, soft_wrap=True)
            err.print("Inget ändrades. / Nothing was changed.")
            raise typer.Exit(1) from None
        build_invest_demo(ws, progress=lambda s, d, t: progress(f"invest:{s}", d, t))
        with ws.session() as session:  # fictitious reports from several actors; once only
            seed_demo_cycle(session, PROGRAMME_ID)
        if no_report:
            files = None
        else:
            files = build_report(
                ws,
                REPORT_YEAR,
                ws.path / REPORTS_FOLDER,
                programme_id=PROGRAMME_ID,
                progress=lambda s, d, t: progress(f"report:{s}", d, t),
            )
    print_summary(console, built)
    if files is not None:
        console.print(
            f"Årsrapport / yearly report {REPORT_YEAR}:\n  {files.html}\n  {files.pdf}",
            highlight=False,
        )
    _first_administrator(console, ws)
    if not no_serve:
        from jamlik.cli.web import serve

        serve(workspace=ws.path, host="127.0.0.1", port=port, programme=PROGRAMME_ID)


DEMO_ADMIN = "demo-admin"


def _refuse(exc) -> None:
    """The demo would overwrite what people changed in the web: say what, change nothing."""
    err = Console(stderr=True, highlight=False)
    n = len(exc.conflicts)
    err.print(
        f"[bold red]Demon skulle skriva över {n} ändring{'ar' if n != 1 else ''} gjorda i "
        f"webben / the demo would replace {n} web edit{'s' if n != 1 else ''}:[/]"
    )
    for p in exc.problems:
        err.print(f"  - {p}", markup=False, soft_wrap=True)
    err.print(
        "Inget ändrades. Kör demon med samma slumpfrö som förut (--seed), eller i en ny "
        "arbetsyta. / Nothing was changed. Run the demo with the seed it was built with "
        "(--seed), or in a new workspace.",
        soft_wrap=True,
    )
    raise typer.Exit(1)


def _first_administrator(console: Console, ws: Workspace) -> None:
    """Say how to sign in. A demo workspace without accounts gets one administrator whose
    one-time password is printed here, once, and must be changed at the first sign-in."""
    from jamlik.accounts import create_user, list_users, reset_password

    with ws.session() as session:
        if list_users(session):
            password = None
        else:
            create_user(
                session, DEMO_ADMIN, "administrator", display_name="Demoadministratör", by="demo"
            )
            password = reset_password(session, DEMO_ADMIN, by="demo")
    jamlik = f"jamlik user add NAMN --role administrator -w {ws.path}"
    if password is None:
        console.print(
            f"Logga in med ett befintligt konto, eller skapa ett: {jamlik}\n"
            "Sign in with an existing account, or create one (command above).",
            highlight=False,
        )
        return
    console.print(
        Panel(
            f"Användare / user: [bold]{DEMO_ADMIN}[/]\n"
            f"Engångslösenord / one-time password: [bold]{password}[/]\n"
            "Lösenordet visas bara nu och måste bytas vid första inloggningen.\n"
            "It is shown only now and must be changed at the first sign-in.",
            title="Administratör för demon / demo administrator",
            border_style="green",
        ),
        highlight=False,
    )


def _count(n: int, what: str) -> str:
    singular, plural = COUNTED[what]
    return f"{n} {singular if n == 1 else plural}"


def _tree(programme) -> Tree:
    """Nodes down to priority areas; strategies and aims only as counts, to stay short."""
    tree = Tree(f"[bold]{programme.title}[/]")
    branches = {None: tree}
    for _, node in programme.walk():
        if node.kind not in KIND_SV:
            continue
        counts = {}
        for child in programme.children(node.id):
            if child.kind not in KIND_SV:
                counts[child.kind] = counts.get(child.kind, 0) + 1
        counts["initiative"] = len(programme.initiatives_for(node.id))
        counts["indicator"] = len(node.indicators)
        extras = [_count(n, what) for what, n in counts.items() if n]
        suffix = f" [dim]({', '.join(extras)})[/]" if extras else ""
        parent = branches.get(node.parent, tree)
        branches[node.id] = parent.add(f"[cyan]{KIND_SV[node.kind]}:[/] {node.title}{suffix}")
    return tree


def _indicators(built) -> Table:
    from jamlik.data.suppression import is_suppressed_flag

    obs = built.data.observations
    table = Table(
        title="Indikatorer / indicators",
        title_justify="left",
        caption="↑ högre är bättre / higher is better, ↓ lägre är bättre / lower is better",
        caption_justify="left",
    )
    table.add_column("Indikator")
    table.add_column("Enhet")
    table.add_column("År")
    table.add_column("Obs.", justify="right")
    table.add_column("Prickade", justify="right")
    suppressed = is_suppressed_flag(obs["flag"])  # for too few people, or to protect them
    for ind in built.data.truth.indicators:
        rows = obs["indicator"].eq(ind.id)
        years = ind.years
        span = ", ".join(map(str, years)) if len(years) < 5 else f"{years[0]}–{years[-1]}"
        unit = "%" if ind.unit == "procent" else ind.unit
        table.add_row(
            ind.title_sv,
            f"{unit} {'↑' if ind.higher_is_better else '↓'}",
            span,
            _number(int(rows.sum())),
            _number(int((rows & suppressed).sum())),
        )
    return table


def _number(x: int) -> str:
    return f"{x:,}".replace(",", "\u00a0")


def print_summary(console: Console, built) -> None:
    """The short summary `jamlik demo` ends with."""
    from jamlik.demo.exempelstad import FICTITIOUS_EN, FICTITIOUS_SV

    programme = built.data.programme
    console.print(
        Panel(
            f"[bold]{FICTITIOUS_SV}[/] – Exempelstad och allt om den är påhittat.\n"
            f"{FICTITIOUS_EN}: Exempelstad and everything about it is invented.",
            title="jamlik demo",
            border_style="yellow",
        )
    )
    console.print(_tree(programme))
    console.print(_indicators(built))

    districts = len(built.data.truth.districts)
    changed = built.observations.changed + built.definitions.changed + built.programme_changed
    lines = [
        f"Observationer / observations: {_number(built.n_observations)} "
        f"(varav {_number(built.n_suppressed)} prickade / suppressed) i {districts} stadsområden "
        "och kommunen totalt",
        f"Insatser / initiatives: {len(programme.initiatives)} "
        f"({_number(built.n_reach)} rader om räckvidd / reach rows), "
        f"aktörer / actors: {len(programme.actors)}",
        f"Slumpfrö / seed: {built.data.seed}; "
        + (
            "arbetsytan oförändrad / workspace unchanged"
            if not changed
            else "arbetsytan uppdaterad / workspace updated"
        )
        + f" på {built.seconds:.1f} s",
        f"Arbetsyta / workspace: [bold]{built.workspace.path}[/]",
    ]
    console.print("\n".join(lines), highlight=False)

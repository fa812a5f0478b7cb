"""`jamlik invest …`: import, check and list social investments; calculate one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from jamlik.cli.options import WorkspaceOpt
from jamlik.errors import JamlikError, Problem
from jamlik.workspace import Workspace

invest_app = typer.Typer(
    no_args_is_help=True,
    help="Sociala investeringar: importera, räkna och följ upp. / Social investments: import, "
    "calculate and follow up.",
)
FileArg = Annotated[
    Path,
    typer.Argument(help="Investeringsfil (YAML) / investment file (YAML).", show_default=False),
]
LangOpt = Annotated[str, typer.Option("--lang", help="sv eller/or en.")]


def register(app: typer.Typer) -> None:
    """Add `jamlik invest …` to the main app."""
    app.add_typer(invest_app, name="invest")


def _fail(exc: JamlikError) -> typer.Exit:
    err = Console(stderr=True, highlight=False)
    problems: list[Problem] = getattr(exc, "problems", None) or []
    if problems:
        n = len(problems)
        err.print(f"[bold red]{n} problem hittade / {n} problem{'s' if n != 1 else ''} found[/]")
        for p in problems:
            err.print(f"  - {p}", markup=False, soft_wrap=True)
        err.print("Inget ändrades. / Nothing was changed.")
    else:
        err.print(Text("Fel / Error: ", style="bold red").append(str(exc)), soft_wrap=True)
    return typer.Exit(1)


@invest_app.command("check")
def check(file: FileArg) -> None:
    """Kontrollera en investeringsfil / check an investment file (exit 1 on any problem)."""
    from jamlik.invest.yamlio import load_investments

    try:
        investments = load_investments(file)
    except JamlikError as exc:
        raise _fail(exc) from None
    Console(highlight=False).print(f"OK: {file} — {len(investments)} investeringar / investments")


@invest_app.command("import")
def import_(file: FileArg, workspace: WorkspaceOpt = None) -> None:
    """Importera investeringar / import investments into the workspace (all or nothing)."""
    from jamlik.invest.store import import_investments

    ws = Workspace.resolve(workspace)
    try:
        summary = import_investments(ws, file)
    except JamlikError as exc:
        raise _fail(exc) from None
    Console(highlight=False).print(f"{summary}\nArbetsyta / workspace: {ws.path}", soft_wrap=True)


@invest_app.command("list")
def list_(workspace: WorkspaceOpt = None) -> None:
    """Lista investeringarna i arbetsytan / list the investments in the workspace."""
    from jamlik.invest.store import list_investments
    from jamlik.invest.text import money

    ws = Workspace.resolve(workspace)
    try:
        rows = list_investments(ws)
    except JamlikError as exc:
        raise _fail(exc) from None
    if not rows:
        Console().print("Inga investeringar / no investments (jamlik invest import FILE)")
        return
    table = Table(title="Sociala investeringar / social investments", title_justify="left")
    for col in ("Insats / initiative", "Titel / title", "Finansiär / funder", "Upplägg / design", "Kostnad / cost",
                "Nettonuvärde samhället / society NPV", "Beräknad / computed"):  # fmt: skip
        table.add_column(col, justify="right" if "NPV" in col or "cost" in col else "left")
    for r in rows:
        title = (r.title or "") + (" [yellow](fiktiv)[/]" if r.fictitious else "")
        table.add_row(r.initiative, title, r.funder or "", r.design, money(r.total_cost),
                      money(r.society_npv), r.computed_at or "–")  # fmt: skip
    Console().print(table)


@invest_app.command("calc")
def calc(
    initiative: Annotated[
        str, typer.Argument(help="Insatsens id / initiative id.", show_default=False)
    ],
    workspace: WorkspaceOpt = None,
    draws: Annotated[
        int, typer.Option("--draws", min=100, help="Monte Carlo-dragningar / draws.")
    ] = 10_000,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Slumpfrö / random seed (standard / default 2010).", show_default=False
        ),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate",
            help="Real diskonteringsränta / real discount rate, e.g. 0.035 (default: the file's).",
            show_default=False,
        ),
    ] = None,
    green_book: Annotated[
        bool,
        typer.Option(
            "--green-book",
            help="Avtagande ränta enligt Green Book / declining Green Book schedule.",
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Mapp för resultat / folder for results (default: WORKSPACE/invest/INITIATIVE).",
            show_default=False,
        ),
    ] = None,
    lang: LangOpt = "sv",
) -> None:
    """Räkna på en social investering / calculate a social investment: NPV, BCR, payback,
    break-even per perspective, Monte Carlo, tornado and the effect verdict."""  # fmt: skip
    from jamlik.invest.calc import calculate_in_workspace
    from jamlik.invest.charts import chart_specs
    from jamlik.invest.montecarlo import DEFAULT_SEED
    from jamlik.invest.results import write_result

    if rate is not None and green_book:
        raise _fail(
            JamlikError("--rate och --green-book går inte ihop / use either --rate or --green-book")
        )
    ws = Workspace.resolve(workspace)
    console = Console()
    try:
        with console.status("Räknar / calculating …"):
            result = calculate_in_workspace(ws, initiative, draws=draws, seed=DEFAULT_SEED if seed is None else seed,
                                            rate=rate, schedule="green_book" if green_book else None)  # fmt: skip
    except JamlikError as exc:
        raise _fail(exc) from None
    folder = out or ws.path / "invest" / initiative
    paths = write_result(result, folder, chart_specs(result, lang))
    print_summary(console, result, lang)
    console.print(
        f"Skrev / wrote: {', '.join(str(p) for p in paths)}", highlight=False, soft_wrap=True
    )


def print_summary(console: Console, result, lang: str = "sv") -> None:
    """The Rich summary `jamlik invest calc` prints."""
    from jamlik.invest.text import break_even_sentence, money, percent, ratio, value

    sv = lang == "sv"
    title = (result.title_en if not sv and result.title_en else result.title) or result.initiative
    s = result.settings
    head = [f"[bold]{title}[/] ({result.initiative})"]
    if result.fictitious:
        head.append(
            "[bold yellow]Fiktiva exempeldata[/] – siffrorna är påhittade / fictitious example data"
        )
    head.append(f"{s.draws} dragningar / draws, frö / seed {s.seed}; diskontering / discounting {s.discount}; "
                f"{s.base_year}–{s.base_year + s.horizon - 1}; priser / prices {s.price_year}")  # fmt: skip
    console.print(
        Panel("\n".join(head), title="jamlik invest calc", border_style="cyan"), highlight=False
    )

    level = round(s.interval_level * 100)
    table = Table(title="Per perspektiv / by perspective", title_justify="left")
    for col in ("Perspektiv", "Kostnader (NV)", "Nyttor (NV)", "Nettonuvärde", f"{level} % intervall",
                "Nytta/kostnad", "Återbetalning", "P(nytta > kostnad)"):  # fmt: skip
        table.add_column(col, justify="left" if col == "Perspektiv" else "right")
    for p in result.perspectives:
        table.add_row(
            p.label_sv if sv else p.label_en, money(p.pv_costs, lang), money(p.pv_benefits, lang),
            money(p.npv, lang), f"{money(p.npv_interval.lo, lang)} – {money(p.npv_interval.hi, lang)}",
            ratio(p.bcr, lang), str(p.payback_year or "–"), percent(p.p_benefits_exceed_costs, lang),
        )  # fmt: skip
    console.print(table)

    society = result.perspective("society")
    funder = max(result.perspectives[:-1], key=lambda p: p.pv_costs)
    for p in (society, funder):
        for b in p.break_even:
            console.print("• " + break_even_sentence(p, b, lang), highlight=False, soft_wrap=True)

    tornado = Table(
        title="Störst betydelse för nettonuvärdet (samhället) / matters most", title_justify="left"
    )
    for col in (
        "Antagande / assumption",
        "Lågt (P10)",
        "Högt (P90)",
        "NNV vid lågt",
        "NNV vid högt",
        "Rangkorr.",
    ):
        tornado.add_column(col, justify="left" if col.startswith("Antagande") else "right")
    for r in result.tornado[:5]:
        tornado.add_row(r.label_sv if sv else r.label_en, value(r.low_value, lang), value(r.high_value, lang),
                        money(r.npv_low, lang), money(r.npv_high, lang),
                        "–" if r.rank_correlation is None else ratio(r.rank_correlation, lang))  # fmt: skip
    console.print(tornado)

    if result.effect is not None:
        e = result.effect
        style = {
            "effect_found": "green",
            "no_effect_found": "white",
            "too_little_data": "yellow",
            "inconclusive": "yellow",
        }[e.verdict.code]
        console.print(Panel(f"[{style}]{e.verdict.text_sv}[/]\n{e.verdict.text_en}\n[dim]{e.method}[/]",
                            title="Effekt / effect", border_style=style), highlight=False)  # fmt: skip
    for note in result.notes:
        console.print(f"[dim]Not / note: {note}[/]", highlight=False, soft_wrap=True)

"""`jamlik privacy`: the workspace's suppression policy, and the auditor's differencing attack."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from jamlik.cli.options import WorkspaceOpt
from jamlik.workspace import Workspace

SHOWN = 20


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    group = typer.Typer(
        no_args_is_help=True, help="Röjandeskydd / disclosure control: policy and audit."
    )
    group.command("policy")(policy_command)
    group.command("check")(check_command)
    app.add_typer(group, name="privacy")


def policy_command(
    workspace: WorkspaceOpt = None,
    min_population: Annotated[
        int | None, typer.Option(help="Dölj celler med färre personer / hide smaller cells.")
    ] = None,
    min_numerator: Annotated[
        int | None,
        typer.Option(help="Dölj när 1..N−1 har eller saknar egenskapen / hide few in numerator."),
    ] = None,
    protection: Annotated[
        int | None,
        typer.Option(
            help="Minsta intervall (personer) ett dolt värde får ringas in till / "
            "narrowest interval, in people, a hidden count may be narrowed to."
        ),
    ] = None,  # fmt: skip
    populations: Annotated[
        str | None,
        typer.Option(
            help="Befolkning i dolda celler / populations of hidden cells: "
            "exact, rounded or hidden."
        ),
    ] = None,  # fmt: skip
    rounding_base: Annotated[
        int | None, typer.Option(help="Avrunda till / round to (with --populations rounded).")
    ] = None,
) -> None:
    """Visa eller ändra röjandeskyddspolicyn / show or set the workspace's suppression policy."""
    from pydantic import ValidationError as PydanticError

    from jamlik.data.policy import SuppressionPolicy, read_policy, write_policy
    from jamlik.errors import JamlikError

    ws = Workspace.resolve(workspace)
    if not ws.exists:
        raise JamlikError(f"Ingen arbetsyta / no workspace at {ws.path}: run `jamlik init` first")
    ws.init()
    policy = read_policy(ws)
    changes = {
        k: v
        for k, v in {
            "min_population": min_population,
            "min_numerator": min_numerator,
            "protection": protection,
            "hidden_populations": populations,
            "rounding_base": rounding_base,
        }.items()
        if v is not None
    }
    if changes:
        try:
            policy = SuppressionPolicy.model_validate(policy.model_dump() | changes)
        except PydanticError as exc:
            err = exc.errors()[0]
            name = {"hidden_populations": "populations"}.get(str(err["loc"][0]), err["loc"][0])
            raise JamlikError(
                f"--{str(name).replace('_', '-')}: ogiltigt värde / invalid value: {err['msg']}"
            ) from None
        write_policy(ws, policy)
    out = Console(highlight=False)
    for key, value in policy.model_dump().items():
        out.print(f"{key}: {value}", markup=False)
    out.print(policy.describe("sv"), markup=False, soft_wrap=True)


def check_command(
    workspace: WorkspaceOpt = None,
    indicator: Annotated[
        list[str] | None, typer.Option("--indicator", "-i", help="Bara dessa / only these.")
    ] = None,
    stats: Annotated[
        bool, typer.Option("--stats", help="Informationsförlust / information lost, by reason.")
    ] = False,
    show: Annotated[int, typer.Option(help="Visa högst så många fynd / findings shown.")] = SHOWN,
) -> None:
    """Röjanderevision / run the differencing attack on what the workspace publishes.

    Per indicator × period, every shown cell and the sums that tie them (areas to the area
    above, subgroups to the total) become a linear system; for every hidden cell, linear
    programming finds the least and greatest value a reader can deduce. Exits 1 when a hidden
    cell can be computed or narrowed below the policy's protection interval.
    """
    import time

    from jamlik.data.policy import read_policy
    from jamlik.data.publish import check_workspace

    ws = Workspace.resolve(workspace)
    started = time.perf_counter()
    policy = read_policy(ws)
    result = check_workspace(ws, indicator or None, policy=policy)
    seconds = time.perf_counter() - started
    out = Console(highlight=False)
    out.print(
        f"{result.tables} tabeller / tables, {result.cells} celler / cells, {result.hidden} dolda "
        f"/ hidden; {len(result.exposures)} kan räknas fram eller ringas in / recoverable or "
        f"narrowed ({result.exact} exakt / exactly) på / in {seconds:.1f} s",
        markup=False,
    )
    if stats and result.cells:

        def share(n: int) -> str:
            return f"{n} ({100 * n / result.cells:.1f} %)"

        out.print(
            f"för få personer / primary: {share(result.primary)}; skyddande / secondary: "
            f"{share(result.secondary)}; dolda totalt / hidden in all: {share(result.hidden)}",
            markup=False,
        )
    for e in result.exposures[:show]:
        out.print("  - " + e.describe(), markup=False, soft_wrap=True)
    if len(result.exposures) > show:
        out.print(f"  … och {len(result.exposures) - show} till / and more", markup=False)
    for ind, period in result.inconsistent:
        out.print(
            f"  ! {ind} {period}: summorna går inte ihop / the sums do not add up; not checked",
            markup=False,
        )
    if result.exposures:
        raise typer.Exit(1)

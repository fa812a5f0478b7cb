import sys

import typer
from rich.console import Console

from jamlik.cli import (
    accounts,
    backup,
    data,
    demo,
    invest,
    measures,
    privacy,
    programme,
    report,
    sources,
    web,
)
from jamlik.cli.options import WorkspaceOpt
from jamlik.errors import JamlikError
from jamlik.workspace import Workspace

app = typer.Typer(
    no_args_is_help=True,
    help="jamlik: steer and follow up equity programmes (jämlikhetsprogram).",
    pretty_exceptions_show_locals=False,
)


@app.command()
def init(workspace: WorkspaceOpt = None) -> None:
    """Skapa eller uppgradera en arbetsyta / create a workspace or upgrade its database."""
    ws = Workspace.resolve(workspace)
    ws.init()
    Console().print(f"Workspace ready: {ws.path}")


for module in (
    programme,
    data,
    sources,
    measures,
    privacy,
    report,
    invest,
    accounts,
    backup,
    web,
    demo,
):
    module.register(app)


def main() -> None:
    try:
        app()
    except JamlikError as exc:
        # Expected failures (bad input, missing workspace) get a message, not a traceback.
        Console(stderr=True).print(f"[bold red]Fel / Error:[/] {exc}", highlight=False, markup=True)
        sys.exit(1)

import sys
from typing import Annotated

import typer
from rich.console import Console

from jamlik.cli import (
    accounts,
    backup,
    cycle,
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


def _version(value: bool) -> None:
    if value:
        from jamlik import __version__

        Console(highlight=False).print(f"jamlik {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Visa versionen och avsluta / show the version and exit.",
        ),
    ] = False,
) -> None:
    """jamlik: styr och följ upp jämlikhetsprogram / steer and follow up equity programmes."""


@app.command()
def init(workspace: WorkspaceOpt = None) -> None:
    """Skapa eller uppgradera en arbetsyta / create a workspace or upgrade its database."""
    ws = Workspace.resolve(workspace)
    ws.init()
    Console(highlight=False).print(f"Arbetsytan är klar / workspace ready: {ws.path}")


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
    cycle,
    web,
    demo,
):
    module.register(app)


def main() -> None:
    try:
        app()
    except JamlikError as exc:
        _exit_with(exc)
    except Exception as exc:
        # Only a database error can mean "busy"; SQLAlchemy is not loaded for `--help`.
        if "sqlalchemy" not in sys.modules:
            raise
        from sqlalchemy.exc import DBAPIError

        from jamlik.contention import WorkspaceBusyError, is_busy

        if not (isinstance(exc, DBAPIError) and is_busy(exc)):
            raise
        # A command without retries of its own met a writer that would not let go.
        _exit_with(WorkspaceBusyError())


def _exit_with(exc: JamlikError) -> None:
    """Expected failures (bad input, a missing or busy workspace) get a message, not a
    traceback; a busy workspace exits 75 (try again later)."""
    from jamlik.contention import EXIT_BUSY, WorkspaceBusyError

    Console(stderr=True).print(f"[bold red]Fel / Error:[/] {exc}", highlight=False, markup=True)
    sys.exit(EXIT_BUSY if isinstance(exc, WorkspaceBusyError) else 1)

"""`jamlik serve`: the web application for a workspace."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from jamlik.cli.options import WorkspaceOpt

Host = Annotated[str, typer.Option("--host", help="Adress att lyssna på / address to listen on.")]
Port = Annotated[int, typer.Option("--port", help="Port / port.", min=1, max=65535)]
ProgrammeOpt = Annotated[
    str | None,
    typer.Option(
        "--programme",
        help="Program att visa när arbetsytan har flera / programme to show when there are several.",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    """Add `jamlik serve` to the main app."""
    app.command(name="serve")(serve)


def serve(
    workspace: WorkspaceOpt = None,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    programme: ProgrammeOpt = None,
) -> None:
    """Visa programmet och uppföljningen i webbläsaren / serve the web application.

    Svenska som standard, engelska med ?lang=en. Stoppa med Ctrl+C. / Swedish by default,
    English with ?lang=en. Stop with Ctrl+C.
    """
    import uvicorn

    from jamlik.web import WebSettings, create_app
    from jamlik.web.store import WebData
    from jamlik.workspace import Workspace

    ws = Workspace.resolve(workspace)
    settings = WebSettings.for_workspace(ws, programme_id=programme)
    WebData(settings).snapshot()  # fail here, with the reason, rather than on the first page
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    Console().print(
        f"jamlik serverar / serves [bold]{ws.path}[/] på / at [bold]http://{shown}:{port}[/]"
        " (Ctrl+C stoppar / stops)",
        highlight=False,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")

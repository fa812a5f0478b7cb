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

TrustedProxy = Annotated[
    str,
    typer.Option(
        "--trusted-proxy",
        envvar="FORWARDED_ALLOW_IPS",
        help=(
            "Adresser till omvända proxyer vars X-Forwarded-For/-Proto litas på, kommaseparerade "
            "/ addresses of the reverse proxies whose X-Forwarded-For/-Proto are trusted, "
            "comma-separated ('' trusts none)."
        ),
    ),
]


def check_port_free(host: str, port: int) -> None:
    """Refuse a busy port in one line before any work starts, instead of uvicorn's traceback."""
    import socket

    from jamlik.errors import JamlikError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # uvicorn sets SO_REUSEADDR too, so a port in TIME_WAIT is not reported as busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise JamlikError(
                f"Porten {port} på {host} går inte att använda ({exc.strerror}); välj en annan med "
                f"--port, till exempel make demo PORT={port + 10} / port {port} on {host} cannot "
                f"be used ({exc.strerror}): choose another with --port."
            ) from None


def register(app: typer.Typer) -> None:
    """Add `jamlik serve` to the main app."""
    app.command(name="serve")(serve)


def serve(
    workspace: WorkspaceOpt = None,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    programme: ProgrammeOpt = None,
    trusted_proxy: TrustedProxy = "127.0.0.1,::1",
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
    check_port_free(host, port)
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    Console().print(
        f"jamlik serverar / serves [bold]{ws.path}[/] på / at [bold]http://{shown}:{port}[/]"
        " (Ctrl+C stoppar / stops)",
        highlight=False,
    )
    # The client address (sign-in throttling, sessions) comes from X-Forwarded-For only when
    # the request came from one of these proxies; from anyone else the header is ignored.
    trusted = [a.strip() for a in trusted_proxy.split(",") if a.strip()]
    uvicorn.run(
        app, host=host, port=port, log_level="warning",
        proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None,
    )  # fmt: skip

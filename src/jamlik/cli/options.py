"""Options shared by many commands."""

from pathlib import Path
from typing import Annotated

import typer

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="JAMLIK_WORKSPACE",
        help="Workspace folder (default ./jamlik-workspace).",
        show_default=False,
    ),
]

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

# Bounds the options state before jamlik's heavier modules load (every command module is
# imported for `jamlik --help`); tests/test_cli_startup.py checks they match their sources.
MIN_POPULATION_FLOOR = 10  # jamlik.data.policy.SuppressionPolicy().min_population
TOKEN_DAYS, TOKEN_DAYS_MAX = 90, 365  # jamlik.accounts.DEFAULT_POLICY's token lifetimes

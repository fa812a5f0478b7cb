"""`jamlik backup` and `jamlik restore`: one portable archive per workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from jamlik.cli.options import WorkspaceOpt
from jamlik.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add `jamlik backup` and `jamlik restore` to the main app."""
    app.command(name="backup")(backup)
    app.command(name="restore")(restore)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True
    )


def backup(
    out: Annotated[Path, typer.Option("--out", help="Arkivfil / archive file (.zip).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Säkerhetskopiera arbetsytan / back up the workspace (database and files) to one zip file."""
    from jamlik.backup import backup_workspace

    ws = Workspace.resolve(workspace)
    with _progress() as bar:
        task = bar.add_task("Säkerhetskopierar / backing up")
        manifest = backup_workspace(
            ws, out, progress=lambda what, n: bar.update(task, description=f"{what}: {n}")
        )
    rows = sum(t["rows"] for t in manifest.tables)
    Console(highlight=False).print(
        f"Säkerhetskopia / backup: {out} — {len(manifest.tables)} tabeller / tables, "
        f"{rows} rader / rows, {len(manifest.files)} filer / files, schema {manifest.revision}"
    )


def restore(
    archive: Annotated[Path, typer.Argument(help="Arkivfil / archive made by `jamlik backup`.")],
    workspace: WorkspaceOpt = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Ersätt en arbetsyta som inte är tom / replace a workspace that is not empty.",
        ),
    ] = False,
) -> None:
    """Återställ en säkerhetskopia / restore a backup into an empty workspace."""
    from jamlik.backup import restore_workspace

    ws = Workspace.resolve(workspace)
    with _progress() as bar:
        task = bar.add_task("Återställer / restoring")
        manifest = restore_workspace(
            archive, ws, force=force,
            progress=lambda what, n: bar.update(task, description=f"{what}: {n}"),
        )  # fmt: skip
    rows = sum(t["rows"] for t in manifest.tables)
    Console(highlight=False).print(
        f"Återställd / restored into {ws.path}: {rows} rader / rows, "
        f"{len(manifest.files)} filer / files (från / from {manifest.created_at})"
    )

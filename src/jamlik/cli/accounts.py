"""`jamlik user …` (accounts) and `jamlik audit export` on the command line.

Whoever runs these commands runs the server, so they act as an administrator; the audit log
names them as "cli:<operating-system user>".
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jamlik.cli.options import TOKEN_DAYS, TOKEN_DAYS_MAX, WorkspaceOpt
from jamlik.errors import JamlikError
from jamlik.workspace import Workspace

users_app = typer.Typer(no_args_is_help=True, help="Användarkonton / user accounts.")
audit_app = typer.Typer(no_args_is_help=True, help="Granskningslogg / audit log.")

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Läs lösenordet från standard in / read the password from standard input.",
    ),
]


def register(app: typer.Typer) -> None:
    """Add `jamlik user` and `jamlik audit` to the main app."""
    app.add_typer(users_app, name="user")
    app.add_typer(audit_app, name="audit")


def _who() -> str:
    return f"cli:{getpass.getuser()}"


def _workspace(path: Path | None) -> Workspace:
    from sqlalchemy import inspect

    ws = Workspace.resolve(path)
    if not ws.exists:
        raise JamlikError(f"Ingen arbetsyta / no workspace at {ws.path}: run `jamlik init` first.")
    if not inspect(ws.engine()).has_table("user_account"):
        raise JamlikError(
            f"Arbetsytan behöver uppgraderas / the workspace {ws.path} predates accounts: "
            "run `jamlik init` to upgrade it."
        )
    return ws


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise JamlikError("Inget lösenord på standard in / no password on standard input.")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise JamlikError(
            "Standard in är ingen terminal / not a terminal: pass --password-stdin and pipe "
            "the password in."
        )
    # click's own confirmation asks "Repeat for confirmation" in English: ask twice ourselves.
    for _ in range(3):
        password = typer.prompt("Lösenord / password", hide_input=True)
        if typer.prompt("Upprepa / repeat", hide_input=True) == password:
            return password
        typer.echo(
            "Lösenorden skiljer sig / the passwords differ: försök igen / try again.", err=True
        )
    raise JamlikError("Lösenorden skiljde sig tre gånger / the passwords differed three times.")


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Användarnamn / user name.")],
    role: Annotated[
        str,
        typer.Option(
            help="administrator | process_leader | editor | analyst | reader", show_default=False
        ),
    ],
    actor: Annotated[
        list[str] | None,
        typer.Option(
            "--actor",
            help="Aktör (id) som en redaktör redigerar för; kan upprepas / actor id, repeatable.",
        ),
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="Fullständigt namn / full name.")] = None,
    password_stdin: PasswordStdin = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Skapa ett konto / create an account."""
    from jamlik.accounts import create_user

    ws = _workspace(workspace)
    password = _read_password(password_stdin)
    with ws.session() as session:
        user = create_user(
            session, name, role, password=password, actors=actor or (),
            display_name=display_name, by=_who(),
        )  # fmt: skip
    actors = f" ({', '.join(sorted(user.actors))})" if user.actors else ""
    Console(highlight=False).print(
        f"Konto skapat / account created: {user.name}, {user.role}{actors}"
    )


@users_app.command("list")
def list_(workspace: WorkspaceOpt = None) -> None:
    """Lista konton / list accounts."""
    from jamlik.accounts import list_users

    ws = _workspace(workspace)
    with ws.session() as session:
        users = list_users(session)
    table = Table("Namn / name", "Roll / role", "Aktörer / actors", "Aktivt / active")
    for u in users:
        table.add_row(
            u.name + (f" ({u.display_name})" if u.display_name else ""),
            u.role,
            ", ".join(sorted(u.actors)),
            ("ja / yes" if u.active else "nej / no")
            + (" (måste byta lösenord / must change password)" if u.must_change_password else ""),
        )
    Console().print(table if users else "Inga konton / no accounts.")


@users_app.command("reset-password")
def reset(
    name: Annotated[str, typer.Argument(help="Användarnamn / user name.")],
    password_stdin: PasswordStdin = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Återställ ett lösenord / reset a password (the user must change it at next sign-in).

    Without --password-stdin a random temporary password is made and shown once. Every
    session of the account ends.
    """
    from jamlik.accounts import reset_password

    ws = _workspace(workspace)
    chosen = _read_password(True) if password_stdin else None
    with ws.session() as session:
        password = reset_password(session, name, by=_who(), password=chosen)
    out = Console(highlight=False)
    out.print(f"Lösenordet återställt / password reset for {name}.")
    if chosen is None:
        out.print("Tillfälligt lösenord (visas bara nu) / temporary password (shown once):")
        print(password)


@users_app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="Användarnamn / user name.")],
    label: Annotated[str, typer.Option(help="Vad nyckeln används till / what it is for.")] = "API",
    days: Annotated[
        int,
        typer.Option(
            help="Dagar nyckeln gäller (högst 365) / days the token lasts (at most 365).",
            min=1,
            max=TOKEN_DAYS_MAX,
        ),
    ] = TOKEN_DAYS,
    workspace: WorkspaceOpt = None,
) -> None:
    """Skapa en API-nyckel / create an API token (shown once; send as `Authorization: Bearer …`)."""
    from datetime import timedelta

    from jamlik.accounts import create_token
    from jamlik.accounts.model import utcnow

    ws = _workspace(workspace)
    with ws.session() as session:
        now = utcnow()
        expires = now + timedelta(days=days)
        made = create_token(session, name, label, by=_who(), expires_at=expires, now=now)
    Console(stderr=True, highlight=False).print(
        f"API-nyckel för / API token for {name} (visas bara nu / shown once):"
    )
    print(made)


@users_app.command("sign-out-everywhere")
def sign_out(
    name: Annotated[str, typer.Argument(help="Användarnamn / user name.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Logga ut kontot överallt / end every session of the account."""
    from jamlik.accounts import end_all_sessions

    ws = _workspace(workspace)
    with ws.session() as session:
        ended = end_all_sessions(session, name, by=_who())
    Console(highlight=False).print(f"{ended} sessioner avslutade / sessions ended for {name}.")


@users_app.command("end-access")
def end_access_command(
    name: Annotated[str, typer.Argument(help="Användarnamn / user name.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Avsluta alla inloggningar och API-nycklar / end every session and revoke every API
    token of the account at once (someone who has left; for an account from the organisation's
    sign-in, also remove them from the group at the identity provider)."""
    from jamlik.accounts.sessions import end_access

    ws = _workspace(workspace)
    with ws.session() as session:
        sessions, tokens = end_access(session, name, by=_who())
    Console(highlight=False).print(
        f"{sessions} sessioner och {tokens} API-nycklar avslutade / sessions and tokens ended "
        f"for {name}."
    )


@audit_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="Fil / file: .csv eller / or .json.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Exportera granskningsloggen / export the audit log as CSV or JSON."""
    from jamlik.audit import export_log, format_for, read_log

    format_for(out)  # refuse a bad file name before reading anything
    ws = _workspace(workspace)
    with ws.session() as session:
        count = export_log(read_log(session), out)
    Console(highlight=False).print(f"{count} händelser / entries → {out}")

"""`jamlik cycle …`: the yearly follow-up cycle on the command line (issue 18).

Whoever runs these commands runs the server, so they act as an administrator named
"cli:<operating-system user>" in the audit log. Heavy modules load inside the commands, so
`jamlik --help` stays quick (tests/test_cli_startup.py).
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jamlik.cli.options import WorkspaceOpt
from jamlik.errors import JamlikError
from jamlik.workspace import Workspace

cycle_app = typer.Typer(
    no_args_is_help=True,
    help="Uppföljningscykeln: perioder, rapporter, påminnelser / the follow-up cycle.",
)

ProgrammeOpt = Annotated[
    str | None,
    typer.Option(
        "--programme", "-p",
        help="Program-id; behövs bara när arbetsytan har flera / programme id, when several.",
        show_default=False,
    ),
]  # fmt: skip
PeriodArg = Annotated[
    str, typer.Argument(help="Periodens id eller namn, t.ex. 'Uppföljning 2026' / id or label.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Skriv JSON / print JSON (for scripts).")]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="Dagens datum (ÅÅÅÅ-MM-DD) / today's date, for overdue.",
                 show_default=False),
]  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add `jamlik cycle` to the main app."""
    app.add_typer(cycle_app, name="cycle")


def _who():
    from jamlik.accounts import User

    return User(id=0, name=f"cli:{getpass.getuser()}", role="administrator")


def _workspace(path: Path | None) -> Workspace:
    ws = Workspace.resolve(path)
    if not ws.exists:
        raise JamlikError(f"Ingen arbetsyta / no workspace at {ws.path}: run `jamlik init` first.")
    ws.init()  # brings an older workspace up to the cycle's tables
    return ws


def _programme(session, programme: str | None) -> str:
    from sqlalchemy import select

    from jamlik.programme.tables import ProgrammeRow

    ids = list(session.scalars(select(ProgrammeRow.id).order_by(ProgrammeRow.id)))
    if programme is not None:
        if programme not in ids:
            raise JamlikError(
                f"Inget program {programme!r} / no such programme; the workspace has: "
                f"{', '.join(ids) or 'inga / none'}."
            )
        return programme
    if len(ids) == 1:
        return ids[0]
    raise JamlikError(
        "Ange programmet med --programme / name the programme with --programme: "
        f"{', '.join(ids) or 'arbetsytan har inget program / the workspace has none'}."
    )


def _period(session, programme: str | None, ref: str):
    from jamlik.cycle import find_period, get_period

    if ref.isdigit():
        return get_period(session, int(ref))
    return find_period(session, _programme(session, programme), ref)


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise JamlikError(
            f"{what}: {text!r} är inget datum (ÅÅÅÅ-MM-DD) / is not a date (YYYY-MM-DD)."
        ) from None


def _json(value) -> None:
    from dataclasses import asdict, is_dataclass

    def default(v):
        if isinstance(v, date):
            return v.isoformat()
        if is_dataclass(v):
            return asdict(v)
        raise TypeError(type(v).__name__)

    sys.stdout.write(json.dumps(value, default=default, ensure_ascii=False, indent=1) + "\n")


def _period_dict(p) -> dict:
    from dataclasses import asdict

    return asdict(p)


@cycle_app.command("list")
def list_(programme: ProgrammeOpt = None, as_json: JsonOpt = False,
          workspace: WorkspaceOpt = None) -> None:  # fmt: skip
    """Lista uppföljningsperioder / list follow-up periods."""
    from jamlik.cycle import list_periods, word

    ws = _workspace(workspace)
    with ws.session() as s:
        found = list_periods(s, programme)
    if as_json:
        _json([_period_dict(p) for p in found])
        return
    table = Table("Id", "Program", "Period", "Typ / kind", "Datum / dates",
                  "Sista dag insatser / deadline", "Läge / state")  # fmt: skip
    for p in found:
        table.add_row(str(p.id), p.programme_id, p.label, word(p.kind), f"{p.start} – {p.end}",
                      str(p.deadlines["initiative"]), word(p.state))  # fmt: skip
    Console().print(table if found else "Inga perioder / no periods: `jamlik cycle open`.")


@cycle_app.command("open")
def open_(
    year: Annotated[int, typer.Option(help="År / year.", show_default=False)],
    kind: Annotated[str, typer.Option(help="year | tertial | half_year")] = "year",
    part: Annotated[int, typer.Option(help="Tertial 1–3 eller halvår 1–2 / part.")] = 1,
    label: Annotated[
        str | None,
        typer.Option(help="Namn / label (default 'Uppföljning ÅÅÅÅ').", show_default=False),
    ] = None,
    deadline: Annotated[
        list[str] | None,
        typer.Option(
            "--deadline",
            help="Nivå=datum, t.ex. initiative=2027-01-20; kan upprepas / level=date, repeatable "
            "(levels: initiative, strategy, target_area, goal).",
        ),
    ] = None,
    programme: ProgrammeOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Öppna en uppföljningsperiod / open a follow-up period."""
    from jamlik.cycle import LEVELS, default_label, open_period, period_span, word
    from jamlik.cycle.codes import Level

    chosen: dict[Level, date] = {}
    for item in deadline or ():
        level, _, when = item.partition("=")
        if level not in LEVELS:
            raise JamlikError(
                f"--deadline {item!r}: okänd nivå / unknown level; one of {', '.join(LEVELS)}."
            )
        day = _date(when, f"--deadline {level}")
        assert day is not None  # _date gives None only for no text, and `when` is a str
        chosen[level] = day
    start, end = period_span(kind, year, part)
    ws = _workspace(workspace)
    with ws.session() as s:
        p = open_period(s, _who(), _programme(s, programme), label or default_label(kind, year, part),
                        kind, start, end, chosen)  # fmt: skip
    if as_json:
        _json(_period_dict(p))
        return
    lines = ", ".join(f"{word(lv)} {d}" for lv, d in p.deadlines.items())
    Console(highlight=False).print(
        f"Perioden är öppen / period opened: {p.label} (id {p.id}), {p.start} – {p.end}. "
        f"Sista dag / deadlines: {lines}."
    )


@cycle_app.command("close")
def close(period: PeriodArg, programme: ProgrammeOpt = None,
          workspace: WorkspaceOpt = None) -> None:  # fmt: skip
    """Stäng en period: dess rapporter låses / close a period; its reports are locked."""
    from jamlik.cycle import close_period, overview

    ws = _workspace(workspace)
    with ws.session() as s:
        p = close_period(s, _who(), _period(s, programme, period).id)
        left = overview(s, p.id, date.today()).total
    console = Console(highlight=False)
    console.print(f"Perioden är stängd / period closed: {p.label}.")
    if left.total - left.approved:
        console.print(
            f"{left.total - left.approved} av / of {left.total} rapporter och bedömningar är inte "
            f"godkända och låses som de är / are not approved and are locked as they stand "
            f"(saknas / missing {left.missing}, utkast / draft {left.draft}, återsänd / returned "
            f"{left.returned}, inskickad / submitted {left.submitted})."
        )


@cycle_app.command("reopen")
def reopen(
    period: PeriodArg,
    reason: Annotated[str, typer.Option(help="Varför / why (kept in the audit log).")],
    programme: ProgrammeOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Öppna en stängd period igen / reopen a closed period (audited with the reason)."""
    from jamlik.cycle import reopen_period

    ws = _workspace(workspace)
    with ws.session() as s:
        p = reopen_period(s, _who(), _period(s, programme, period).id, reason)
    Console(highlight=False).print(f"Perioden är öppen igen / period reopened: {p.label}.")


@cycle_app.command("status")
def status(
    period: PeriodArg,
    today: TodayOpt = None,
    programme: ProgrammeOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Vilka rapporter som saknas, är försenade eller klara / who has reported."""
    from dataclasses import asdict

    from jamlik.cycle import overview, word

    ws = _workspace(workspace)
    with ws.session() as s:
        ov = overview(s, _period(s, programme, period).id, _date(today, "--today") or date.today())
    if as_json:
        _json({
            "period": _period_dict(ov.period), "today": ov.today,
            "total": asdict(ov.total), "by_level": {k: asdict(v) for k, v in ov.by_level.items()},
            "by_actor": {k: asdict(v) for k, v in ov.by_actor.items()},
            "items": [asdict(i) for i in ov.items],
        })  # fmt: skip
        return
    console = Console(highlight=False)
    console.print(f"{ov.period.label} ({word(ov.period.state)}), {ov.today}")
    names = {i.actor_id or "": i.actor_name or "processledaren" for i in ov.items}
    for title, groups, label in (
        ("Nivå / level", ov.by_level, word),
        ("Aktör / actor", ov.by_actor, lambda k: names.get(k, k)),
    ):
        table = Table(title, "Totalt", "Saknas", "Utkast", "Återsänd", "Inskickad", "Godkänd",
                      "Försenad")  # fmt: skip
        for key, p in groups.items():
            table.add_row(label(key), *(str(v) for v in (p.total, p.missing, p.draft, p.returned,
                                                          p.submitted, p.approved, p.overdue)))  # fmt: skip
        console.print(table)
    t = ov.total
    console.print(
        f"Klart / done: {t.done} av / of {t.total} (godkända / approved {t.approved}); "
        f"försenade / overdue: {t.overdue}."
    )


@cycle_app.command("remind")
def remind(
    period: PeriodArg,
    csv_out: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Skriv påminnelselistan som CSV / write the list as CSV "
            "('-' for standard output).",
            show_default=False,
        ),
    ] = None,
    send: Annotated[
        bool, typer.Option("--send", help="Skicka e-post till aktörerna / send the e-mails.")
    ] = False,
    overdue_only: Annotated[
        bool, typer.Option("--overdue-only", help="Bara försenade / only overdue items.")
    ] = False,
    today: TodayOpt = None,
    programme: ProgrammeOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Påminnelselista, som CSV eller e-post / the reminder list, as CSV or e-mail."""
    from dataclasses import asdict

    from jamlik.cycle import reminders, reminders_csv, send_reminders, word

    ws = _workspace(workspace)
    when = _date(today, "--today") or date.today()
    with ws.session() as s:
        p = _period(s, programme, period)
        items = reminders(s, p.id, when, overdue_only=overdue_only)
        run = send_reminders(s, _who(), p.id, when, overdue_only=overdue_only) if send else None
    if csv_out is not None:
        text = reminders_csv(items)
        if str(csv_out) == "-":
            sys.stdout.write(text)
        else:
            csv_out.write_text(text, encoding="utf-8")
    if as_json:
        _json({"reminders": [asdict(r) for r in items],
               "sent": [asdict(x) for x in run.sent] if run else [],
               "skipped": [asdict(x) for x in run.skipped] if run else []})  # fmt: skip
        return
    console = Console(highlight=False, stderr=str(csv_out) == "-")
    if csv_out is None:
        table = Table("Aktör / actor", "Vad / what", "Sista dag / deadline", "Läge / state")
        for r in items:
            late = " (försenad / overdue)" if r.overdue else ""
            table.add_row(r.actor_name or "processledaren", r.title, str(r.deadline),
                          word(r.state) + late)  # fmt: skip
        console.print(table if items else "Inget kvar att påminna om / nothing left to remind of.")
    if run is not None:
        console.print(
            f"Skickade / sent: {len(run.sent)} e-post till / messages to "
            f"{', '.join(x.actor_name or '' for x in run.sent) or '-'}."
        )
        for x in run.skipped:
            why = "ingen adress / no address" if x.actor_id else "processledaren / process leader"
            console.print(f"Hoppade över / skipped: {x.actor_name or '-'} ({x.items}, {why}).")


@cycle_app.command("smtp")
def smtp(
    host: Annotated[
        str | None, typer.Option(help="SMTP-server / host.", show_default=False)
    ] = None,
    port: Annotated[int, typer.Option(help="Port.")] = 587,
    sender: Annotated[
        str | None, typer.Option(help="Avsändare / From address.", show_default=False)
    ] = None,
    security: Annotated[str, typer.Option(help="starttls | tls | none")] = "starttls",
    user: Annotated[
        str | None, typer.Option(help="Användare / user name.", show_default=False)
    ] = None,
    password_env: Annotated[
        str, typer.Option(help="Miljövariabel med lösenordet / env var holding the password.")
    ] = "JAMLIK_SMTP_PASSWORD",
    password_file: Annotated[
        str | None, typer.Option(help="Fil med lösenordet / password file.", show_default=False)
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Visa eller ställ in e-postservern för påminnelser / show or set the SMTP server.
    The password itself is never stored: it is read from the environment or the file."""
    from pydantic import ValidationError

    from jamlik.cycle import SmtpSettings, read_smtp, write_smtp

    ws = _workspace(workspace)
    with ws.session() as s:
        if host is None and sender is None:
            current = read_smtp(s)
            Console(highlight=False).print(
                current.model_dump() if current else "Ingen e-postserver är inställd / none set."
            )
            return
        try:
            settings = SmtpSettings(host=host or "", port=port, sender=sender or "",
                                    security=security, user=user, password_env=password_env,
                                    password_file=password_file)  # fmt: skip
        except ValidationError as exc:
            err = exc.errors()[0]
            raise JamlikError(
                f"SMTP-inställningen {'.'.join(map(str, err['loc']))} är ogiltig / invalid: "
                f"{err['msg']}."
            ) from None
        write_smtp(s, _who(), settings)
    Console(highlight=False).print(f"E-postservern är inställd / SMTP set: {host}:{port}.")


@cycle_app.command("contact")
def contact(
    actor: Annotated[str, typer.Argument(help="Aktörens id / actor id.")],
    email: Annotated[
        str | None,
        typer.Argument(
            help="Adress(er), kommaseparerade / address(es); utelämna för att ta "
            "bort / omit to remove.",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Vart påminnelser till en aktör går / where reminders to an actor go."""
    from jamlik.cycle import set_contact

    ws = _workspace(workspace)
    with ws.session() as s:
        set_contact(s, _who(), actor, email)
    Console(highlight=False).print(f"{actor}: {email or 'ingen adress / no address'}.")


@cycle_app.command("responsible")
def responsible(
    node: Annotated[str, typer.Argument(help="Nodens id / node id.")],
    actor: Annotated[
        str | None,
        typer.Argument(
            help="Aktörens id; utelämna för processledaren / actor id; omit for the "
            "process leader.",
            show_default=False,
        ),
    ] = None,
    programme: ProgrammeOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Vilken aktör som bedömer en nod / which actor assesses a node."""
    from jamlik.cycle import set_responsible

    ws = _workspace(workspace)
    with ws.session() as s:
        set_responsible(s, _who(), _programme(s, programme), node, actor)
    Console(highlight=False).print(f"{node}: {actor or 'processledaren / the process leader'}.")

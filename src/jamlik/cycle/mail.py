"""Reminders by e-mail: SMTP settings per workspace, actors' reminder addresses, and sending.

The settings live in the workspace's `workspace_setting` table (key "cycle_smtp"): host, port,
sender, STARTTLS or implicit TLS, user name. The password is never stored there: it is read
when sending from the environment variable named by `password_env` (default
JAMLIK_SMTP_PASSWORD) or from the file `password_file` (e.g. a container secret).

Reminders go to each actor's reminder address (`set_contact`): a functional mailbox of the
organisation, so accounts keep no personal e-mail addresses. One message per actor lists all
it has left to do in the period, in Swedish (English below). Things without a responsible
actor (nodes the process leader assesses) and actors without an address are reported back as
skipped, never silently dropped.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError
from sqlalchemy.orm import Session

from jamlik.accounts.permissions import require
from jamlik.cycle.access import require_periods
from jamlik.cycle.codes import word
from jamlik.cycle.errors import CycleError, NotFound
from jamlik.cycle.model import Reminder
from jamlik.cycle.overview import reminders
from jamlik.cycle.records import period_row, trace, utcnow
from jamlik.cycle.tables import ContactRow

SETTING_KEY = "cycle_smtp"
_ADDRESS = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")


class SmtpSettings(BaseModel):
    """How this workspace sends e-mail. `security`: "starttls" (port 587 as a rule), "tls"
    (implicit TLS, port 465) or "none" (a relay on the local network or a test server)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field(min_length=1, max_length=255)
    port: int = Field(default=587, ge=1, le=65535)
    sender: str = Field(min_length=3, max_length=320)
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str | None = Field(default=None, max_length=320)
    password_env: str = "JAMLIK_SMTP_PASSWORD"
    password_file: str | None = None
    timeout: float = Field(default=20.0, gt=0, le=300)

    def password(self) -> str | None:
        """The password from the file or the environment (None when the server needs none)."""
        if self.password_file:
            try:
                return Path(self.password_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CycleError(
                    f"Kan inte läsa SMTP-lösenordet ur {self.password_file} / cannot read the SMTP "
                    f"password file: {exc.strerror}"
                ) from None
        return os.environ.get(self.password_env) or None


@dataclass(frozen=True)
class SentReminder:
    """One message sent (or, in `skipped`, one actor that could not be reminded and why)."""

    actor_id: str | None
    actor_name: str | None
    to: tuple[str, ...]
    items: int
    subject: str


@dataclass(frozen=True)
class ReminderRun:
    sent: tuple[SentReminder, ...]
    skipped: tuple[SentReminder, ...]  # no address, or nobody but the process leader


def read_smtp(session: Session) -> SmtpSettings | None:
    """The workspace's SMTP settings, or None when none are set."""
    from jamlik.data.tables import SettingRow

    row = session.get(SettingRow, SETTING_KEY)
    if row is None:
        return None
    try:
        return SmtpSettings.model_validate(dict(row.value))
    except PydanticError as exc:
        raise CycleError(
            f"Arbetsytans SMTP-inställningar är ogiltiga / the workspace's SMTP settings are "
            f"invalid: {exc.errors()[0]['msg']}; set them again with `jamlik cycle smtp`."
        ) from None


def write_smtp(session: Session, user, settings: SmtpSettings) -> None:
    """Store the SMTP settings (administrators; audited, no password is ever stored)."""
    from jamlik.data.tables import SettingRow

    require(user, "edit", "programme")
    row = session.get(SettingRow, SETTING_KEY)
    before = None if row is None else dict(row.value)
    value = settings.model_dump()
    if row is None:
        session.add(SettingRow(key=SETTING_KEY, value=value))
    else:
        row.value = value
    session.flush()
    trace(session, user, "edit", "workspace_setting", SETTING_KEY, before, value)


def check_addresses(text: str) -> tuple[str, ...]:
    """Comma-separated e-mail addresses, each checked; `CycleError` naming a bad one."""
    found = tuple(a.strip() for a in text.split(",") if a.strip())
    if not found:
        raise CycleError("Ange minst en e-postadress / give at least one e-mail address.")
    for a in found:
        if not _ADDRESS.match(a) or len(a) > 320:
            raise CycleError(f"{a!r} är ingen e-postadress / is not an e-mail address.")
    return found


def set_contact(session: Session, user, actor_id: str, email: str | None) -> None:
    """Set (or with None remove) where reminders to an actor go (process leader or
    administrator; audited)."""
    from jamlik.programme.tables import ActorRow

    require_periods(user)
    if session.get(ActorRow, actor_id) is None:
        raise NotFound(f"Ingen aktör {actor_id!r} / no such actor: see the programme's actors.")
    row = session.get(ContactRow, actor_id)
    before = None if row is None else row.email
    if email is None:
        if row is not None:
            session.delete(row)
        value = None
    else:
        value = ", ".join(check_addresses(email))
        if row is None:
            session.add(ContactRow(actor_id=actor_id, email=value))
        else:
            row.email = value
    session.flush()
    trace(session, user, "edit", "cycle_contact", actor_id, {"email": before}, {"email": value})


def message_text(label: str, actor_name: str, items: list[Reminder], today: date) -> str:
    """The reminder's body: Swedish first, English below."""
    lines = [
        "Hej!",
        "",
        f"Det här är en påminnelse om uppföljningen ”{label}”. {actor_name} har kvar att "
        "rapportera följande:",
        "",
    ]
    for r in items:
        what = "Rapport för insatsen" if r.kind == "report" else "Bedömning av"
        late = " – SISTA DAGEN HAR PASSERAT" if r.overdue else ""
        lines.append(f"- {what} ”{r.title}”: sista dag {r.deadline.isoformat()} "
                     f"(läge: {word(r.state)}){late}")  # fmt: skip
    lines += [
        "",
        "Logga in i jamlik, öppna uppföljningen och fyll i eller skicka in det som saknas. "
        "Frågor besvaras av processledaren.",
        "",
        f"Skickat {today.isoformat()} av jamlik.",
        "",
        "---",
        f"Reminder: the follow-up '{label}'. {actor_name} still has to report "
        f"{len(items)} item{'s' if len(items) != 1 else ''} (deadlines above). Sign in to jamlik "
        "to complete and submit them.",
    ]
    return "\n".join(lines) + "\n"


def send_reminders(
    session: Session,
    user,
    period_id: int,
    today: date,
    settings: SmtpSettings | None = None,
    *,
    overdue_only: bool = False,
    now: datetime | None = None,
) -> ReminderRun:
    """Send one reminder per actor with something left to do in the period (process leader or
    administrator). Uses the workspace's settings unless `settings` is given. Audited as
    `send cycle_reminder` with the actors and item counts."""
    from jamlik.programme.tables import ActorRow

    require_periods(user)
    period = period_row(session, period_id)
    config = settings or read_smtp(session)
    if config is None:
        raise CycleError(
            "Ingen e-postserver är inställd / no SMTP server is configured: run `jamlik cycle "
            "smtp --host … --sender …` first."
        )
    todo = reminders(session, period_id, today, overdue_only=overdue_only)
    per_actor: dict[str | None, list[Reminder]] = {}
    for r in todo:
        per_actor.setdefault(r.actor_id, []).append(r)
    messages: list[tuple[SentReminder, EmailMessage]] = []
    skipped: list[SentReminder] = []
    for actor_id, items in per_actor.items():
        actor = session.get(ActorRow, actor_id) if actor_id else None
        name = actor.name if actor is not None else "processledaren"
        subject = (
            f"Påminnelse: {period.label} – {len(items)} "
            f"{'sak' if len(items) == 1 else 'saker'} att rapportera"
        )
        to = items[0].emails
        info = SentReminder(actor_id, name if actor_id else None, to, len(items), subject)
        if not actor_id or not to:
            skipped.append(info)
            continue
        msg = EmailMessage()
        msg["Subject"] = subject
        msg["From"] = config.sender
        msg["To"] = ", ".join(to)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
        msg.set_content(message_text(period.label, name, items, today))
        msg["Content-Language"] = "sv"  # after set_content, which clears Content-* headers
        messages.append((info, msg))
    if messages:
        _deliver(config, [m for _i, m in messages])
    sent = tuple(i for i, _m in messages)
    trace(
        session, user, "send", "cycle_reminder", period_id, None,
        {"sent": [{"actor": s.actor_id, "to": list(s.to), "items": s.items} for s in sent],
         "skipped": [{"actor": s.actor_id, "items": s.items} for s in skipped]},
        now=now or utcnow(),
    )  # fmt: skip
    return ReminderRun(sent=sent, skipped=tuple(skipped))


def _deliver(config: SmtpSettings, messages: list[EmailMessage]) -> None:
    password = config.password()
    context = ssl.create_default_context()
    try:
        if config.security == "tls":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        else:
            server = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with server:
            if config.security == "starttls":
                server.starttls(context=context)
            if config.user:
                if password is None:
                    raise CycleError(
                        f"SMTP-användaren {config.user} behöver ett lösenord i "
                        f"${config.password_env} eller i password_file / the SMTP user needs a "
                        "password."
                    )
                server.login(config.user, password)
            for msg in messages:
                server.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise CycleError(
            f"E-post kunde inte skickas via {config.host}:{config.port} / e-mail could not be "
            f"sent: {exc}. Inga fler påminnelser skickades / no further reminders were sent."
        ) from None

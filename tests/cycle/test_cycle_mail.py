"""Reminders by e-mail, delivered to a real SMTP server (aiosmtpd) on 127.0.0.1 started by the
test: the message must arrive, to the actor's address, in Swedish."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy

import pytest
from cycle_helpers import EDITOR_B, LEADER, B, P, free_port

from jamlik.accounts.permissions import NotAllowed
from jamlik.audit import read_log
from jamlik.cycle import (
    CycleError,
    ReportContent,
    SmtpSettings,
    read_smtp,
    save_report,
    send_back,
    send_reminders,
    set_contact,
    start_report,
    submit,
    write_smtp,
)

ADDRESS = "uppfoljning@nämnd-b.example"


@pytest.fixture
def returned(ws, periods):
    """I4 (actor B) returned in 2026; I3 (B) not started; I1 (actor A) not started."""
    _old, new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_B, new, "I4")
        save_report(s, EDITOR_B, rep.id, rep.version, ReportContent(status="on_track"))
        submit(s, EDITOR_B, "report", rep.id)
        send_back(s, LEADER, "report", rep.id, "Komplettera.")
        set_contact(s, LEADER, B, ADDRESS)
    return new


def test_a_reminder_reaches_the_smtp_server_in_swedish(ws, returned, smtp_server, monkeypatch):
    controller, inbox, logins = smtp_server
    monkeypatch.setenv("JAMLIK_SMTP_PASSWORD", "hemligt-smtp")
    settings = SmtpSettings(host="127.0.0.1", port=controller.port, sender="jamlik@kommun.example",
                            security="none", user="jamlik")  # fmt: skip
    with ws.session() as s:
        write_smtp(s, _admin(), settings)
        assert read_smtp(s) == settings
        run = send_reminders(s, LEADER, returned, date(2027, 2, 1))
        log = read_log(s, entity="cycle_reminder")
    assert logins == [("jamlik", "hemligt-smtp")]
    assert len(inbox.received) == 1
    sender, rcpt, content = inbox.received[0]
    assert sender == "jamlik@kommun.example" and rcpt == [ADDRESS]
    msg = message_from_bytes(content, policy=policy.default)
    # B has I3 (missing) and I4 (returned), both past the initiatives' deadline 2027-01-28
    assert msg["Subject"] == "Påminnelse: Uppföljning 2026 – 2 saker att rapportera"
    assert msg["Content-Language"] == "sv"
    body = msg.get_content()
    assert "Nämnd B har kvar att rapportera följande" in body
    assert ("- Rapport för insatsen ”Insats I4”: sista dag 2027-01-28 (läge: återsänd) – SISTA "
            "DAGEN HAR PASSERAT") in body  # fmt: skip
    assert "- Rapport för insatsen ”Insats I3”: sista dag 2027-01-28 (läge: saknas)" in body
    # A has no address, the nodes have no actor: both skipped, and said so
    assert [(x.actor_id, x.items) for x in run.sent] == [(B, 2)]
    assert sorted((x.actor_id or "", x.items) for x in run.skipped) == [("", 4), ("akt-a", 1)]
    assert log[-1].action == "send" and log[-1].after["sent"] == [
        {"actor": B, "to": [ADDRESS], "items": 2}]  # fmt: skip


def _admin():
    from cycle_helpers import ADMIN

    return ADMIN


def test_no_password_is_ever_stored(ws):
    from jamlik.data.tables import SettingRow

    with ws.session() as s:
        write_smtp(s, _admin(), SmtpSettings(host="smtp.kommun.example", sender="a@b.example",
                                             user="jamlik"))  # fmt: skip
        stored = dict(s.get(SettingRow, "cycle_smtp").value)
    assert "password" not in stored and stored["password_env"] == "JAMLIK_SMTP_PASSWORD"


def test_only_leaders_send_and_only_administrators_configure(ws, returned):
    with pytest.raises(NotAllowed), ws.session() as s:
        send_reminders(s, EDITOR_B, returned, date(2027, 2, 1),
                       SmtpSettings(host="127.0.0.1", sender="a@b.example", security="none"))  # fmt: skip
    with pytest.raises(NotAllowed), ws.session() as s:
        write_smtp(s, LEADER, SmtpSettings(host="x", sender="a@b.example"))
    with pytest.raises(NotAllowed), ws.session() as s:
        set_contact(s, EDITOR_B, B, "mig@b.example")


def test_a_server_that_does_not_answer_gives_a_clear_error_and_no_audit_entry(ws, returned):
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), sender="a@b.example",
                            security="none", timeout=5)  # fmt: skip
    with pytest.raises(CycleError, match="E-post kunde inte skickas via 127.0.0.1"), \
            ws.session() as s:  # fmt: skip
        send_reminders(s, LEADER, returned, date(2027, 2, 1), settings)
    with ws.session() as s:
        assert read_log(s, entity="cycle_reminder") == []


@pytest.mark.parametrize("bad", ["ingen-adress", "a@b", "a@b.se, <x>@c.se", ""])
def test_bad_reminder_addresses_are_refused(ws, bad):
    with pytest.raises(CycleError, match="e-postadress"), ws.session() as s:
        set_contact(s, LEADER, B, bad)


def test_contacts_need_a_known_actor(ws):
    from jamlik.cycle import NotFound

    with pytest.raises(NotFound), ws.session() as s:
        set_contact(s, LEADER, "okänd", "a@b.example")
    assert P  # the programme the actors belong to

"""`jamlik cycle …` on a real workspace: open, list, status and remind as JSON and CSV, close,
reopen with a reason."""

from __future__ import annotations

import csv
import io
import json

import pytest
import typer
from typer.testing import CliRunner

from jamlik.audit import read_log
from jamlik.cli import cycle as cycle_cli
from jamlik.errors import JamlikError


@pytest.fixture
def run(ws, monkeypatch):
    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    app = typer.Typer()
    cycle_cli.register(app)

    def invoke(*args: str):
        return CliRunner().invoke(app, ["cycle", *args, "--workspace", str(ws.path)])

    return invoke


def test_a_period_from_open_to_reopened(run, ws):
    opened = run("open", "--year", "2026", "--deadline", "initiative=2027-01-20", "--json")
    assert opened.exit_code == 0, opened.output
    period = json.loads(opened.output)
    assert period["label"] == "Uppföljning 2026" and period["kind"] == "year"
    assert period["deadlines"] == {"initiative": "2027-01-20", "strategy": "2027-02-11",
                                   "target_area": "2027-02-25", "goal": "2027-03-11"}  # fmt: skip
    listed = json.loads(run("list", "--json").output)
    assert [p["label"] for p in listed] == ["Uppföljning 2026"]

    status = json.loads(run("status", "Uppföljning 2026", "--today", "2027-01-21", "--json").output)
    # three initiatives run in 2026 (I1, I3, I4), none reported, past 2027-01-20; four nodes
    # with something to weigh (G, T1, S1, S2; T2 has nothing)
    assert status["total"]["total"] == 7 and status["total"]["missing"] == 7
    assert status["by_level"]["initiative"]["overdue"] == 3
    assert status["by_actor"]["akt-b"]["total"] == 2

    remind = run("remind", str(period["id"]), "--today", "2027-01-21", "--csv", "-",
                 "--overdue-only")  # fmt: skip
    assert remind.exit_code == 0, remind.output
    rows = list(csv.reader(io.StringIO(remind.stdout)))
    assert [r[5] for r in rows[1:]] == ["I1", "I3", "I4"]

    closed = run("close", "Uppföljning 2026")
    assert closed.exit_code == 0
    assert "7 av / of 7 rapporter och bedömningar är inte godkända" in " ".join(
        closed.output.split()
    )
    refused = run("reopen", "Uppföljning 2026", "--reason", " ")
    assert refused.exit_code == 1 and isinstance(refused.exception, JamlikError)
    assert "Ange varför" in str(refused.exception)
    assert run("reopen", "Uppföljning 2026", "--reason", "Rättelse").exit_code == 0
    with ws.session() as s:
        log = read_log(s, entity="cycle_period")
    assert [e.action for e in log] == ["open", "close", "reopen"]
    assert log[0].user.startswith("cli:")


def test_bad_input_names_what_is_wrong(run):
    bad_level = run("open", "--year", "2026", "--deadline", "board=2027-01-01")
    assert "okänd nivå" in str(bad_level.exception)
    bad_date = run("open", "--year", "2026", "--deadline", "goal=31/12")
    assert "är inget datum" in str(bad_date.exception)
    unknown = run("status", "Uppföljning 1999")
    assert "ingen period" in str(unknown.exception)


def test_smtp_contact_and_responsible(run, ws):
    done = run("smtp", "--host", "smtp.kommun.example", "--sender", "jamlik@kommun.example")
    assert done.exit_code == 0, done.output
    assert "smtp.kommun.example" in run("smtp").output
    assert run("contact", "akt-a", "a@kommun.example").exit_code == 0
    assert "e-postadress" in str(run("contact", "akt-a", "inte-en-adress").exception)
    assert run("responsible", "T1", "akt-a").exit_code == 0
    from jamlik.cycle.overview import contacts
    from jamlik.cycle.scope import responsible

    with ws.session() as s:
        assert contacts(s) == {"akt-a": ("a@kommun.example",)}
        assert responsible(s, "prog") == {"T1": "akt-a"}


def test_remind_send_reaches_the_smtp_server(run, ws, smtp_server):
    from email import message_from_bytes, policy

    controller, inbox, _logins = smtp_server
    assert run("open", "--year", "2026").exit_code == 0
    done = run("smtp", "--host", "127.0.0.1", "--port", str(controller.port), "--sender",
               "jamlik@kommun.example", "--security", "none")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert run("contact", "akt-a", "a@kommun.example, kansli@kommun.example").exit_code == 0
    sent = run("remind", "Uppföljning 2026", "--today", "2027-01-21", "--send", "--json")
    assert sent.exit_code == 0, sent.output
    result = json.loads(sent.stdout)
    assert [(x["actor_id"], x["items"]) for x in result["sent"]] == [("akt-a", 1)]  # I1
    assert len(inbox.received) == 1
    _sender, rcpt, content = inbox.received[0]
    assert rcpt == ["a@kommun.example", "kansli@kommun.example"]
    body = message_from_bytes(content, policy=policy.default).get_content()
    assert "Nämnd A har kvar att rapportera följande" in body and "”Insats I1”" in body

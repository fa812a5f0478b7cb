"""`jamlik user …` and `jamlik audit export` through the real Typer commands."""

from __future__ import annotations

import csv

import pytest
import typer
from accounts_helpers import ACTORS, PASSWORD, T0
from typer.testing import CliRunner

from jamlik.accounts import authenticate, get_user, list_tokens, token_user
from jamlik.cli import accounts as accounts_cli


@pytest.fixture
def run(ws, monkeypatch):
    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    app = typer.Typer()
    accounts_cli.register(app)

    def invoke(*args: str, stdin: str | None = None):
        return CliRunner().invoke(app, [*args, "--workspace", str(ws.path)], input=stdin)

    return invoke


def test_add_an_editor_with_actors_and_list_accounts(run, ws):
    done = run("user", "add", "Eva", "--role", "editor", "--actor", ACTORS[0], "--actor", ACTORS[2],
               "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "eva, editor (gbg-grundskola, gbg-sdf-nordost)" in done.output
    with ws.session() as s:
        assert authenticate(s, "eva", PASSWORD, now=T0).actors == {ACTORS[0], ACTORS[2]}
    listed = run("user", "list")
    assert listed.exit_code == 0 and "eva" in listed.output and "editor" in listed.output


def test_bad_input_is_refused_with_the_reason(run):
    no_actor = run(
        "user", "add", "eva", "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert no_actor.exit_code != 0 and "at least one actor" in str(no_actor.exception)
    short = run("user", "add", "eva", "--role", "reader", "--password-stdin", stdin="kort\n")
    assert "minst 10 tecken" in str(short.exception)
    no_tty = run("user", "add", "eva", "--role", "reader", stdin="")
    assert "--password-stdin" in str(no_tty.exception)


def test_reset_password_prints_a_temporary_password_once(run, ws):
    run("user", "add", "eva", "--role", "reader", "--password-stdin", stdin=PASSWORD + "\n")
    done = run("user", "reset-password", "eva")
    assert done.exit_code == 0, done.output
    temporary = done.output.strip().splitlines()[-1]
    with ws.session() as s:
        assert authenticate(s, "eva", temporary, now=T0).must_change_password
        assert get_user(s, "eva").must_change_password


def test_token_is_printed_once_and_works(run, ws):
    run("user", "add", "bo", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    done = run("user", "token", "bo", "--label", "kolada-robot")
    assert done.exit_code == 0, done.output
    token = done.stdout.strip().splitlines()[-1]
    with ws.session() as s:
        assert token_user(s, token).name == "bo"
        (info,) = list_tokens(s, "bo")
    assert 89 <= (info.expires_at - info.created_at).days <= 90  # every token expires
    week = run("user", "token", "bo", "--label", "kort", "--days", "7")
    assert week.exit_code == 0, week.output
    refused = run("user", "token", "bo", "--label", "för evigt", "--days", "3650")
    assert refused.exit_code != 0 and "365" in refused.output
    with ws.session() as s:
        assert [(t.label, (t.expires_at - t.created_at).days) for t in list_tokens(s, "bo")] == [
            ("kolada-robot", 90), ("kort", 7)
        ]  # fmt: skip


def test_audit_export_names_the_command_line_user(run, tmp_path):
    import getpass

    run("user", "add", "bo", "--role", "reader", "--password-stdin", stdin=PASSWORD + "\n")
    run("user", "sign-out-everywhere", "bo")
    out = tmp_path / "audit.csv"
    done = run("audit", "export", "--out", str(out))
    assert done.exit_code == 0, done.output
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["user"], r["action"], r["entity_id"]) for r in rows] == [
        (f"cli:{getpass.getuser()}", "create", "bo"),
        (f"cli:{getpass.getuser()}", "sign_out_everywhere", "bo"),
    ]
    bad = run("audit", "export", "--out", str(tmp_path / "audit.pdf"))
    assert "unknown format" in str(bad.exception)


def test_commands_need_an_initialised_workspace(tmp_path, monkeypatch):
    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    app = typer.Typer()
    accounts_cli.register(app)
    done = CliRunner().invoke(app, ["user", "list", "--workspace", str(tmp_path / "none")])
    assert "jamlik init" in str(done.exception)

"""Sessions expire, end singly or everywhere; API tokens work until revoked or expired and are
stored only as hashes."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from accounts_helpers import PASSWORD, T0
from sqlalchemy import inspect, select, text

from jamlik.accounts import (
    AccountError,
    create_token,
    create_user,
    end_all_sessions,
    end_session,
    list_tokens,
    reset_password,
    revoke_token,
    session_user,
    start_session,
    token_user,
    update_user,
)
from jamlik.accounts.tables import LoginSessionRow


@pytest.fixture
def anna(ws):
    with ws.session() as s:
        return create_user(s, "anna", "reader", password=PASSWORD, by="test")


def _open(ws, user, when=T0):
    with ws.session() as s:
        return start_session(s, user, now=when)


def _who(ws, token, when):
    with ws.session() as s:
        user = session_user(s, token, now=when)
        return user.name if user else None


def test_a_session_lasts_while_used_and_ends_when_idle_or_old(ws, anna):
    token = _open(ws, anna)
    assert _who(ws, token, T0 + timedelta(minutes=1)) == "anna"
    # Used every 1 h 50 min, it stays alive past the 2-hour idle limit …
    for hours in (1.8, 3.6, 5.4, 7.2, 9.0, 10.8):
        assert _who(ws, token, T0 + timedelta(hours=hours)) == "anna"
    # … but not past the 12-hour lifetime.
    assert _who(ws, token, T0 + timedelta(hours=12, minutes=1)) is None
    idle = _open(ws, anna)
    assert _who(ws, idle, T0 + timedelta(hours=2, minutes=1)) is None


def test_unknown_tokens_and_signed_out_sessions_are_nobody(ws, anna):
    token = _open(ws, anna)
    assert _who(ws, "not-a-token", T0) is None
    assert _who(ws, "", T0) is None
    with ws.session() as s:
        end_session(s, token)
    assert _who(ws, token, T0) is None


def test_sign_out_everywhere_ends_every_session_of_that_account_only(ws, anna):
    with ws.session() as s:
        bo = create_user(s, "bo", "reader", password=PASSWORD, by="test")
    tokens = [_open(ws, anna) for _ in range(3)]
    other = _open(ws, bo)
    with ws.session() as s:
        assert end_all_sessions(s, "anna", by=anna, now=T0) == 3
    assert [_who(ws, t, T0 + timedelta(minutes=1)) for t in tokens] == [None] * 3
    assert _who(ws, other, T0 + timedelta(minutes=1)) == "bo"
    # A session opened afterwards works: the account itself is untouched.
    assert _who(ws, _open(ws, anna), T0 + timedelta(minutes=2)) == "anna"


def test_password_reset_and_disabling_end_sessions(ws, anna):
    first = _open(ws, anna)
    with ws.session() as s:
        reset_password(s, "anna", by="admin")
    assert _who(ws, first, T0) is None
    second = _open(ws, anna)
    with ws.session() as s:
        update_user(s, "anna", active=False, by="admin")
    assert _who(ws, second, T0) is None


def test_session_tokens_are_stored_as_sha256_only(ws, anna):
    token = _open(ws, anna)
    with ws.session() as s:
        ids = s.scalars(select(LoginSessionRow.id)).all()
    assert ids == [hashlib.sha256(token.encode()).hexdigest()]


def _every_text_value(ws) -> str:
    """All values of all tables as one text, to look for a secret anywhere in the database."""
    engine = ws.engine()
    parts = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_api_tokens_act_for_their_account_and_are_stored_only_as_hashes(ws, anna):
    with ws.session() as s:
        token = create_token(s, "anna", "rapportrobot", by="admin", now=T0)
    assert token.startswith("jamlik_") and len(token) > 40
    with ws.session() as s:
        assert token_user(s, token, now=T0).name == "anna"
    stored = _every_text_value(ws)
    assert token not in stored
    assert token[len("jamlik_") :] not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    with ws.session() as s:
        (info,) = list_tokens(s, "anna")
    assert info.label == "rapportrobot" and token.startswith(info.prefix)
    assert info.last_used_at == T0


def test_revoked_expired_and_disabled_tokens_stop_working(ws, anna):
    with ws.session() as s:
        revoked = create_token(s, "anna", "a", by="admin", now=T0)
        expiring = create_token(
            s, "anna", "b", by="admin", expires_at=T0 + timedelta(days=30), now=T0
        )
        kept = create_token(s, "anna", "c", by="admin", now=T0)
        revoke_token(s, list_tokens(s, "anna")[0].id, by="admin")
    with ws.session() as s:
        assert token_user(s, revoked, now=T0) is None
        assert token_user(s, expiring, now=T0 + timedelta(days=29)).name == "anna"
        assert token_user(s, expiring, now=T0 + timedelta(days=30)) is None
        assert token_user(s, kept, now=T0).name == "anna"
        assert token_user(s, "jamlik_guess", now=T0) is None
        assert token_user(s, "Bearer", now=T0) is None
    with ws.session() as s:
        update_user(s, "anna", active=False, by="admin")
    with ws.session() as s:
        assert token_user(s, kept, now=T0) is None


def test_sessions_and_tokens_for_unknown_accounts_are_refused(ws):
    with ws.session() as s, pytest.raises(AccountError, match="no user named"):
        create_token(s, "ingen", "x", by="admin")
    with ws.session() as s, pytest.raises(AccountError, match="no user named"):
        end_all_sessions(s, "ingen", by="admin")

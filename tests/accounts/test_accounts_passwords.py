"""Passwords are argon2id hashes; sign-in refuses wrong passwords and throttles repeated
failures (time is injected: no sleeping)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from accounts_helpers import PASSWORD, T0
from argon2 import PasswordHasher
from sqlalchemy import select

from jamlik.accounts import (
    AccountError,
    LoginRefused,
    LoginThrottled,
    authenticate,
    create_user,
    reset_password,
    set_password,
    update_user,
)
from jamlik.accounts.passwords import check_password_rules, hash_password, verify_password
from jamlik.accounts.tables import LoginAttemptRow, UserRow


def test_stored_hash_is_argon2id_and_verifies_only_the_right_password(ws):
    with ws.session() as s:
        create_user(s, "Anna.Svensson", "reader", password=PASSWORD, by="test")
    with ws.session() as s:
        stored = s.scalar(select(UserRow.password_hash).where(UserRow.name == "anna.svensson"))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    # argon2-cffi itself (not our wrapper) accepts the stored hash for the right password.
    assert PasswordHasher().verify(stored, PASSWORD)
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD + "x")
    assert not verify_password(None, PASSWORD)
    assert not verify_password("not a hash", PASSWORD)


def test_production_parameters_meet_owasp_minimums():
    from argon2 import extract_parameters

    from jamlik.accounts.passwords import DEFAULT_HASHER

    encoded = DEFAULT_HASHER.hash(PASSWORD)
    params = extract_parameters(encoded)
    assert encoded.startswith("$argon2id$")
    # OWASP's password storage cheat sheet: argon2id with at least 19 MiB and 2 iterations.
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2


def test_two_hashes_of_one_password_differ_by_salt():
    assert hash_password(PASSWORD) != hash_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("kort", "minst 10"),
        (" med-blanksteg-först", "blanksteg"),
        ("xx-anna-xx-anna", "användarnamnet"),
    ],
)
def test_password_rules_say_what_is_wrong(password, fragment):
    with pytest.raises(AccountError, match=fragment):
        check_password_rules(password, "anna")


def test_sign_in_with_right_and_wrong_password(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    with ws.session() as s:
        assert authenticate(s, "ANNA ", PASSWORD, now=T0).name == "anna"
    with ws.session() as s, pytest.raises(LoginRefused):
        authenticate(s, "anna", "fel-lösenord-123", now=T0)
    with ws.session() as s, pytest.raises(LoginRefused):
        authenticate(s, "ingen-sådan", PASSWORD, now=T0)


def test_disabled_account_cannot_sign_in(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
        update_user(s, "anna", active=False, by="test")
    with ws.session() as s, pytest.raises(LoginRefused):
        authenticate(s, "anna", PASSWORD, now=T0)


def _fail(ws, name, when, address=None):
    with ws.session() as s:
        try:
            authenticate(s, name, "fel-lösenord-123", address=address, now=when)
        except (LoginRefused, LoginThrottled) as exc:
            return exc
    raise AssertionError("a wrong password was accepted")


def test_five_failures_lock_the_name_for_fifteen_minutes_after_the_last(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    # Failures at T0, T0+1 min, …, T0+4 min: the fifth locks until T0+4+15 = T0+19 min.
    for minute in range(5):
        assert isinstance(_fail(ws, "anna", T0 + timedelta(minutes=minute)), LoginRefused)
    with ws.session() as s, pytest.raises(LoginThrottled) as locked:
        authenticate(s, "anna", PASSWORD, now=T0 + timedelta(minutes=10))
    assert locked.value.until == T0 + timedelta(minutes=19)
    assert "9 minuter" in str(locked.value)
    # Refusals while locked do not extend the lock.
    for minute in (11, 12, 18):
        assert isinstance(_fail(ws, "anna", T0 + timedelta(minutes=minute)), LoginThrottled)
    with ws.session() as s:
        assert authenticate(s, "anna", PASSWORD, now=T0 + timedelta(minutes=19, seconds=1))
    with ws.session() as s:
        outcomes = s.scalars(select(LoginAttemptRow.outcome).order_by(LoginAttemptRow.id)).all()
    assert outcomes == ["failure"] * 5 + ["throttled"] * 4 + ["success"]


def test_failures_spread_wider_than_the_window_do_not_lock(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    # Four failures, then a fifth 16 minutes after the first: only four fall in any 15-minute window.
    for minute in (0, 1, 2, 3, 16):
        _fail(ws, "anna", T0 + timedelta(minutes=minute))
    with ws.session() as s:
        assert authenticate(s, "anna", PASSWORD, now=T0 + timedelta(minutes=17))


def test_a_success_clears_earlier_failures(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    for minute in range(4):
        _fail(ws, "anna", T0 + timedelta(minutes=minute))
    with ws.session() as s:
        authenticate(s, "anna", PASSWORD, now=T0 + timedelta(minutes=5))
    for minute in range(6, 10):  # four more: eight in the window, but only four since the success
        assert isinstance(_fail(ws, "anna", T0 + timedelta(minutes=minute)), LoginRefused)


def test_one_address_guessing_many_names_is_locked(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    for n in range(20):  # 20 names, one failure each: no name is locked, the address is
        _fail(ws, f"user{n}", T0 + timedelta(seconds=n), address="203.0.113.9")
    with ws.session() as s, pytest.raises(LoginThrottled):
        authenticate(s, "anna", PASSWORD, address="203.0.113.9", now=T0 + timedelta(minutes=1))
    with ws.session() as s:  # the same account from another address is not affected
        assert authenticate(
            s, "anna", PASSWORD, address="198.51.100.4", now=T0 + timedelta(minutes=1)
        )


def test_admin_reset_forces_a_change_and_the_old_password_stops_working(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
        temporary = reset_password(s, "anna", by="admin")
    assert len(temporary) == 16
    with ws.session() as s, pytest.raises(LoginRefused):
        authenticate(s, "anna", PASSWORD, now=T0)
    with ws.session() as s:
        user = authenticate(s, "anna", temporary, now=T0)
        assert user.must_change_password
        set_password(s, "anna", "ett-nytt-långt-lösen", by=user)
    with ws.session() as s:
        assert not authenticate(s, "anna", "ett-nytt-långt-lösen", now=T0).must_change_password

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
    throttled_until,
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


A = "203.0.113.9"  # the guesser's address (documentation ranges, RFC 5737)
B = "198.51.100.4"  # the account's owner at the office


def test_failures_from_one_address_back_off_doubling_per_failure(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    # Five failures one second apart cost nothing more than a refusal each ...
    for second in range(5):
        assert isinstance(_fail(ws, "anna", T0 + timedelta(seconds=second), A), LoginRefused)
    # ... the fifth (at T0+4 s) makes the pair wait 30 s, even with the right password.
    with ws.session() as s, pytest.raises(LoginThrottled) as waiting:
        authenticate(s, "anna", PASSWORD, address=A, now=T0 + timedelta(seconds=10))
    assert waiting.value.until == T0 + timedelta(seconds=34)
    assert waiting.value.retry_after == 24 and "24 sekunder" in str(waiting.value)
    # Refusals while waiting neither count nor prolong the wait.
    for second in (11, 20, 33):
        exc = _fail(ws, "anna", T0 + timedelta(seconds=second), A)
        assert isinstance(exc, LoginThrottled) and exc.until == T0 + timedelta(seconds=34)
    # The sixth failure (at T0+35 s) doubles the wait: 60 s; the seventh 120 s.
    assert isinstance(_fail(ws, "anna", T0 + timedelta(seconds=35), A), LoginRefused)
    assert _fail(ws, "anna", T0 + timedelta(seconds=94), A).until == T0 + timedelta(seconds=95)
    assert isinstance(_fail(ws, "anna", T0 + timedelta(seconds=96), A), LoginRefused)
    assert _fail(ws, "anna", T0 + timedelta(seconds=97), A).until == T0 + timedelta(seconds=216)
    with ws.session() as s:
        assert authenticate(s, "anna", PASSWORD, address=A, now=T0 + timedelta(seconds=217))
    with ws.session() as s:
        outcomes = s.scalars(select(LoginAttemptRow.outcome).order_by(LoginAttemptRow.id)).all()
    assert outcomes == (
        ["failure"] * 5 + ["throttled"] * 4 + ["failure", "throttled", "failure", "throttled",
                                               "success"]
    )  # fmt: skip


def test_the_wait_never_exceeds_the_cap(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    when, delays = T0, []
    for _ in range(40):  # each failure just after the previous wait ended
        assert isinstance(_fail(ws, "anna", when, A), LoginRefused)
        with ws.session() as s:
            until = throttled_until(s, "anna", A, now=when)
        delays.append(int(((until or when) - when).total_seconds()))
        when = (until or when) + timedelta(seconds=1)
    # Free, then 30 s doubling; 30 s doubled 35 times would be years: the cap is 15 minutes.
    assert delays[:10] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900]
    assert set(delays[9:]) == {900}


def test_guessing_never_locks_the_owner_out_from_another_address(ws):
    """The denial-of-service attack of issue 12: anyone could lock any account, administrators
    included, with five wrong passwords. Now the guesser waits; the owner does not."""
    with ws.session() as s:
        create_user(s, "chefen", "administrator", password=PASSWORD, by="test")
    for n in range(12):
        _fail(ws, "chefen", T0 + timedelta(seconds=n), A)
    with ws.session() as s, pytest.raises(LoginThrottled):
        authenticate(s, "chefen", PASSWORD, address=A, now=T0 + timedelta(seconds=12))
    with ws.session() as s:
        user = authenticate(s, "chefen", PASSWORD, address=B, now=T0 + timedelta(seconds=12))
    assert user.role == "administrator"


def test_a_success_clears_earlier_failures(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    for minute in range(4):
        _fail(ws, "anna", T0 + timedelta(minutes=minute), A)
    with ws.session() as s:
        authenticate(s, "anna", PASSWORD, address=A, now=T0 + timedelta(minutes=5))
    for minute in range(6, 10):  # four more: eight in all, but only four since the success
        assert isinstance(_fail(ws, "anna", T0 + timedelta(minutes=minute), A), LoginRefused)


def test_failures_older_than_the_memory_are_forgotten(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    for minute in range(5):
        _fail(ws, "anna", T0 + timedelta(minutes=minute), A)
    with ws.session() as s:  # 24 hours after the first failures: nothing counts any more
        assert authenticate(s, "anna", PASSWORD, address=A, now=T0 + timedelta(hours=24, minutes=5))


def test_one_address_guessing_many_names_backs_off(ws):
    with ws.session() as s:
        create_user(s, "anna", "reader", password=PASSWORD, by="test")
    for n in range(20):  # 20 names, one failure each: no pair waits, the address does
        _fail(ws, f"user{n}", T0 + timedelta(seconds=n), address=A)
    with ws.session() as s, pytest.raises(LoginThrottled):
        authenticate(s, "anna", PASSWORD, address=A, now=T0 + timedelta(seconds=25))
    with ws.session() as s:  # the same account from another address is not affected
        assert authenticate(s, "anna", PASSWORD, address=B, now=T0 + timedelta(seconds=25))


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

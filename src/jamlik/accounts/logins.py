"""Signing in: checking a password, with throttling of repeated failures.

Every attempt is stored in `login_attempt`. A name with too many recent failures, or an
address with too many, is refused without its password being looked at until the lockout
has passed; those refusals are stored as "throttled" and do not prolong the lockout. A
successful sign-in clears the name's count. Pass `now` to control time in tests.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from jamlik.accounts.model import (
    DEFAULT_POLICY,
    AccountError,
    AccountPolicy,
    LoginRefused,
    LoginThrottled,
    User,
    as_utc,
    utcnow,
)
from jamlik.accounts.passwords import hash_password, needs_rehash, verify_password
from jamlik.accounts.tables import LoginAttemptRow, UserRow
from jamlik.accounts.users import normalize_name, to_user


def _locked_until(
    session: Session, key: ColumnElement[bool], limit: int, now: datetime, policy: AccountPolicy
) -> datetime | None:
    """When the lockout for the attempts matching `key` ends, or None when not locked.

    Locked: `limit` failures (since the last success) fell within one `failure_window`, and
    the last of them was less than `lockout` ago.
    """
    last_success = session.scalar(
        select(func.max(LoginAttemptRow.at)).where(key, LoginAttemptRow.outcome == "success")
    )
    start = now - policy.failure_window - policy.lockout
    if last_success is not None:
        start = max(start, as_utc(last_success))
    failures = [
        as_utc(at)
        for at in session.scalars(
            select(LoginAttemptRow.at)
            .where(key, LoginAttemptRow.outcome == "failure", LoginAttemptRow.at > start)
            .order_by(LoginAttemptRow.at)
        )
    ]
    until = None
    for first, last in zip(failures, failures[limit - 1 :], strict=False):
        if last - first <= policy.failure_window:
            until = last + policy.lockout
    return until if until is not None and until > now else None


def throttled_until(
    session: Session,
    name: str,
    address: str | None = None,
    *,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> datetime | None:
    """When sign-in for `name` (from `address`) opens again, or None when it is open now."""
    now = now or utcnow()
    times = [
        _locked_until(
            session, LoginAttemptRow.name == name, policy.max_failures_per_name, now, policy
        )
    ]
    if address:
        times.append(
            _locked_until(
                session,
                LoginAttemptRow.address == address,
                policy.max_failures_per_address,
                now,
                policy,
            )
        )
    locked = [t for t in times if t is not None]
    return max(locked) if locked else None


def authenticate(
    session: Session,
    name: str,
    password: str,
    *,
    address: str | None = None,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> User:
    """The account when `name` and `password` match an active account.

    Raises `LoginThrottled` while locked out and `LoginRefused` otherwise (unknown name, wrong
    password and disabled account look the same to the caller, and take the same time).
    The attempt is stored in the caller's transaction: commit it even when this raises.
    """
    now = now or utcnow()
    try:
        clean = normalize_name(name)
    except AccountError:
        raise LoginRefused() from None
    session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < now - policy.keep_attempts))
    until = throttled_until(session, clean, address, now=now, policy=policy)
    if until is not None:
        session.add(LoginAttemptRow(name=clean, address=address, at=now, outcome="throttled"))
        session.flush()
        raise LoginThrottled(until, now)
    row = session.scalar(select(UserRow).where(UserRow.name == clean))
    ok = verify_password(row.password_hash if row is not None else None, password)
    ok = ok and row is not None and bool(row.active)
    session.add(
        LoginAttemptRow(name=clean, address=address, at=now, outcome="success" if ok else "failure")
    )
    session.flush()
    if not ok:
        raise LoginRefused()
    assert row is not None and row.password_hash is not None
    if needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)
    return to_user(session, row)

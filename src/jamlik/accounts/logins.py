"""Signing in: checking a password, with throttling of repeated failures.

Every attempt is stored in `login_attempt`. Failures are counted per (account name, client
address) and per address across names, since the last success of the same key; after a few
free failures each further one doubles the wait before the next attempt from that key is
looked at (`AccountPolicy`). Refusals while waiting are stored as "throttled" and neither
count nor prolong the wait. Nothing is counted per account alone: guessing from one address
cannot lock the account out for its owner at another. Pass `now` to control time in tests.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, select
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


def _wait_until(
    session: Session, key: ColumnElement[bool], free: int, now: datetime, policy: AccountPolicy
) -> datetime | None:
    """When the attempts matching `key` may be looked at again, or None when they may now.

    From the `free`-th failure on (counted since the key's last success, within
    `failure_memory`), the n-th failure makes the key wait first_delay * 2^(n - free) after
    it, at most `max_delay`.
    """
    last_success = session.scalar(
        select(func.max(LoginAttemptRow.at)).where(key, LoginAttemptRow.outcome == "success")
    )
    start = now - policy.failure_memory
    if last_success is not None:
        start = max(start, as_utc(last_success))
    failures, last = session.execute(
        select(func.count(), func.max(LoginAttemptRow.at)).where(
            key, LoginAttemptRow.outcome == "failure", LoginAttemptRow.at > start
        )
    ).one()
    if failures < free or last is None:
        return None
    # Doubling stops at the cap long before the exponent could overflow anything.
    steps = min(failures - free, 30)
    delay = min(policy.max_delay, policy.first_delay * 2**steps)
    until = as_utc(last) + delay
    return until if until > now else None


def throttled_until(
    session: Session,
    name: str,
    address: str | None = None,
    *,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> datetime | None:
    """When sign-in for `name` from `address` may be tried again, or None when it may now."""
    now = now or utcnow()
    same_address = (
        LoginAttemptRow.address == address if address else LoginAttemptRow.address.is_(None)
    )
    times = [
        _wait_until(
            session, and_(LoginAttemptRow.name == name, same_address), policy.free_failures,
            now, policy,
        )
    ]  # fmt: skip
    if address:
        times.append(
            _wait_until(session, same_address, policy.free_failures_per_address, now, policy)
        )
    waiting = [t for t in times if t is not None]
    return max(waiting) if waiting else None


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

    Raises `LoginThrottled` while the name and address must wait, and `LoginRefused` otherwise (unknown name, wrong
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

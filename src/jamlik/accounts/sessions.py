"""Browser sessions: a random token in a cookie, its SHA-256 in `login_session`.

A session is valid while it has not ended, has seen a request within `session_idle`, began
less than `session_lifetime` ago, its account is active, and its generation matches the
account's: "sign out everywhere", a password change and an administrator's reset raise the
account's generation, which ends all its sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jamlik.accounts.model import DEFAULT_POLICY, AccountPolicy, User, as_utc, utcnow
from jamlik.accounts.tables import LoginSessionRow, UserRow
from jamlik.accounts.users import account_row, to_user
from jamlik.audit import record

# Writing `last_seen_at` on every request would turn each page view into a write.
_TOUCH_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    """The stored form of a session or API token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session,
    user: User,
    *,
    address: str | None = None,
    now: datetime | None = None,
    method: str | None = None,
) -> str:
    """Open a session for `user` (after `authenticate`, or a provider's sign-in: `method`
    names it, e.g. "oidc:entra") and return the cookie's token.

    The token is returned once; only its digest is stored.
    """
    now = now or utcnow()
    row = session.get(UserRow, user.id)
    assert row is not None
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSessionRow(
            id=digest(token),
            user_id=user.id,
            generation=row.session_generation,
            created_at=now,
            last_seen_at=now,
            address=address,
            method=method,
        )
    )
    session.flush()
    return token


def session_user(
    session: Session,
    token: str | None,
    *,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> User | None:
    """The account a session token belongs to, or None when the token is not (or no longer)
    valid. Keeps the session alive (`last_seen_at`)."""
    if not token:
        return None
    now = now or utcnow()
    found = session.execute(
        select(LoginSessionRow, UserRow)
        .join(UserRow, UserRow.id == LoginSessionRow.user_id)
        .where(LoginSessionRow.id == digest(token))
    ).first()
    if found is None:
        return None
    login, account = found
    if (
        login.ended_at is not None
        or not account.active
        or login.generation != account.session_generation
        or now - as_utc(login.created_at) > policy.session_lifetime
        or now - as_utc(login.last_seen_at) > policy.session_idle
    ):
        return None
    if now - as_utc(login.last_seen_at) >= _TOUCH_EVERY:
        login.last_seen_at = now
        session.flush()
    return to_user(session, account)


def end_session(session: Session, token: str | None, *, now: datetime | None = None) -> None:
    """Sign out this session (nothing happens for an unknown token)."""
    if not token:
        return
    session.execute(
        update(LoginSessionRow)
        .where(LoginSessionRow.id == digest(token), LoginSessionRow.ended_at.is_(None))
        .values(ended_at=now or utcnow())
    )


def keep_session(session: Session, token: str | None) -> None:
    """Keep the session `token` valid after its account's generation was raised (a password
    change made in it ends the account's other sessions, not this one)."""
    if not token:
        return
    session.execute(
        update(LoginSessionRow)
        .where(LoginSessionRow.id == digest(token), LoginSessionRow.ended_at.is_(None))
        .values(
            generation=select(UserRow.session_generation)
            .where(UserRow.id == LoginSessionRow.user_id)
            .scalar_subquery()
        )
    )


def end_all_sessions(
    session: Session, name: str, *, by: User | str | None, now: datetime | None = None
) -> int:
    """Sign out everywhere: end every session of the account `name`; returns how many were
    open. Its API tokens stay valid (revoke them with `revoke_token`)."""
    now = now or utcnow()
    row = account_row(session, name)
    row.session_generation += 1
    ended = session.execute(
        update(LoginSessionRow)
        .where(LoginSessionRow.user_id == row.id, LoginSessionRow.ended_at.is_(None))
        .values(ended_at=now)
    ).rowcount
    session.flush()
    record(session, by, "sign_out_everywhere", "user", row.name, None, {"sessions": ended}, now=now)
    return ended


def last_sign_ins(session: Session) -> dict[str, datetime]:
    """When each account last opened a session (account name -> time), for the
    administrators' list of accounts; accounts that never signed in are absent."""
    found = session.execute(
        select(UserRow.name, func.max(LoginSessionRow.created_at))
        .join(LoginSessionRow, LoginSessionRow.user_id == UserRow.id)
        .group_by(UserRow.name)
    )
    return {name: as_utc(at) for name, at in found if at is not None}


def session_method(session: Session, token: str | None) -> str | None:
    """How the session `token` was signed in: None for a password (or no session), else the
    identity provider's key ("oidc:entra")."""
    if not token:
        return None
    return session.scalar(select(LoginSessionRow.method).where(LoginSessionRow.id == digest(token)))


def end_access(
    session: Session, name: str, *, by: User | str | None, now: datetime | None = None
) -> tuple[int, int]:
    """End every session of the account `name` and revoke all its API tokens at once (an
    administrator's central stop, e.g. for someone who has left); returns (sessions, tokens)
    ended. The account itself stays: it may sign in again if its provider still lets it."""
    from jamlik.accounts.tokens import revoke_all_tokens

    now = now or utcnow()
    ended = end_all_sessions(session, name, by=by, now=now)
    revoked = revoke_all_tokens(session, account_row(session, name).id, by=by, now=now)
    return ended, revoked

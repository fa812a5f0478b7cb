"""API tokens for machine clients: `Authorization: Bearer jamlik_…`.

A token acts with its account's role and actors. Only its SHA-256 is stored, with the first
characters kept so a list can tell tokens apart; the token itself is shown once, when made.

Every token expires: `policy.token_lifetime` after it is made unless another expiry is chosen,
and never later than `policy.max_token_lifetime`. Tokens made before lifetimes existed (stored
without an expiry) are held to the same maximum counted from when they were made. A token can
only be made by an administrator on the command line or by its owner in a signed-in browser
session (the web refuses token management to bearer requests), so a leaked token cannot mint
another that outlives its revocation.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.accounts.model import DEFAULT_POLICY, AccountError, AccountPolicy, User, as_utc, utcnow
from jamlik.accounts.sessions import digest
from jamlik.accounts.tables import ApiTokenRow, UserRow
from jamlik.accounts.users import account_row, to_user
from jamlik.audit import record

PREFIX = "jamlik_"
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself."""

    id: int
    user: str
    label: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


def create_token(
    session: Session,
    name: str,
    label: str,
    *,
    by: User | str | None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> str:
    """Make an API token for the account `name` and return it (shown once, stored hashed).

    It expires at `expires_at`, by default `policy.token_lifetime` from now; an expiry in the
    past or beyond `policy.max_token_lifetime` is refused."""
    now = now or utcnow()
    if expires_at is None:
        expires_at = now + policy.token_lifetime
    expires_at = as_utc(expires_at)
    if expires_at <= now or expires_at > now + policy.max_token_lifetime:
        days = policy.max_token_lifetime.days
        raise AccountError(
            f"En API-nyckel måste gälla mellan nu och {days} dagar framåt / an API token must "
            f"expire after now and within {days} days"
        )
    row = account_row(session, name)
    token = PREFIX + secrets.token_urlsafe(32)
    stored = ApiTokenRow(
        user_id=row.id,
        label=label.strip() or "API",
        token_hash=digest(token),
        prefix=token[: len(PREFIX) + 6],
        created_at=now,
        expires_at=expires_at,
    )
    session.add(stored)
    session.flush()
    record(
        session, by, "create_token", "api_token", stored.id, None,
        {"user": row.name, "label": stored.label, "prefix": stored.prefix,
         "expires_at": expires_at},
        now=now,
    )  # fmt: skip
    return token


def expiry(stored: ApiTokenRow, policy: AccountPolicy = DEFAULT_POLICY) -> datetime:
    """When a stored token stops working (tokens stored without an expiry: the maximum
    lifetime after they were made)."""
    if stored.expires_at is not None:
        return as_utc(stored.expires_at)
    return as_utc(stored.created_at) + policy.max_token_lifetime


def token_user(
    session: Session,
    token: str | None,
    *,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
) -> User | None:
    """The account a bearer token acts for, or None for an unknown, revoked or expired token
    or a disabled account."""
    if not token or not token.startswith(PREFIX):
        return None
    now = now or utcnow()
    found = session.execute(
        select(ApiTokenRow, UserRow)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(ApiTokenRow.token_hash == digest(token))
    ).first()
    if found is None:
        return None
    stored, account = found
    if stored.revoked_at is not None or expiry(stored, policy) <= now or not account.active:
        return None
    if stored.last_used_at is None or now - as_utc(stored.last_used_at) >= _TOUCH_EVERY:
        stored.last_used_at = now
        session.flush()
    return to_user(session, account)


def list_tokens(
    session: Session, name: str | None = None, *, policy: AccountPolicy = DEFAULT_POLICY
) -> list[TokenInfo]:
    """Tokens of one account (or all), oldest first, each with when it expires."""
    query = select(ApiTokenRow, UserRow.name).join(UserRow, UserRow.id == ApiTokenRow.user_id)
    if name is not None:
        query = query.where(UserRow.id == account_row(session, name).id)
    return [
        TokenInfo(
            t.id,
            user,
            t.label,
            t.prefix,
            as_utc(t.created_at),
            expiry(t, policy),
            t.last_used_at and as_utc(t.last_used_at),
            t.revoked_at and as_utc(t.revoked_at),
        )  # fmt: skip
        for t, user in session.execute(query.order_by(ApiTokenRow.id))
    ]


def revoke_token(
    session: Session, token_id: int, *, by: User | str | None, now: datetime | None = None
) -> None:
    """Revoke a token by its id (as listed); it stops working at once."""
    stored = session.get(ApiTokenRow, token_id)
    if stored is None:
        raise AccountError(f"Ingen API-nyckel med id / no API token with id {token_id}")
    if stored.revoked_at is None:
        now = now or utcnow()
        stored.revoked_at = now
        session.flush()
        record(session, by, "revoke_token", "api_token", stored.id, None, None, now=now)


def revoke_all_tokens(
    session: Session, user_id: int, *, by: User | str | None, now: datetime | None = None
) -> int:
    """Revoke every token of an account that is still valid; returns how many."""
    now = now or utcnow()
    ids = session.scalars(
        select(ApiTokenRow.id).where(
            ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None)
        )
    ).all()
    for token_id in ids:
        revoke_token(session, token_id, by=by, now=now)
    return len(ids)

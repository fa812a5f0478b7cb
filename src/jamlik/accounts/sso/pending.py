"""Sign-ins sent to an identity provider and not yet answered (`sso_request`): each is used
once, by the provider it was sent to, within `PENDING_FOR`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jamlik.accounts.model import as_utc, utcnow
from jamlik.accounts.sessions import digest
from jamlik.accounts.tables import SsoRequestRow

# Long enough to type a password and pass a second factor, short enough to be worthless later.
PENDING_FOR = timedelta(minutes=15)


@dataclass(frozen=True)
class Pending:
    provider: str
    nonce: str | None
    verifier: str | None
    next_path: str


def remember(
    session: Session,
    key: str,
    provider: str,
    next_path: str,
    *,
    nonce: str | None = None,
    verifier: str | None = None,
    now: datetime | None = None,
) -> None:
    """Store a sign-in sent to `provider` under `key` (the OIDC state, the SAML request id)."""
    now = now or utcnow()
    session.execute(delete(SsoRequestRow).where(SsoRequestRow.created_at < now - PENDING_FOR))
    session.add(
        SsoRequestRow(
            id=digest(key), provider=provider, nonce=nonce, verifier=verifier,
            next_path=next_path, created_at=now,
        )
    )  # fmt: skip
    session.flush()


def is_pending(session: Session, key: str, provider: str, now: datetime | None = None) -> bool:
    """True when `key` is a sign-in `provider` has yet to answer (not used, not stale)."""
    row = session.get(SsoRequestRow, digest(key))
    now = now or utcnow()
    return (
        row is not None and row.provider == provider and now - as_utc(row.created_at) <= PENDING_FOR
    )


def take(session: Session, key: str, provider: str, now: datetime | None = None) -> Pending | None:
    """The sign-in stored under `key` for `provider`, removed so it cannot be answered twice;
    None when there is none (unknown, used, stale or for another provider)."""
    now = now or utcnow()
    row = session.scalar(select(SsoRequestRow).where(SsoRequestRow.id == digest(key)))
    if row is None:
        return None
    session.delete(row)
    session.flush()
    if row.provider != provider or now - as_utc(row.created_at) > PENDING_FOR:
        return None
    return Pending(row.provider, row.nonce, row.verifier, row.next_path)

"""Stored tables of accounts, sessions, API tokens and sign-in attempts.

Secrets never reach the database in clear: passwords are argon2id hashes, and session and API
tokens are stored as the SHA-256 of a 256-bit random value (a slow hash adds nothing for
values that cannot be guessed). Portable between SQLite and PostgreSQL.

`user_actor.actor_id` has no foreign key on purpose: a programme re-import replaces the actor
rows, and an account must survive that; `jamlik.accounts.users` checks the ids when they are set.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from jamlik.db import Base

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")
NAME = String(80)
DIGEST = String(64)  # hex SHA-256
WHEN = DateTime(timezone=True)


class UserRow(Base):
    """A local account (användarkonto)."""

    __tablename__ = "user_account"
    __table_args__ = (
        Index("ix_user_account_external", "external_issuer", "external_subject", unique=True),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Raised by "sign out everywhere" and password changes; sessions from an older
    # generation are no longer valid.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(WHEN)
    password_changed_at: Mapped[datetime | None] = mapped_column(WHEN)
    # Accounts made by an identity provider (jamlik.accounts.sso): the provider's key
    # ("oidc:entra"), its issuer and the user's subject there, and what it last said of the
    # organisation and groups (JSON list). Nothing else about the person is kept.
    source: Mapped[str | None] = mapped_column(String(80))
    external_issuer: Mapped[str | None] = mapped_column(String(300))
    external_subject: Mapped[str | None] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(200))
    groups: Mapped[str | None] = mapped_column(Text)


class UserActorRow(Base):
    """An actor organisation an account edits for (editors)."""

    __tablename__ = "user_actor"

    user_id: Mapped[int] = mapped_column(
        BIG_ID, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[str] = mapped_column(String(120), primary_key=True)


class LoginSessionRow(Base):
    """A signed-in browser session; `id` is the SHA-256 of the cookie's token."""

    __tablename__ = "login_session"

    id: Mapped[str] = mapped_column(DIGEST, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BIG_ID, ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    generation: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(WHEN)
    last_seen_at: Mapped[datetime] = mapped_column(WHEN)
    ended_at: Mapped[datetime | None] = mapped_column(WHEN)
    address: Mapped[str | None] = mapped_column(String(64))
    # How the session was signed in: None with a password, else the provider ("oidc:entra").
    method: Mapped[str | None] = mapped_column(String(80))


class ApiTokenRow(Base):
    """A token for machine clients of the JSON API; `token_hash` is its SHA-256."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        BIG_ID, ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(DIGEST, unique=True)
    # The first characters of the token, so a list can tell tokens apart without revealing them.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(WHEN)
    expires_at: Mapped[datetime | None] = mapped_column(WHEN)
    last_used_at: Mapped[datetime | None] = mapped_column(WHEN)
    revoked_at: Mapped[datetime | None] = mapped_column(WHEN)


class LoginAttemptRow(Base):
    """One sign-in attempt, kept for throttling (and pruned after `keep_attempts`)."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_name_at", "name", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(NAME)
    address: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(WHEN)
    # success | failure | throttled (refused unseen: does not count as a failure)
    outcome: Mapped[str] = mapped_column(String(20))


class SsoRequestRow(Base):
    """A sign-in sent to an identity provider and not yet answered: `id` is the SHA-256 of
    the OIDC `state` (or the SAML request's ID). Used once, then deleted; stale ones expire."""

    __tablename__ = "sso_request"

    id: Mapped[str] = mapped_column(DIGEST, primary_key=True)
    provider: Mapped[str] = mapped_column(String(80))
    nonce: Mapped[str | None] = mapped_column(String(128))
    verifier: Mapped[str | None] = mapped_column(String(128))
    next_path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(WHEN, index=True)


class SamlAssertionRow(Base):
    """A SAML assertion already used to sign in, kept until it expires so that replaying it
    is refused."""

    __tablename__ = "saml_assertion"

    issuer: Mapped[str] = mapped_column(String(300), primary_key=True)
    assertion_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(WHEN, index=True)

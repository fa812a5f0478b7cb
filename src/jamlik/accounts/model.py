"""Accounts as the rest of jamlik sees them: roles, the signed-in user, policy and errors.

A `User` is a plain frozen value read from the database; nothing outside `jamlik.accounts`
touches the account tables. Times are timezone-aware UTC everywhere (`utcnow`, `as_utc`),
because SQLite hands back naive datetimes while PostgreSQL hands back aware ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from jamlik.errors import JamlikError

Role = Literal["administrator", "process_leader", "editor", "analyst", "reader"]
ROLES: tuple[Role, ...] = get_args(Role)
# The visitor who has not signed in. Not an account role: no account can be "public".
PUBLIC = "public"


@dataclass(frozen=True)
class User:
    """A signed-in account.

    `actors` are the actor organisations (ids in the programme's `actor` table) whose
    initiatives an editor may edit. `must_change_password` is set after an administrator's
    reset: the web shows the change-password page before anything else.
    """

    id: int
    name: str
    role: Role
    actors: frozenset[str] = field(default_factory=frozenset)
    display_name: str | None = None
    active: bool = True
    must_change_password: bool = False
    # Accounts made at sign-in by an identity provider (jamlik.accounts.sso): which provider
    # ("oidc:entra", "saml:sambi"), and what it last said of the user's organisation and groups.
    # Local accounts have source None.
    source: str | None = None
    organisation: str | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountPolicy:
    """Limits for sign-in, passwords, sessions and API tokens (the defaults suit a municipal
    intranet site).

    Throttling counts failed sign-ins per (account name, client address) since that pair's
    last success, within `failure_memory`. The first `free_failures` cost nothing; each one
    after that makes the pair wait `first_delay`, doubled for every further failure, at most
    `max_delay` (exponential backoff). There is no lock on the account as such: failures from
    one address never slow down the same account from another address, so nobody can lock an
    administrator out by guessing. One address trying many names gets the same backoff after
    `free_failures_per_address` failures across all names. Sessions end after `session_idle`
    without a request or `session_lifetime` after sign-in, whichever comes first. API tokens
    live at most `max_token_lifetime` (`token_lifetime` unless chosen).
    """

    free_failures: int = 5
    free_failures_per_address: int = 20
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=15)
    failure_memory: timedelta = timedelta(hours=24)
    session_idle: timedelta = timedelta(hours=2)
    session_lifetime: timedelta = timedelta(hours=12)
    keep_attempts: timedelta = timedelta(days=30)
    min_password_length: int = 10
    max_password_length: int = 128
    # zxcvbn's score (0-4) a password must reach: 3 is "safely unguessable" (about 10^8
    # guesses), out of reach of online guessing under the throttling above.
    min_password_score: int = 3
    token_lifetime: timedelta = timedelta(days=90)
    max_token_lifetime: timedelta = timedelta(days=365)


DEFAULT_POLICY = AccountPolicy()


class AccountError(JamlikError):
    """A request about accounts that cannot be carried out (unknown user, bad role, …)."""


class LoginRefused(AccountError):
    """Wrong name or password, or a disabled account: one message for all, on purpose."""

    def __init__(self) -> None:
        super().__init__("Fel användarnamn eller lösenord. / Wrong user name or password.")


class LoginThrottled(AccountError):
    """Too many failed sign-ins from one address: refused without looking at the password
    until `until` (`retry_after` seconds from now)."""

    def __init__(self, until: datetime, now: datetime) -> None:
        self.until = until
        self.retry_after = max(1, -(-int((until - now).total_seconds() * 1000) // 1000))
        if self.retry_after < 120:
            sv, en = f"{self.retry_after} sekunder", f"{self.retry_after} seconds"
        else:
            minutes = -(-self.retry_after // 60)
            sv, en = f"{minutes} minuter", f"{minutes} minutes"
        super().__init__(
            f"För många misslyckade inloggningar. Försök igen om {sv}. / "
            f"Too many failed sign-ins; try again in {en}."
        )


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """`value` as aware UTC; naive values (what SQLite returns) are UTC by construction."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)

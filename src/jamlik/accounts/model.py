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

Role = Literal["administrator", "editor", "analyst", "reader"]
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


@dataclass(frozen=True)
class AccountPolicy:
    """Limits for sign-in and sessions (the defaults suit a municipal intranet site).

    A name with `max_failures_per_name` failed sign-ins within `failure_window` is locked for
    `lockout` after its latest failure; an address gets a larger allowance, so one office
    behind a shared address does not lock itself out. Sessions end after `session_idle`
    without a request or `session_lifetime` after sign-in, whichever comes first.
    """

    max_failures_per_name: int = 5
    max_failures_per_address: int = 20
    failure_window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)
    session_idle: timedelta = timedelta(hours=2)
    session_lifetime: timedelta = timedelta(hours=12)
    keep_attempts: timedelta = timedelta(days=30)
    min_password_length: int = 10


DEFAULT_POLICY = AccountPolicy()


class AccountError(JamlikError):
    """A request about accounts that cannot be carried out (unknown user, bad role, …)."""


class LoginRefused(AccountError):
    """Wrong name or password, or a disabled account: one message for all, on purpose."""

    def __init__(self) -> None:
        super().__init__("Fel användarnamn eller lösenord. / Wrong user name or password.")


class LoginThrottled(AccountError):
    """Too many failed sign-ins: refused without looking at the password until `until`."""

    def __init__(self, until: datetime, now: datetime) -> None:
        self.until = until
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))
        super().__init__(
            f"För många misslyckade inloggningar. Försök igen om {minutes} minuter. / "
            f"Too many failed sign-ins; try again in {minutes} minutes."
        )


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """`value` as aware UTC; naive values (what SQLite returns) are UTC by construction."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)

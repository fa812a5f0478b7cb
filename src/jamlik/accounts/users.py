"""Creating and changing accounts. Every change is written to the audit log in the caller's
transaction (`jamlik.audit.record`), so an account change and its trace commit together.

All functions take an open SQLAlchemy session (`Workspace.session()`); `by` is who makes the
change (a `User`, or a text such as "cli:root" for the command line).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jamlik.accounts.model import (
    DEFAULT_POLICY,
    ROLES,
    AccountError,
    AccountPolicy,
    Role,
    User,
    utcnow,
)
from jamlik.accounts.passwords import check_password_rules, hash_password, temporary_password
from jamlik.accounts.tables import UserActorRow, UserRow
from jamlik.audit import record
from jamlik.limits import MAX_NAME, too_long

# Letters (including å, ä, ö), digits and . _ @ + - : e.g. "anna.svensson" or an e-mail address.
_NAME = re.compile(r"^[\w.@+-]{2,80}$")


def normalize_name(name: str) -> str:
    """The stored form of a user name (trimmed, case-folded); refuses unusable names."""
    clean = name.strip().casefold()
    if not _NAME.fullmatch(clean):
        raise AccountError(
            f"Ogiltigt användarnamn / invalid user name {name!r}: 2–80 letters, digits or . _ @ + -"
        )
    return clean


def check_display_name(display_name: str | None) -> str | None:
    """`display_name` when it fits the database on SQLite and PostgreSQL alike (at most
    MAX_NAME characters, no NUL); AccountError saying why when it does not."""
    why = too_long(display_name, MAX_NAME)
    if why is not None:
        raise AccountError(f"Visningsnamnet / the display name: {why}")
    return display_name


def _check_role(role: str) -> Role:
    if role not in ROLES:
        raise AccountError(f"Okänd roll / unknown role {role!r}; choose one of: {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


def _check_actors(session: Session, role: str, actors: Iterable[str]) -> frozenset[str]:
    from jamlik.programme.tables import ActorRow

    wanted = frozenset(a.strip() for a in actors if a.strip())
    if role == "editor" and not wanted:
        raise AccountError(
            "En redaktör behöver minst en aktör / an editor needs at least one actor "
            "organisation (--actor ACTOR_ID)"
        )
    if wanted:
        known = set(session.scalars(select(ActorRow.id).where(ActorRow.id.in_(wanted))))
        missing = sorted(wanted - known)
        if missing:
            raise AccountError(
                f"Okända aktörer / unknown actor ids: {', '.join(missing)}. Import the "
                "programme that declares them first (jamlik programme import)."
            )
    return wanted


def account_row(session: Session, name: str) -> UserRow:
    """The stored account named `name`; raises AccountError when there is none."""
    row = session.scalar(select(UserRow).where(UserRow.name == normalize_name(name)))
    if row is None:
        raise AccountError(f"Ingen användare heter / no user named {name!r}")
    return row


def _actors(session: Session, user_id: int) -> frozenset[str]:
    return frozenset(
        session.scalars(select(UserActorRow.actor_id).where(UserActorRow.user_id == user_id))
    )


def to_user(session: Session, row: UserRow) -> User:
    """The `User` value of a stored account."""
    return User(
        id=row.id,
        name=row.name,
        role=row.role,  # type: ignore[arg-type]
        actors=_actors(session, row.id),
        display_name=row.display_name,
        active=bool(row.active),
        must_change_password=bool(row.must_change_password),
        source=row.source,
        organisation=row.organisation,
        groups=tuple(json.loads(row.groups)) if row.groups else (),
    )


def snapshot(user: User) -> dict:
    """What the audit log keeps of an account (never a password hash); for an account made
    by an identity provider, also the provider, organisation and groups."""
    kept = {
        "name": user.name,
        "display_name": user.display_name,
        "role": user.role,
        "actors": sorted(user.actors),
        "active": user.active,
        "must_change_password": user.must_change_password,
    }
    if user.source is not None:
        kept |= {"source": user.source, "organisation": user.organisation,
                 "groups": list(user.groups)}  # fmt: skip
    return kept


def get_user(session: Session, name: str) -> User | None:
    """The account named `name`, or None."""
    row = session.scalar(select(UserRow).where(UserRow.name == normalize_name(name)))
    return None if row is None else to_user(session, row)


def list_users(session: Session) -> list[User]:
    """Every account, by name."""
    return [to_user(session, r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def create_user(
    session: Session,
    name: str,
    role: str,
    *,
    password: str | None = None,
    actors: Iterable[str] = (),
    display_name: str | None = None,
    by: User | str | None,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
    context: Iterable[str | None] = (),
) -> User:
    """Create an account (`context`: more words its password must not be built from, such as
    the organisation's name; see `check_password_rules`). Without `password` it cannot sign in until an administrator
    resets its password (it may still get API tokens)."""
    clean = normalize_name(name)
    check_display_name(display_name)
    role = _check_role(role)
    chosen = _check_actors(session, role, actors)
    if session.scalar(select(UserRow.id).where(UserRow.name == clean)) is not None:
        raise AccountError(f"Användaren finns redan / user {clean!r} already exists")
    if password is not None:
        check_password_rules(password, clean, policy, context=[display_name, *context])
    now = now or utcnow()
    row = UserRow(
        name=clean,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        active=True,
        must_change_password=False,
        session_generation=0,
        created_at=now,
        password_changed_at=now if password is not None else None,
    )
    session.add(row)
    session.flush()
    session.add_all(UserActorRow(user_id=row.id, actor_id=a) for a in sorted(chosen))
    session.flush()
    user = to_user(session, row)
    record(session, by, "create", "user", clean, None, snapshot(user), now=now)
    return user


_UNCHANGED = object()


def update_user(
    session: Session,
    name: str,
    *,
    role: str | None = None,
    actors: Iterable[str] | None = None,
    display_name: str | None | object = _UNCHANGED,
    active: bool | None = None,
    by: User | str | None,
    now: datetime | None = None,
) -> User:
    """Change an account's role, actors, display name or whether it may sign in.
    Disabling an account also ends its sessions and revokes its API tokens, so enabling it
    again revives neither."""
    row = account_row(session, name)
    before = to_user(session, row)
    new_role = _check_role(role) if role is not None else before.role
    new_actors = (
        _check_actors(session, new_role, actors)
        if actors is not None
        else _check_actors(session, new_role, before.actors)
    )
    row.role = new_role
    if display_name is not _UNCHANGED:
        check_display_name(display_name)  # type: ignore[arg-type]
        row.display_name = display_name  # type: ignore[assignment]
    if active is not None:
        if before.active and not active:
            from jamlik.accounts.tokens import revoke_all_tokens  # tokens builds on this module

            row.session_generation += 1
            revoke_all_tokens(session, row.id, by=by, now=now)
        row.active = active
    if new_actors != before.actors:
        session.execute(delete(UserActorRow).where(UserActorRow.user_id == row.id))
        session.add_all(UserActorRow(user_id=row.id, actor_id=a) for a in sorted(new_actors))
    session.flush()
    after = to_user(session, row)
    if after != before:
        record(session, by, "update", "user", row.name, snapshot(before), snapshot(after), now=now)
    return after


def set_password(
    session: Session,
    name: str,
    password: str,
    *,
    by: User | str | None,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
    context: Iterable[str | None] = (),
) -> None:
    """Set a new password chosen by its owner; every session of the account ends (the web
    keeps the one the change was made in with `sessions.keep_session`).

    The web asks for the current password first (`authenticate`) before calling this.
    """
    row = account_row(session, name)
    check_password_rules(password, row.name, policy, context=[row.display_name, *context])
    now = now or utcnow()
    row.password_hash = hash_password(password)
    row.password_changed_at = now
    row.must_change_password = False
    row.session_generation += 1
    session.flush()
    record(session, by, "change_password", "user", row.name, None, None, now=now)


def reset_password(
    session: Session,
    name: str,
    *,
    by: User | str | None,
    password: str | None = None,
    now: datetime | None = None,
    policy: AccountPolicy = DEFAULT_POLICY,
    context: Iterable[str | None] = (),
) -> str:
    """An administrator's reset: set `password` (or a random one) that the owner must change
    at the next sign-in, end every session of the account, and return the password to hand
    over. It is shown once and never stored in clear."""
    row = account_row(session, name)
    chosen = password if password is not None else temporary_password()
    check_password_rules(chosen, row.name, policy, context=[row.display_name, *context])
    now = now or utcnow()
    row.password_hash = hash_password(chosen)
    row.password_changed_at = now
    row.must_change_password = True
    row.session_generation += 1
    session.flush()
    record(session, by, "reset_password", "user", row.name, None, None, now=now)
    return chosen

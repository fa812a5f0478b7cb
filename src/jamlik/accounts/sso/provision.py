"""Accounts made and kept up to date by an identity provider: `sign_in_external`.

The person is identified by the provider's issuer and subject, never by the name alone, so an
identity provider cannot take over a local account (or another provider's) by sending its
name. On the first sign-in the account is made (just in time); at every sign-in the role rules
are evaluated again and the account's role, actors, display name, organisation and groups
follow. When the rules give no role any longer, the account is deactivated, which ends its
sessions and revokes its API tokens; if the provider grants a role again later, the account
comes back, unless an administrator was the one who deactivated it.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.accounts.model import AccountError, User, utcnow
from jamlik.accounts.sessions import start_session
from jamlik.accounts.sso.mapping import Decision, Identity
from jamlik.accounts.tables import UserRow
from jamlik.accounts.users import (
    check_display_name,
    create_user,
    normalize_name,
    to_user,
    update_user,
)
from jamlik.audit import read_log, record
from jamlik.limits import MAX_NAME


class SignInRefused(AccountError):
    """The provider vouched for the person, but jamlik does not let them in (no role, a name
    taken by another account, an unusable name)."""


NO_ROLE = (
    "Ditt organisationskonto har ingen roll i jamlik. Be en administratör lägga till dig i rätt "
    "grupp hos er identitetsleverantör. / Your organisation account has no role in jamlik: ask "
    "an administrator to add you to the right group at your identity provider."
)


def _clip(value: str | None, limit: int = MAX_NAME) -> str | None:
    if value is None:
        return None
    value = value.replace("\x00", "").strip()
    return value[:limit] or None


def _deactivated_by_provider(session: Session, name: str) -> bool:
    """True when the last change that deactivated `name` was made by a provider's sign-in
    (the account may come back), False when an administrator did it (it stays off)."""
    for entry in read_log(session, entity="user", entity_id=name, newest_first=True):
        after = entry.after if isinstance(entry.after, dict) else {}
        if after.get("active") is False:
            return (entry.user or "").startswith(("oidc:", "saml:"))
    return False


def sign_in_external(
    session: Session,
    identity: Identity,
    decision: Decision,
    *,
    address: str | None = None,
    now: datetime | None = None,
) -> tuple[User, str]:
    """Make or update the account of `identity` by `decision`, open a session and return the
    account and the session's token. Raises `SignInRefused` (after deactivating the account
    when it exists and has lost its role: commit the transaction even then)."""
    now = now or utcnow()
    by = identity.provider
    try:
        name = normalize_name(identity.name)
    except AccountError:
        raise SignInRefused(
            f"Identitetsleverantören skickade inget användbart användarnamn ({identity.name!r}) / "
            "the identity provider sent no usable user name: check the claim named in "
            "claims.name"
        ) from None
    display = _clip(identity.display_name)
    check_display_name(display)
    groups = json.dumps(sorted({g[:200] for g in identity.groups}), ensure_ascii=False)
    organisation = _clip(identity.organisation, 200)
    row = session.scalar(
        select(UserRow).where(
            UserRow.external_issuer == identity.issuer,
            UserRow.external_subject == identity.subject,
        )
    )
    if row is None:
        if decision.role is None:
            raise SignInRefused(NO_ROLE)
        taken = session.scalar(select(UserRow).where(UserRow.name == name))
        if taken is not None:
            raise SignInRefused(
                f"Användarnamnet {name!r} tillhör redan ett annat konto i jamlik; en "
                "administratör måste byta namn på det eller ta bort det. / The user name "
                f"{name!r} already belongs to another jamlik account (local or from another "
                "provider); an administrator must rename or remove it first."
            )
        create_user(
            session, name, decision.role, actors=decision.actors, display_name=display, by=by,
            now=now,
        )  # fmt: skip
        row = session.scalar(select(UserRow).where(UserRow.name == name))
        assert row is not None
        row.source = identity.provider
        row.external_issuer = identity.issuer
        row.external_subject = identity.subject
    else:
        if decision.role is None:
            row.groups, row.organisation = groups, organisation
            if row.active:
                update_user(session, row.name, active=False, by=by, now=now)
            raise SignInRefused(NO_ROLE)
        if not row.active and not _deactivated_by_provider(session, row.name):
            raise SignInRefused(
                "Kontot är avstängt av en administratör. / The account was deactivated by an "
                "administrator."
            )
        update_user(
            session, row.name, role=decision.role, actors=decision.actors, display_name=display,
            active=True, by=by, now=now,
        )  # fmt: skip
    row.organisation = organisation
    row.groups = groups
    session.flush()
    user = to_user(session, row)
    token = start_session(session, user, address=address, now=now, method=identity.provider)
    record(
        session, user, "sign_in", "user", user.name, None,
        {"method": identity.provider, "role": user.role, "assurance": identity.assurance,
         "downgraded": decision.downgraded},
        now=now,
    )  # fmt: skip
    return user, token

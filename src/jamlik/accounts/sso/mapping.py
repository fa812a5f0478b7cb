"""From what an identity provider says about a person to a jamlik role: `decide`.

Rules are evaluated afresh at every sign-in, so a person removed from a group at the provider
has lost the role the group gave by their next sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jamlik.accounts.model import Role
from jamlik.accounts.sso.config import Provider

# The highest role a person's rules give wins.
RANK: dict[str, int] = {
    "administrator": 5, "process_leader": 4, "editor": 3, "analyst": 2, "reader": 1,
}  # fmt: skip
# Roles that change anything: these may require an assurance level (`editing_assurance`).
EDITING = frozenset({"administrator", "process_leader", "editor", "analyst"})


@dataclass(frozen=True)
class Identity:
    """A person as the provider vouched for them. `claims` (the whole token or assertion) is
    read by the rules and then dropped: only the named fields are stored."""

    provider: str  # "oidc:entra"
    issuer: str
    subject: str
    name: str
    display_name: str | None = None
    organisation: str | None = None
    groups: tuple[str, ...] = ()
    assurance: str | None = None  # acr / AuthnContextClassRef
    claims: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Decision:
    """The role (None: no access) and actors a sign-in gets; `downgraded` when the rules gave
    an editing role but the assurance level was too low for it."""

    role: Role | None
    actors: frozenset[str] = frozenset()
    downgraded: bool = False


def _values(identity: Identity, claim: str) -> list[str]:
    if claim == "groups":
        return list(identity.groups)
    if claim == "organisation":
        return [identity.organisation] if identity.organisation else []
    raw = identity.claims.get(claim)
    if raw is None:
        return []
    if isinstance(raw, list | tuple | set | frozenset):
        return [str(v) for v in raw]
    return [str(raw)]


def decide(provider: Provider, identity: Identity) -> Decision:
    """The role and actors `provider`'s rules give `identity` (see `config.RoleRule`)."""
    matched = [r for r in provider.roles if r.value in _values(identity, r.claim)]
    role: Role | None = provider.default_role
    for rule in matched:
        if role is None or RANK[rule.role] > RANK[role]:
            role = rule.role
    if role is None:
        return Decision(None)
    actors = frozenset(a for r in matched for a in r.actors) if role == "editor" else frozenset()
    if (
        role in EDITING
        and provider.editing_assurance
        and identity.assurance not in provider.editing_assurance
    ):
        return Decision("reader", frozenset(), downgraded=True)
    return Decision(role, actors)

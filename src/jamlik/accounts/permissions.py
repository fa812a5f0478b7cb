"""Who may do what: `can(user, action, resource)`, the one place the role rules live.

Roles (issue 7):
- public (not signed in): views and exports only what the programme chooses to publish
  (`Resource.published`); never accounts or the audit log.
- reader: views and exports everything except accounts and the audit log.
- analyst: a reader who also imports data and creates, edits, deletes and refreshes saved
  source queries (the `data` and `source` kinds).
- editor: a reader who also creates and edits initiatives, and creates, edits and deletes
  reach, when the record's owner (`Resource.owner`, the initiative's owning actor; for a new
  initiative the owner it is to get) is one of the editor's own actor organisations. Being a
  partner is not enough; deleting an initiative is left to administrators.
- process_leader (processledare): a reader who also runs the follow-up cycle (issue 18): opens,
  closes and reopens follow-up periods (`period`), writes and submits reports, node assessments
  and corrective actions (`report`, `assessment`, `action`) for any actor, and approves or returns
  them (`approve`).
- editor, in the follow-up cycle: writes and submits (`edit`, `create`) the reports, assessments
  and corrective actions whose `owner` is one of the editor's actors; never approves, not even
  their own (the four-eyes rule; `jamlik.cycle.workflow` also refuses an approver who submitted).
- administrator: everything the other roles may, plus accounts, the programme structure,
  actors, indicators (and definitions imports), and reading and exporting the audit log.
Who may *see* a draft is not a question of `can`: `jamlik.cycle.access.visible_states` says
which workflow states a user may read (readers and visitors: approved only).
Nobody, administrators included, may create, edit or delete audit entries through the
application: entries are written only as the trace of another change.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

from jamlik.errors import JamlikError

Action = Literal["view", "export", "create", "edit", "delete", "import", "refresh", "approve"]
Kind = Literal[
    "programme",
    "indicator",
    "actor",
    "initiative",
    "reach",
    "data",
    "source",
    "user",
    "audit",
    "period",
    "report",
    "assessment",
    "action",
]
ACTIONS: tuple[Action, ...] = get_args(Action)
KINDS: tuple[Kind, ...] = get_args(Kind)
_WRITE = frozenset({"create", "edit", "delete"})
# The follow-up cycle's records (jamlik.cycle); "approve" also covers returning one.
_CYCLE = frozenset({"report", "assessment", "action"})


class Principal(Protocol):
    """Anything with a role and actor organisations (a `User`, or the web's viewer)."""

    @property
    def role(self) -> str: ...

    @property
    def actors(self) -> Collection[str]: ...


@dataclass(frozen=True)
class Resource:
    """What an action is about.

    `owner` is the actor organisation responsible for the record (an initiative's owner; for
    reach, its initiative's owner); `published` says whether the programme publishes it to
    visitors who have not signed in. Both are decided by the caller, which knows the record.
    """

    kind: Kind
    owner: str | None = None
    published: bool = False


class NotAllowed(JamlikError):
    """The user's role does not allow the action (the web answers 403, or 401 when the
    visitor has not signed in)."""

    def __init__(self, action: str, kind: str, signed_in: bool) -> None:
        self.action = action
        self.kind = kind
        self.signed_in = signed_in
        hint = "" if signed_in else " Logga in först / sign in first."
        super().__init__(f"Du har inte behörighet till detta / not allowed: {action} {kind}.{hint}")


def _role(user: Principal | None) -> str:
    if user is None or not getattr(user, "active", True):
        return "public"
    return user.role


def can(user: Principal | None, action: Action, resource: Resource | Kind) -> bool:
    """True when `user` (None for a visitor who has not signed in) may do `action` on
    `resource` (a `Resource`, or just its kind when ownership and publication do not matter)."""
    res = resource if isinstance(resource, Resource) else Resource(resource)
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; one of {ACTIONS}")
    if res.kind not in KINDS:
        raise ValueError(f"unknown resource kind {res.kind!r}; one of {KINDS}")
    role = _role(user)
    kind = res.kind

    if kind == "audit":
        return action in ("view", "export") and role == "administrator"
    if kind == "user":
        return role == "administrator" and action in ("view", "export", *_WRITE)
    if action in ("view", "export"):
        return res.published if role == "public" else True
    if role == "public":
        return False
    if action == "approve" and kind not in _CYCLE:
        return False
    if role == "administrator":
        # The administrator may do every action that means something for the kind.
        if action == "refresh":
            return kind == "source"
        if action == "import":
            return kind in ("programme", "indicator", "data")
        return True
    if role == "process_leader":
        if kind == "period":
            return action in _WRITE
        return kind in _CYCLE and action in ("create", "edit", "approve")
    if kind in _CYCLE and role == "editor":
        return action in ("create", "edit") and res.owner is not None and res.owner in user.actors  # type: ignore[union-attr]
    if kind in ("data", "source") and role == "analyst":
        return action in _WRITE or (action, kind) in (("import", "data"), ("refresh", "source"))
    if kind in ("initiative", "reach") and role == "editor":
        allowed = {"create", "edit"} | ({"delete"} if kind == "reach" else set())
        return action in allowed and res.owner is not None and res.owner in user.actors  # type: ignore[union-attr]
    return False


def require(user: Principal | None, action: Action, resource: Resource | Kind) -> None:
    """Raise `NotAllowed` unless `can(user, action, resource)`."""
    if not can(user, action, resource):
        kind = resource.kind if isinstance(resource, Resource) else resource
        raise NotAllowed(action, kind, signed_in=_role(user) != "public")

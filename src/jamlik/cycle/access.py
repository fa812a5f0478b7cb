"""Who may see and do what in the follow-up cycle, on top of `jamlik.accounts.permissions`.

Writing follows `can(user, action, Resource(kind, owner))`: editors write the records of their
own actors, the process leader and administrators everyone's; only the process leader and
administrators approve or return (`approve`). Reading is by workflow state:

- administrators and process leaders see every state;
- an editor sees every state of their own actors' records (they write the drafts);
- everybody else (other editors, analysts, readers) sees approved records only, and visitors
  who have not signed in see approved records of published programmes only.

Readers do not see submitted records: a submission is not yet reviewed and may come back
returned, and the issue says readers and visitors see only approved reports. The process
leader's review is what makes a report public.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from jamlik.accounts.permissions import Kind, Principal, Resource, require

ALL_STATES = frozenset({"draft", "submitted", "returned", "approved"})
APPROVED = frozenset({"approved"})


def _role(user: Principal | None) -> str:
    if user is None or not getattr(user, "active", True):
        return "public"
    return user.role


def visible_states(
    user: Principal | None, owner: str | None, *, published: bool = True
) -> frozenset[str]:
    """The workflow states of a record owned by `owner` that `user` may read."""
    role = _role(user)
    if role in ("administrator", "process_leader"):
        return ALL_STATES
    if role == "editor" and owner is not None and owner in user.actors:  # type: ignore[union-attr]
        return ALL_STATES
    if role == "public" and not published:
        return frozenset()
    return APPROVED


def may_read(
    user: Principal | None, owner: str | None, state: str, *, published: bool = True
) -> bool:
    """True when `user` may read a record in `state` owned by `owner`."""
    return state in visible_states(user, owner, published=published)


def require_write(user: Principal | None, kind: Kind, owner: str | None) -> None:
    """Raise `NotAllowed` unless `user` may create and edit `kind` records of `owner`."""
    require(user, "edit", Resource(kind, owner=owner))


def require_review(user: Principal | None, kind: Kind) -> None:
    """Raise `NotAllowed` unless `user` may approve and return `kind` records."""
    require(user, "approve", Resource(kind))


def require_periods(user: Principal | None) -> None:
    """Raise `NotAllowed` unless `user` may open, close and reopen periods."""
    require(user, "edit", Resource("period"))


def programme_published(session: Session, programme_id: str) -> bool:
    """Whether the programme is published to visitors (what `may_read`'s `published` asks)."""
    from jamlik.programme.tables import ProgrammeRow

    prog = session.get(ProgrammeRow, programme_id)
    return bool(prog is not None and prog.published)

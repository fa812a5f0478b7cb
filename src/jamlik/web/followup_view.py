"""The follow-up as the site reads it: one `FollowUp` per programme and year, cached.

The web never computes statistics: statuses, verdicts, gaps and intervals all come from
`jamlik.followup`. This module only fetches (and caches) its results and picks the text in the
reader's language.
"""

from __future__ import annotations

import gc
from typing import Any

from jamlik.errors import JamlikError
from jamlik.followup import FollowUp, NodeStatus, build_followup
from jamlik.web.context import PageContext
from jamlik.web.store import WebData


class FollowUpUnavailable(JamlikError):
    """The follow-up could not be built for this workspace (the page says why)."""


def followup_year(ctx: PageContext, asked: int | None = None) -> int | None:
    """The follow-up year to show: the one asked for, else the latest year with data."""
    return asked or ctx.snap.latest_year


def get_followup(ctx: PageContext, year: int | None = None) -> FollowUp:
    """The programme's follow-up for `year` (default: latest), built once per data change."""
    return followup_for(ctx.data, year)


def followup_for(data: WebData, year: int | None = None) -> FollowUp:
    """As `get_followup`, outside a request (the start-up warm-up uses it)."""
    snap = data.snapshot()
    year = year or snap.latest_year
    if year is None:
        raise FollowUpUnavailable("no observations in the workspace yet")
    settings = data.settings
    programme_id = snap.programme.id

    def build() -> FollowUp:
        result = build_followup(
            settings.workspace, programme_id, year, policy=settings.policy, today=settings.today
        )
        # A follow-up is some hundred thousand long-lived objects. Left to the cyclic garbage
        # collector, every full collection walks them all (≈150 ms with the demo, a pause every
        # page in flight shares); frozen, collections only look at what is new. It holds no
        # reference cycles, so a replaced follow-up is still freed by reference counting.
        gc.collect()
        gc.freeze()
        return result

    try:
        return data.cached("followup", (programme_id, year), build)
    except JamlikError as exc:
        raise FollowUpUnavailable(str(exc)) from exc


def text(ctx: PageContext, item: Any, name: str) -> str:
    """`item.<name>_sv` or `item.<name>_en` by the reader's language."""
    return getattr(item, f"{name}_{ctx.lang}")


def status_fact(ctx: PageContext, status: NodeStatus | None) -> dict[str, Any] | None:
    """A node's status as a page states it: code, label and the plain-language reason."""
    if status is None:
        return None
    return {
        "code": status.status,
        "label": ctx.t(f"health.{status.status}"),
        "reason": text(ctx, status, "reason"),
        "counts": dict(status.counts),
    }

"""What an initiative's dates say about it: an initiative whose end date has passed but that
nobody has marked as closed (completed or cancelled) is flagged, so lists do not go on calling
an initiative that ended last year "ongoing"."""

from __future__ import annotations

from datetime import date

from jamlik.programme.model import Initiative

CLOSED = ("completed", "cancelled")


def past_end(initiative: Initiative, today: date) -> bool:
    """True when the initiative's end date lies before `today` and it is not marked closed."""
    period = initiative.period
    if period is None or period.end is None:
        return False
    return period.end < today and initiative.status not in CLOSED

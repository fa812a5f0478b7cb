"""Every initiative of the programme in a line: its status, owner and latest reach.

Reach here is a count the programme states (people reached), not a statistic. The latest period
that begins by the end of the follow-up year is taken; the row for the area followed when the
programme gives one, else the sum over the areas it gives. A count of 1 to `min_population` − 1
people is withheld (so few people could be recognised); none reached reveals nobody and is
shown.
"""

from __future__ import annotations

from datetime import date

from jamlik.data import TOTAL, period_midpoint
from jamlik.followup.model import InitiativeSummary
from jamlik.programme import Initiative, Programme
from jamlik.programme.dates import past_end


def latest_reach(
    initiative: Initiative, year: int, min_population: float, area: str | None = None
) -> tuple[str, int | None, bool] | None:
    """(period, people reached, suppressed) for the latest period beginning by the end of
    `year`; the count is None when suppressed. None when the initiative reports no reach for
    the whole population up to that year."""
    rows = [
        r
        for r in initiative.reach
        if r.dimension == TOTAL and r.subgroup == TOTAL and period_midpoint(r.period) < year + 1
    ]
    if not rows:
        return None
    latest = max(rows, key=lambda r: period_midpoint(r.period)).period
    in_period = [r for r in rows if r.period == latest]
    whole = [r for r in in_period if area is not None and r.area == area]
    reached = sum(r.reached for r in (whole or in_period))
    hidden = 0 < reached < min_population
    return latest, (None if hidden else reached), hidden


def initiative_summaries(
    programme: Programme,
    year: int,
    min_population: float,
    area: str | None = None,
    today: date | None = None,
) -> list[InitiativeSummary]:
    """One summary per initiative, in the programme's order; `past_end` as of `today`
    (default: today's date)."""
    today = today or date.today()
    out = []
    for ini in programme.initiatives:
        owner = _actor(programme, ini.owner)
        reach = latest_reach(ini, year, min_population, area)
        period, reached, hidden = reach if reach is not None else (None, None, False)
        out.append(
            InitiativeSummary(
                initiative=ini.id,
                title_sv=ini.title,
                title_en=ini.title_en or ini.title,
                status=ini.status,
                owner=ini.owner,
                owner_name_sv=owner[0] if owner else None,
                owner_name_en=owner[1] if owner else None,
                reach_period=period,
                reached=reached,
                reach_suppressed=hidden,
                past_end=past_end(ini, today),
            )
        )
    return out


def _actor(programme: Programme, actor_id: str | None) -> tuple[str, str] | None:
    if actor_id is None:
        return None
    for actor in programme.actors:
        if actor.id == actor_id:
            return actor.name, actor.name_en or actor.name
    return None

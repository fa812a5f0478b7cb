"""Reading a submitted initiative form into an initiative, or into problems that each name the
field (and the row, for reach) they concern, in the reader's language.

Everything a person can get wrong is checked here before the store sees the initiative; the
store's own checks (the programme as a whole, the workspace's areas, dimensions and subgroups)
still run, and `initiative_fields.store_problems` ties what they find to the same fields.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError as PydanticError

from jamlik.programme import STATUSES, Initiative
from jamlik.programme.model import ID_PATTERN, MAX_REACHED, MAX_SEK
from jamlik.programme.periods import normalize as normalize_period
from jamlik.web.form_values import day, is_whole, shown, whole
from jamlik.web.i18n import Translator
from jamlik.web.initiative_fields import (
    GROUPS,
    MULTILINE,
    REACH_COLUMNS,
    TEXTS,
    Choices,
    located,
)


@dataclass
class Parsed:
    """What a submitted form holds: its values (to show again) and the initiative they make,
    or the problems that stop them from making one."""

    values: dict[str, Any]
    initiative: Initiative | None
    problems: list[dict[str, str | None]]


class _Reader:
    """Reads one submitted form, collecting problems instead of stopping at the first."""

    def __init__(self, form: Any, t: Translator, choices: Choices):
        self.form, self.t, self.choices = form, t, choices
        self.problems: list[dict[str, str | None]] = []
        self.values: dict[str, Any] = {}

    def problem(self, field: str | None, label: str, message: str) -> None:
        self.problems.append({"field": field, "message": f"{label}: {message}"})

    def text(self, name: str) -> str:
        raw = str(self.form.get(name, ""))
        # Long texts keep the writer's line breaks; one-line fields lose stray blanks.
        # Browsers send a textarea's line breaks as CRLF.
        value = raw.replace("\r\n", "\n").strip() if name in MULTILINE else " ".join(raw.split())
        self.values[name] = value
        return value

    def integer(
        self, name: str, label: str, low: int, high: int, *, count: bool = False
    ) -> int | None:
        raw = self.text(name)
        if not raw:
            return None
        if (value := whole(raw, low, high)) is not None:
            return value
        self.problem(name, label, number_problem(self.t, raw, low, high, count=count))
        return None

    def date(self, name: str, label: str) -> date | None:
        raw = self.text(name)
        if not raw:
            return None
        if (found := day(raw)) is not None:
            return found
        self.problem(name, label, self.t("edit.err.date", value=shown(raw)))
        return None

    def group(self, name: str, base: list[str]) -> list[str]:
        """Chosen ids of a checkbox group: the stored ones keep their order, new ones follow."""
        chosen = list(dict.fromkeys(str(v).strip() for v in self.form.getlist(name) if v))
        ordered = [v for v in base if v in chosen] + [v for v in chosen if v not in base]
        self.values[name] = ordered
        label = self.t(f"edit.{name}")
        key = {"partners": "actor", "nodes": "node", "indicators": "indicator", "areas": "area"}
        for value in ordered:
            if not self.choices.known(name, value):
                field = self.choices.html_id(name, value, ordered)
                self.problem(field, label, self.t(f"edit.err.unknown_{key[name]}", value=value))
        return ordered


def parse_form(
    form: Any,
    t: Translator,
    choices: Choices,
    base: Initiative | None,
    taken: dict[str, str] | None = None,
) -> Parsed:
    """Read a submitted form. `base` is the stored initiative (None for a new one, whose id
    comes from the form or, when left empty, from the title); `taken` maps the ids already
    used in the programme to what uses them (a new initiative's id must be free)."""
    r = _Reader(form, t, choices)
    data: dict[str, Any] = {k: r.text(k) or None for k in TEXTS}
    if not data["title"]:
        r.problem("title", t("edit.title"), t("edit.err.required"))
    data["id"] = base.id if base else _new_id(r, data["title"] or "", taken or {})

    status = r.text("status")
    if status and status not in STATUSES:
        r.problem("status", t("edit.status"), t("edit.err.unknown_status", value=status))
    data["status"] = status or None

    owner = r.text("owner")
    if owner and not choices.known("actors", owner):
        r.problem("owner", t("edit.owner"), t("edit.err.unknown_actor", value=owner))
    elif not owner and (base is None or base.owner is not None):
        r.problem("owner", t("edit.owner"), t("edit.err.required"))
    data["owner"] = owner or None

    start, end = r.date("start", t("edit.period_start")), r.date("end", t("edit.period_end"))
    data["period"] = None
    if end and not start and not r.values["start"]:
        r.problem("start", t("edit.period_start"), t("edit.err.end_without_start"))
    elif start and end and end < start:
        r.problem("end", t("edit.period_end"), t("edit.err.end_before_start", start=start, end=end))
    elif start:
        data["period"] = {"start": start.isoformat(), "end": end.isoformat() if end else None}

    for name in GROUPS:
        data[name] = r.group(name, list(getattr(base, name)) if base else [])
    if owner in data["partners"]:
        field = choices.html_id("partners", owner, data["partners"])
        r.problem(field, t("edit.partners"), t("edit.err.owner_as_partner", value=owner))

    data["target_group"] = _target_group(r)
    data["budget"] = _budget(r)
    data["reach"] = _reach(r)
    if r.problems:
        return Parsed(r.values, None, r.problems)
    try:
        it = Initiative.model_validate_json(json.dumps(data, ensure_ascii=False))
    except PydanticError as exc:
        problems = [located(t, err["loc"], err["msg"], data, choices) for err in exc.errors()]
        return Parsed(r.values, None, problems)
    return Parsed(r.values, it, [])


def number_problem(t: Translator, raw: str, low: int, high: int, *, count: bool) -> str:
    """Why `raw` is not a whole number from `low` to `high`. A count (budget, people reached)
    that is no whole number at all is asked for as "0 or more", as people read it; the range
    is named when the number is outside it."""
    if count and not is_whole(raw):
        return t("edit.err.whole_number", value=shown(raw))
    return t("edit.err.range", value=shown(raw), low=low, high=high)


def _new_id(r: _Reader, title: str, taken: dict[str, str]) -> str:
    t = r.t
    wanted = r.text("id")
    if not wanted:
        return unique_slug(title, taken) if title else "new"
    if not re.fullmatch(ID_PATTERN, wanted) or len(wanted) > 120:
        r.problem("id", t("edit.id"), t("edit.err.id_pattern", value=wanted))
    elif wanted in taken:
        r.problem("id", t("edit.id"), t("edit.err.id_taken", value=wanted, what=taken[wanted]))
    return wanted


def unique_slug(title: str, taken: dict[str, str] | set[str]) -> str:
    """An id made from a title: ASCII letters, digits and hyphens, with the prefix the
    programme's ids share (e.g. "ex-"), and a number added when it is taken."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-") or "insats"
    prefixes = {i.split("-", 1)[0] + "-" for i in taken if "-" in i}
    prefix = prefixes.pop() if len(prefixes) == 1 and all("-" in i for i in taken) else ""
    base = slug if slug.startswith(prefix) else prefix + slug
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _target_group(r: _Reader) -> dict[str, Any] | None:
    t = r.t
    text, text_en = r.text("tg_text"), r.text("tg_text_en")
    low = r.integer("tg_age_min", t("edit.age_min"), 0, 120)
    high = r.integer("tg_age_max", t("edit.age_max"), 0, 120)
    if low is not None and high is not None and high < low:
        r.problem("tg_age_max", t("edit.age_max"), t("edit.err.age_order", low=low, high=high))
    if not text:
        if text_en or low is not None or high is not None:
            r.problem("tg_text", t("edit.target_group"), t("edit.err.target_group_text"))
        return None
    return {"text": text, "text_en": text_en or None, "age_min": low, "age_max": high}


def _budget(r: _Reader) -> dict[str, Any] | None:
    t = r.t
    amount = r.integer("budget_amount", t("edit.budget_amount"), 0, MAX_SEK, count=True)
    funder, funder_text = r.text("budget_funder"), r.text("budget_funder_text")
    if funder and not r.choices.known("actors", funder):
        r.problem(
            "budget_funder", t("edit.budget_funder"), t("edit.err.unknown_actor", value=funder)
        )
    if amount is None and not funder and not funder_text:
        return None
    return {"amount_sek": amount, "funder": funder or None, "funder_text": funder_text or None}


def _reach(r: _Reader) -> list[dict[str, Any]]:
    """Reach rows in form order; a row whose count is empty is left out (that is how a row is
    removed). Problems name the row as the form shows it after the save is refused."""
    t = r.t
    rows, out, n = [], [], 0
    while f"reach-{n}-period" in r.form:
        row = {c: " ".join(str(r.form.get(f"reach-{n}-{c}", "")).split()) for c in REACH_COLUMNS}
        n += 1
        if row["reached"]:
            rows.append(row)
    r.values["reach"] = rows
    seen: dict[tuple[str, ...], int] = {}
    for k, row in enumerate(rows):
        label = t("edit.row", label=t("edit.reach"), n=k + 1)
        period, area = row["period"], row["area"]
        try:
            period = normalize_period(period)
        except ValueError:
            r.problem(f"reach-{k}-period", label, t("edit.err.period", value=row["period"]))
        if not area:
            r.problem(f"reach-{k}-area", label, t("edit.err.area_required"))
        elif area not in r.choices.areas:
            r.problem(f"reach-{k}-area", label, t("edit.err.unknown_area", value=area))
        reached = whole(row["reached"], 0, MAX_REACHED)
        if reached is None:
            message = number_problem(t, row["reached"], 0, MAX_REACHED, count=True)
            r.problem(f"reach-{k}-reached", label, message)
        key = (period, area, row["dimension"] or "total", row["subgroup"] or "total")
        if key in seen:
            r.problem(f"reach-{k}-period", label, t("edit.err.reach_twice", first=seen[key] + 1))
        seen.setdefault(key, k)
        out.append(
            {
                "period": period,
                "area": area,
                "dimension": key[2],
                "subgroup": key[3],
                "reached": reached or 0,
            }
        )
    return out

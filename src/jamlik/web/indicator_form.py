"""The indicator form as form fields: an indicator's values and targets as text, the submitted
text read back into changes for `jamlik.data.edit_indicators` (each mistake named at its
field), and that module's problems pointed at the input they concern."""

from __future__ import annotations

import re
from typing import Any

from jamlik.data import Indicator
from jamlik.errors import ValidationError
from jamlik.web.admin_view import problem
from jamlik.web.form_values import decimal, shown, whole
from jamlik.web.i18n import Translator

SOURCE_KINDS = ("kolada", "pxweb", "file")
POLARITIES = ("higher_is_better", "higher_is_worse")
TARGET_KEYS = ("year", "value", "measure", "dimension")
BLANK_TARGET_ROWS = 2
_SIMPLE = ("title", "title_en", "description", "unit", "scale")


def _number(value: float) -> str:
    return f"{value:g}"


def indicator_values(ind: Indicator) -> dict[str, Any]:
    """A stored indicator as the form shows it (targets numbered from 0, as stored)."""
    return {
        "title": ind.title,
        "title_en": ind.title_en or "",
        "description": ind.description or "",
        "unit": ind.unit or "",
        "scale": _number(ind.scale),
        "polarity": ind.polarity,
        "source_kind": ind.source.kind if ind.source else "",
        "source_ref": ind.source.ref if ind.source else "",
        "dimensions": list(ind.dimensions or []),
        "targets": [
            {
                "n": n,
                "year": str(tg.year),
                "value": _number(tg.value),
                "measure": tg.measure or "",
                "dimension": tg.dimension or "",
                "remove": False,
            }
            for n, tg in enumerate(ind.targets)
        ],  # fmt: skip
    }


def with_blank_rows(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The target rows to show: the given ones and blank rows to add new targets in."""
    rows = list(values["targets"])
    start = 1 + max((r["n"] for r in rows), default=-1)
    blank = {"year": "", "value": "", "measure": "", "dimension": "", "remove": False}
    return rows + [{"n": start + k, **blank} for k in range(BLANK_TARGET_ROWS)]


def _decimal(text: str) -> float:
    if (value := decimal(text)) is None:
        raise ValueError(text)
    return value


def parse_indicator(
    t: Translator, form: Any, stored: Indicator
) -> tuple[dict[str, Any], dict[str, Any] | list[dict], list[int]]:
    """The submitted form; the changes for `edit_indicator` or the problems found; and the
    row number (`n`) of each target in the changes, to point problems at their row.

    Ticked breakdowns keep the order `stored` lists them in, new ones follow (check boxes
    say which, not in what order)."""
    values: dict[str, Any] = {key: str(form.get(key, "")).strip() for key in _SIMPLE}
    values["polarity"] = str(form.get("polarity", ""))
    values["source_kind"] = str(form.get("source_kind", ""))
    values["source_ref"] = str(form.get("source_ref", "")).strip()
    values["dimensions"] = [str(d) for d in form.getlist("dimensions")]
    problems: list[dict] = []
    if not values["title"]:
        problems.append(problem("title", t("ind_admin.error_title")))
    if values["polarity"] not in POLARITIES:
        problems.append(problem("polarity-0", t("ind_admin.error_polarity")))
    scale = None
    try:
        scale = _decimal(values["scale"])
        if not scale > 0:
            raise ValueError
    except ValueError:
        problems.append(problem("scale", t("ind_admin.error_scale", value=shown(values["scale"]))))
    source = None
    if values["source_kind"] or values["source_ref"]:
        if values["source_kind"] not in SOURCE_KINDS or not values["source_ref"]:
            problems.append(problem("source_ref", t("ind_admin.error_source")))
        else:
            source = {"kind": values["source_kind"], "ref": values["source_ref"]}
    rows, targets, kept = [], [], []
    numbers = sorted({int(m.group(1)) for k in form if (m := re.match(r"target-(\d+)-year$", k))})
    for n in numbers:
        row = {key: str(form.get(f"target-{n}-{key}", "")).strip() for key in TARGET_KEYS}
        row |= {"n": n, "remove": form.get(f"target-{n}-remove") == "yes"}
        if not row["year"] and not row["value"]:
            continue  # an unused blank row
        rows.append(row)
        if row["remove"]:
            continue
        label = t("ind_admin.target_row", n=len(rows))
        year = whole(row["year"], 1900, 2200)
        if year is None:
            message = t("ind_admin.error_year", row=label, value=shown(row["year"]))
            problems.append(problem(f"target-{n}-year", message))
            continue
        try:
            value = _decimal(row["value"])
        except ValueError:
            problems.append(
                problem(
                    f"target-{n}-value",
                    t("ind_admin.error_value", row=label, value=shown(row["value"])),
                )
            )  # noqa: E501
            continue
        targets.append({"year": year, "value": value, "measure": row["measure"] or None,
                        "dimension": row["dimension"] or None})  # fmt: skip
        kept.append(n)
    values["targets"] = rows
    if problems:
        return values, problems, kept
    changes = {key: values[key] or None for key in ("title", "title_en", "description", "unit")}
    changes |= {"scale": scale, "polarity": values["polarity"], "source": source,
                "dimensions": _ordered(values["dimensions"], stored.dimensions or []) or None,
                "targets": targets}  # fmt: skip
    return values, changes, kept


def _ordered(ticked: list[str], stored: list[str]) -> list[str]:
    kept = [d for d in stored if d in ticked]
    return kept + [d for d in dict.fromkeys(ticked) if d not in kept]


_TARGET_FIELD = re.compile(r"^targets\[(\d+)\](?:\.(\w+))?")
_FIELDS = {"title": "title", "title_en": "title_en", "description": "description",
           "unit": "unit", "scale": "scale", "polarity": "polarity-0", "source": "source_ref",
           "dimensions": "dimensions"}  # fmt: skip


def located(exc: ValidationError, kept: list[int], shown: list[int], t: Translator) -> list[dict]:
    """`edit_indicator`'s problems as error-summary entries pointing at their inputs.

    `kept` is the row number of each target sent, `shown` the row numbers in the order the
    form shows them (rows are called "Mål 1", "Mål 2" … by that order)."""
    out = []
    for p in exc.problems:
        field = p.field or ""
        found = _TARGET_FIELD.match(field)
        if found and int(found.group(1)) < len(kept):
            n = kept[int(found.group(1))]
            key = found.group(2) if found.group(2) in TARGET_KEYS else "year"
            label = t("ind_admin.target_row", n=shown.index(n) + 1)
            out.append(problem(f"target-{n}-{key}", f"{label}: {p.message}"))
        else:
            out.append(problem(_FIELDS.get(field.split("[")[0].split(".")[0]), p.message))
    return out

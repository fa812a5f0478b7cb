"""The report as PDF through Typst: the same document, the same SVG charts, the same tables.

The document goes to Typst as a JSON file (named in `sys.inputs.data`) with the charts as SVG
files beside it in a temporary folder; the template (`templates/report.typ`) lays them out with
a table of contents, page numbers and numbered headings, as a tagged PDF/UA-1 document (every
chart has its alt text). Only the fonts that ship inside the typst package are used (Libertinus
Serif has å, ä and ö), so the PDF looks the same on every machine and nothing is fetched at run
time.
"""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import asdict, replace
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from jamlik.errors import JamlikError
from jamlik.report.document import Cell, Chart, Document, Table

TEMPLATE = "report.typ"


LONG_ROWS = 18  # a chart's table longer than this is set in parts side by side on paper
PART_CELLS = 9  # at most this many columns across the parts


def _chart_json(chart: Chart, folder: Path) -> dict[str, Any]:
    name = f"{chart.id}.svg"
    (folder / name).write_text(chart.svg, encoding="utf-8")
    table = _landscape(chart.table)
    return {"id": chart.id, "title": chart.title, "alt": chart.alt, "svg_file": name,
            "wide": chart.wide, "table": asdict(table),
            "parts": [asdict(p) for p in _parts(table)]}  # fmt: skip


def _parts(table: Table) -> list[Table]:
    """A long, narrow table cut into parts to stand side by side (thirty years of four columns
    as two parts of fifteen rows), so a chart and its table stay on one page."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    k = min(PART_CELLS // max(n_cols, 1), math.ceil(n_rows / LONG_ROWS))
    if k < 2:
        return [table]
    size = math.ceil(n_rows / k)
    return [replace(table, rows=table.rows[i : i + size]) for i in range(0, n_rows, size)]


def _landscape(table: Table) -> Table:
    """A long table turned on its side (periods as columns): on paper, fourteen years across
    take four lines where fourteen rows take half a page. Same cells, same headings."""
    if not table.by_period or len(table.rows) <= len(table.columns):
        return table
    columns = ["", *(row[0].text for row in table.rows)]
    rows = [
        [Cell(heading, heading), *(row[i] for row in table.rows)]
        for i, heading in enumerate(table.columns)
        if i > 0
    ]
    return Table(id=table.id, caption=table.caption, columns=columns, rows=rows, by_period=False)


def _document_json(doc: Document, folder: Path) -> dict[str, Any]:
    """The document as Typst reads it: charts become file names, specifications stay out."""

    def convert(value: Any) -> Any:
        if isinstance(value, Chart):
            return _chart_json(value, folder)
        if hasattr(value, "__dataclass_fields__"):
            return {k: convert(getattr(value, k)) for k in value.__dataclass_fields__}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return convert(doc)


def render_pdf(doc: Document) -> bytes:
    """The PDF bytes of a report document."""
    template = resources.files("jamlik.report").joinpath(f"templates/{TEMPLATE}").read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="jamlik-report-") as tmp:
        folder = Path(tmp)
        data = _document_json(doc, folder)
        (folder / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        (folder / TEMPLATE).write_text(template, encoding="utf-8")
        try:
            pdf = typst.compile(
                str(folder / TEMPLATE),
                root=str(folder),
                ignore_system_fonts=True,
                sys_inputs={"data": "data.json"},
                # PDF/UA-1: Typst checks tags, alt texts, title and language, and refuses
                # to write a PDF that a screen reader could not follow.
                pdf_standards=["ua-1"],
            )
        except typst.TypstError as exc:  # a template bug, not the user's: say where it is
            raise JamlikError(
                f"PDF-rapporten kunde inte sättas / Typst could not typeset the report: "
                f"{exc.message} {exc.diagnostic}".strip()
            ) from exc
    assert isinstance(pdf, bytes)
    return pdf

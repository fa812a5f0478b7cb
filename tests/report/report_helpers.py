"""A small constructed world for the report tests, and readers for what a report wrote.

The world: a city with three districts, one indicator 2016–2025 by sex and district, and one
initiative. Two cells carry distinctive values that must never be printed:
- district "d3" in 2021 rests on 6 people and has the estimate 87.654 (below any threshold);
- district "d2" in 2022 rests on 25 people and has the estimate 91.234 (shown at the default
  threshold of 10, hidden at 30).
Every other estimate lies between 40 and 60, so "87,7" or "91,2" cannot appear by chance.
The initiative reached 7 people in 2025 (hidden) and 240 in 2024.

The initiative is also a social investment (not fictitious) whose effect is followed up with
difference-in-differences: district d2 against d1 and d3. Its stored effect series holds d2's
2022 value (91.234, shown at threshold 10), which a report at threshold 30 must withhold too;
d3 drops out of the comparison because its 2021 value is suppressed.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium

from jamlik.data import (
    Area,
    Definitions,
    Dimension,
    Indicator,
    Subgroup,
    import_definitions,
    import_observations,
)
from jamlik.invest.calc import calculate_in_workspace
from jamlik.invest.model import Investment
from jamlik.invest.store import import_investments
from jamlik.programme import Programme, import_programme
from jamlik.workspace import Workspace
from workspaces import empty_workspace

CITY = "stad"
PROGRAMME = "test-prog"
INITIATIVE = "t-ini"
YEARS = range(2016, 2026)
TINY = ("d3", "2021", 6.0, 87.654)  # area, period, population, estimate
SMALL = ("d2", "2022", 25.0, 91.234)

SEX = Dimension(
    id="sex",
    title="Kön",
    title_en="Sex",
    subgroups=[
        Subgroup(id="men", title="Män", title_en="Men"),
        Subgroup(id="women", title="Kvinnor", title_en="Women"),
    ],
)


def _row(period, area, dimension, subgroup, estimate, population):
    return {
        "indicator": "ind-a", "period": str(period), "area": area, "dimension": dimension,
        "subgroup": subgroup, "estimate": estimate, "se": 0.8, "population": population,
    }  # fmt: skip


def observations() -> pd.DataFrame:
    rows = []
    for k, year in enumerate(YEARS):
        rows += [
            _row(year, CITY, "total", "total", 50.0 + 0.3 * k, 3000.0),
            _row(year, CITY, "sex", "men", 48.0 + 0.2 * k, 1500.0),
            _row(year, CITY, "sex", "women", 52.0 + 0.4 * k, 1500.0),
            _row(year, "d1", "total", "total", 45.0 + 0.5 * k, 1600.0),
            _row(year, "d2", "total", "total", 55.0 - 0.2 * k, 1200.0),
            _row(year, "d3", "total", "total", 42.0 + 0.1 * k, 200.0),
        ]
    frame = pd.DataFrame(rows)
    for area, period, population, estimate in (TINY, SMALL):
        at = (frame["area"] == area) & (frame["period"] == period)
        frame.loc[at, ["population", "estimate"]] = [population, estimate]
    return frame


def programme() -> Programme:
    reach = [
        {"period": "2024", "area": CITY, "reached": 240},
        {"period": "2025", "area": CITY, "reached": 7},
    ]
    return Programme.model_validate(
        {
            "id": PROGRAMME,
            "title": "Testprogram för en jämlik stad",
            "title_en": "Test programme for an equal city",
            "period": {"start": "2018-01-01", "end": "2026-12-31"},
            "node_kinds": ["goal", "target_area", "strategy"],
            "nodes": [
                {"id": "t-goal", "kind": "goal", "title": "En jämlik stad"},
                {"id": "t-ta1", "kind": "target_area", "parent": "t-goal",
                 "title": "Goda uppväxtvillkor", "title_en": "Good conditions for growing up",
                 "indicators": ["ind-a"]},
            ],
            "actors": [{"id": "t-city", "name": "Staden", "kind": "municipality"}],
            "initiatives": [
                {"id": "t-ini", "title": "Läxhjälp", "title_en": "Homework help",
                 "status": "ongoing", "owner": "t-city", "nodes": ["t-ta1"],
                 "indicators": ["ind-a"], "reach": reach},
            ],
        }
    )  # fmt: skip


def investment() -> Investment:
    """The initiative's investment part: 300 000 kronor a year in 2024 and 2025."""
    return Investment.model_validate(
        {
            "initiative": INITIATIVE, "funder": "t-city", "price_year": 2023,
            "base_year": 2023, "horizon": 10,
            "costs": [
                {"year": 2024, "payer": "municipality", "amount": 300000,
                 "committee": "Skolnämnden"},
                {"year": 2025, "payer": "municipality", "amount": 300000,
                 "committee": "Skolnämnden"},
            ],
            "evaluation": {"design": "did", "indicator": "ind-a", "treated": ["d2"],
                           "comparison": ["d1", "d3"], "start": "2023"},
            "outcomes": [{"id": "o1", "title": "Fler med gott utfall",
                          "unit_value": "long-term-exclusion", "quantity": 2.0,
                          "years": [2024, 2025], "link": 0.1}],
        }
    )  # fmt: skip


def constructed_workspace(path: Path) -> Workspace:
    """A real SQLite workspace holding the constructed world."""
    ws = empty_workspace(path)
    city = Area(id=CITY, name="Teststad", level="municipality", population=3000)
    districts = [
        Area(id=d, name=name, level="district", parent=CITY, population=n)
        for d, name, n in (("d1", "Åby", 1600), ("d2", "Ängen", 1200), ("d3", "Önäs", 200))
    ]
    indicator = Indicator(
        id="ind-a", title="Andel med gott utfall", title_en="Share with a good outcome",
        unit="procent", scale=100, polarity="higher_is_better",
    )  # fmt: skip
    import_definitions(
        ws, Definitions(areas=[city, *districts], dimensions=[SEX], indicators=[indicator])
    )
    import_observations(ws, observations(), source="testdata.csv", attribution="Testkälla")
    import_programme(ws, programme())
    import_investments(ws, [investment()])
    calculate_in_workspace(ws, INITIATIVE, draws=500)
    return ws


def forms(value: float, decimals: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    """The ways a number can be printed: decimal point or comma, at several precisions."""
    out = []
    for d in decimals:
        text = f"{value:.{d}f}"
        out += [text, text.replace(".", ",")]
    return out


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF, whitespace collapsed to single spaces (PDFium reads a
    60-page report in well under a second; pypdf, used for the PDF's structure, takes ten)."""
    document = pdfium.PdfDocument(str(path))
    try:
        return [collapse(page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace collapsed to single spaces."""
    return " ".join(pdf_pages(path))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def csv_text(folder: Path) -> str:
    """Every cell of every CSV file in a folder, joined."""
    cells = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    return "\n".join(cells)


class Page(HTMLParser):
    """A minimal DOM: the element stack, every element with its attributes, parents and text."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "base", "col"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.errors: list[str] = []
        self.in_svg = 0
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {[e['tag'] for e in self.stack]}")

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "parents": list(self.stack), "text": []}
        # Inside a chart only the <svg> itself and its text matter: its thousands of drawing
        # elements are parsed (for well-formedness) but not kept.
        if not self.in_svg:
            self.elements.append(element)
        if tag == "svg":
            self.in_svg += 1
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        if not self.in_svg:
            self.elements.append(
                {"tag": tag, "attrs": dict(attrs), "parents": list(self.stack), "text": []}
            )

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1]["tag"] != tag:
            open_tags = [e["tag"] for e in self.stack]
            self.errors.append(f"</{tag}> does not close the open element ({open_tags[-3:]})")
            # recover: pop up to the matching tag, if any
            while self.stack and self.stack[-1]["tag"] != tag:
                self.stack.pop()
        if self.stack and self.stack.pop()["tag"] == "svg":
            self.in_svg -= 1

    def handle_data(self, data):
        for element in self.stack:
            element["text"].append(data)

    def find(self, tag: str, **attrs: str) -> list[dict]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs.items())
        ]

    @staticmethod
    def text(element: dict) -> str:
        return collapse(" ".join(element["text"]))

    def inside(self, element: dict, tag: str) -> list[dict]:
        """Descendants of `element` with this tag."""
        return [
            e for e in self.elements if e["tag"] == tag and any(p is element for p in e["parents"])
        ]

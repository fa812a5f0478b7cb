"""A source's mandatory notes (SCB's noteMandatory) are shown with the values on the explorer page
and in its JSON twin. A small workspace of its own: the Borås example programme and values stored
the way a PxWeb fetch stores them, served by uvicorn on 127.0.0.1. The explorer's CSV and XLSX
downloads carry the notes too."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pandas as pd
import pytest
from live_site import serve
from openpyxl import load_workbook
from web_helpers import twin

from jamlik.data import Definitions
from jamlik.programme.examples import examples
from jamlik.programme.store import import_programme
from jamlik.sources.mapping import Mapped
from jamlik.sources.store import store
from jamlik.web import WebSettings, create_app
from jamlik.workspace import Workspace

NOTE = "Från 2023 redovisas folkmängden enligt ny metod."
OPTIONAL = "Avser folkbokförda personer."


@pytest.fixture(scope="module")
def noted(tmp_path_factory):
    path = tmp_path_factory.mktemp("notes") / "ws"
    ws = Workspace(path, f"sqlite:///{path / 'jamlik.sqlite'}")
    ws.init()
    # The total, and women and men (the explorer's table and downloads show a breakdown).
    frame = pd.DataFrame(
        {"indicator": "folkmangd", "period": ["2022", "2023"] * 3, "area": "1490",
         "dimension": ["total"] * 2 + ["kon"] * 4,
         "subgroup": ["total", "total", "K", "K", "M", "M"],
         "estimate": [113000.0, 114000.0, 57000.0, 57600.0, 56000.0, 56400.0],
         "flag": None, "source": "Statistiska centralbyrån"}
    )  # fmt: skip
    defs = Definitions.model_validate(
        {"areas": [{"id": "1490", "name": "Borås", "level": "municipality"}],
         "dimensions": [{"id": "kon", "title": "Kön", "subgroups": [
             {"id": "K", "title": "Kvinnor"}, {"id": "M", "title": "Män"}]}],
         "indicators": [{"id": "folkmangd", "title": "Folkmängd", "polarity": "higher_is_better",
                         "unit": "antal"}]}
    )  # fmt: skip
    request = {"select": {}, "notes": [{"text": NOTE, "mandatory": True},
                                       {"text": OPTIONAL, "mandatory": False}]}  # fmt: skip
    store(ws, Mapped(frame), defs, source="pxweb:folk", url="http://127.0.0.1/api/v2",
          request=request, attribution=f"Källa: SCB — Obs / Note: {NOTE}")  # fmt: skip
    import_programme(ws, examples()["boras-god-start"])
    with serve(create_app(WebSettings.for_workspace(ws))) as url:
        yield url


def test_explorer_shows_the_mandatory_note(noted):
    page = httpx.get(noted + "/explorer?indicator=folkmangd", timeout=60)
    assert page.status_code == 200, page.text[:500]
    assert f"Obligatorisk fotnot från källan: {NOTE}" in page.text
    assert OPTIONAL not in page.text  # only mandatory notes must be shown
    body = httpx.get(noted + twin("/explorer?indicator=folkmangd"), timeout=60).json()
    facts = body.get("facts", body)
    assert NOTE in json.dumps(facts, ensure_ascii=False)
    assert facts["source_notes"] == [NOTE]


def _csv_rows(url: str) -> tuple[list[str], list[dict[str, str]]]:
    response = httpx.get(
        url + "/explorer/download.csv?indicator=folkmangd&dimension=kon", timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_the_csv_download_carries_the_mandatory_note_and_still_reads_as_the_data(noted):
    header, rows = _csv_rows(noted)
    assert header[-1] == "source_note"
    # Every row is one stored value, whole: no line of notes is read as a row, no field spills.
    expected = {("K", "2022", 57000.0), ("K", "2023", 57600.0), ("M", "2022", 56000.0),
                ("M", "2023", 56400.0)}  # fmt: skip
    assert len(rows) == 4
    assert {
        (r["subgroup"], r["period"], float(r["estimate"].replace(",", "."))) for r in rows
    } == expected
    assert all(None not in r and None not in r.values() for r in rows)
    assert all(r["source_note"] == NOTE for r in rows)  # a spreadsheet shows it beside each value
    assert OPTIONAL not in json.dumps(rows, ensure_ascii=False)  # only mandatory notes


@pytest.mark.parametrize(
    ("lang", "label"),
    [("sv", "Obligatorisk fotnot från källan"), ("en", "Mandatory note from the source")],
)
def test_the_xlsx_download_lists_the_mandatory_note_where_it_says_where_data_come_from(
    noted, lang, label
):
    response = httpx.get(
        noted + f"/explorer/download.xlsx?indicator=folkmangd&dimension=kon&lang={lang}", timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    about = [tuple(r) for r in book["about"].iter_rows(values_only=True)]
    assert (label, NOTE) in about
    assert not any(OPTIONAL in str(v) for s in book for row in s.iter_rows(values_only=True)
                   for v in row)  # fmt: skip
    # The data sheet holds the same rows as the CSV.
    header, *data = [list(r) for r in book["data"].iter_rows(values_only=True)]
    records = [dict(zip(header, r, strict=True)) for r in data]
    assert len(records) == 4
    assert {(r["subgroup"], r["period"], r["estimate"]) for r in records} == {
        ("K", "2022", 57000.0), ("K", "2023", 57600.0), ("M", "2022", 56000.0),
        ("M", "2023", 56400.0)}  # fmt: skip

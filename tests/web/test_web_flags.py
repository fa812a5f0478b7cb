"""Issue 18: stored flags instead of text rules, and initiatives' dates.

Fictitious: whether a workspace is invented example data is the programme's stored flag or a
data import's, and the web banner, the JSON twins, the follow-up and the report say the same.
Text no longer decides: a real programme that quotes "Fiktiva exempeldata" is not marked
(before, the web matched it in the title and the follow-up anywhere in the header).

Past end: an initiative whose end date has passed and is not closed is flagged in the lists,
the node pages, the start page, the API and the twins, as of the site's injectable `today`.
"""

from __future__ import annotations

from datetime import date

import httpx
import pandas as pd
import pytest
from live_site import serve

from jamlik.data import import_definitions, import_observations
from jamlik.followup import build_followup
from jamlik.programme import import_programme
from jamlik.report.content import build_document
from jamlik.report.html import render_html
from jamlik.web import WebSettings, create_app
from jamlik.workspace import Workspace

DEFINITIONS = """\
areas:
  - {id: stad, name: Stad, level: municipality}
  - {id: norr, name: Norr, level: district, parent: stad}
dimensions: []
indicators:
  - {id: ind, title: Behörighet, unit: procent, polarity: higher_is_better, scale: 100}
"""
PROGRAMME = """\
id: prog
title: {title}
published: true
{flag}node_kinds: [goal]
nodes:
  - {{id: mal, kind: goal, title: Målet, indicators: [ind]}}
initiatives:
  - {{id: ins, title: Insatsen, status: ongoing, nodes: [mal]}}
"""
QUOTED = "Program som citerar ”Fiktiva exempeldata” i titeln"


def _workspace(tmp_path, *, title: str, programme_flag: bool, data_flag: bool) -> Workspace:
    ws = Workspace.resolve(tmp_path / "ws")
    (tmp_path / "defs.yaml").write_text(DEFINITIONS, encoding="utf-8")
    import_definitions(ws, tmp_path / "defs.yaml")
    rows = [
        {"indicator": "ind", "period": str(y), "area": a, "dimension": "total",
         "subgroup": "total", "estimate": 70.0 + y - 2020, "population": 5000}
        for y in (2021, 2022, 2023) for a in ("stad", "norr")
    ]  # fmt: skip
    source = "Fiktiva exempeldata (textmarkör)" if not data_flag else "simulerad.csv"
    import_observations(ws, pd.DataFrame(rows), source=source, fictitious=data_flag)
    text = PROGRAMME.format(title=title, flag="fictitious: true\n" if programme_flag else "")
    (tmp_path / "prog.yaml").write_text(text, encoding="utf-8")
    import_programme(ws, tmp_path / "prog.yaml")
    return ws


@pytest.mark.parametrize(
    ("title", "programme_flag", "data_flag", "expected"),
    [
        ("Övningsprogram", True, False, True),  # the file declares it
        ("Övningsprogram", False, True, True),  # the data's provenance carries it
        (QUOTED, False, False, False),  # text alone no longer decides
    ],
    ids=["programme-flag", "data-flag", "quoted-text"],
)
def test_fictitious_is_the_stored_flag_everywhere_alike(
    tmp_path, title, programme_flag, data_flag, expected
):
    ws = _workspace(tmp_path, title=title, programme_flag=programme_flag, data_flag=data_flag)
    fu = build_followup(ws, "prog", 2023)
    with ws.session() as s:
        from jamlik.programme import read_programme

        programme = read_programme(s, "prog")
    report = render_html(build_document(fu, programme, "sv", draw=False))
    with serve(create_app(WebSettings.for_workspace(ws), warm=False)) as url:
        page = httpx.get(url + "/initiatives", timeout=60)
        twin = httpx.get(url + "/initiatives.json", timeout=60).json()
    assert page.status_code == 200
    banner = '<div class="fictitious" role="note">' in page.text
    in_report = '<p class="banner" role="note"><strong>Fiktiva exempeldata' in report
    assert (banner, twin["fictitious"], fu.fictitious, in_report) == (expected,) * 4


DEMO_TODAY = date(2026, 3, 1)
# From the demo's initiatives (jamlik.demo.initiatives): ongoing with an end date before
# 2026-03-01. ex-skolnarvaro (ended 2025-06-30) and ex-sedd-och-saknad are completed.
PAST_END = {"ex-foraldrastod", "ex-le", "ex-foraldrastod-utrikesfodda"}
ONGOING = 12  # initiatives marked ongoing in the demo, these three included


@pytest.fixture(scope="module")
def dated(demo_workspace):
    """The demo served as of 2026-03-01 (the shared `site` uses the real date)."""
    settings = WebSettings.for_workspace(demo_workspace, today=DEMO_TODAY)
    with serve(create_app(settings, warm=False)) as url:
        yield url


def test_past_end_is_flagged_in_the_list_and_its_twin(dated):
    twin = httpx.get(dated + "/initiatives.json", timeout=60).json()
    rows = twin["facts"]["initiatives"]
    assert {r["id"] for r in rows if r["past_end"]} == PAST_END
    flagged = next(r for r in rows if r["id"] == "ex-le")
    assert flagged["status"]["code"] == "ongoing"  # the status stays what people set
    assert flagged["past_end"]["label"] == "Slutdatum passerat"
    detail = httpx.get(dated + "/initiatives/ex-le.json", timeout=60).json()["facts"]
    text = detail["initiative"]["past_end"]["text"]
    assert text == "Slutdatumet 2025-12-31 har passerat men insatsen är inte markerad som avslutad."
    assert text in httpx.get(dated + "/initiatives/ex-le", timeout=60).text
    html = httpx.get(dated + "/initiatives", timeout=60).text
    assert html.count('class="badge past-end"') == len(PAST_END)
    english = httpx.get(dated + "/initiatives.json?lang=en", timeout=60).json()
    labels = {r["past_end"]["label"] for r in english["facts"]["initiatives"] if r["past_end"]}
    assert labels == {"End date passed"}


def test_past_end_is_flagged_on_the_api_start_and_node_pages(dated):
    api = {i: httpx.get(f"{dated}/api/initiatives/{i}", timeout=60).json() for i in
           ("ex-le", "ex-skolnarvaro", "ex-lasning")}  # fmt: skip
    assert {i: body["past_end"] for i, body in api.items()} == {
        "ex-le": True, "ex-skolnarvaro": False, "ex-lasning": False
    }  # fmt: skip
    start = httpx.get(dated + "/.json", timeout=120).json()["facts"]["counts"]
    assert (start["past_end"], start["ongoing"]) == (len(PAST_END), ONGOING - len(PAST_END))
    assert "3 med passerat slutdatum" in httpx.get(dated + "/", timeout=120).text
    node = httpx.get(dated + "/programme/ex-fa2-home.json", timeout=120).json()
    shown = {i["id"]: i["past_end"] is not None for i in node["facts"]["initiatives"]}
    assert shown["ex-foraldrastod"] and shown["ex-foraldrastod-utrikesfodda"]
    assert not shown["ex-motesplatser"]


def test_nothing_is_past_end_before_the_end_dates(demo_workspace):
    settings = WebSettings.for_workspace(demo_workspace, today=date(2025, 6, 1))
    with serve(create_app(settings, warm=False)) as url:
        rows = httpx.get(url + "/initiatives.json", timeout=60).json()["facts"]["initiatives"]
    assert [r["id"] for r in rows if r["past_end"]] == []

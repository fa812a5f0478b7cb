"""The site over HTTP (a real uvicorn server on 127.0.0.1): every page and its twin, the
fictitious-data notice, languages, errors and downloads with suppression. Building a report
changes the site, so it is tested on a writable copy (test_web_reports_build.py)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from web_helpers import PAGES, SMALL_CELL, twin

from jamlik.data import observations_frame
from jamlik.demo import DEFAULT_SEED, PROGRAMME_ID, exempelstad_programme


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[n for n, _ in PAGES])
def test_page_and_twin(site, name, path):
    html = site.get(path)
    assert html.status_code == 200, html.text[:500]
    assert html.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in html.text
    assert "Fiktiva exempeldata" in html.text
    assert f'href="{twin(path).replace("&", "&amp;")}"' in html.text  # the page links its twin
    data = site.get(twin(path))
    assert data.status_code == 200
    body = data.json()
    assert body["lang"] == "sv" and body["fictitious"] is True and body["facts"]


def test_every_node_and_initiative_has_a_page(site):
    """Not only the sample: every node and initiative of the demo programme answers."""
    programme = exempelstad_programme(DEFAULT_SEED)
    assert programme.id == PROGRAMME_ID
    paths = [f"/programme/{n.id}" for n in programme.nodes]
    paths += [f"/initiatives/{i.id}" for i in programme.initiatives]
    for path in paths:
        page = site.get(path)
        assert page.status_code == 200, path
        assert "Fiktiva exempeldata" in page.text, path
        assert site.get(twin(path)).json()["fictitious"] is True, path


def test_english_on_request_and_remembered(site):
    first = site.get("/programme?lang=en")
    assert '<html lang="en">' in first.text
    assert ">The programme</h1>" in first.text
    assert first.cookies.get("jamlik_lang") == "en"
    # Fiktiva exempeldata stays in Swedish (marked as such) beside the English words.
    assert '<strong lang="sv">Fiktiva exempeldata</strong> (fictitious example data)' in first.text
    later = site.get("/initiatives", cookies={"jamlik_lang": "en"})
    assert '<html lang="en">' in later.text and ">Initiatives</h1>" in later.text
    assert site.get("/initiatives.json", cookies={"jamlik_lang": "en"}).json()["lang"] == "en"
    back = site.get("/initiatives?lang=sv", cookies={"jamlik_lang": "en"})
    assert '<html lang="sv">' in back.text and back.cookies.get("jamlik_lang") == "sv"


@pytest.mark.parametrize(
    "path",
    ["/programme/no-such-node", "/initiatives/no-such", "/explorer?indicator=no-such", "/nowhere"],
)
def test_unknown_things_are_404_pages(site, path):
    page = site.get(path)
    assert page.status_code == 404
    assert "Sidan finns inte" in page.text and "Fiktiva exempeldata" in page.text
    assert site.get(twin(path)).status_code == 404


def test_files_have_no_json_twin(site):
    assert site.get("/explorer/download.csv.json").status_code == 404


def _hidden_estimates(workspace) -> list[float]:
    """The planted small cell's estimate, read straight from the store (unsuppressed). The
    value beside it may show: the planted cell leaves most of the area's children outside the
    breakdown, so no sum pins it down (the linked audit checks that)."""
    raw = observations_frame(
        workspace, indicators=[SMALL_CELL["indicator"]], areas=[SMALL_CELL["area"]],
        dimensions=[SMALL_CELL["dimension"]],
    )  # fmt: skip
    cells = raw[raw["period"] == SMALL_CELL["period"]]
    assert len(cells) == 2 and cells["estimate"].notna().all()
    assert set(cells["population"]) == {7.0, 201.0}
    return list(cells.loc[cells["population"] == 7.0, "estimate"])


def _download_query() -> str:
    return (
        f"indicator={SMALL_CELL['indicator']}&dimension={SMALL_CELL['dimension']}"
        f"&area={SMALL_CELL['area']}"
    )


def _shown(value: float) -> list[str]:
    """How a value could appear in a file or page, in any rounding down to one decimal."""
    return [repr(value), f"{value:.2f}", f"{value:.1f}", f"{value:.1f}".replace(".", ",")]


def test_csv_download_hides_small_cells(site):
    hidden = _hidden_estimates(site.workspace)
    response = site.get(f"/explorer/download.csv?{_download_query()}")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # Swedish Excel flavour
    cells = [r for r in rows if r["period"] == SMALL_CELL["period"]]
    assert {r["subgroup"] for r in cells} == {"men", "women"}
    # 7 women (too few). The planted cell leaves some 190 of Kvarnbacken's children outside
    # the breakdown by sex, so the total minus the men does not pin the women down: the men
    # may show (the linked audit, test_disclosure_explorer.py, checks that nothing opens).
    assert {r["subgroup"]: r["flag"] for r in cells} == {"women": "suppressed", "men": ""}
    for row in cells:
        if row["subgroup"] == "women":
            assert row["estimate"] == row["se"] == row["ci_lb"] == row["ci_ub"] == ""
    for value in hidden:
        assert not any(s in text for s in _shown(value)), value
    # Other periods are shown: the file is not simply empty.
    assert any(r["estimate"] for r in rows if r["period"] == "2024")


def test_xlsx_download_hides_small_cells(site):
    hidden = _hidden_estimates(site.workspace)
    response = site.get(f"/explorer/download.xlsx?{_download_query()}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["data", "measures", "about"]
    sheet = book["data"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    records = [dict(zip(header, r, strict=True)) for r in rows]
    cells = [r for r in records if r["period"] == SMALL_CELL["period"]]
    assert len(cells) == 2
    women = next(r for r in cells if r["subgroup"] == "women")
    assert women["flag"] == "suppressed" and women["estimate"] is None
    everything = [v for s in book for row in s.iter_rows(values_only=True) for v in row]
    for value in hidden:
        assert not any(isinstance(v, float) and abs(v - value) < 1e-6 for v in everything)
    about = {r[0]: r[1] for r in book["about"].iter_rows(values_only=True)}
    assert "Fiktiva exempeldata" in about


def test_explorer_page_hides_small_cells(site):
    hidden = _hidden_estimates(site.workspace)
    query = _download_query() + f"&period={SMALL_CELL['period']}"
    page = site.get(f"/explorer?{query}")
    assert page.status_code == 200
    facts = site.get(f"/explorer.json?{query}").json()["facts"]
    table = {r["subgroup"]: r for r in facts["table"]}
    assert table["women"]["suppressed"] and table["women"]["estimate"] is None
    assert page.text.count("Dold: för få personer") >= 1
    # What a reader sees: the page without its pictures' drawing instructions and chart data
    # (checked through the facts above), where any number could match by chance.
    words = re.sub(r"<(svg|script)\b.*?</\1>", " ", page.text, flags=re.S)
    for value in hidden:
        for shown in {f"{value:.1f}", f"{value:.1f}".replace(".", ",")}:
            assert not re.search(rf"(?<![\d.,]){re.escape(shown)}(?!\d)", words), value

"""The social-investment pages: /investeringar and /investeringar/{id}, with their `.json` twins.

They are served from a workspace of their own (the VGR investment demo, 2,000 draws), since the
site-wide demo holds no investments. Expected figures come from the stored results
(`read_result`) and the stored investment parts, written out here independently of the pages'
formatting code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from live_site import Site, serve
from web_helpers import axe_violations

from jamlik.invest.chart_text import chart_alt
from jamlik.invest.demo import build_invest_demo
from jamlik.invest.store import list_investments, read_investment, read_result
from jamlik.web import WebSettings, create_app
from jamlik.workspace import Workspace

LE = "vgrsi-le-amal"  # the demo's investment with a planted, found effect
MINUS = "\u2212"
NBSP = "\u00a0"


@pytest.fixture(scope="session")
def invest_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    ws = Workspace.resolve(tmp_path_factory.mktemp("web-invest") / "invest")
    build_invest_demo(ws, draws=2000)
    with serve(create_app(WebSettings.for_workspace(ws), warm=False)) as url:
        yield Site(url, ws)


class _Tables(HTMLParser):
    """Every table's cell texts by table id, and every SVG's aria-label, from plain HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.labels: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("id") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "svg" and a.get("aria-label"):
            self.labels.append(a["aria-label"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            text = re.sub(r"[ \t\r\n]+", " ", "".join(self._cell))  # keeps no-break spaces
            self.tables[self._table][-1].append(text.strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def _sv(x: float, decimals: int) -> str:
    text = f"{round(x, decimals) + 0.0:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",").replace("-", MINUS)


def _money_sv(x: float) -> str:
    """Millions with two decimals from a million up, thousands below (as the report writes)."""
    return f"{_sv(x / 1e6, 2)}{NBSP}mnkr" if abs(x) >= 1e6 else f"{_sv(x / 1e3, 0)}{NBSP}tkr"


def _get(site: Site, path: str, **kwargs) -> httpx.Response:
    response = site.get(path, **kwargs)
    assert response.status_code == 200, (path, response.text[:500])
    return response


def test_list_and_its_twin_carry_the_stored_results(invest_site):
    ws = invest_site.workspace
    stored = {i.initiative: i for i in list_investments(ws)}
    body = _get(invest_site, "/investeringar.json").json()
    assert body["fictitious"] is True and body["lang"] == "sv"
    rows = {r["id"]: r for r in body["facts"]["investments"]}
    assert set(rows) == set(stored) and len(rows) == 3

    html = _get(invest_site, "/investeringar").text  # no JavaScript: the table is in the HTML
    assert "Fiktiva exempeldata" in html
    table = _parse(html).tables["investments-table"]
    by_title = {cells[0]: cells for cells in table[1:]}
    for initiative, row in rows.items():
        society = read_result(ws, initiative).perspective("society")
        facts = row["society"]
        assert facts["npv"] == society.npv == stored[initiative].society_npv
        assert (facts["npv_lo"], facts["npv_hi"]) == (
            society.npv_interval.lo,
            society.npv_interval.hi,
        )
        assert facts["p_benefits_exceed_costs"] == society.p_benefits_exceed_costs
        assert row["href"] == f"/investeringar/{initiative}"
        cells = next(c for t, c in by_title.items() if t.startswith(row["title"]))
        assert cells[1] == row["funder"] == "Västra Götalandsregionen"
        npv_cell = cells[3]
        assert npv_cell.startswith(_money_sv(society.npv))
        assert (
            f"{_money_sv(society.npv_interval.lo)} till {_money_sv(society.npv_interval.hi)}"
            in (npv_cell)
        )
        assert cells[4] == f"{round(society.p_benefits_exceed_costs * 100)}{NBSP}%"
        assert cells[5] == row["effect"]["verdict"]["label"]
        assert row["effect"]["verdict"]["code"] == read_result(ws, initiative).effect.verdict.code


def test_detail_and_its_twin_agree_on_every_perspective(invest_site):
    ws = invest_site.workspace
    result = read_result(ws, LE)
    facts = _get(invest_site, f"/investeringar/{LE}.json").json()["facts"]["investment"]
    page = _parse(_get(invest_site, f"/investeringar/{LE}").text)

    by_name = {p["perspective"]: p for p in facts["perspectives"]}
    table = page.tables[f"table-invest-{LE}-perspectives"]
    shown = {cells[0]: cells for cells in table[1:]}
    assert len(shown) == len(result.perspectives) == 5
    for p in result.perspectives:
        fact = by_name[p.perspective]
        assert (fact["npv"], fact["npv_lo"], fact["npv_hi"]) == (
            p.npv, p.npv_interval.lo, p.npv_interval.hi
        )  # fmt: skip
        assert (fact["bcr"], fact["payback_year"]) == (p.bcr, p.payback_year)
        cells = shown[p.label_sv]
        # costs, benefits, NPV, interval from, to: millions with two decimals
        expected = [p.pv_costs, p.pv_benefits, p.npv, p.npv_interval.lo, p.npv_interval.hi]
        assert cells[1:6] == [_sv(x / 1e6, 2) for x in expected]
        assert cells[6] == (_sv(p.bcr, 2) if p.bcr is not None else "–")
        assert cells[7] == (str(p.payback_year) if p.payback_year is not None else "–")

    # The costs table: the planned amounts by year, totalled (the demo's costs are certain
    # amounts apart from the civil society's, whose triangular means are what the table shows).
    investment = read_investment(ws, LE)
    total = sum(c.amount.mean() for c in investment.costs)
    costs = page.tables[f"table-invest-{LE}-costs"]
    assert costs[-1][0] == "Totalt" and costs[-1][-1] == _sv(total, 0)
    assert [r[0] for r in costs[1:-1]] == [
        str(y) for y in sorted({c.year for c in investment.costs})
    ]


def test_detail_shows_charts_with_tables_alt_text_and_a_careful_verdict(invest_site):
    ws = invest_site.workspace
    result = read_result(ws, LE)
    html = _get(invest_site, f"/investeringar/{LE}").text
    page = _parse(html)
    for name in ("cumulative", "tornado"):
        assert f'id="spec-invest-{LE}-{name}"' in html  # vega-embed's specification
        rows = page.tables[f"table-invest-{LE}-{name}"]
        assert len(rows) > 2
        assert chart_alt(result, name, "sv") in page.labels  # the server's SVG carries it
    cumulative = page.tables[f"table-invest-{LE}-cumulative"]
    society = result.perspective("society")
    # The last year's cumulative NPV is the perspective's NPV.
    assert cumulative[-1][1] == _sv(society.npv / 1e6, 2)
    assert "Fiktiva exempeldata" in html
    # The verdict is the effect estimate's own words, and the caveat says what it does not say.
    assert result.effect.verdict.text_sv in html
    assert "inte att insatsen ensam har orsakat förändringen" in html
    # Break-even, payback and the purpose are on the page.
    assert "Brytpunkt" in html and str(society.payback_year) in html
    assert "Syfte" in html


def test_english_is_the_other_language(invest_site):
    result = read_result(invest_site.workspace, LE)
    html = _get(invest_site, f"/investeringar/{LE}?lang=en").text
    assert '<html lang="en">' in html
    assert result.effect.verdict.text_en in html
    assert "Net present value" in html
    # Fictitious data are marked in Swedish on English pages too.
    assert 'lang="sv">Fiktiva exempeldata' in html
    body = _get(invest_site, "/investeringar.json?lang=en").json()
    assert body["lang"] == "en"
    le = next(r for r in body["facts"]["investments"] if r["id"] == LE)
    assert le["effect"]["verdict"]["label"] == "Effect found"
    assert le["society"]["npv_text"] == f"SEK{NBSP}{result.perspective('society').npv / 1e6:.2f}m"


def test_unknown_investment_is_not_found(invest_site):
    assert invest_site.get("/investeringar/no-such-initiative").status_code == 404
    assert invest_site.get("/investeringar/no-such-initiative.json").status_code == 404


@pytest.mark.parametrize("path", ["/investeringar", f"/investeringar/{LE}"])
def test_pages_have_no_wcag_violations(browser, invest_site, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        tab.goto(invest_site.url + path)
        tab.wait_for_function(
            "Array.from(document.querySelectorAll('.chart')).every(c => c.dataset.embedded)"
        )
        assert axe_violations(tab) == []
    finally:
        context.close()
    assert errors == []


def test_tornado_and_scenario_tables_are_not_cut_off(browser, invest_site):
    """Issue 19's polish: the tables beside the charts show whole at 1280 px."""
    from test_web_browser_tables import cut_tables

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    try:
        for initiative in sorted(i.initiative for i in list_investments(invest_site.workspace)):
            tab.goto(f"{invest_site.url}/investeringar/{initiative}")
            assert tab.locator(".chart-pair .table-scroll").count() >= 1
            assert not cut_tables(tab), initiative
    finally:
        context.close()

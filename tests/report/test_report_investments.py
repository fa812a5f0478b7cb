"""The social-investment chapter: the demo's three VGR projects, each with the figures of its
stored result, its verdict and its charts, in HTML and PDF, in Swedish and English; and the
rule for which investments a report shows.

Expected numbers come from the stored `InvestmentResult` fields (and, for costs, from the
investment file itself), formatted here by the report's stated conventions, never from the
report's own output.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
from report_helpers import INITIATIVE, PROGRAMME, Page, collapse, investment
from ruamel.yaml import YAML

from jamlik.demo import PROGRAMME_ID
from jamlik.errors import JamlikError
from jamlik.invest.demo import PROGRAMME as VGR_PROGRAMME
from jamlik.invest.store import read_result
from jamlik.report import InvestmentSelection, ReportedInvestment, select_investments
from jamlik.report.invest_content import investment_chapter

PROJECTS = ("vgrsi-le-amal", "vgrsi-seen-and-missed", "vgrsi-parenting-support-boras")
CHARTS = ("cumulative", "tornado", "effect")


def fixed(x: float, decimals: int, lang: str) -> str:
    """A number as the report writes it: thousands grouped, a decimal comma and a true minus
    sign in Swedish (whitespace collapsed, as `Page.text` gives it)."""
    text = f"{x:,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", " ").replace(".", ",").replace("-", "−")
    return text


def money(x: float, lang: str) -> str:
    """An amount in a sentence: millions with two decimals, below a million in thousands."""
    if abs(x) >= 1e6:
        m = fixed(abs(x) / 1e6, 2, lang)
        sign = "−" if x < 0 and lang == "sv" else "-" if x < 0 else ""
        return f"{sign}{m} mnkr" if lang == "sv" else f"SEK {sign}{m}m"
    k = fixed(abs(x) / 1e3, 0, lang)
    sign = ("−" if lang == "sv" else "-") if x < 0 and round(abs(x) / 1e3) != 0 else ""
    return f"{sign}{k} tkr" if lang == "sv" else f"SEK {sign}{k}k"


def percent(p: float, lang: str) -> str:
    return f"{p * 100:.0f} %" if lang == "sv" else f"{p * 100:.0f}%"


@pytest.fixture(scope="module")
def pages(demo) -> dict[str, Page]:
    return {lang: Page(r.html.read_text(encoding="utf-8")) for lang, r in demo.reports.items()}


@pytest.fixture(scope="module")
def results(demo):
    return {p: read_result(demo.ws, p) for p in PROJECTS}


def _section(page: Page, initiative: str) -> dict:
    found = [s for s in page.find("section", **{"data-initiative": f"invest-{initiative}"})]
    assert len(found) == 1, initiative
    return found[0]


def _table(page: Page, table_id: str) -> list[list[str]]:
    """The table's rows as cell texts (one pass over the page: its tables are many)."""
    table = page.find("table", id=f"{table_id}-table")[0]
    rows: dict[int, list[str]] = {}
    for e in page.elements:
        if e["tag"] in ("th", "td") and any(p is table for p in e["parents"]):
            tr = next(p for p in reversed(e["parents"]) if p["tag"] == "tr")
            rows.setdefault(id(tr), []).append(Page.text(e))
    return list(rows.values())


def test_the_demo_report_shows_the_three_seed_projects(demo, pages):
    assert demo.investments.scope == "workspace"  # the demo's example data: every investment
    for lang, page in pages.items():
        chapter = page.find("section", **{"class": "investments"})
        assert len(chapter) == 1
        toc = [
            Page.text(a) for a in page.find("a") if a["attrs"].get("href") == "#social-investments"
        ]
        assert toc == ["Sociala investeringar" if lang == "sv" else "Social investments"]
        vgr = next(i.programme for i in demo.investments.items)
        for project in PROJECTS:
            section = _section(page, project)
            ini = next(i for i in vgr.initiatives if i.id == project)
            title = ini.title if lang == "sv" else ini.title_en
            assert Page.text(page.inside(section, "h3")[0]).startswith(title)
            blocks = [
                d
                for d in page.inside(section, "div")
                if "chart-block" in d["attrs"].get("class", "").split()
            ]
            assert [b["attrs"]["id"] for b in blocks] == [f"invest-{project}-{c}" for c in CHARTS]
            for block in blocks:
                assert len(page.inside(block, "svg")) == 1 and len(page.inside(block, "table")) == 1
            # demo results say they are invented, in the block and on each chart
            assert ("Fiktiva exempeldata" if lang == "sv" else "Fictitious example data") in (
                Page.text(section)
            )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_figures_by_perspective_are_the_stored_results(pages, results, lang):
    page = pages[lang]
    for project, result in results.items():
        rows = _table(page, f"invest-{project}-perspectives")[1:]
        assert len(rows) == len(result.perspectives) == 5
        for row, p in zip(rows, result.perspectives, strict=True):
            expected = [
                p.label_sv if lang == "sv" else p.label_en,
                *(fixed(v / 1e6, 2, lang) for v in (p.pv_costs, p.pv_benefits, p.npv,
                                                    p.npv_interval.lo, p.npv_interval.hi)),
                "–" if p.bcr is None else fixed(p.bcr, 2, lang),
                "–" if p.payback_year is None else str(p.payback_year),
                percent(p.p_benefits_exceed_costs, lang),
            ]  # fmt: skip
            assert row == expected, (project, p.perspective)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sentences_say_the_stored_economics_and_verdict(pages, demo_pdf_pages, results, lang):
    html = Page.text(pages[lang].find("body")[0])
    pdf = " ".join(demo_pdf_pages[lang])
    for project, result in results.items():
        society = result.perspective("society")
        npv = money(society.npv, lang)
        said = f"nettonuvärde på {npv}" if lang == "sv" else f"net present value of {npv}"
        payback = (
            (f"betalar sig för samhället år {society.payback_year}" if lang == "sv"
             else f"pays back for society in {society.payback_year}")
            if society.payback_year is not None
            else ("betalar sig inte för samhället" if lang == "sv"
                  else "does not pay back for society")
        )  # fmt: skip
        chance = percent(society.p_benefits_exceed_costs, lang)
        verdict = result.effect.verdict.text_sv if lang == "sv" else result.effect.verdict.text_en
        for text, where in ((html, "html"), (pdf, "pdf")):
            for expected in (said, payback, chance, collapse(verdict)):
                assert expected in text, (project, where, expected)


def test_verdicts_are_those_stored_and_built_into_the_demo(pages, results):
    built = {"vgrsi-le-amal": "effect_found", "vgrsi-seen-and-missed": "effect_found",
             "vgrsi-parenting-support-boras": "no_effect_found"}  # fmt: skip
    for page in pages.values():
        for project, result in results.items():
            code = _section(page, project)["attrs"]["data-verdict"]
            assert code == result.effect.verdict.code == built[project]


def test_cost_tables_add_up_the_investment_file(pages):
    """Planned costs: the file's amounts (uncertain ones at their mean), read here directly."""
    path = resources.files("jamlik.invest").joinpath("examples/vgr-investments.yaml")
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    for inv in data["investments"]:
        totals: dict[int, float] = {}
        for cost in inv["costs"]:
            amount = cost["amount"]
            if isinstance(amount, dict):
                assert amount["dist"] == "uniform", "this test knows the uniform mean only"
                amount = (amount["low"] + amount["high"]) / 2
            totals[cost["year"]] = totals.get(cost["year"], 0) + amount
        for lang, page in pages.items():
            rows = _table(page, f"invest-{inv['initiative']}-costs")
            by_year = {row[0]: row[-1] for row in rows[1:]}
            for year, total in totals.items():
                assert by_year[str(year)] == fixed(total, 0, lang)
            assert rows[-1][-1] == fixed(sum(totals.values()), 0, lang)


def test_chart_tables_hold_the_charted_numbers(pages, results):
    for lang, page in pages.items():
        for project, result in results.items():
            society = result.perspective("society")
            cumulative = _table(page, f"invest-{project}-cumulative")
            years = [r.year for r in result.cumulative if r.perspective == "society"]
            assert [row[0] for row in cumulative[1:]] == [str(y) for y in years]
            # the cumulative net present value ends at the net present value
            assert cumulative[-1][1] == fixed(society.npv / 1e6, 2, lang)
            tornado = _table(page, f"invest-{project}-tornado")[1:]
            top = result.tornado[0]
            assert tornado[0][0] == (top.label_sv if lang == "sv" else top.label_en)
            assert tornado[0][3:] == [fixed(top.npv_low / 1e6, 2, lang),
                                      fixed(top.npv_high / 1e6, 2, lang)]  # fmt: skip
            effect = _table(page, f"invest-{project}-effect")
            series = result.effect.series
            periods = [row[0] for row in effect[1:]]
            if len(series) <= 16:  # a short table by period: periods are columns on paper only
                assert periods == [s.period for s in series]
            assert [row[1] for row in effect[1:]] == [fixed(s.treated, 1, lang) for s in series]


def test_the_pdf_carries_the_chapter(demo_pdf_pages, results):
    for lang, pages in demo_pdf_pages.items():
        text = " ".join(pages)
        assert ("Sociala investeringar" if lang == "sv" else "Social investments") in text
        for result in results.values():
            title = result.title if lang == "sv" else result.title_en
            assert collapse(title) in text
            for p in result.perspectives:
                assert fixed(p.npv / 1e6, 2, lang) in text


def test_english_says_what_swedish_says(pages):
    def numbers(text: str, lang: str) -> list[float]:
        if lang == "sv":
            text = re.sub(r"(?<=\d)\s(?=\d{3}\b)", "", text).replace("−", "-").replace(",", ".")
        else:
            text = text.replace(",", "")
        return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]

    for project in PROJECTS:
        sv, en = (_section(pages[lang], project) for lang in ("sv", "en"))
        for tag in ("p", "li", "td"):  # the facts quote the programme's own texts
            sv_items = pages["sv"].inside(sv, tag)
            en_items = pages["en"].inside(en, tag)
            assert len(sv_items) == len(en_items), (project, tag)
            for a, b in zip(sv_items, en_items, strict=True):
                assert numbers(Page.text(a), "sv") == numbers(Page.text(b), "en"), (
                    Page.text(a), Page.text(b))  # fmt: skip


def test_which_investments_a_report_shows(demo):
    """Real data: the programme's own; the demo's example data: the workspace's."""
    own = select_investments(demo.ws, PROGRAMME_ID, "programme")
    assert own.items == [] and own.elsewhere == 3
    every = select_investments(demo.ws, PROGRAMME_ID, "workspace")
    assert [i.investment.initiative for i in every.items] == list(PROJECTS)  # programme order
    assert every.elsewhere == 0
    assert select_investments(demo.ws, PROGRAMME_ID, fictitious=False).scope == "programme"
    assert select_investments(demo.ws, PROGRAMME_ID, fictitious=True).scope == "workspace"
    vgr = select_investments(demo.ws, VGR_PROGRAMME, "programme")
    assert [i.investment.initiative for i in vgr.items] == list(PROJECTS)
    with pytest.raises(JamlikError, match="programme, workspace"):
        select_investments(demo.ws, PROGRAMME_ID, "all")


def test_no_chapter_without_investments_and_a_note_for_those_left_out(demo):
    empty = select_investments(demo.ws, PROGRAMME_ID, "programme")
    assert investment_chapter(empty, "sv") is None
    vgr = select_investments(demo.ws, VGR_PROGRAMME, "programme")
    chapter = investment_chapter(
        InvestmentSelection("programme", VGR_PROGRAMME, vgr.items[:1], elsewhere=2), "en"
    )
    assert chapter is not None and "2 more social investments" in chapter.scope_note
    assert chapter.blocks[0].programme_note == ""  # in the programme reported on
    one = InvestmentSelection("programme", VGR_PROGRAMME, vgr.items[:1], elsewhere=1)
    sv_note = investment_chapter(one, "sv").scope_note
    assert sv_note.startswith("Arbetsytan har en social investering till")  # not "1 sociala"


def test_an_investment_not_yet_calculated_shows_its_costs_and_what_to_do():
    item = ReportedInvestment(investment=investment(), result=None, initiative=None,
                              programme=None)  # fmt: skip
    chapter = investment_chapter(InvestmentSelection("programme", PROGRAMME, [item]), "sv")
    block = chapter.blocks[0]
    assert f"jamlik invest calc {INITIATIVE}" in block.result_missing
    assert block.charts == [] and block.perspectives is None and block.economics == []
    assert block.costs.rows[-1][-1].value == 600000  # 300 000 kronor in 2024 and in 2025


def test_a_real_programme_reports_its_own_investment(constructed_reports):
    files = constructed_reports[("sv", 10)]
    page = Page(files.html.read_text(encoding="utf-8"))
    sections = page.find("section", **{"class": "investment"})
    assert [s["attrs"]["data-initiative"] for s in sections] == [f"invest-{INITIATIVE}"]
    assert "Fiktiva exempeldata" not in Page.text(sections[0])

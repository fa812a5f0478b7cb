"""The English report says what the Swedish one says: same sections, same tables, same numbers."""

from __future__ import annotations

import re

import pytest
from report_helpers import Page

from jamlik.report.i18n import STRINGS, check_lang, number, t

HEADINGS = ("h1", "h2", "h3", "h4")


@pytest.fixture(scope="module")
def pages(demo) -> dict[str, Page]:
    return {lang: Page(r.html.read_text(encoding="utf-8")) for lang, r in demo.reports.items()}


def _numbers(cell: str, lang: str) -> list[float]:
    """Numbers in a table cell, read by the conventions of its language."""
    if lang == "sv":
        cell = re.sub(r"(?<=\d)\s(?=\d{3}\b)", "", cell)  # thousands: a (narrow) space
        cell = cell.replace("−", "-").replace(",", ".")
    else:
        cell = cell.replace(",", "")
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", cell)]


def test_same_structure(pages):
    sv, en = pages["sv"], pages["en"]
    for tag in (*HEADINGS, "section", "table", "tr", "td", "svg", "li"):
        assert len(sv.find(tag)) == len(en.find(tag)), tag
    sv_ids = [e["attrs"].get("id") for e in sv.elements if e["tag"] in HEADINGS]
    en_ids = [e["attrs"].get("id") for e in en.elements if e["tag"] in HEADINGS]
    assert sv_ids == en_ids


def test_same_numbers_in_every_table(pages):
    sv_cells = [Page.text(td) for td in pages["sv"].find("td")]
    en_cells = [Page.text(td) for td in pages["en"].find("td")]
    assert len(sv_cells) == len(en_cells) > 500
    suppressed = 0
    for sv, en in zip(sv_cells, en_cells, strict=True):
        if sv == t("suppressed", "sv"):
            assert en == t("suppressed", "en")
            suppressed += 1
            continue
        assert _numbers(sv, "sv") == _numbers(en, "en"), (sv, en)
    assert suppressed > 0, "the demo has suppressed cells"


def test_same_verdicts(pages):
    def verdicts(page: Page) -> list[tuple[str, str, str]]:
        return [
            (s["attrs"]["data-indicator"], s["attrs"]["data-dimension"], s["attrs"]["data-verdict"])
            for s in page.find("section")
            if s["attrs"].get("class") == "gap"
        ]

    assert verdicts(pages["sv"]) == verdicts(pages["en"])
    assert len(verdicts(pages["sv"])) > 10


def test_no_swedish_interface_text_in_the_english_report(pages):
    page = pages["en"]
    text = Page.text(page.find("body")[0])
    # The sources list quotes the data's own attribution ("Fiktiva exempeldata – …"): data.
    sources = next(u for u in page.find("ul") if u["attrs"].get("class") == "sources")
    text = text.replace(Page.text(sources), "")
    own_words = [sv for sv, en in STRINGS.values() if sv != en and "{" not in sv and len(sv) > 12]
    leaked = [w for w in own_words if w in text]
    assert leaked == []


def test_number_conventions():
    assert number(1234.5, "sv") == "1\u00a0234,5"
    assert number(1234.5, "en") == "1,234.5"
    assert number(-0.25, "sv", 2) == "\u22120,25"
    assert number(None, "sv") == "–"
    with pytest.raises(ValueError, match="sv or en"):
        check_lang("de")


def test_both_languages_have_every_string():
    for key, (sv, en) in STRINGS.items():
        assert sv.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", sv)) == set(re.findall(r"{(\w+)}", en)), key

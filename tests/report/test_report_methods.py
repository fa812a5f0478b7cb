"""The appendix: the follow-up's method notes and, for every measure used, its interpretation
and how its interval is worked out, in the report's language (Swedish from the catalogue's
`interval_sv`)."""

from __future__ import annotations

import pytest
from report_helpers import Page, collapse

from jamlik.invest.text import method_note
from jamlik.measures import catalogue, entry

ENGLISH = ("analytic", "delta method", "simulation", "estimate", " the ", "clipped")
SWEDISH = (" ur ", " med ", " och ", " är ", " som ", " på ")


def test_every_catalogue_entry_has_a_plain_swedish_interval_text():
    entries = catalogue()
    assert len(entries) > 30
    for e in entries:
        text = e.interval_sv
        assert text.strip() and text != e.interval, e.code
        assert text[0].isupper() and text.endswith("."), e.code
        assert not any(w in text.lower() for w in ENGLISH), (e.code, text)
        assert any(w in f" {text.lower()} " for w in SWEDISH), (e.code, text)


@pytest.fixture(scope="module")
def appendices(demo) -> dict[str, str]:
    out = {}
    for lang, files in demo.reports.items():
        page = Page(files.html.read_text(encoding="utf-8"))
        out[lang] = Page.text(page.find("section", **{"class": "appendix"})[0])
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_appendix_says_how_each_interval_is_worked_out(demo, appendices, demo_pdf_pages,
                                                           lang):  # fmt: skip
    pdf = " ".join(demo_pdf_pages[lang])
    codes = demo.followup.measures
    assert {"D", "R"} <= set(codes)
    for code in codes:
        e = entry(code)
        interval = collapse(e.interval_sv if lang == "sv" else e.interval)
        assert interval in appendices[lang], code
        assert interval in pdf, code
    other = {c.interval_sv if lang == "en" else c.interval for c in map(entry, codes)}
    assert not any(collapse(text) in appendices[lang] for text in other)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_appendix_has_the_follow_up_and_investment_method_notes(demo, appendices,
                                                                     demo_pdf_pages, lang):  # fmt: skip
    pdf = " ".join(demo_pdf_pages[lang])
    notes = [(m.title_sv, m.text_sv) if lang == "sv" else (m.title_en, m.text_en)
             for m in demo.followup.methods]  # fmt: skip
    assert len(notes) >= 8
    for title, text in [*notes, method_note(lang)]:
        assert collapse(title) in appendices[lang] and collapse(text) in appendices[lang], title
        assert collapse(text)[:60] in pdf, title

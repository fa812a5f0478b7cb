"""The PDF carries the same content as the HTML, with contents, page numbers and real text."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from report_helpers import Page, collapse


@pytest.fixture(scope="module")
def reader(demo) -> PdfReader:
    return PdfReader(BytesIO(demo.reports["sv"].pdf.read_bytes()))


@pytest.fixture(scope="module")
def pages(demo_pdf_pages) -> list[str]:
    return demo_pdf_pages["sv"]


@pytest.fixture(scope="module")
def text(pages) -> str:
    return " ".join(pages)


def test_metadata_language_and_accessibility_profile(reader, demo):
    assert demo.followup.title_sv in reader.metadata.title
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "sv"
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfuaid:part" in xmp  # declared (and checked by Typst) as PDF/UA-1


def test_page_numbers_are_the_pdfs_own(pages, reader):
    """Issue 19: a 76-page file said "Sida 4 / 75". The footer's numbers are now the ones a PDF
    viewer shows: page i of N, N counted by pypdf (the title page counts, unnumbered)."""
    n = len(reader.pages)
    assert n == len(pages) > 10
    assert "Sida" not in pages[0]
    for i in range(1, n):
        assert pages[i].endswith(f"Sida {i + 1} / {n}"), (i, pages[i][-40:])
    assert pages[-1].endswith(f"Sida {n} / {n}")


def test_outline_follows_the_chapters(reader, demo):
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    html = Page(demo.reports["sv"].html.read_text(encoding="utf-8"))
    chapters = [Page.text(h) for h in html.find("h2")][1:]  # the HTML's first h2 is its contents
    assert len(top) == len(chapters)
    for entry, heading in zip(top, chapters, strict=True):
        number, _, title = entry.partition(" ")
        assert number.isdigit() and collapse(title) == heading


def test_table_of_contents_and_swedish_letters(text):
    assert "Innehåll" in text
    for word in ("Sammanfattning", "Målområde", "Röjandekontroll", "Född i Sverige", "Stenåsen"):
        assert word in text


def test_fonts_are_embedded_and_cover_swedish(reader):
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(font["/BaseFont"].split("+")[-1])
    assert fonts and all(f.startswith("LibertinusSerif") for f in fonts)


def _alt_texts(node, found: list[str]) -> list[str]:
    """Alternative texts of the tagged PDF's figures, in reading order."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        if "/K" in node:
            _alt_texts(node["/K"], found)
    elif isinstance(node, list):
        for child in node:
            _alt_texts(child, found)
    return found


def test_every_chart_and_table_is_in_the_pdf(reader, text, demo):
    charts = demo.reports["sv"].n_charts
    html = Page(demo.reports["sv"].html.read_text(encoding="utf-8"))
    alts = [svg["attrs"]["aria-label"] for svg in html.find("svg")]
    assert len(alts) == charts
    assert _alt_texts(reader.trailer["/Root"]["/StructTreeRoot"], []) == alts
    captions = [Page.text(c) for c in html.find("caption")]
    # and the council summary's and the summary's tables, and each investment's costs and
    # figures by perspective
    assert len(captions) == charts + 2 + 2 * len(demo.investments.items)
    missing = [c for c in captions if c not in text]
    assert missing == []


def test_fictitious_on_every_page(pages):
    assert all("Fiktiva exempeldata" in page for page in pages)

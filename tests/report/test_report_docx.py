"""The report as a Word file: opened with python-docx, as Word would read it. Real heading
styles, Word tables with the numbers of the constructed world, charts as pictures with alt
text, the council summary first, and the tiny cell nowhere."""

from __future__ import annotations

import docx
import pytest
from report_helpers import PROGRAMME, TINY, Page, forms
from typer.testing import CliRunner

from jamlik.data.policy import SuppressionPolicy
from jamlik.report import build_report

COUNCIL = {
    "sv": "Sammanfattning för kommunstyrelsen och kommunfullmäktige",
    "en": "Summary for the municipal executive board and council",
}


@pytest.fixture(scope="module")
def built(constructed, tmp_path_factory):
    """The constructed world's report as DOCX and HTML (to compare with), in both languages."""
    out = {}
    for lang in ("sv", "en"):
        folder = tmp_path_factory.mktemp(f"docx-{lang}")
        files = build_report(
            constructed, 2025, folder, programme_id=PROGRAMME, lang=lang,
            formats=("html", "docx"), policy=SuppressionPolicy(min_population=10),
        )  # fmt: skip
        out[lang] = (files, docx.Document(str(files.docx)))
    return out


def _headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


def _all_text(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_council_summary_first_under_word_heading_styles(built, lang):
    files, document = built[lang]
    assert files.docx.name == f"{PROGRAMME}-2025-{lang}.docx" and files.pdf is None
    headings = _headings(document)
    styles = {style for style, _ in headings}
    assert styles <= {"Heading 1", "Heading 2", "Heading 3"} and "Heading 2" in styles
    level1 = [text for style, text in headings if style == "Heading 1"]
    assert level1[0] == COUNCIL[lang]
    # Its four parts follow as Heading 2, before the full report's first chapter.
    first_chapter = headings.index(next(h for h in headings[1:] if h[0] == "Heading 1"))
    assert [text for style, text in headings[1:first_chapter] if style == "Heading 2"] == (
        ["Målet", "Hur skillnaderna har förändrats", "Vad aktörerna har bedömt",
         "Det här behöver beslut"] if lang == "sv" else
        ["The goal", "How the gaps have changed", "What the actors judged",
         "What needs decisions"]
    )  # fmt: skip
    assert level1[-1] == ("Bilaga" if lang == "sv" else "Appendix")
    assert document.core_properties.language == ("sv-SE" if lang == "sv" else "en-GB")


def test_a_chart_table_is_a_word_table_with_the_worlds_numbers(built):
    _, document = built["sv"]
    # The districts' level table: Åby 45 + 0.5k, Ängen 55 − 0.2k, Önäs 42 + 0.1k in year
    # 2016 + k (report_helpers); Önäs 2021 rests on 6 people and Ängen 2022 is 91.234.
    [table] = [
        t for t in document.tables
        if [c.text for c in t.rows[0].cells] == ["Period", "Åby", "Ängen", "Önäs"]
    ]  # fmt: skip
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    assert rows["2016"] == ["45,0", "55,0", "42,0"]
    assert rows["2025"] == ["49,5", "53,2", "42,9"]
    assert rows["2022"][1] == "91,2"
    assert rows["2021"][2] == "Dold (för få personer)"
    header = table.rows[0]._tr.trPr
    assert header is not None and header.xpath("./w:tblHeader")  # repeats on every page


def test_the_tiny_cell_is_nowhere_in_the_word_file(built):
    for lang in ("sv", "en"):
        text = _all_text(built[lang][1])
        assert not [f for f in forms(TINY[3]) if f in text]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_chart_is_a_picture_with_the_htmls_alt_text(built, lang):
    files, document = built[lang]
    shapes = document.inline_shapes
    assert len(shapes) == files.n_charts > 0
    alts = [s._inline.docPr.get("descr") for s in shapes]
    assert all(alts)
    html = Page(files.html.read_text(encoding="utf-8"))
    assert alts == [svg["attrs"]["aria-label"] for svg in html.find("svg")]
    # The pictures are PNG images, not empty frames.
    blobs = [document.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed]
             for s in shapes]  # fmt: skip
    assert all(b.content_type == "image/png" and b.blob[:8] == b"\x89PNG\r\n\x1a\n" for b in blobs)


def test_report_command_writes_docx_on_request(constructed, tmp_path):
    import typer

    from jamlik.cli import report as report_cli

    app = typer.Typer()
    app.callback()(lambda: None)
    report_cli.register(app)
    out = tmp_path / "word"
    result = CliRunner().invoke(
        app,
        ["report", "--workspace", str(constructed.path), "--year", "2025", "--format", "docx",
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / f"{PROGRAMME}-2025-sv.docx").is_file()
    assert not (out / f"{PROGRAMME}-2025-sv.html").exists()
    assert "DOCX:" in result.output and "HTML:" not in result.output
    refused = CliRunner().invoke(
        app, ["report", "--workspace", str(constructed.path), "--year", "2025",
              "--format", "odt", "--out", str(out)],
    )  # fmt: skip
    assert refused.exit_code == 2

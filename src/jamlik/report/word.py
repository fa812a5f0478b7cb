"""The report as a Word document (DOCX) through python-docx, for municipalities that assemble
their annual report (årsredovisning) in Word.

The same document as the HTML and the PDF, in the same order: the council summary first, then
the full report. Headings use Word's own heading styles (so Word's navigation pane and table of
contents find them), tables are Word tables with a repeated header row, and every chart is the
report's own SVG (`jamlik.report.svg`) turned into a PNG by vl-convert, with the chart's alt
text as the picture's description (`descr`), which Word reads aloud and shows as alt text.
"""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor

import vl_convert as vlc
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from jamlik.report.document import (
    Chart,
    CouncilSummary,
    Document,
    FindingGroup,
    IndicatorBlock,
    InvestmentBlock,
    Table,
)

PNG_SCALE = 1.5  # 480 px charts at 720 px: about 115 dpi at 16 cm, sharp enough on paper
TEXT_WIDTH = Cm(16)
NARROW_WIDTH = Cm(12.5)
MUTED = RGBColor(0x4D, 0x4D, 0x4D)
TABLE_STYLE = "Table Grid"
PARAGRAPH_STYLES = ("Caption", "List Bullet", "Title", "Subtitle")


def chart_pngs(charts: list[Chart]) -> dict[str, bytes]:
    """Each chart's SVG as PNG bytes, by chart id. vl-convert releases the GIL: a few
    threads convert side by side."""
    pending = [c for c in charts if c.svg]
    workers = max(1, min(4, os.cpu_count() or 1, len(pending)))
    with ThreadPoolExecutor(workers, thread_name_prefix="jamlik-png") as pool:
        pngs = pool.map(lambda c: vlc.svg_to_png(c.svg, scale=PNG_SCALE), pending)
        return {c.id: png for c, png in zip(pending, pngs, strict=True)}


def render_docx(doc: Document) -> bytes:
    """The DOCX bytes of a report document (its charts must have been drawn)."""
    out = new_docx()
    _setup(out, doc)
    pngs = chart_pngs(doc.charts())
    w = _Writer(out, pngs)
    w.title_page(doc)
    if doc.council is not None:
        w.council(doc.council)
    w.summary(doc)
    for chapter in doc.chapters:
        w.heading(f"{chapter.kind_label}: {chapter.title}", 1)
        w.para(f"{chapter.status_label}. {chapter.reason}")
        if chapter.cycle_heading:
            w.heading(chapter.cycle_heading, 2)
            for group, blocks in ((doc.labels["cycle_assessments"], chapter.assessments),
                                  (doc.labels["cycle_reports"], chapter.reports)):  # fmt: skip
                if blocks:
                    w.heading(group, 3)
                for b in blocks:
                    p = w.add_paragraph()
                    p.add_run(f"{b.title}. ").bold = True
                    p.add_run(b.status_line)
                    for f in b.facts:
                        w.fact(f.label, f.text)
        for ind in chapter.indicators:
            w.indicator(ind, doc)
    w.heading(doc.labels["coverage"], 1)
    w.para(doc.labels["coverage_intro"])
    if not doc.coverage:
        w.para(doc.labels["coverage_none"])
    w.groups(doc.coverage, level=2)
    w.heading(doc.labels["reach_need"], 1)
    w.para(doc.labels["reach_need_intro"])
    if not doc.reach:
        w.para(doc.labels["reach_need_none"])
    for block in doc.reach:
        w.heading(f"{block.title}: {block.verdict.lower()}", 2)
        w.para(block.sentence)
        if block.chart is not None:
            w.chart(block.chart)
    if doc.investments is not None:
        w.heading(doc.investments.title, 1)
        w.para(" ".join(p for p in (doc.investments.intro, doc.investments.scope_note) if p))
        for inv in doc.investments.blocks:
            w.investment(inv, doc)
    w.appendix(doc)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _setup(out: DocxDocument, doc: Document) -> None:
    props = out.core_properties
    props.title = f"{doc.title} – {doc.programme}"
    props.author = "jamlik"
    props.language = "sv-SE" if doc.lang == "sv" else "en-GB"
    section = out.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, not python-docx's Letter
    section.left_margin = section.right_margin = Cm(2.5)
    normal = out.styles["Normal"]
    # Table text is set small through the table style: Normal must not set a size of its own,
    # or it would win over the table style in every cell.
    out.styles[TABLE_STYLE].font.size = Pt(8.5)
    # The document's language, so Word spell-checks Swedish as Swedish.
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), props.language)
    rpr.append(lang)


class _Writer:
    def __init__(self, out: DocxDocument, pngs: dict[str, bytes]) -> None:
        self.out = out
        self.pngs = pngs
        # Style ids looked up once: python-docx looks a style name up anew (slowly) on every
        # paragraph it is given to.
        self.style_ids = {name: out.styles[name].style_id for name in PARAGRAPH_STYLES}
        self.table_style = out.styles[TABLE_STYLE]

    def add_paragraph(self, style: str | None = None):
        p = self.out.add_paragraph()
        if style is not None:
            p._p.get_or_add_pPr().style = self.style_ids[style]
        return p

    def heading(self, text: str, level: int) -> None:
        self.out.add_heading(text, level)

    def para(self, text: str, *, muted: bool = False, style: str | None = None) -> None:
        if not text:
            return
        p = self.add_paragraph(style)
        run = p.add_run(text)
        if muted:
            run.font.color.rgb = MUTED
            run.font.size = Pt(9)

    def fact(self, label: str, text: str) -> None:
        p = self.out.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(text)

    def bullets(self, items: list[tuple[str, str]]) -> None:
        for title, text in items:
            p = self.add_paragraph("List Bullet")
            if title:
                p.add_run(f"{title}: ").bold = True
            p.add_run(text)

    def groups(self, groups: list[FindingGroup], level: int) -> None:
        for group in groups:
            if group.heading:
                self.heading(group.heading, level)
            self.bullets([(f.title, f.text) for f in group.findings])

    def title_page(self, doc: Document) -> None:
        if doc.fictitious:
            p = self.out.add_paragraph()
            p.add_run(f"{doc.labels['fictitious']}. ").bold = True
            p.add_run(doc.labels["fictitious_note"])
        self.para(f"{doc.labels['report_kind']} · {doc.area}", muted=True)
        self.add_paragraph("Title").add_run(doc.programme)
        self.add_paragraph("Subtitle").add_run(doc.title)
        self.para(doc.generated, muted=True)
        self.out.add_page_break()

    def council(self, council: CouncilSummary) -> None:
        self.heading(council.title, 1)
        self.para(council.intro)
        for part in council.sections:
            self.heading(part.heading, 2)
            for text in part.paragraphs:
                self.para(text)
            if part.table is not None:
                self.table(part.table, width=Cm(9))
            self.groups(part.groups, level=3)
        self.out.add_page_break()

    def summary(self, doc: Document) -> None:
        L = doc.labels
        self.heading(L["summary"], 1)
        self.para(L["summary_intro"])
        rows = [[f"{r.kind_label}: {r.title}", r.status_label, r.reason] for r in doc.summary]
        self._grid(L["summary"], [L["programme_part"], L["status"], L["reasons"]], rows,
                   numeric=[False, False, False])  # fmt: skip
        self.heading(L["flags_summary"], 2)
        if doc.summary_flags:
            self.bullets([("", f) for f in doc.summary_flags])
        else:
            self.para(L["no_flags"])

    def indicator(self, ind: IndicatorBlock, doc: Document) -> None:
        L = doc.labels
        self.heading(ind.title, 2)
        self.fact(L["status"], f"{ind.status_label}. {ind.reason}")
        self.fact(L["level"], ind.level_text)
        for target in ind.targets:
            self.fact(L["target"], target)
        if ind.flags:
            self.bullets([("", f) for f in ind.flags])
        if ind.shown_in is not None:
            self.para(ind.shown_in_text)
            return
        for gap in ind.gaps:
            self.heading(f"{gap.dimension[:1].upper()}{gap.dimension[1:]}: "
                         f"{gap.verdict_label.lower()}", 3)  # fmt: skip
            self.para(gap.sentence)
            for chart in (gap.level, gap.gap):
                if chart is not None:
                    self.chart(chart)
        self.heading(L["initiatives"], 3)
        if ind.initiatives:
            self.bullets([
                (i.title, f"{i.status_label.lower()}; {i.reach}" if i.status_label else i.reach)
                for i in ind.initiatives
            ])  # fmt: skip
        else:
            self.para(L["initiatives_none"])

    def investment(self, inv: InvestmentBlock, doc: Document) -> None:
        L = doc.labels
        self.heading(inv.title, 2)
        if inv.fictitious:
            self.para(L["fictitious"], muted=True)
        self.para(inv.programme_note, muted=True)
        for f in inv.facts:
            self.fact(f.label, f.text)
        self.heading(L["costs"], 3)
        self.table(inv.costs)
        for note in inv.cost_notes:
            self.para(note, muted=True)
        if inv.result_missing:
            self.para(inv.result_missing)
        else:
            self.heading(L["economics"], 3)
            if inv.perspectives is not None:
                self.table(inv.perspectives)
                self.para(inv.perspective_note, muted=True)
            self.para(" ".join(inv.economics))
            if inv.break_even:
                self.para(L["break_even"])
                self.bullets([("", s) for s in inv.break_even])
            self.heading(L["effect"], 3)
            self.para(inv.effect_design)
            self.para(" ".join(p for p in (inv.effect_text, inv.effect_caveat) if p))
            for chart in inv.charts:
                self.chart(chart)
        if inv.followup:
            self.heading(L["investment_followup"], 3)
            self.bullets([("", s) for s in inv.followup])
        self.para(inv.calculation, muted=True)

    def appendix(self, doc: Document) -> None:
        L = doc.labels
        self.heading(L["appendix"], 1)
        self.heading(L["methods"], 2)
        self.para(L["method_notes_intro"])
        for note in doc.method_notes:
            self.fact(note.label, note.text)
        self.heading(L["measures"], 3)
        self.para(L["methods_intro"])
        for m in doc.methods:
            self.fact(f"{m.name} ({m.code})", f"{m.interpretation} {L['interval']}: {m.interval}")
            self.para(m.reference, muted=True)
        self.heading(L["sources"], 2)
        self.para(L["sources_intro"])
        self.bullets([
            ("", ", ".join(x for x in (s.attribution or s.source, s.url or "") if x))
            for s in doc.sources
        ])  # fmt: skip
        self.heading(L["suppression"], 2)
        self.para(doc.suppression)
        self.para(doc.csv_note, muted=True)

    def chart(self, chart: Chart) -> None:
        self.para(chart.title, style="Caption")
        png = self.pngs.get(chart.id)
        if png is not None:
            width = TEXT_WIDTH if chart.wide else NARROW_WIDTH
            shape = self.out.add_picture(io.BytesIO(png), width=width)
            # Word's alt text is the drawing's description (wp:docPr/@descr).
            doc_pr = shape._inline.docPr
            doc_pr.set("descr", chart.alt)
            doc_pr.set("title", chart.title)
            self.out.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.table(chart.table)

    def table(self, table: Table, width=None) -> None:
        rows = [[cell.text for cell in row] for row in table.rows]
        numeric = [False, *(any(r[i].numeric for r in table.rows) for i in
                            range(1, len(table.columns)))]  # fmt: skip
        self._grid(table.caption, table.columns, rows, numeric=numeric, width=width)

    def _grid(self, caption: str, columns: list[str], rows: list[list[str]], *,
              numeric: list[bool], width=None) -> None:  # fmt: skip
        self.para(caption, style="Caption")
        grid = self.out.add_table(rows=1 + len(rows), cols=len(columns))
        grid.style = self.table_style
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = grid.rows[0]
        # Repeat the header row on every page the table runs over.
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for i, text in enumerate(columns):
            cell = header.cells[i]
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for r, row in enumerate(rows, start=1):
            cells = grid.rows[r].cells
            for i, text in enumerate(row):
                paragraph = cells[i].paragraphs[0]
                run = paragraph.add_run(text)
                if i == 0:
                    run.bold = True
                elif numeric[i]:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if width is not None:
            grid.autofit = False
            for cell in grid.columns[0].cells:
                cell.width = width // len(columns)
        self.out.add_paragraph()

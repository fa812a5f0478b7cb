"""The report as a document: what every output (HTML, PDF, CSV) prints, already in one language.

`jamlik.report.content.build_document` fills these from a follow-up; the renderers only lay
them out. Numbers are formatted here once, so the HTML, the PDF and the tables can never
disagree, and a suppressed cell reaches the renderers as its words ("Dold (för få personer)"),
never as a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jamlik.report.i18n import Lang


def anchor(text: str) -> str:
    """An id usable in HTML and as a Typst label: lowercase letters, digits and hyphens."""
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in out.split("-") if part) or "x"


@dataclass(frozen=True)
class Cell:
    """One table cell: the text shown, and the raw value a CSV file gets.

    `value` is None for suppressed and missing cells, so a hidden number cannot leak into a file.
    """

    text: str
    value: float | str | None = None
    suppressed: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A data table: caption, column headings, rows whose first cell heads the row."""

    id: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    by_period: bool = False  # one row per period: may be turned on its side on paper


@dataclass
class Chart:
    """A chart: its Vega-Lite specification, the SVG drawn from it, its alt text and its data.

    `svg` is empty until `jamlik.report.svg.draw_charts` has drawn every chart of a document
    (in parallel: drawing is most of a report's build time).
    """

    id: str
    title: str
    alt: str
    spec: dict[str, Any]
    table: Table
    svg: str = ""
    wide: bool = False  # long axis labels: drawn at the full text width on paper


@dataclass(frozen=True)
class GapBlock:
    """One dimension of one indicator: the level by subgroup, the gap over time, the verdict."""

    id: str
    indicator_id: str
    dimension_id: str
    measure_code: str
    dimension: str
    measure: str
    verdict: str  # narrowing | widening | no clear change | too few points
    verdict_label: str
    sentence: str
    level: Chart | None
    gap: Chart | None


@dataclass(frozen=True)
class InitiativeLine:
    """An initiative serving an indicator: its status and its latest reach."""

    id: str
    title: str
    status: str
    status_label: str
    reach: str


@dataclass(frozen=True)
class IndicatorBlock:
    """Everything one indicator's section shows."""

    id: str
    title: str
    unit: str
    status: str
    status_label: str
    reason: str
    level_text: str
    targets: list[str]
    flags: list[str]
    gaps: list[GapBlock]
    initiatives: list[InitiativeLine]
    shown_in: str | None = None  # anchor of the full section when shown under another chapter
    shown_in_text: str = ""


@dataclass(frozen=True)
class CycleBlock:
    """An approved node assessment or initiative report of the follow-up cycle, as printed:
    a title, one line with the status (judged beside computed), and the written parts."""

    id: str
    title: str
    status_line: str
    facts: list[Fact] = field(default_factory=list)


@dataclass(frozen=True)
class Chapter:
    """A target area (or the goal's own indicators) with its status and indicators."""

    id: str
    kind_label: str
    title: str
    status: str
    status_label: str
    reason: str
    indicators: list[IndicatorBlock] = field(default_factory=list)
    cycle_heading: str = ""  # "Uppföljning 2025: bedömningar och rapporter" when there are any
    assessments: list[CycleBlock] = field(default_factory=list)
    reports: list[CycleBlock] = field(default_factory=list)


@dataclass(frozen=True)
class SummaryRow:
    id: str  # the chapter's anchor, when `has_chapter`
    has_chapter: bool
    kind_label: str
    title: str
    status: str
    status_label: str
    reason: str


@dataclass(frozen=True)
class Finding:
    title: str
    text: str


@dataclass(frozen=True)
class FindingGroup:
    heading: str
    findings: list[Finding]


@dataclass(frozen=True)
class CouncilSection:
    """One part of the council summary: paragraphs, an optional table, then lists under
    optional subheadings (a `FindingGroup` with heading "" is a plain list)."""

    id: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    groups: list[FindingGroup] = field(default_factory=list)


@dataclass(frozen=True)
class CouncilSummary:
    """The summary for the municipal executive board and council (2–4 pages) at the front of
    the report; everything after it is the full report, its appendix."""

    id: str
    title: str
    intro: str
    sections: list[CouncilSection]


@dataclass(frozen=True)
class ReachBlock:
    """Reach versus need for one initiative."""

    id: str
    title: str
    verdict: str
    sentence: str
    chart: Chart | None


@dataclass(frozen=True)
class Method:
    code: str
    name: str
    interpretation: str
    interval: str
    reference: str


@dataclass(frozen=True)
class SourceLine:
    source: str
    attribution: str | None
    url: str | None


@dataclass(frozen=True)
class Fact:
    """A labelled fact ("Syfte: …"); `lang` marks text quoted in another language."""

    label: str
    text: str
    lang: str | None = None


@dataclass(frozen=True)
class InvestmentBlock:
    """One social investment: what it is, what it costs, what the calculation and the effect
    follow-up say, with its charts. `result_missing` replaces the figures when it has not been
    calculated."""

    id: str
    title: str
    fictitious: bool
    programme_note: str  # which programme it belongs to, when not the one reported on
    facts: list[Fact]
    costs: Table
    cost_notes: list[str]
    perspectives: Table | None
    perspective_note: str
    economics: list[str]
    break_even: list[str]
    effect_design: str
    effect_verdict: str  # effect_found | no_effect_found | too_little_data | inconclusive | ""
    effect_text: str
    effect_caveat: str
    charts: list[Chart]
    followup: list[str]
    calculation: str
    result_missing: str = ""


@dataclass(frozen=True)
class InvestmentChapter:
    """The social-investment chapter: an introduction and one block per investment."""

    id: str
    title: str
    intro: str
    scope_note: str
    blocks: list[InvestmentBlock]


@dataclass
class Document:
    """The whole report in one language."""

    lang: Lang
    title: str
    programme: str
    area: str
    year: int
    fictitious: bool
    generated: str
    labels: dict[str, str]  # the interface words the templates need, already translated
    council: CouncilSummary | None = None
    summary: list[SummaryRow] = field(default_factory=list)
    summary_flags: list[str] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    coverage: list[FindingGroup] = field(default_factory=list)
    reach: list[ReachBlock] = field(default_factory=list)
    methods: list[Method] = field(default_factory=list)
    investments: InvestmentChapter | None = None
    method_notes: list[Fact] = field(default_factory=list)
    sources: list[SourceLine] = field(default_factory=list)
    suppression: str = ""
    csv_note: str = ""

    def charts(self) -> list[Chart]:
        """Every chart in reading order."""
        out = self._followup_charts()
        for block in self._investment_blocks():
            out.extend(block.charts)
        return out

    def tables(self) -> list[Table]:
        """Every data table in reading order: one per chart, and each investment's cost and
        perspective tables before its charts' tables."""
        out = [c.table for c in self._followup_charts()]
        for block in self._investment_blocks():
            out.append(block.costs)
            if block.perspectives is not None:
                out.append(block.perspectives)
            out.extend(c.table for c in block.charts)
        return out

    def _followup_charts(self) -> list[Chart]:
        out: list[Chart] = []
        for chapter in self.chapters:
            for ind in chapter.indicators:
                for gap in ind.gaps:
                    out.extend(c for c in (gap.level, gap.gap) if c is not None)
        out.extend(r.chart for r in self.reach if r.chart is not None)
        return out

    def _investment_blocks(self) -> list[InvestmentBlock]:
        return self.investments.blocks if self.investments is not None else []

"""The yearly follow-up report: one self-contained HTML file, a PDF through Typst, a Word file
(DOCX, through python-docx, on request), and the data tables as CSV, in Swedish or English,
drawn from `jamlik.followup`. A summary for the council (`jamlik.report.council`) comes first.

The report reads; it never computes statistics. Charts are Vega-Lite specifications
(`jamlik.report.charts`), the same ones the web shows, rendered to SVG with vl-convert. The web
gets a chart's specification and its data table from a follow-up object with `level_chart`,
`gap_chart` and `reach_chart` (`chart.spec`, `chart.table`), and `chart_locale(lang)` for
vega-embed's `formatLocale`.
Small cells are suppressed before anything is drawn, printed or written.

The social-investment chapter shows the investments `select_investments` picks (see
`jamlik.report.investments` for the rule: the programme's own, or every one in the workspace;
by default the programme's own for real data and all of them for the demo), each with its
stored calculation, verdict and charts from `jamlik.invest`.

Typical use::

    from jamlik.report import build_report
    files = build_report(workspace, 2025, Path("rapporter"), lang="sv", formats=("html", "pdf"),
                         investments="programme")
    files.html, files.pdf, files.tables
"""

from jamlik.report.build import (
    DEFAULT_FORMATS,
    FORMATS,
    ReportFiles,
    build_report,
    report_name,
    resolve_programme,
    write_report,
)
from jamlik.report.charts import PALETTE, Point, ReachPoint, gap_spec, level_spec, reach_spec
from jamlik.report.content import build_document
from jamlik.report.document import Chart, Document, Table
from jamlik.report.figures import gap_chart, level_chart, reach_chart
from jamlik.report.html import render_html
from jamlik.report.investments import (
    InvestmentScope,
    InvestmentSelection,
    ReportedInvestment,
    select_investments,
)
from jamlik.report.pdf import render_pdf
from jamlik.report.svg import chart_locale, draw_charts, render_svg

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "PALETTE",
    "Chart",
    "Document",
    "InvestmentScope",
    "InvestmentSelection",
    "Table",
    "Point",
    "ReachPoint",
    "ReportedInvestment",
    "ReportFiles",
    "build_document",
    "build_report",
    "chart_locale",
    "draw_charts",
    "gap_chart",
    "gap_spec",
    "level_chart",
    "level_spec",
    "reach_chart",
    "reach_spec",
    "render_html",
    "render_pdf",
    "render_svg",
    "report_name",
    "resolve_programme",
    "select_investments",
    "write_report",
]

"""Build the yearly report: follow-up → document → HTML, PDF, DOCX and CSV files in one folder.

Files are first written to a temporary folder inside the output folder and moved into place
only when every format has been produced, so a failure never leaves half a report behind.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from jamlik.data.policy import SuppressionPolicy, read_policy
from jamlik.errors import JamlikError
from jamlik.followup import FollowUp, build_followup
from jamlik.programme import Programme, list_programmes, read_programme
from jamlik.report.content import build_document
from jamlik.report.csvout import write_tables
from jamlik.report.cycle_input import CycleRecords, read_cycle
from jamlik.report.document import Document
from jamlik.report.html import render_html
from jamlik.report.i18n import Lang, check_lang
from jamlik.report.investments import (
    InvestmentScope,
    InvestmentSelection,
    check_scope,
    select_investments,
)
from jamlik.report.pdf import render_pdf
from jamlik.workspace import Workspace

Format = Literal["html", "pdf", "docx"]
FORMATS: tuple[Format, ...] = ("html", "pdf", "docx")
# What a build writes unless told otherwise: DOCX is asked for (its charts become PNG images,
# which takes seconds more).
DEFAULT_FORMATS: tuple[Format, ...] = ("html", "pdf")
# (stage, done, total); stages: "followup", "charts", "html", "pdf", "docx", "csv".
Progress = Callable[[str, int, int], None]
STAGES = ("followup", "charts", "html", "pdf", "docx", "csv")
TABLES_FOLDER = {"sv": "tabeller", "en": "tables"}


@dataclass(frozen=True)
class ReportFiles:
    """What a report build wrote, and how long it took."""

    html: Path | None
    pdf: Path | None
    tables: Path  # folder with one CSV file per data table
    n_tables: int
    n_charts: int
    fictitious: bool
    seconds: float
    docx: Path | None = None


def report_name(programme_id: str, year: int, lang: Lang, area: str | None = None) -> str:
    """Base name of a report's files: `<programme>-<year>-<lang>`, or
    `<programme>-<area>-<year>-<lang>` for a report on one chosen area (so that reports on
    different areas written to one folder do not replace each other)."""
    return f"{programme_id}-{area}-{year}-{lang}" if area else f"{programme_id}-{year}-{lang}"


def resolve_programme(workspace: Workspace, programme_id: str | None) -> str:
    """The programme to report on: the one named, else the workspace's only programme."""
    if programme_id is not None:
        return programme_id
    stored = [p.id for p in list_programmes(workspace)]
    if len(stored) == 1:
        return stored[0]
    if not stored:
        raise JamlikError(
            f"Inget program i arbetsytan / no programme in the workspace {workspace.path}: "
            "import one with `jamlik programme import FILE`"
        )
    raise JamlikError(
        "Flera program i arbetsytan; välj ett med --programme / several programmes in the "
        f"workspace, choose one with --programme: {', '.join(stored)}"
    )


def write_report(
    fu: FollowUp,
    programme: Programme,
    out: Path,
    *,
    lang: Lang = "sv",
    formats: Iterable[Format] = DEFAULT_FORMATS,
    progress: Progress | None = None,
    investments: InvestmentSelection | None = None,
    name_area: bool = False,
    cycle: CycleRecords | None = None,
) -> ReportFiles:
    """Write the report for an already built follow-up (the web calls this too).

    `investments` (`jamlik.report.select_investments`) adds the social-investment chapter;
    without it the report has none. `name_area` puts the area followed in the file names.
    `cycle` (`jamlik.report.cycle_input.read_cycle`) brings the follow-up cycle's approved
    assessments and reports into the council summary and the chapters."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    lang = check_lang(lang)
    wanted = _formats(formats)
    name = report_name(fu.programme, fu.year, lang, fu.area if name_area else None)
    tables_name = f"{name}-{TABLES_FOLDER[lang]}"
    report("charts", 0, 1)
    doc = build_document(
        fu, programme, lang, csv_folder=tables_name, investments=investments, cycle=cycle
    )
    report("charts", 1, 1)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".jamlik-report-", dir=out) as tmp:
        staging = Path(tmp)
        _render(doc, staging, name, tables_name, wanted, report)
        targets = [out / p.name for p in staging.iterdir()]
        for path in targets:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        for path in staging.iterdir():
            path.replace(out / path.name)
    return ReportFiles(
        html=out / f"{name}.html" if "html" in wanted else None,
        pdf=out / f"{name}.pdf" if "pdf" in wanted else None,
        docx=out / f"{name}.docx" if "docx" in wanted else None,
        tables=out / tables_name,
        n_tables=len(doc.tables()),
        n_charts=len(doc.charts()),
        fictitious=doc.fictitious,
        seconds=time.perf_counter() - started,
    )


def build_report(
    workspace: Workspace,
    year: int,
    out: Path,
    *,
    programme_id: str | None = None,
    area: str | None = None,
    lang: Lang = "sv",
    formats: Iterable[Format] = DEFAULT_FORMATS,
    min_population: float | None = None,
    progress: Progress | None = None,
    investments: InvestmentScope = "auto",
    policy: SuppressionPolicy | None = None,
) -> ReportFiles:
    """Follow up a programme for `year` and write its report to `out` (`jamlik report`).

    `area` is the area followed (as in `build_followup`); needed only when several top-level
    areas have data for the programme's indicators.

    `investments` chooses the social investments of the chapter: "programme" (the programme's
    own), "workspace" (every one in the workspace) or "auto" (the programme's own for real
    data, every one for the demo's example data); see `jamlik.report.investments`.
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    lang = check_lang(lang)
    wanted = _formats(formats)
    check_scope(investments)
    if not workspace.exists:
        raise JamlikError(
            f"Ingen arbetsyta / no workspace at {workspace.path}: run `jamlik init` or "
            "`jamlik demo` first"
        )
    pid = resolve_programme(workspace, programme_id)
    report("followup", 0, 1)
    # One policy for the whole report: the workspace's, raised by `min_population` if given.
    policy = (policy or read_policy(workspace)).at_least(min_population)
    fu = build_followup(workspace, pid, year, area=area, policy=policy)
    with workspace.session() as session:
        programme = read_programme(session, pid)
    selection = select_investments(
        workspace, pid, investments, fictitious=fu.fictitious, policy=policy
    )
    cycle = read_cycle(workspace, programme, year, lang)
    report("followup", 1, 1)
    files = write_report(
        fu, programme, out, lang=lang, formats=wanted, progress=progress, investments=selection,
        name_area=area is not None, cycle=cycle,
    )  # fmt: skip
    return replace(files, seconds=time.perf_counter() - started)


def _formats(formats: Iterable[str]) -> tuple[Format, ...]:
    chosen = tuple(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise JamlikError(
            f"Okänt format / unknown format {', '.join(unknown) or '(none)'}: "
            "välj / choose html, pdf, docx (one or several)"
        )
    return chosen  # type: ignore[return-value]


def _render(
    doc: Document,
    folder: Path,
    name: str,
    tables_name: str,
    formats: tuple[Format, ...],
    report: Progress,
) -> None:
    if "html" in formats:
        report("html", 0, 1)
        (folder / f"{name}.html").write_text(render_html(doc), encoding="utf-8")
        report("html", 1, 1)
    if "pdf" in formats:
        report("pdf", 0, 1)
        (folder / f"{name}.pdf").write_bytes(render_pdf(doc))
        report("pdf", 1, 1)
    if "docx" in formats:
        from jamlik.report.word import render_docx  # python-docx loads only when asked for

        report("docx", 0, 1)
        (folder / f"{name}.docx").write_bytes(render_docx(doc))
        report("docx", 1, 1)
    tables = doc.tables()
    report("csv", 0, len(tables))
    write_tables(tables, folder / tables_name, doc.lang)
    report("csv", len(tables), len(tables))

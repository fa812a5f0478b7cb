"""Built yearly reports kept in the workspace folder, under `reports/`.

`jamlik.report.write_report` names its files `<programme>-<year>-<lang>.html|.pdf|.docx` with the data
tables in `<programme>-<year>-<lang>-tabeller/` (or `-tables/`); this module lists them and hands
out only files that follow that pattern, so no request can reach anything else on disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jamlik.web.context import PageContext
from jamlik.web.settings import REPORTS_FOLDER, WebSettings

_NAME = re.compile(r"^(?P<programme>[A-Za-z0-9][A-Za-z0-9._-]*)-(?P<year>\d{4})-(?P<lang>sv|en)$")
TABLE_SUFFIXES = ("-tabeller", "-tables")


@dataclass(frozen=True)
class StoredReport:
    """One built report: its name, year, language and which files exist."""

    name: str
    programme: str
    year: int
    lang: str
    html: Path | None
    pdf: Path | None
    tables: Path | None
    modified: float
    docx: Path | None = None


def reports_dir(settings: WebSettings) -> Path:
    return settings.workspace.path / REPORTS_FOLDER


def stored_reports(settings: WebSettings, programme_id: str) -> list[StoredReport]:
    """The programme's built reports, newest year first, Swedish before English."""
    folder = reports_dir(settings)
    if not folder.is_dir():
        return []
    found: dict[str, StoredReport] = {}
    for path in folder.iterdir():
        stem = path.stem if path.is_file() else _strip_tables(path.name)
        if stem is None:
            continue
        match = _NAME.match(stem)
        if not match or match["programme"] != programme_id:
            continue
        old = found.get(stem) or StoredReport(
            stem, match["programme"], int(match["year"]), match["lang"], None, None, None, 0.0
        )
        kind = path.suffix.lstrip(".") if path.is_file() else "tables"
        if kind not in ("html", "pdf", "docx", "tables"):
            continue
        found[stem] = StoredReport(
            **{**old.__dict__, kind: path, "modified": max(old.modified, path.stat().st_mtime)}
        )
    reports = [r for r in found.values() if r.html or r.pdf or r.docx]
    return sorted(reports, key=lambda r: (-r.year, r.lang != "sv", r.name))


def _strip_tables(name: str) -> str | None:
    for suffix in TABLE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def report_fact(ctx: PageContext, r: StoredReport) -> dict[str, Any]:
    t = ctx.t
    files = []
    if r.html:
        files.append(
            {
                "format": "html",
                "label": t("reports.file_html", lang=r.lang.upper()),
                "href": f"/reports/files/{r.html.name}",
            }
        )
    if r.pdf:
        files.append(
            {
                "format": "pdf",
                "label": t("reports.file_pdf", lang=r.lang.upper()),
                "href": f"/reports/files/{r.pdf.name}",
            }
        )
    if r.docx:
        files.append(
            {
                "format": "docx",
                "label": t("reports.file_docx", lang=r.lang.upper()),
                "href": f"/reports/files/{r.docx.name}",
            }
        )
    if r.tables:
        files.append(
            {
                "format": "zip",
                "label": t("reports.file_tables", lang=r.lang.upper()),
                "href": f"/reports/files/{r.name}-tables.zip",
            }
        )
    return {"id": r.name, "year": r.year, "lang": r.lang, "files": files}


def latest_report(ctx: PageContext) -> dict[str, Any] | None:
    """The newest year's report, preferring the reader's language."""
    reports = stored_reports(ctx.settings, ctx.snap.programme.id)
    if not reports:
        return None
    newest = max(r.year for r in reports)
    same_year = [r for r in reports if r.year == newest]
    chosen = next((r for r in same_year if r.lang == ctx.lang), same_year[0])
    return report_fact(ctx, chosen)

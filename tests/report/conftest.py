"""Fixtures for the report tests: the demo and a constructed world, each reported once."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from report_helpers import PROGRAMME, constructed_workspace, pdf_pages

from jamlik.data.policy import SuppressionPolicy
from jamlik.demo import PROGRAMME_ID
from jamlik.followup import FollowUp, build_followup
from jamlik.invest.demo import build_invest_demo
from jamlik.programme import Programme, read_programme
from jamlik.report import InvestmentSelection, ReportFiles, select_investments, write_report
from jamlik.workspace import Workspace

DEMO_YEAR = 2025
INVEST_DRAWS = 2000  # the demo's 10,000 draws are not needed to test what the report shows


@dataclass(frozen=True)
class Demo:
    ws: Workspace
    followup: FollowUp
    programme: Programme
    investments: InvestmentSelection  # as `jamlik demo` reports them: all three VGR projects
    reports: dict[str, ReportFiles]  # by language
    seconds: dict[str, float]  # build time by language (HTML + PDF + CSV)


@pytest.fixture(scope="session")
def demo(demo_copy, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    ws = demo_copy("report-demo")
    build_invest_demo(ws, draws=INVEST_DRAWS)
    fu = build_followup(ws, PROGRAMME_ID, DEMO_YEAR, today=date(2026, 3, 1))
    with ws.session() as session:
        programme = read_programme(session, PROGRAMME_ID)
    investments = select_investments(ws, PROGRAMME_ID, fictitious=fu.fictitious)
    out = tmp_path_factory.mktemp("demo-report")
    reports, seconds = {}, {}
    for lang in ("sv", "en"):
        started = time.perf_counter()
        reports[lang] = write_report(fu, programme, out, lang=lang, investments=investments)
        seconds[lang] = time.perf_counter() - started
    return Demo(ws, fu, programme, investments, reports, seconds)


@pytest.fixture(scope="session")
def demo_pdf_pages(demo: Demo) -> dict[str, list[str]]:
    """The text of every page of the demo PDFs, by language (extracting it takes seconds)."""
    return {lang: pdf_pages(files.pdf) for lang, files in demo.reports.items()}


@pytest.fixture(scope="session")
def constructed(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return constructed_workspace(tmp_path_factory.mktemp("constructed"))


@pytest.fixture(scope="session")
def constructed_reports(
    constructed: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, float], ReportFiles]:
    """Reports of the constructed world by (language, threshold); threshold 5 is the control
    that shows the tiny cell, to prove the absence checks can fail."""
    from jamlik.report import build_report

    out: dict[tuple[str, float], ReportFiles] = {}
    for lang, threshold in (("sv", 10), ("en", 10), ("sv", 30), ("sv", 5)):
        folder: Path = tmp_path_factory.mktemp(f"constructed-{lang}-{threshold}")
        out[(lang, threshold)] = build_report(
            constructed, 2025, folder, programme_id=PROGRAMME, lang=lang,
            policy=SuppressionPolicy(min_population=threshold),
        )  # fmt: skip
    return out

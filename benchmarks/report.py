"""Benchmark of the yearly report on the demo: follow-up, HTML and PDF (issue 5: under 15 s).

`benchmarks/run.py` calls `bench_report()`; it returns a dict of figures and prints nothing.
The demo workspace is built first (not timed); then the follow-up, the document with its
charts, the HTML, the PDF and the CSV tables are timed as `jamlik report` runs them.
Run alone: `.venv/bin/python benchmarks/report.py`.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_SECONDS = 15.0


def bench_report(lang: str = "sv", runs: int = 2) -> dict[str, Any]:
    """Times of one demo report, per stage and in total, in seconds: the best of `runs`, and
    the first run's total (cold: Typst and the chart engine start up), which the target is for."""
    from jamlik.demo import PROGRAMME_ID, build_demo
    from jamlik.followup import build_followup
    from jamlik.programme import read_programme
    from jamlik.report.content import build_document
    from jamlik.report.csvout import write_tables
    from jamlik.report.html import render_html
    from jamlik.report.pdf import render_pdf
    from jamlik.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="jamlik-bench-report-") as tmp:
        folder = Path(tmp)
        ws = Workspace(folder / "demo", f"sqlite:///{folder / 'demo' / 'jamlik.sqlite'}")
        (folder / "demo").mkdir()
        build_demo(ws)
        best: dict[str, float] = {}
        sizes: dict[str, int] = {}
        first = 0.0
        for _ in range(runs):
            times: dict[str, float] = {}
            start = time.perf_counter()
            fu = build_followup(ws, PROGRAMME_ID, 2025)
            with ws.session() as session:
                programme = read_programme(session, PROGRAMME_ID)
            times["followup_s"] = time.perf_counter() - start

            mark = time.perf_counter()
            doc = build_document(fu, programme, lang)  # type: ignore[arg-type]
            times["charts_s"] = time.perf_counter() - mark

            mark = time.perf_counter()
            html = render_html(doc)
            times["html_s"] = time.perf_counter() - mark

            mark = time.perf_counter()
            pdf = render_pdf(doc)
            times["pdf_s"] = time.perf_counter() - mark

            mark = time.perf_counter()
            tables = write_tables(doc.tables(), folder / "tables", doc.lang)
            times["csv_s"] = time.perf_counter() - mark
            times["total_s"] = time.perf_counter() - start
            first = first if best else times["total_s"]  # a cold start, as `jamlik report` has
            best = {k: min(v, best.get(k, v)) for k, v in times.items()}
            sizes = {
                "charts": len(doc.charts()),
                "tables": len(tables),
                "html_bytes": len(html.encode("utf-8")),
                "pdf_bytes": len(pdf),
            }
    return {
        **{k: round(v, 2) for k, v in best.items()},
        "first_run_total_s": round(first, 2),
        **sizes,
        "runs": runs,
        "lang": lang,
        "target_s": TARGET_SECONDS,
        "within_target": first < TARGET_SECONDS,
        "cores": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 1),
    }


if __name__ == "__main__":
    for key, value in bench_report().items():
        print(f"{key:14} {value}")

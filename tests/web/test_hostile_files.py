"""Hostile files, as an attacker or a careless user would bring them, through both doors: the
command line (`jamlik import FILE -w WS`) and the web upload on a real uvicorn server with an
analyst signed in. Each is refused with a message that names the file and what is wrong, within
a time bound, while the server goes on answering others, leaving no upload behind and every
table of the database as it was. Text that a spreadsheet would run as a formula leaves jamlik
inert, in the command line's export, the explorer's CSV and XLSX downloads and the report's
tables.

The files are those of issue 12: a 60 kB CSV on which `csv.Sniffer` backtracked for 79 s
(holding the interpreter, so every request waited), an XLSX of 386 kB unpacking to 128 MB of
XML, a CSV with the byte 0x81 (undefined in Windows-1252), and a subgroup titled
`=2+3+cmd|' /C calc'!A0`.
"""

from __future__ import annotations

import csv
import html
import io
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pandas as pd
import pytest
from forms import form_token
from live_site import form_sign_in
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from jamlik.cli.app import app as cli
from jamlik.data import (
    Definitions,
    Dimension,
    Indicator,
    Subgroup,
    import_definitions,
    import_observations,
    observations_frame,
)
from jamlik.db import Base
from jamlik.web import uploads
from jamlik.workspace import Workspace

PATHOLOGICAL = "a" + ',"' * 30000 + "\nindicator,period\n"
HEADER = b"indicator,period,area,dimension,subgroup,estimate,population\n"
# The byte 0x81 on line 3 (the header is line 1): neither UTF-8 nor Windows-1252.
UNDECODABLE = (
    HEADER
    + b"ex-kulturskola,2026,ex-kvarnbacken,total,total,31.5,200\n"
    + b"ex-kulturskola,2026,ex-bj\x81rkdalen,total,total,28.25,180\n"
)
FORMULA = "=2+3+cmd|' /C calc'!A0"
# One of each start a spreadsheet runs (OWASP): =, +, -, @, and tab / carriage return before one.
TITLES = {FORMULA: FORMULA, "plus": "+2+3", "minus": "-2+3+cmd|' /C calc'!A0",
          "at": "@SUM(1+1)", "tab": "\t=1+1", "cr": "\r=1+1"}  # fmt: skip
NEGATIVE = -1.25  # a number, even a negative one, stays a number
BOUND = 2.0  # seconds: the target for refusing the pathological CSV and the zip bomb
PROBE = "/accessibility"  # a cheap public page asked for while a hostile upload runs


def zip_bomb(unpacked_mb: int) -> bytes:
    """A valid XLSX whose one sheet is `unpacked_mb` MB of the same row, deflated ~340 to 1."""
    book = Workbook()
    book.active.append(["indicator", "period"])
    small = io.BytesIO()
    book.save(small)
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1000
    out = io.BytesIO()
    with (
        zipfile.ZipFile(small) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info))
                continue
            with bomb.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                            b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')  # fmt: skip
                for _ in range(unpacked_mb * 2**20 // len(row)):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    """The hostile files, each with what its refusal must say (Swedish and English)."""
    folder = tmp_path_factory.mktemp("hostile")
    files = {
        "pathological.csv": PATHOLOGICAL.encode(),
        "undecodable.csv": UNDECODABLE,
        "bomb.xlsx": zip_bomb(128),  # the bomb: over the cap on unpacked size
        "ratio-bomb.xlsx": zip_bomb(8),  # under the cap, but packed like no real sheet
    }
    for name, body in files.items():
        (folder / name).write_bytes(body)
    assert (folder / "bomb.xlsx").stat().st_size < 500_000  # 128 MB hidden in < 0.5 MB
    return {name: folder / name for name in files}


# What each refusal must say, beside the file's name: the Swedish and the English of it.
REFUSALS = {
    "pathological.csv": ["kolumnen ','", "column ','", "15000"],
    "undecodable.csv": ["UTF-8", "Windows-1252", "0x81", "rad 3", "line 3", "Spara filen"],
    "bomb.xlsx": ["packas upp till 128 MB", "unpacks to 128 MB", "högst 100 MB"],
    "ratio-bomb.xlsx": ["zip-bomb", "zip bomb", "xl/worksheets/sheet1.xml"],
}


def table_counts(ws) -> dict[str, int]:
    """Rows in every table of the workspace."""
    with ws.session() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }  # fmt: skip


def kept_uploads(ws) -> list[Path]:
    folder = ws.path / uploads.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture(scope="module")
def analyst(live):
    client = form_sign_in(live.url, "analyst")
    yield client
    client.close()


def upload_while_probing(live, client, path: Path) -> tuple[httpx.Response, float, list]:
    """Upload `path` on /data while another client keeps asking for a page; returns the upload's
    answer, its seconds, and (status, seconds) of every probe answered meanwhile."""
    token = form_token(client.get("/data").text)
    done: dict = {}

    def send() -> None:
        start = time.monotonic()
        try:
            done["response"] = client.post(
                "/data/upload", data={"csrf_token": token},
                files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
                timeout=30,
            )  # fmt: skip
        finally:
            done["seconds"] = time.monotonic() - start

    sender = threading.Thread(target=send)
    probes = []
    with httpx.Client(base_url=live.url, timeout=30) as other:
        sender.start()
        while sender.is_alive() or not probes:
            start = time.monotonic()
            status = other.get(PROBE).status_code
            probes.append((status, time.monotonic() - start))
    sender.join()
    assert "response" in done, f"the upload got no answer within 30 s ({done['seconds']:.1f} s)"
    return done["response"], done["seconds"], probes


@pytest.mark.parametrize("name", list(REFUSALS))
def test_web_refuses_a_hostile_file_fast_and_keeps_answering(live, analyst, hostile, name):
    ws = live.workspace
    before = table_counts(ws)
    response, seconds, probes = upload_while_probing(live, analyst, hostile[name])
    assert response.status_code == 422, response.text[:500]
    assert seconds < BOUND, f"{name} refused after {seconds:.1f} s"
    assert name in response.text  # the page's heading names the file
    problems = html.unescape(response.text.split('id="problem-list"', 1)[-1])
    for words in REFUSALS[name]:
        assert words in problems, (words, problems[:2000])
    # Every other request was answered meanwhile, none waiting for the upload.
    assert all(status == 200 for status, _ in probes), probes
    assert max(s for _, s in probes) < BOUND, probes
    assert kept_uploads(ws) == []
    assert table_counts(ws) == before


@pytest.mark.parametrize("name", list(REFUSALS))
def test_cli_refuses_a_hostile_file_fast(live, hostile, name):
    ws = live.workspace
    before = table_counts(ws)
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["import", str(hostile[name]), "-w", str(ws.path)])
    seconds = time.monotonic() - start
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    said = " ".join(result.output.split())  # Rich wraps long lines
    for words in [name, *REFUSALS[name]]:
        assert words in said, (words, said)
    assert seconds < 5 * BOUND, f"{name} refused after {seconds:.1f} s"
    assert table_counts(ws) == before


def test_web_refuses_a_check_that_takes_too_long_and_keeps_answering(live, analyst, tmp_path):
    """A valid but large file checked past the app's time limit is refused and removed; the
    server answers others while the check runs (it runs off the event loop)."""
    rows = [f"ex-kulturskola,{2000 + i % 20},ex-kvarnbacken,total,total,{i % 97}.5,200"
            for i in range(100_000)]  # fmt: skip
    path = tmp_path / "large.csv"
    path.write_text(HEADER.decode() + "\n".join(rows) + "\n", encoding="utf-8")
    ws = live.workspace
    before = table_counts(ws)
    live.copy.app.state.upload_check_seconds = 0.5
    try:
        response, seconds, probes = upload_while_probing(live, analyst, path)
    finally:
        del live.copy.app.state.upload_check_seconds
    assert response.status_code == 422, response.text[:500]
    assert "large.csv" in response.text
    assert "tog mer än 0.5 s" in response.text and "took more than 0.5 s" in response.text
    assert seconds < 0.5 + BOUND, seconds
    assert all(status == 200 for status, _ in probes) and len(probes) >= 1, probes
    assert max(s for _, s in probes) < BOUND, probes
    assert kept_uploads(ws) == []
    assert table_counts(ws) == before


# --- Formulas ------------------------------------------------------------------------------

EXPLORER = "indicator=ex-formel&dimension=formel&area=ex-kvarnbacken"


@pytest.fixture(scope="module")
def formulas(live):
    """An indicator broken down by a dimension whose subgroups are named and titled like
    formulas, with data the explorer shows (populations well above the suppression limit)."""
    ws = live.workspace
    subgroups = [Subgroup(id=sid, title=title) for sid, title in TITLES.items()]
    dimension = Dimension(id="formel", title="Formel", subgroups=subgroups)
    indicator = Indicator(id="ex-formel", title="Formler", polarity="higher_is_better",
                          scale=100, dimensions=["formel"])  # fmt: skip
    import_definitions(ws, Definitions(dimensions=[dimension], indicators=[indicator]))
    rows = [
        {"indicator": "ex-formel", "period": period, "area": "ex-kvarnbacken",
         "dimension": "formel", "subgroup": sid, "estimate": NEGATIVE if i == 0 else 10.0 + i,
         "population": 500.0}
        for period in ("2024", "2025") for i, sid in enumerate(TITLES)
    ]  # fmt: skip
    import_observations(ws, pd.DataFrame(rows), source="test: formula-like subgroups")
    # The site re-reads the workspace within its check interval after an import.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = httpx.get(f"{live.url}/explorer/download.csv?{EXPLORER}", timeout=60).text
        if "'=2+3+cmd" in text or "=2+3+cmd" in text:
            return ws
        time.sleep(0.5)
    pytest.fail("the explorer never showed the planted dimension")


def assert_inert_csv(text: str, columns: list[str]) -> list[dict[str, str]]:
    """Every cell of the named columns is inert; returns the rows."""
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # Swedish Excel flavour
    cells = [r[c] for r in rows for c in columns]
    assert cells and not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    for title in TITLES.values():
        assert "'" + title in cells, title
    return rows


def test_explorer_csv_download_has_no_formulas(live, formulas):
    response = httpx.get(f"{live.url}/explorer/download.csv?{EXPLORER}", timeout=60)
    assert response.status_code == 200
    rows = assert_inert_csv(response.content.decode("utf-8-sig"), ["subgroup", "subgroup_title"])
    # The negative estimate is a number, written as one.
    # rounded to the page's one decimal, with the Swedish decimal comma, and not quoted
    assert f"{NEGATIVE:.1f}".replace(".", ",") in {r["estimate"] for r in rows}


def test_explorer_xlsx_download_has_text_not_formulas(live, formulas):
    response = httpx.get(f"{live.url}/explorer/download.xlsx?{EXPLORER}", timeout=60)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["data"]
    header = [c.value for c in sheet[1]]
    titles = [row[header.index("subgroup_title")] for row in sheet.iter_rows(min_row=2)]
    # A carriage return comes back as a line feed or as itself, by the XML parser openpyxl finds
    # (its own, or lxml's since python-docx brought lxml in).
    assert {c.value.replace("\r", "\n") for c in titles} >= {
        "'" + t.replace("\r", "\n") for t in TITLES.values()
    }
    for book_sheet in book:
        for row in book_sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (book_sheet.title, cell.coordinate, cell.value)
    estimates = [row[header.index("estimate")].value for row in sheet.iter_rows(min_row=2)]
    assert NEGATIVE in estimates  # a number, not text
    first = next(c for c in titles if c.value == "'" + FORMULA)
    assert first.data_type == "s"


@pytest.mark.parametrize("excel_sv", [False, True], ids=["csv", "csv-excel-sv"])
def test_cli_csv_export_has_no_formulas(live, formulas, tmp_path, excel_sv):
    out = tmp_path / "obs.csv"
    args = ["export", "observations", "--out", str(out), "-w", str(live.workspace.path),
            "--indicator", "ex-formel"]  # fmt: skip
    result = CliRunner().invoke(cli, args + (["--excel-sv"] if excel_sv else []))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";" if excel_sv else ","))
    assert {r["subgroup"] for r in rows} == {"'" + FORMULA, *(set(TITLES) - {FORMULA})}
    texts = [v for r in rows for c, v in r.items() if c != "estimate"]
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in texts)
    shown = str(NEGATIVE).replace(".", ",") if excel_sv else str(NEGATIVE)
    assert shown in {r["estimate"] for r in rows}


def test_cli_xlsx_export_has_text_not_formulas(live, formulas, tmp_path):
    out = tmp_path / "obs.xlsx"
    args = ["export", "observations", "--out", str(out), "-w", str(live.workspace.path),
            "--indicator", "ex-formel"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    subgroups = [row[header.index("subgroup")] for row in sheet.iter_rows(min_row=2)]
    planted = [c for c in subgroups if c.value == "'" + FORMULA]
    assert planted and all(c.data_type == "s" for c in planted)
    estimates = [row[header.index("estimate")].value for row in sheet.iter_rows(min_row=2)]
    assert NEGATIVE in estimates


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_export_imports_as_the_values_it_was_written_from(live, formulas, tmp_path, suffix):
    """The quote is taken off again on import (as a spreadsheet program does), so an export
    still imports into another workspace as it is."""
    source = str(live.workspace.path)
    definitions, out, target = tmp_path / "d.yaml", tmp_path / f"obs{suffix}", tmp_path / "copy"
    steps = [
        ["export", "definitions", "--out", str(definitions), "-w", source],
        ["export", "observations", "--out", str(out), "-w", source, "--indicator", "ex-formel"],
        ["import", str(definitions), "-w", str(target)],
        ["import", str(out), "-w", str(target)],
    ]
    for step in steps:
        result = CliRunner().invoke(cli, step)
        assert result.exit_code == 0, (step, result.output)
    again = observations_frame(Workspace.resolve(target), indicators="ex-formel")
    assert set(again["subgroup"]) == set(TITLES)
    assert NEGATIVE in set(again["estimate"])

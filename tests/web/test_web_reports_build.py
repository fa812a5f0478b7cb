"""Building the yearly report over HTTP (a real uvicorn on a writable copy of the demo): only
signed-in accounts build, every build carries the form's CSRF token, and what was built can be
downloaded by anyone."""

from __future__ import annotations

import httpx
from forms import form_token
from live_site import form_sign_in

from jamlik.demo import PROGRAMME_ID
from jamlik.web.reports_store import reports_dir
from jamlik.web.settings import WebSettings

BUILD = {"year": "2025", "lang": "sv", "formats": ["html"]}


def _built_files(live) -> list[str]:
    folder = reports_dir(WebSettings.for_workspace(live.workspace))
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def test_visitors_see_no_form_and_cannot_build(live):
    page = httpx.get(live.url + "/reports", timeout=60)
    assert page.status_code == 200
    assert 'action="/reports"' not in page.text
    assert "Logga in för att ta fram en rapport." in page.text
    assert httpx.get(live.url + "/reports.json", timeout=60).json()["facts"]["may_build"] is False
    refused = httpx.post(live.url + "/reports", data=BUILD, timeout=60)
    assert refused.status_code == 401
    assert _built_files(live) == []


def test_a_build_without_the_form_token_is_refused(live):
    client = form_sign_in(live.url, "reader")
    refused = client.post("/reports", data=BUILD)
    assert refused.status_code == 403
    assert "Formuläret har gått ut" in refused.text
    assert _built_files(live) == []


def test_a_reader_builds_and_anyone_downloads(live):
    client = form_sign_in(live.url, "reader")
    page = client.get("/reports")
    assert "Ingen rapport är framtagen ännu." in page.text
    assert 'action="/reports"' in page.text
    built = client.post("/reports", data={**BUILD, "csrf_token": form_token(page.text)})
    assert built.status_code == 303, built.text[:500]
    assert built.headers["location"] == f"/reports?built={PROGRAMME_ID}-2025-sv"
    assert any(name.endswith(".html") for name in _built_files(live))

    public = httpx.Client(base_url=live.url, timeout=60)  # a visitor, not signed in
    facts = public.get("/reports.json").json()["facts"]
    [report] = facts["reports"]
    assert report["year"] == 2025 and report["lang"] == "sv"
    files = {f["format"]: f["href"] for f in report["files"]}
    assert set(files) == {"html", "zip"}
    html = public.get(files["html"])
    assert html.status_code == 200 and "Fiktiva exempeldata" in html.text
    archive = public.get(files["zip"])
    assert archive.headers["content-type"] == "application/zip"
    start = public.get("/index.json").json()["facts"]
    assert start["latest_report"]["year"] == 2025
    assert public.get("/reports/files/..%2Fjamlik.sqlite").status_code == 404
    assert public.get("/reports/files/other.pdf").status_code == 404


def test_a_word_file_is_built_and_served(live):
    client = form_sign_in(live.url, "reader")
    page = client.get("/reports")
    assert 'name="formats" value="docx"' in page.text
    data = {"year": "2025", "lang": "en", "formats": ["docx"], "csrf_token": form_token(page.text)}
    built = client.post("/reports", data=data)
    assert built.status_code == 303, built.text[:500]
    public = httpx.Client(base_url=live.url, timeout=60)
    facts = public.get("/reports.json").json()["facts"]
    [report] = [r for r in facts["reports"] if r["lang"] == "en"]
    files = {f["format"]: f["href"] for f in report["files"]}
    assert set(files) == {"docx", "zip"}
    word = public.get(files["docx"])
    assert word.status_code == 200
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert word.content[:2] == b"PK"  # a ZIP package, as every DOCX is

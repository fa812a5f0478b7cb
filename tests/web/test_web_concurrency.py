"""The site under concurrent use, over HTTP against a real uvicorn on a writable demo copy:
the JSON API's GET → change → PATCH-with-If-Match cycle loses nothing and never shows one
version's body under another's number, and a long command-line import leaves the site
answering (no 5xx) and signing in."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from accounts_site import OWN_INITIATIVE, PASSWORD
from concurrent_api import api_under_concurrency
from forms import form_token
from live_site import form_sign_in, live_site

from jamlik.accounts.tokens import create_token
from jamlik.workspace import DB_FILE


def _client(url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


@pytest.mark.slow
def test_api_reads_one_version_and_patches_lose_no_line(live):
    """4 writers append lines to an initiative's notes through the API while 8 readers check
    every answer (concurrent_api.api_under_concurrency)."""
    with live.workspace.session() as s:
        token = create_token(s, "editor-own", "concurrency", by="test")
    answers = api_under_concurrency(live.url, token, live.workspace, OWN_INITIATIVE)
    assert answers["read"] > 0


# A long import: ~200 000 rows written by another process while the site is used.
AREAS = 222
INDICATORS = 10
YEARS = range(1996, 2026)


def _big_import(folder: Path) -> tuple[Path, Path, int]:
    areas = [f"conc-a{i}" for i in range(AREAS)]
    defs = ["areas:", "  - {id: conc-stad, name: Stad, level: municipality}"]
    defs += [
        f"  - {{id: {a}, name: Område {a}, level: district, parent: conc-stad}}" for a in areas
    ]
    defs += ["dimensions:", "  - id: conc-kön", "    title: Kön", "    subgroups:",
             "      - {id: kvinnor, title: Kvinnor, reference: true}",
             "      - {id: män, title: Män}", "indicators:"]  # fmt: skip
    defs += [
        f"  - {{id: conc-i{i}, title: Indikator {i}, scale: 100, polarity: higher_is_better}}"
        for i in range(INDICATORS)
    ]
    (folder / "defs.yaml").write_text("\n".join(defs) + "\n", encoding="utf-8")
    n = 0
    with open(folder / "big.csv", "w", encoding="utf-8") as out:
        out.write("indicator,period,area,dimension,subgroup,estimate,se,population\n")
        for i in range(INDICATORS):
            for year in YEARS:
                for a in areas:
                    for dim, sub in (("conc-kön", "kvinnor"), ("conc-kön", "män"),
                                     ("total", "total")):  # fmt: skip
                        out.write(
                            f"conc-i{i},{year},{a},{dim},{sub},{n % 997 / 10},1.5,{100 + n % 50}\n"
                        )
                        n += 1
    return folder / "defs.yaml", folder / "big.csv", n


def _jamlik(*args: str) -> list[str]:
    return [sys.executable, "-c", "from jamlik.cli.app import main; main()", *args]


@pytest.mark.slow
def test_long_import_leaves_the_site_answering_and_signing_in(live, tmp_path):
    """While `jamlik import` writes ~200 000 rows in another process, a client reads pages,
    signs in through the form and saves through the API: no answer is 5xx, and the import
    still commits all its rows at once."""
    defs, big, rows = _big_import(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    ws = str(live.workspace.path)
    done = subprocess.run(_jamlik("import", str(defs), "-w", ws), env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with live.workspace.session() as s:
        token = create_token(s, "editor-own", "long-import", by="test")
    statuses: list[tuple[str, int]] = []
    stop = threading.Event()

    def use_the_site() -> None:
        api = _client(live.url, token)
        n = 0
        while not stop.is_set():
            n += 1
            for page in (
                "/",
                f"/initiatives/{OWN_INITIATIVE}",
                "/programme",
                "/initiatives",
                "/sign-in",
            ):
                statuses.append((page, httpx.get(live.url + page, timeout=120).status_code))
            got = api.get(f"/api/initiatives/{OWN_INITIATIVE}")
            statuses.append(("api GET", got.status_code))
            if got.status_code == 200:
                sent = api.patch(
                    f"/api/initiatives/{OWN_INITIATIVE}",
                    json={"notes": f"under import {n}"},
                    headers={"If-Match": got.headers["ETag"]},
                )
                statuses.append(("api PATCH", sent.status_code))
            try:
                client = form_sign_in(live.url, "reader")
            except AssertionError as exc:
                statuses.append((f"sign-in failed: {exc}", 500))
                continue
            statuses.append(("sign-in", 303))
            statuses.append(("signed-in page", client.get("/").status_code))
            client.close()

    def user_thread() -> None:
        try:
            use_the_site()
        except Exception as exc:  # the test fails on it below
            statuses.append((f"client error: {exc!r}", 599))

    user = threading.Thread(target=user_thread)
    user.start()
    started = time.monotonic()
    try:
        done = subprocess.run(_jamlik("import", str(big), "-w", ws), env=env,
                              capture_output=True, text=True, timeout=240)  # fmt: skip
    finally:
        stop.set()
        user.join(timeout=120)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert f"{rows} nya / new" in done.stdout
    bad = [(what, code) for what, code in statuses if code >= 500]
    assert bad == [], f"{len(bad)} of {len(statuses)} answers ≥ 500 in {took:.0f} s: {bad[:5]}"
    assert any(what == "sign-in" for what, _ in statuses), "no sign-in during the import"
    with live.workspace.session() as s:
        from sqlalchemy import func, select

        from jamlik.data.tables import ObservationRow

        stored = s.scalar(select(func.count()).where(ObservationRow.indicator_id.like("conc-i%")))
    assert stored == rows


def test_a_workspace_held_by_a_writer_answers_503_with_retry_after(
    demo_workspace, tmp_path, monkeypatch
):
    """When another process holds the write lock for longer than a request waits (here
    0.5 s), a sign-in is told to come back (503, Retry-After), not given a server error;
    pages that only read go on answering, and signing in works once the lock is free."""
    monkeypatch.setenv("JAMLIK_BUSY_TIMEOUT", "0.5")
    with live_site(demo_workspace, tmp_path / "held") as site:
        client = httpx.Client(base_url=site.url, timeout=60, follow_redirects=False)
        form = {"name": "reader", "password": PASSWORD, "next": "/",
                "csrf_token": form_token(client.get("/sign-in").text)}  # fmt: skip
        holder = sqlite3.connect(site.workspace.path / DB_FILE, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            refused = client.post("/sign-in", data=form)
            read = client.get(f"/initiatives/{OWN_INITIATIVE}")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert refused.status_code == 503, refused.text[:300]
        assert refused.headers["Retry-After"] == "5"
        assert "upptagen" in refused.text
        assert read.status_code == 200
        assert client.post("/sign-in", data=form).status_code == 303

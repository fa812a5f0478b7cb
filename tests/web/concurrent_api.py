"""Many clients at once on the JSON API's GET → change → PATCH-with-If-Match cycle, for the
concurrency tests on SQLite (test_web_concurrency.py) and PostgreSQL (test_web_postgres.py)."""

from __future__ import annotations

import re
import threading

import httpx

from jamlik.demo import PROGRAMME_ID
from jamlik.programme import read_programme
from jamlik.workspace import Workspace

WRITERS = 4
READERS = 8
LINES_PER_WRITER = 5
MARK = re.compile(r"^conc-w(\d+)-(\d+)$", re.MULTILINE)


def _client(url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def api_under_concurrency(url: str, token: str, ws: Workspace, initiative: str) -> dict:
    """4 writers append lines to the notes by GET → append → PATCH (If-Match, again on 409)
    while 8 readers check that every answer's body belongs to its version: each version
    after the first GET adds exactly one line, so a body's count of lines is its version
    minus the starting version. At the end every writer's line is there, once."""
    path = f"/api/initiatives/{initiative}"
    with _client(url, token) as client:
        start = client.get(path)
    assert start.status_code == 200
    base_version = start.json()["version"]
    assert not MARK.findall(start.json()["notes"] or "")

    done = threading.Event()
    failures: list[str] = []
    answers = {"read": 0, "conflicts": 0}
    lock = threading.Lock()

    def check(body: dict, etag: str) -> None:
        if etag != f'"{body["version"]}"':
            failures.append(f"ETag {etag} with body version {body['version']}")
        lines = len(MARK.findall(body["notes"] or ""))
        if lines != body["version"] - base_version:
            failures.append(f"version {body['version']} carried {lines} appended lines")

    def writer(k: int) -> None:
        with _client(url, token) as client:
            for j in range(LINES_PER_WRITER):
                for _ in range(200):
                    got = client.get(path)
                    if got.status_code != 200:
                        failures.append(f"writer GET {got.status_code}")
                        return
                    body = got.json()
                    notes = (body["notes"] or "").rstrip("\n")
                    sent = client.patch(
                        path,
                        json={"notes": f"{notes}\nconc-w{k}-{j}"},
                        headers={"If-Match": got.headers["ETag"]},
                    )
                    if sent.status_code == 200:
                        check(sent.json(), sent.headers["ETag"])
                        break
                    if sent.status_code != 409:
                        failures.append(f"PATCH {sent.status_code}: {sent.text[:200]}")
                        return
                    with lock:
                        answers["conflicts"] += 1
                else:
                    failures.append(f"writer {k} never got line {j} in")

    def reader() -> None:
        with _client(url, token) as client:
            while not done.is_set():
                got = client.get(path)
                if got.status_code != 200:
                    failures.append(f"reader GET {got.status_code}")
                    return
                check(got.json(), got.headers["ETag"])
                with lock:
                    answers["read"] += 1

    writers = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
    readers = [threading.Thread(target=reader) for _ in range(READERS)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join(timeout=300)
    done.set()
    for t in readers:
        t.join(timeout=60)

    assert failures == [], f"{len(failures)} of {answers['read']} reads: {failures[:5]}"
    with ws.session() as s:
        notes = read_programme(s, PROGRAMME_ID).initiative(initiative).notes or ""
    lines = sorted(MARK.findall(notes))
    wanted = sorted((str(k), str(j)) for k in range(WRITERS) for j in range(LINES_PER_WRITER))
    assert lines == wanted, "a line was lost or doubled"
    assert answers["read"] > 0
    return answers

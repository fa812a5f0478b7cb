"""Fixtures for the web tests: the demo workspace, a real uvicorn server on 127.0.0.1 serving it
(`site`) and one serving a writable copy with accounts for each test module that asks (`live`),
and Debian's Chromium driven by Playwright (`page` for `site`, `tab` for `live`).

The browser tests need /usr/bin/chromium (scripts/ensure-chromium.sh installs it) and the
vendored front-end files plus axe-core (scripts/build-frontend.sh). When either is missing the
tests FAIL with the command to run: a machine without them must not look green.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest
from live_site import LiveSite, Site, live_site, serve
from web_helpers import SMALL_CELL, browser_tab

from jamlik.data import import_observations
from jamlik.web import WebSettings, create_app
from jamlik.web.app import VENDOR_MANIFEST
from jamlik.web.store import WebData
from jamlik.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("JAMLIK_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session", autouse=True)
def shared_followups() -> Iterator[None]:
    """One follow-up per state of the data for the whole session, not one per app.

    Dozens of tests each serve a fresh copy of the demo, and each app would build the same
    follow-up (seconds of work) on its first page. An app keeps a follow-up under its data's
    fingerprint (programme, definitions, import and audit logs: what the follow-up is built
    from) and the year; copies in the same state share that fingerprint, so here every app
    also looks in one session-wide store under the fingerprint, the key and the suppression
    policy before building. Any import or edit changes the fingerprint and builds anew.
    """
    original = WebData.cached
    kept: OrderedDict[tuple, object] = OrderedDict()
    gates: dict[tuple, threading.Lock] = {}
    guard = threading.Lock()

    def cached(self: WebData, bucket, key, build):
        if bucket != "followup":
            return original(self, bucket, key, build)
        shared = (self.snapshot().fingerprint, key, repr(self.settings.policy))

        def build_once():
            with guard:
                gate = gates.setdefault(shared, threading.Lock())
            with gate:
                if shared not in kept:
                    kept[shared] = build()
                    while len(kept) > 8:  # a follow-up is a few MB
                        kept.popitem(last=False)
                return kept[shared]

        return original(self, bucket, key, build_once)

    patch = pytest.MonkeyPatch()
    patch.setattr(WebData, "cached", cached)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def demo_workspace(demo_copy) -> Workspace:
    ws = demo_copy("web-demo")
    import_observations(ws, pd.DataFrame([SMALL_CELL]), source="test: planted small cell")
    return ws


@pytest.fixture(scope="session")
def site(demo_workspace: Workspace) -> Iterator[Site]:
    """uvicorn serving the demo on a free port of 127.0.0.1 for the whole session."""
    with serve(create_app(WebSettings.for_workspace(demo_workspace))) as url:
        # The first page waits for the follow-up; later tests then measure pages, not set-up.
        httpx.get(url + "/", timeout=120).raise_for_status()
        yield Site(url, demo_workspace)


@pytest.fixture(scope="module")
def live(demo_workspace: Workspace, request, tmp_path_factory) -> Iterator[LiveSite]:
    """uvicorn serving a writable, accounts-enabled copy of the demo, one for each test module
    that asks for it (live_site.py)."""
    target = tmp_path_factory.mktemp(request.module.__name__) / "ws"
    with live_site(demo_workspace, target) as running:
        yield running


def _require_browser_tools() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(
            f"Chromium is not installed at {CHROMIUM}: run `bash scripts/ensure-chromium.sh` "
            "(apt-get install -y chromium)"
        )
    if not VENDOR_MANIFEST.exists() or not AXE.exists():
        missing.append(
            "the front-end files are not vendored: run `bash scripts/build-frontend.sh` "
            "(npm ci && npm run build in frontend/)"
        )
    if missing:
        pytest.fail("Browser tests cannot run: " + "; ".join(missing), pytrace=False)


@pytest.fixture(scope="session")
def browser():
    _require_browser_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser):
    """A fresh tab (own cookies) for the pages of `live` that fails the test on any JavaScript
    error, but for the 422 a form with a mistake is answered with on purpose (Chromium logs it)."""
    with browser_tab(browser, "the server responded with a status of 422") as fresh:
        yield fresh


@pytest.fixture
def page(browser, site):
    """A fresh browser tab (own cookies) that fails the test on any JavaScript error."""
    with browser_tab(browser, accept_downloads=True) as tab:
        yield tab

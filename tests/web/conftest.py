"""Fixtures for the web tests: the demo workspace, a real uvicorn server on 127.0.0.1, and
Debian's Chromium driven by Playwright.

The browser tests need /usr/bin/chromium (scripts/ensure-chromium.sh installs it) and the
vendored front-end files plus axe-core (scripts/build-frontend.sh). When either is missing the
tests FAIL with the command to run: a machine without them must not look green.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pandas as pd
import pytest
import uvicorn
from web_helpers import SMALL_CELL

from jamlik.data import import_observations
from jamlik.demo import build_demo
from jamlik.web import WebSettings, create_app
from jamlik.web.app import VENDOR_MANIFEST
from jamlik.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("JAMLIK_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@dataclass(frozen=True)
class Site:
    """The running demo site."""

    url: str
    workspace: Workspace

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=60, **kwargs)


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace.resolve(tmp_path_factory.mktemp("web") / "demo")
    build_demo(ws)
    import_observations(ws, pd.DataFrame([SMALL_CELL]), source="test: planted small cell")
    return ws


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="session")
def site(demo_workspace: Workspace) -> Iterator[Site]:
    """uvicorn serving the demo on a free port of 127.0.0.1 for the whole session."""
    app = create_app(WebSettings.for_workspace(demo_workspace))
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 30 s")
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    # The first page waits for the follow-up; later tests then measure pages, not set-up.
    httpx.get(url + "/", timeout=120).raise_for_status()
    yield Site(url, demo_workspace)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


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
def page(browser, site):
    """A fresh browser tab (own cookies) that fails the test on any JavaScript error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    tab.set_default_timeout(30_000)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"

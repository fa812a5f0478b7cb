"""A real uvicorn serving a writable, accounts-enabled copy of the demo, for browser tests that
sign in and change things (the shared `site` fixture serves the read-only demo).

Use it from a module-scoped fixture of your own test module::

    @pytest.fixture(scope="module")
    def live(demo_workspace, tmp_path_factory):
        with live_site(demo_workspace, tmp_path_factory.mktemp("mine") / "ws") as running:
            yield running

and sign a browser tab in through the sign-in form with `running.sign_in(tab, "editor-own")`
(accounts and their password: accounts_site.ACCOUNTS, accounts_site.PASSWORD).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from accounts_site import PASSWORD, AccountsSite, copy_demo

from jamlik.web import WebSettings, create_app
from jamlik.workspace import Workspace


@dataclass(frozen=True)
class LiveSite:
    """The running copy: its address, and the copy (workspace, TestClient accounts) itself."""

    url: str
    copy: AccountsSite

    @property
    def workspace(self) -> Workspace:
        return self.copy.workspace

    def sign_in(self, tab, who: str, password: str = PASSWORD) -> None:
        """Sign `tab` in as `who` the way a person does, through the sign-in form."""
        tab.goto(self.url + "/sign-in")
        tab.get_by_label("Användarnamn").fill(who)
        tab.get_by_label("Lösenord").fill(password)
        with tab.expect_navigation():
            tab.get_by_role("button", name="Logga in").click()
        assert "/sign-in" not in tab.url, f"signing in as {who} failed: {tab.url}"


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def live_site(demo: Workspace, target: Path) -> Iterator[LiveSite]:
    """Copy the demo to `target` (a folder that does not exist yet), add the test accounts and
    serve it on a free port of 127.0.0.1 until the block ends."""
    copy = copy_demo(demo, target)
    # Plain HTTP on 127.0.0.1: the cookies cannot be Secure here (create_app's documented case).
    app = create_app(WebSettings.for_workspace(copy.workspace), secure_cookies=False)
    copy = AccountsSite(copy.workspace, app)
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
    try:
        httpx.get(url + "/", timeout=120).raise_for_status()  # waits for the follow-up
        yield LiveSite(url, copy)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

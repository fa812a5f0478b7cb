"""A real uvicorn on 127.0.0.1, and talking to it as a person does: `serve` runs any app in a
thread until the block ends; `live_site` serves a writable, accounts-enabled copy of the demo
(the shared `site` fixture serves the read-only demo), as conftest's module-scoped `live`
fixture does for each test module that asks for it.

Sign a browser tab in through the sign-in form with `live.sign_in(tab, "editor-own")`, or an
httpx client with `form_sign_in(live.url, "reader")` (accounts and their password:
accounts_site.ACCOUNTS, accounts_site.PASSWORD).
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
from forms import form_token

from jamlik.web import WebSettings, create_app
from jamlik.workspace import Workspace


@dataclass(frozen=True)
class Site:
    """The running demo site."""

    url: str
    workspace: Workspace

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=60, **kwargs)


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


@contextmanager
def serve(app, port: int = 0, **config) -> Iterator[str]:
    """uvicorn serving `app` on a free port of 127.0.0.1 (or `port`, when the site must know
    its address beforehand) until the block ends; yields its URL. `config`: more uvicorn
    settings (e.g. `forwarded_allow_ips`)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", **config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start within 30 s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def live_site(demo: Workspace, target: Path) -> Iterator[LiveSite]:
    """Copy the demo to `target` (a folder that does not exist yet), add the test accounts and
    serve it on a free port of 127.0.0.1 until the block ends."""
    copy = copy_demo(demo, target)
    # Plain HTTP on 127.0.0.1: the cookies cannot be Secure here (create_app's documented case).
    app = create_app(WebSettings.for_workspace(copy.workspace), secure_cookies=False)
    with serve(app) as url:
        httpx.get(url + "/", timeout=120).raise_for_status()  # waits for the follow-up
        yield LiveSite(url, AccountsSite(copy.workspace, app))


def form_sign_in(url: str, who: str, password: str = PASSWORD) -> httpx.Client:
    """An httpx client (own cookies) signed in as `who` through the sign-in form."""
    client = httpx.Client(base_url=url, timeout=120, follow_redirects=False)
    page = client.get("/sign-in")
    assert page.status_code == 200, page.status_code
    done = client.post(
        "/sign-in",
        data={"name": who, "password": password, "next": "/", "csrf_token": form_token(page.text)},
    )
    assert done.status_code == 303 and done.headers["location"] == "/", (who, done.status_code)
    assert "jamlik_session" in client.cookies, "no session cookie after signing in"
    return client

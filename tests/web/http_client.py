"""Talking to a running site over HTTP the way a program or a person without a browser does:
serve any app on 127.0.0.1 (`serve`), and sign an httpx client in through the sign-in form
(`form_sign_in`), and read a form's fields as a browser would submit them unchanged
(`form_fields`). For a writable demo copy, see live_site.py."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

import httpx
import uvicorn
from accounts_site import PASSWORD, form_token


@contextmanager
def serve(app) -> Iterator[str]:
    """uvicorn serving `app` on a free port of 127.0.0.1 until the block ends; yields its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
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


def form_sign_in(url: str, who: str, password: str = PASSWORD) -> httpx.Client:
    """A client (own cookies) signed in as `who` through the sign-in form; fails otherwise."""
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


class _FormReader(HTMLParser):
    """The successful controls of one form: inputs, selected options and text areas."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((name, a.get("value", "on" if "checked" in a else "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, action: str) -> dict[str, str]:
    """The fields the form posting to `action` sends when submitted as it is (a select with
    no option marked selected sends nothing here, where a browser sends its first option; a
    name used twice keeps its last value)."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.fields, f"no form posting to {action} on the page"
    return dict(reader.fields)

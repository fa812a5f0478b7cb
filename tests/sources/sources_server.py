"""A real HTTP server on 127.0.0.1 for connector tests: it records every request it sees and can be
told to misbehave (error statuses, Retry-After, slow answers, broken bodies) before answering
normally. Imported by name (unique module name)."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    raw_path: str  # as sent, percent-encoding included
    path: str  # decoded
    query: dict[str, list[str]]
    body: Any
    at: float

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list → JSON; str → text as content_type
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    delay: float = 0.0


Handler = Callable[[Seen, "LocalServer"], Reply]


class LocalServer:
    """`with LocalServer(handler) as server:` — serves on `server.url` until the block ends."""

    def __init__(self, handler: Handler):
        self.handler = handler
        self.seen: list[Seen] = []
        self._faults: deque[tuple[Callable[[Seen], bool], Reply]] = deque()
        self._lock = threading.Lock()
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                seen = Seen(
                    self.command,
                    parts.path,
                    unquote(parts.path),
                    parse_qs(parts.query, keep_blank_values=True),
                    body,
                    time.monotonic(),
                )
                with outer._lock:
                    outer.seen.append(seen)
                    reply = outer._fault_for(seen)
                if reply is None:
                    reply = outer.handler(seen, outer)
                if reply.delay:
                    time.sleep(reply.delay)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if isinstance(reply.body, dict | list):
                    data = json.dumps(reply.body, ensure_ascii=False).encode()
                    ctype = reply.content_type or "application/json; charset=utf-8"
                else:
                    data = (reply.body or "").encode()
                    ctype = reply.content_type or "text/html; charset=utf-8"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = _handle
            do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(
        self, reply: Reply, times: int = 1, when: Callable[[Seen], bool] | None = None
    ) -> None:
        """Answer the next `times` matching requests with `reply` instead of the handler."""
        for _ in range(times):
            self._faults.append((when or (lambda s: True), reply))

    def _fault_for(self, seen: Seen) -> Reply | None:
        for i, (when, reply) in enumerate(self._faults):
            if when(seen):
                del self._faults[i]
                return reply
        return None

    def requests(self, method: str | None = None, contains: str = "") -> list[Seen]:
        return [
            s for s in self.seen if (method is None or s.method == method) and contains in s.path
        ]

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

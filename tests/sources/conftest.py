"""Fixtures for connector tests: local servers, a fast HTTP client, a tmp workspace."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sources_server import LocalServer

from jamlik.sources.http import HttpClient, HttpSettings
from jamlik.workspace import Workspace


class SleepLog:
    """Records requested pauses and sleeps only a capped fraction of them, so tests stay fast
    while still asserting how long the client meant to wait."""

    def __init__(self, cap: float = 0.0):
        self.calls: list[float] = []
        self.cap = cap

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.cap:
            time.sleep(min(seconds, self.cap))


@pytest.fixture
def sleeps() -> SleepLog:
    return SleepLog()


@pytest.fixture
def make_http(tmp_path: Path, sleeps: SleepLog) -> Iterator[Callable[..., HttpClient]]:
    """A client with quick retries, a cache under tmp_path, and recorded sleeps."""
    made: list[HttpClient] = []

    def make(
        *, cache: bool = True, sleep: Callable[[float], None] | None = None, **settings
    ) -> HttpClient:
        defaults = dict(timeout=5.0, retries=3, backoff=0.01, max_backoff=0.05)
        client = HttpClient(
            HttpSettings(**{**defaults, **settings}),
            cache_dir=tmp_path / "cache" if cache else None,
            sleep=sleep or sleeps,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def serve() -> Iterator[Callable[..., LocalServer]]:
    """Start a LocalServer for a handler; stopped at the end of the test."""
    servers: list[LocalServer] = []

    def start(handler) -> LocalServer:
        server = LocalServer(handler).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws", f"sqlite:///{tmp_path / 'ws' / 'jamlik.sqlite'}")

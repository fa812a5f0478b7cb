"""Fixtures for the cycle tests: real SQLite workspaces copied from one migrated template that
holds the small programme of `cycle_helpers`, so each test starts from the real schema fast."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cycle_helpers import LEADER, Inbox, P, add_programme, free_port

from jamlik.workspace import Workspace
from workspaces import copy_of, seeded_template


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_template(tmp_path_factory.mktemp("cycle-template"), add_programme)


@pytest.fixture
def ws(tmp_path: Path, template: Path) -> Workspace:
    """A migrated workspace holding the test programme and no periods."""
    workspace = copy_of(template, tmp_path / "ws")
    yield workspace
    workspace.engine().dispose()


@pytest.fixture
def periods(ws: Workspace) -> tuple[int, int]:
    """Two yearly periods, 2025 and 2026, both open: (id 2025, id 2026)."""
    from jamlik.cycle import open_period

    with ws.session() as s:
        old = open_period(s, LEADER, P, "Uppföljning 2025", "year", date(2025, 1, 1),
                          date(2025, 12, 31))  # fmt: skip
        new = open_period(s, LEADER, P, "Uppföljning 2026", "year", date(2026, 1, 1),
                          date(2026, 12, 31))  # fmt: skip
    return old.id, new.id


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives: (controller,
    inbox, logins). It accepts the password "hemligt-smtp" without TLS (a test server)."""
    inbox = Inbox()
    logins: list[tuple[str, str]] = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"hemligt-smtp")

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticate, auth_require_tls=False)  # fmt: skip
    controller.start()
    try:
        yield controller, inbox, logins
    finally:
        controller.stop()

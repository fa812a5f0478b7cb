"""Fixtures shared by every test directory: fast password hashing, the demo workspace built once
per session (`demo_template`, copied by `demo_copy`), and a real PostgreSQL server for the tests
that need one.

Passwords are hashed with argon2id at the lowest cost in every test (an explicit setting,
`jamlik.accounts.passwords.set_hashing_cost`, that production never calls); the production
parameters are checked on their own (test_production_parameters_meet_owasp_minimums).

`postgres_url` is $JAMLIK_TEST_POSTGRES_URL when set (a database on a server you run, whose user
may CREATE DATABASE), else a throwaway server started once per test session from Debian's
PostgreSQL binaries on 127.0.0.1 and a free port, and stopped at the end. Missing binaries
are a failure, not a skip: `scripts/ensure-postgres.sh` installs them.

`postgres_db_url` gives each test a new, empty database on that server, dropped afterwards.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jamlik.workspace import DB_FILE, Workspace


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> None:
    """argon2id with the smallest cost, so the suite's thousands of hashes take milliseconds."""
    from jamlik.accounts.passwords import set_hashing_cost

    set_hashing_cost(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The demo workspace (`jamlik.demo.build_demo`), built once per session. Read it only:
    fixtures that add to the demo take a copy from `demo_copy`."""
    from jamlik.demo import build_demo

    folder = tmp_path_factory.mktemp("demo-template")
    ws = Workspace(folder, f"sqlite:///{folder / DB_FILE}")
    build_demo(ws)
    return ws


@pytest.fixture(scope="session")
def demo_copy(
    demo_template: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Workspace]:
    """demo_copy(name) -> a private SQLite copy of the demo in a new folder (milliseconds where
    building it takes many seconds)."""

    def copy(name: str) -> Workspace:
        folder = tmp_path_factory.mktemp(name)
        demo_template.copy_database(folder / DB_FILE)
        return Workspace(folder, f"sqlite:///{folder / DB_FILE}")

    return copy


INSTALL_HINT = "run `bash scripts/ensure-postgres.sh` (installs Debian's postgresql package)"
SUPERUSER = "jamlik"


def _postgres_bin() -> Path | None:
    """The bin folder of the newest PostgreSQL server installed (Debian layout first)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).resolve().parent if on_path else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _runner() -> tuple[list[str], int | None, int | None]:
    """How to run the server: PostgreSQL refuses to run as root, so root runs it as the
    `postgres` account that Debian's package creates."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail(f"running as root and there is no `postgres` account: {INSTALL_HINT}")
    return ["runuser", "-u", "postgres", "--"], account.pw_uid, account.pw_gid


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A SQLAlchemy URL of a PostgreSQL database whose user may create databases."""
    configured = os.environ.get("JAMLIK_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    bindir = _postgres_bin()
    if bindir is None:
        pytest.fail(f"PostgreSQL server binaries (initdb, pg_ctl) not found: {INSTALL_HINT}")
    prefix, uid, gid = _runner()
    # Not under pytest's tmp folder: that one is private to the test user (0700).
    root = Path(tempfile.mkdtemp(prefix="jamlik-pg-"))
    data = root / "data"
    if uid is not None:
        os.chown(root, uid, gid)
    port = _free_port()
    log = root / "server.log"
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER,
             "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        # Durability is irrelevant for a throwaway server; speed is not.
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
             "-w", "-t", "60", "start"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr or exc.stdout
        if log.exists():
            detail += log.read_text(errors="replace")
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start a test PostgreSQL server with {bindir}: {detail}")
    try:
        yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_db_url(postgres_url: str) -> Iterator[str]:
    """A new empty database on the test server, for one test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"jamlik_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

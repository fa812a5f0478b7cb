"""A real OpenID Provider for the SSO tests: panva/oidc-provider (OpenID Certified), run by
Node from tests/oidc/provider.mjs on a free port of 127.0.0.1 (`start_op`, once per session).

Accounts and their claims come from a JSON file the test rewrites between sign-ins
(`OpenIdProvider.set_accounts`); a site registers itself as a client by OpenID Connect Dynamic
Client Registration (`register`); `forge_next(mode)` makes the provider's token endpoint hand
out a forged ID token once, as an attacker who can alter it would.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

OIDC_DIR = Path(__file__).resolve().parents[1] / "oidc"
INSTALL_HINT = "run `bash scripts/ensure-oidc-provider.sh` (npm ci in tests/oidc)"


@dataclass
class OpenIdProvider:
    issuer: str
    accounts_file: Path

    def set_accounts(self, accounts: dict[str, dict]) -> None:
        """The accounts and their claims from the next sign-in on."""
        self.accounts_file.write_text(json.dumps(accounts), "utf-8")

    def register(self, redirect_uris: list[str], logout_uris: list[str]) -> dict:
        """Register a confidential client (client_secret_basic); its id and secret."""
        answer = httpx.post(
            self.issuer + "/reg",
            json={
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": logout_uris,
                "response_types": ["code"],
                "grant_types": ["authorization_code"],
                "token_endpoint_auth_method": "client_secret_basic",
            },
            timeout=10,
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    def forge_next(self, mode: str) -> None:
        """The next ID token from the token endpoint is forged (provider.mjs, `forged`)."""
        httpx.post(self.issuer + "/test/forge", data={"mode": mode}, timeout=10).raise_for_status()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def start_op(folder: Path) -> Iterator[OpenIdProvider]:
    node = shutil.which("node")
    if node is None or not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(f"the test OpenID Provider is not installed: {INSTALL_HINT}", pytrace=False)
    accounts = folder / "op-accounts.json"
    accounts.write_text("{}", "utf-8")
    port = _free_port()
    log = (folder / "op.log").open("w")
    process = subprocess.Popen(
        [node, str(OIDC_DIR / "provider.mjs")],
        cwd=OIDC_DIR,
        env={
            "PORT": str(port),
            "ACCOUNTS_FILE": str(accounts),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        },
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "READY <issuer>" once listening
        if not line.startswith("READY "):
            process.kill()
            pytest.fail(
                f"the test OpenID Provider did not start: {(folder / 'op.log').read_text()}",
                pytrace=False,
            )
        op = OpenIdProvider(line.split()[1], accounts)
        deadline = time.monotonic() + 10
        while httpx.get(op.issuer + "/jwks", timeout=5).status_code != 200:
            assert time.monotonic() < deadline, "the OpenID Provider does not answer"
            time.sleep(0.05)
        yield op
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()

"""schemathesis against the application's own OpenAPI document: every operation, with requests
generated from its parameters and bodies (valid ones and invalid ones), must never answer with
a server error. Run three times over a real uvicorn on writable copies of the demo: as a visitor who has not
signed in and with a reader's API token (one copy), and with an administrator's token on a
copy of its own (bearer requests skip CSRF, so its requests reach deep into the forms and
change the programme, accounts and data).

Whatever routes exist when the test runs are walked; a route missing from the document or an
invalid document fails the test. The figures (operations, requests, answers by status) are
printed; run with `-s` to see them. JAMLIK_SCHEMA_EXAMPLES sets the requests per operation and
kind (valid / invalid), 3 by default, which keeps the file to about 90 s on two cores.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from live_site import live_site
from schemathesis import GenerationMode
from schemathesis.core import NotSet
from schemathesis.core.result import Err

from jamlik.accounts import update_user
from jamlik.accounts.tokens import create_token, token_user
from jamlik.workspace import Workspace

EXAMPLES = int(os.environ.get("JAMLIK_SCHEMA_EXAMPLES", "3"))
# Operations whose every valid request costs many seconds of work are sent invalid requests
# only: a valid POST /reports builds the report (about 12 s); test_web_reports_build.py
# builds one.
COSTLY = {"POST /reports"}
# who -> (account, role) of the token the run sends; the visitor sends none.
RUNS = {
    "public": (None, None),
    "reader": ("reader", "reader"),
    "administrator": ("admin", "administrator"),
}


class Credentials:
    """The run's bearer token. The administrator's own requests may revoke that token or
    disable or demote the account (all legitimate answers); the walk notices before the next
    request, puts the account back and makes a new token, and counts how often it had to."""

    def __init__(self, workspace: Workspace, account: str | None, role: str | None) -> None:
        self.workspace, self.account, self.role = workspace, account, role
        self.token: str | None = None
        self.renewed = 0
        if account is not None:
            self._new()

    def _new(self) -> None:
        with self.workspace.session() as s:
            update_user(s, self.account, role=self.role, active=True, by="test")
            self.token = create_token(s, self.account, "schemathesis", by="test")

    def headers(self) -> dict[str, str]:
        if self.account is None:
            return {}
        with self.workspace.session() as s:
            user = token_user(s, self.token)
        if user is None or user.role != self.role:
            self.renewed += 1
            self._new()
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Walk:
    operations: list[str] = field(default_factory=list)
    cases: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    seconds: Counter = field(default_factory=Counter)  # per operation


def _walk(schema, url: str, credentials: Credentials) -> Walk:
    walk = Walk()
    session = requests.Session()
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            pytest.fail(f"the OpenAPI document has an operation schemathesis cannot read: "
                        f"{result.err()}")  # fmt: skip
        operation = result.ok()
        walk.operations.append(operation.label)
        modes = [GenerationMode.NEGATIVE]
        if operation.label not in COSTLY:
            modes.append(GenerationMode.POSITIVE)
        cases = st.one_of(*(operation.as_strategy(generation_mode=m) for m in modes))

        # No shrinking: a server error is collected with its request instead of raised, so one
        # failing operation does not stop the others from being walked.
        @settings(
            max_examples=len(modes) * EXAMPLES, deadline=None, database=None, derandomize=True,
            phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(case=cases)
        def send(case) -> None:
            walk.cases += 1
            try:
                answer = case.call(
                    base_url=url, session=session, headers=credentials.headers(), timeout=120
                )
            except requests.RequestException as exc:
                walk.server_errors.append(
                    f"{case.operation.label}: no answer ({exc}) to {_shown(case)}"
                )
                return
            walk.statuses[answer.status_code] += 1
            if answer.status_code >= 500:
                walk.server_errors.append(
                    f"{case.operation.label} -> {answer.status_code} for {_shown(case)}: "
                    f"{answer.text[:300]}"
                )

        started = time.monotonic()
        send()
        walk.seconds[operation.label] = time.monotonic() - started
    return walk


def _shown(case) -> str:
    return (
        f"{case.method} {case.formatted_path} query={case.query} "
        f"body={None if isinstance(case.body, NotSet) else str(case.body)[:200]}"
    )


@pytest.fixture(scope="module")
def reading_site(demo_workspace, tmp_path_factory):
    """One copy for the visitor and the reader: neither can change what the other reads."""
    with live_site(demo_workspace, tmp_path_factory.mktemp("schema-read") / "ws") as live:
        yield live


@contextmanager
def _site_for(who: str, request) -> Iterator:
    if who != "administrator":
        yield request.getfixturevalue("reading_site")
        return
    demo, temp = (
        request.getfixturevalue("demo_workspace"),
        request.getfixturevalue("tmp_path_factory"),
    )
    with live_site(demo, temp.mktemp("schema-admin") / "ws") as live:
        yield live


@pytest.mark.slow
@pytest.mark.parametrize("who", list(RUNS))
def test_no_server_error_for_generated_requests(who, request):
    started = time.monotonic()
    with _site_for(who, request) as live:
        credentials = Credentials(live.workspace, *RUNS[who])
        schema = schemathesis.openapi.from_url(live.url + "/openapi.json")
        schema.validate()  # the document itself is valid OpenAPI
        walk = _walk(schema, live.url, credentials)
        me = requests.get(live.url + "/api/me", headers=credentials.headers(), timeout=60)
    seconds = time.monotonic() - started
    print(
        f"\nschemathesis as {who}: {len(walk.operations)} operations, {walk.cases} requests "
        f"(token renewed {credentials.renewed} times) "
        f"in {seconds:.0f} s; answers {dict(sorted(walk.statuses.items()))}; slowest: "
        + ", ".join(f"{op} {s:.1f} s" for op, s in walk.seconds.most_common(5))
    )
    assert me.status_code == (401 if who == "public" else 200)  # the credentials held to the end
    assert len(walk.operations) >= 20
    assert walk.cases >= len(walk.operations)
    assert not walk.server_errors, "\n".join(walk.server_errors)

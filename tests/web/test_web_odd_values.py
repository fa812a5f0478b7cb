"""Odd values in forms, query strings and the API are refused with 422 naming the field, over
HTTP on a real uvicorn (a writable copy of the demo), and nothing is written.

Each value once answered 500: `int("²")` raises although `"²".isdigit()` is true, a
5,000-digit number exceeds Python's int-from-text limit, a number of 2**63 or more overflows
SQLite's integer, a day before 0001-01-02 or after 9999-12-30 overflows the date arithmetic of
the audit filters, and a page number of 2**63 - 1 overflows the query's offset.
"""

from __future__ import annotations

import httpx
import pytest
from accounts_site import OWN_INITIATIVE
from forms import error_summary, form_data
from live_site import form_sign_in

from jamlik.accounts.tokens import create_token
from jamlik.audit import read_log
from jamlik.data.edit_indicators import read_indicator
from jamlik.demo import PROGRAMME_ID
from jamlik.programme import read_programme

EDIT = f"/initiatives/{OWN_INITIATIVE}/edit"
NODE = "/admin/programme/nodes/ex-ta1"
INDICATOR = "/admin/indicators/ex-behorighet-gymnasiet"
DIGITS_5000 = "9" * 5000
TOO_BIG = str(2**63)  # one past SQLite's largest integer


@pytest.fixture(scope="module")
def admin(live) -> httpx.Client:
    return form_sign_in(live.url, "admin")


def _state(live):
    with live.workspace.session() as s:
        programme = read_programme(s, PROGRAMME_ID)
        indicator = read_indicator(s, "ex-behorighet-gymnasiet")
        return programme, indicator, len(read_log(s))


def _refused(live, admin, url: str, changes: dict, field: str) -> list:
    page = admin.get(url)
    assert page.status_code == 200, page.status_code
    before = _state(live)
    answer = admin.post(url, data=form_data(page.text, url, **changes))
    assert answer.status_code == 422, (answer.status_code, answer.text[-500:])
    summary = error_summary(answer.text)
    assert any(f == field for f, _ in summary), summary
    assert _state(live) == before
    return summary


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget_amount": "²"}, "budget_amount"),
        ({"budget_amount": DIGITS_5000}, "budget_amount"),
        ({"budget_amount": TOO_BIG}, "budget_amount"),
        ({"tg_text": "Barn", "tg_age_min": "²"}, "tg_age_min"),
        ({"tg_text": "Barn", "tg_age_max": DIGITS_5000}, "tg_age_max"),
        ({"reach-0-reached": "³"}, "reach-0-reached"),
        ({"reach-0-reached": DIGITS_5000}, "reach-0-reached"),
        ({"reach-0-reached": TOO_BIG}, "reach-0-reached"),
    ],
)
def test_initiative_form(live, admin, changes, field):
    _refused(live, admin, EDIT, changes, field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"order": "²"}, "order"),
        ({"order": TOO_BIG}, "order"),
        ({"order": DIGITS_5000}, "order"),
        ({"tg_text": "Barn", "age_min": "²"}, "age_min"),
    ],
)
def test_tree_node_form(live, admin, changes, field):
    _refused(live, admin, NODE, changes, field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target-0-year": "²"}, "target-0-year"),
        ({"target-0-year": TOO_BIG}, "target-0-year"),
        ({"target-0-year": DIGITS_5000}, "target-0-year"),
        ({"target-0-value": DIGITS_5000}, "target-0-value"),  # float() makes it infinity
        ({"target-0-value": "nan"}, "target-0-value"),
        ({"scale": "1e999"}, "scale"),
    ],
)
def test_indicator_form(live, admin, changes, field):
    _refused(live, admin, INDICATOR, changes, field)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_to=9999-12-31", "date_to"),
        ("date_from=0001-01-01", "date_from"),
        ("page=9223372036854775807", "page"),
        (f"page={DIGITS_5000}", "page"),
        ("page=²", "page"),
    ],
)
def test_audit_filters(live, admin, query, field):
    before = _state(live)
    page = admin.get(f"/admin/audit?{query}")
    assert page.status_code == 422, (page.status_code, page.text[-300:])
    assert any(f == field for f, _ in error_summary(page.text))
    twin = admin.get(f"/admin/audit.json?{query}")
    assert twin.status_code == 422, twin.status_code
    assert any(p["field"] == field for p in twin.json()["facts"]["problems"]), twin.text[:500]
    assert _state(live) == before


@pytest.fixture(scope="module")
def token(live) -> str:
    with live.workspace.session() as s:
        return create_token(s, "admin", "odd values", by="test")


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"reach": [{"period": "2024", "area": "ex-kvarnbacken", "reached": 2**63}]},
         ["body", "reach", 0, "reached"]),
        ({"reach": [{"period": "2024", "area": "ex-kvarnbacken", "reached": 10**4000}]},
         ["body", "reach", 0, "reached"]),
    ],
)  # fmt: skip
def test_api_patch(live, token, change, loc):
    client = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {token}"})
    url = f"/api/initiatives/{OWN_INITIATIVE}"
    version = client.get(url).json()["version"]
    before = _state(live)
    # A 4,000-digit JSON number is sent as written, the way any client could.
    body = httpx.Request("PATCH", "/", json=change).content.decode()
    answer = client.patch(
        url,
        content=body,
        headers={"If-Match": str(version), "Content-Type": "application/json"},
    )
    assert answer.status_code == 422, (answer.status_code, answer.text[:300])
    assert any(p["loc"][: len(loc)] == loc for p in answer.json()["detail"]), answer.text[:500]
    assert _state(live) == before


@pytest.mark.parametrize("year", ["9223372036854775808", DIGITS_5000, "-1", "²"])
def test_odd_follow_up_year_is_no_server_error(live, year):
    answer = httpx.get(f"{live.url}/programme/ex-ta1?year={year}", timeout=120)
    assert answer.status_code in (200, 404, 422), (year[:20], answer.status_code)

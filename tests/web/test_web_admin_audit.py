"""The audit log page and its export: filters return exactly the entries this test made, days
are Swedish calendar days, pages of 50, CSV and JSON match the page, nothing can change it,
and only administrators may read it."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from accounts_site import AccountsSite, copy_demo
from forms import form_token

from jamlik.audit import read_log, record
from jamlik.web.admin_view import when


@pytest.fixture
def site(demo_workspace, tmp_path) -> AccountsSite:
    return copy_demo(demo_workspace, tmp_path / "ws")


def rows(html: str) -> list[int]:
    """The entry ids the page lists, in order."""
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)">', html)]


def create(admin, name: str) -> None:
    token = form_token(admin.get("/admin/users/new").text)
    made = admin.post("/admin/users", data={"csrf_token": token, "name": name, "role": "reader"})
    assert made.status_code == 201


def test_filters_return_exactly_the_entries_made(site):
    admin = site.client("admin")
    for name in ("granskad.a", "granskad.b"):
        create(admin, name)  # each: "create" and "reset_password"
    page = admin.get("/admin/users/granskad.a").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    saved = admin.post(
        "/admin/users/granskad.a",
        data={"csrf_token": form_token(page), "version": version, "role": "reader",
              "display_name": "Greta Granskad", "active": "yes"},
    )  # fmt: skip
    assert saved.status_code == 303

    by_admin = admin.get("/admin/audit?user=admin&entity=user").text
    assert len(rows(by_admin)) == 2 + 2 + 1
    assert rows(by_admin) == sorted(rows(by_admin), reverse=True)  # newest first
    one = admin.get("/admin/audit?entity=user&entity_id=granskad.a").text
    assert len(rows(one)) == 3
    first = re.search(r'<tr data-id="\d+">(.*?)</tr>', one, re.S).group(1)  # the newest
    assert "<code>update</code>" in first and "admin" in first
    assert "<strong>display_name</strong>" in first
    assert "från – till Greta Granskad" in re.sub(r"\s+", " ", first)
    assert "role" not in first  # fields that did not change are left out
    created = re.findall(r'<tr data-id="\d+">(.*?)</tr>', one, re.S)[-1]
    assert "<code>create</code>" in created and "satt till reader" in re.sub(r"\s+", " ", created)
    assert rows(admin.get("/admin/audit?user=nobody").text) == []
    assert "Inga ändringar stämmer med filtret" in admin.get("/admin/audit?user=nobody").text

    twin = admin.get("/admin/audit.json?entity=user&entity_id=granskad.a").json()["facts"]
    assert [e["action"] for e in twin["entries"]] == ["update", "reset_password", "create"]
    assert twin["entries"][0]["changes"] == [
        {"field": "display_name", "before": "–", "after": "Greta Granskad"}
    ]


def test_days_are_swedish_calendar_days(site):
    # 23:30 UTC on 10 March 2024 is 00:30 on 11 March in Stockholm (UTC+1 in winter).
    late = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)
    with site.workspace.session() as s:
        record(s, "test", "check", "klocka", "tidig", None, {"n": 1}, now=late - timedelta(hours=1))
        record(s, "test", "check", "klocka", "sent", None, {"n": 2}, now=late)
    admin = site.client("admin")

    def ids(query: str) -> list[str]:
        return [e["entity_id"] for e in admin.get(f"/admin/audit.json?entity=klocka&{query}")
                .json()["facts"]["entries"]]  # fmt: skip

    assert ids("date_from=2024-03-11&date_to=2024-03-11") == ["sent"]
    assert ids("date_from=2024-03-10&date_to=2024-03-10") == ["tidig"]
    assert ids("date_from=2024-03-10") == ["sent", "tidig"]
    assert ids("date_to=2024-03-09") == []
    shown = admin.get("/admin/audit?entity=klocka&entity_id=sent").text
    assert '<time datetime="2024-03-10T23:30:00+00:00">2024-03-11 00:30</time>' in shown


def test_bad_dates_are_named(site):
    admin = site.client("admin")
    bad = admin.get("/admin/audit?date_from=10 mars&date_to=2024-01-01")
    assert bad.status_code == 422
    assert 'href="#date_from"' in bad.text and "”10 mars” är inget datum" in bad.text
    backwards = admin.get("/admin/audit?date_from=2024-02-01&date_to=2024-01-01")
    assert backwards.status_code == 422 and 'href="#date_to"' in backwards.text
    assert admin.get("/admin/audit/export.csv?date_from=igår").status_code == 422


def test_pages_of_fifty(site):
    with site.workspace.session() as s:
        made = [record(s, "test", "count", "sida", str(n), None, None).id for n in range(120)]
    admin = site.client("admin")
    newest = list(reversed(made))
    first = admin.get("/admin/audit?entity=sida").text
    assert rows(first) == newest[:50]
    assert 'rel="next"' in first and 'rel="prev"' not in first
    third = admin.get("/admin/audit?entity=sida&page=3").text
    assert rows(third) == newest[100:]
    assert 'rel="prev"' in third and 'rel="next"' not in third
    assert 'href="/admin/audit?entity=sida&amp;page=2" rel="prev"' in third


def test_exports_parse_and_match_the_log(site):
    admin = site.client("admin")
    for name in ("export.a", "export.b"):
        create(admin, name)
    query = "entity=user&user=admin"
    with site.workspace.session() as s:
        expected = read_log(s, entity="user", user="admin", newest_first=True)
    assert len(expected) == 4

    page = admin.get(f"/admin/audit?{query}").text
    assert f'href="/admin/audit/export.csv?{query.replace("&", "&amp;")}"' in page
    answer = admin.get(f"/admin/audit/export.csv?{query}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [int(r["id"]) for r in table] == [e.id for e in expected] == rows(page)
    assert [r["action"] for r in table] == ["reset_password", "create"] * 2
    created = next(r for r in table if r["action"] == "create")
    entry = next(e for e in expected if e.id == int(created["id"]))
    assert json.loads(created["after"]) == entry.after and created["before"] == ""
    assert created["at"] == entry.at.isoformat()

    answer = admin.get(f"/admin/audit/export.json?{query}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    items = json.loads(answer.content)
    assert [(i["id"], i["user"], i["entity_id"], i["after"]) for i in items] == [
        (e.id, e.user, e.entity_id, e.after) for e in expected
    ]
    assert admin.get("/admin/audit/export.xlsx").status_code == 404
    assert admin.get("/admin/audit/export").status_code == 404  # only as .csv or .json


def test_the_log_cannot_be_changed_through_the_application(site):
    audit_routes = {
        (method, route.path)
        for route in site.app.routes
        if getattr(route, "path", "").startswith("/admin/audit")
        for method in route.methods
    }
    assert {m for m, _ in audit_routes} <= {"GET", "HEAD"}
    admin = site.client("admin")
    with site.workspace.session() as s:
        before = read_log(s)
    token = form_token(admin.get("/sign-in").text)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        answer = admin.request(method, "/admin/audit", data={"csrf_token": token})
        assert answer.status_code == 405, method
    with site.workspace.session() as s:
        assert read_log(s) == before


@pytest.mark.parametrize("role", ["public", "reader", "editor-own", "analyst"])
def test_only_administrators_read_and_export_the_log(site, role):
    client = site.client(role)
    expected = 401 if role == "public" else 403
    for path in ("/admin/audit", "/admin/audit.json", "/admin/audit/export.csv",
                 "/admin/audit/export.json"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == expected, path
        assert "reset_password" not in answer.text and "data-id" not in answer.text


def test_times_are_shown_in_swedish_time_and_given_in_utc():
    summer, winter = (
        datetime(2024, 7, 1, 10, 0, tzinfo=UTC),
        datetime(2024, 1, 1, 10, 0, tzinfo=UTC),
    )
    assert when(summer) == {"utc": "2024-07-01T10:00:00+00:00", "local": "2024-07-01 12:00"}
    assert when(winter)["local"] == "2024-01-01 11:00"
    assert when(None) is None

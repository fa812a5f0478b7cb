"""The JSON API with bearer tokens, over HTTP (a real uvicorn on a writable copy of the demo):
tokens act with their account's role, PATCH needs If-Match and is refused when stale, every
change is stored and audited, and bad or revoked tokens are refused with 401."""

from __future__ import annotations

import httpx
import pytest
from accounts_site import ACCOUNTS, OTHER, OWN, OWN_INITIATIVE

from jamlik.accounts.tokens import create_token, list_tokens, revoke_token
from jamlik.audit import read_log
from jamlik.demo import PROGRAMME_ID
from jamlik.programme import read_programme

OTHER_INITIATIVE = "ex-lasning"  # owned by OTHER


@pytest.fixture(scope="module")
def tokens(live) -> dict[str, str]:
    with live.workspace.session() as s:
        return {name: create_token(s, name, "test", by="test") for name in ACCOUNTS}


def api(live, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=live.url, headers=headers, timeout=60, follow_redirects=False)


def _stored(live, initiative_id: str = OWN_INITIATIVE):
    with live.workspace.session() as s:
        return read_programme(s, PROGRAMME_ID).initiative(initiative_id)


def _log(live, initiative_id: str = OWN_INITIATIVE):
    with live.workspace.session() as s:
        return read_log(s, entity="initiative", entity_id=initiative_id)


def test_me_names_the_account_role_and_organisations(live, tokens):
    reader = api(live, tokens["reader"]).get("/api/me")
    assert reader.status_code == 200
    assert reader.json() == {
        "name": "reader", "display_name": None, "role": "reader", "organisations": []
    }  # fmt: skip
    editor = api(live, tokens["editor-own"]).get("/api/me").json()
    assert editor["role"] == "editor"
    assert [o["id"] for o in editor["organisations"]] == [OWN]
    assert editor["organisations"][0]["name"] == "Socialnämnden"


def test_reader_token_reads_the_pages_json_twins(live, tokens):
    client = api(live, tokens["reader"])
    page = client.get(f"/initiatives/{OWN_INITIATIVE}.json")
    assert page.status_code == 200
    assert page.json()["facts"]
    it = client.get(f"/api/initiatives/{OWN_INITIATIVE}")
    assert it.status_code == 200
    body = it.json()
    stored = _stored(live)
    assert body["id"] == OWN_INITIATIVE and body["owner"] == OWN == stored.owner
    assert body["status"] == stored.status and len(body["reach"]) == len(stored.reach)
    assert it.headers["etag"] == f'"{body["version"]}"'


def _patch_is_refused(live, client: httpx.Client, change: dict) -> httpx.Response:
    """PATCH the own organisation's initiative at its current version: 403, nothing stored."""
    url = f"/api/initiatives/{OWN_INITIATIVE}"
    version = client.get(url).json()["version"]
    before = _stored(live)
    refused = client.patch(url, json=change, headers={"If-Match": str(version)})
    assert refused.status_code == 403
    assert _stored(live) == before
    return refused


def test_reader_may_not_patch(live, tokens):
    refused = _patch_is_refused(live, api(live, tokens["reader"]), {"status": "paused"})
    assert "roll" in refused.json()["detail"]


def test_editor_patches_own_initiative_stored_and_audited(live, tokens):
    client = api(live, tokens["editor-own"])
    current = client.get(f"/api/initiatives/{OWN_INITIATIVE}").json()
    stored = _stored(live)
    assert current["version"] == len(_log(live))  # every versioned save is one audit entry
    first = stored.reach[0]
    row = {"period": first.period, "area": first.area, "reached": first.reached + 7}
    change = {"status": "paused", "notes": "API: fler familjer nåddes.", "reach": [row]}
    saved = client.patch(
        f"/api/initiatives/{OWN_INITIATIVE}", json=change,
        headers={"If-Match": f'"{current["version"]}"'},
    )  # fmt: skip
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["version"] == current["version"] + 1
    assert saved.headers["etag"] == f'"{body["version"]}"'

    after = _stored(live)
    assert after.status == "paused" and after.notes == change["notes"]
    assert [(r.period, r.area, r.reached) for r in after.reach] == [
        (first.period, first.area, first.reached + 7)
    ]
    assert after.period == stored.period and after.title == stored.title  # untouched fields
    entry = _log(live)[-1]
    assert entry.user == "editor-own" and entry.action == "edit"
    assert entry.before["status"] == stored.status and entry.before["notes"] == stored.notes
    assert entry.after["status"] == "paused" and entry.after["notes"] == change["notes"]
    # The pages show the change at once.
    facts = api(live).get(f"/initiatives/{OWN_INITIATIVE}.json").text
    assert "API: fler familjer nåddes." in facts


def test_editor_of_another_organisation_is_refused(live, tokens):
    client = api(live, tokens["editor-other"])
    _patch_is_refused(live, client, {"notes": "inte min"})
    # ...while its own organisation's initiative is open to it.
    own = client.get(f"/api/initiatives/{OTHER_INITIATIVE}").json()
    assert own["owner"] == OTHER
    done = client.patch(
        f"/api/initiatives/{OTHER_INITIATIVE}", json={"notes": "Läsfrämjande, uppföljt."},
        headers={"If-Match": str(own["version"])},
    )  # fmt: skip
    assert done.status_code == 200, done.text


def test_stale_or_missing_if_match_is_refused(live, tokens):
    editor, admin = api(live, tokens["editor-own"]), api(live, tokens["admin"])
    url = f"/api/initiatives/{OWN_INITIATIVE}"
    version = editor.get(url).json()["version"]
    missing = admin.patch(url, json={"notes": "utan version"})
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    first = editor.patch(url, json={"notes": "Först"}, headers={"If-Match": str(version)})
    assert first.status_code == 200
    entries = len(_log(live))
    stale = admin.patch(url, json={"notes": "Sist"}, headers={"If-Match": str(version)})
    assert stale.status_code == 409
    assert "Someone else saved" in stale.json()["detail"]
    assert _stored(live).notes == "Först" and len(_log(live)) == entries


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "finished"}, ("status",)),
        ({"period": {"start": "1 jan 2024"}}, ("period",)),
        (
            {"reach": [{"period": "2024", "area": "ex-kvarnbacken", "reached": "många"}]},
            ("reach", 0, "reached"),
        ),
        ({"reach": [{"period": "2024", "area": "ingenstans", "reached": 3}]}, ("reach", 0, "area")),
        ({"owner": "ex-kulturnamnden"}, ("owner",)),  # not a field the API changes
    ],
)
def test_bad_values_are_named_and_nothing_is_written(live, tokens, change, field):
    client = api(live, tokens["admin"])
    url = f"/api/initiatives/{OWN_INITIATIVE}"
    version = client.get(url).json()["version"]
    before, entries = _stored(live), len(_log(live))
    bad = client.patch(url, json=change, headers={"If-Match": str(version)})
    assert bad.status_code == 422, bad.text
    problems = bad.json()["detail"]
    assert any(tuple(p["loc"][1 : 1 + len(field)]) == field for p in problems), problems
    assert all(p["loc"][0] == "body" and p["msg"] for p in problems)
    assert _stored(live) == before and len(_log(live)) == entries
    assert client.get(url).json()["version"] == version


def test_bad_token_is_refused_with_www_authenticate(live):
    for path in ("/api/me", f"/api/initiatives/{OWN_INITIATIVE}", "/initiatives.json"):
        refused = api(live, "jamlik_not-a-real-token").get(path)
        assert refused.status_code == 401, path
        assert refused.headers["www-authenticate"] == "Bearer", path
    public = api(live).get("/api/me")
    assert public.status_code == 401 and public.headers["www-authenticate"] == "Bearer"


def test_revoked_token_stops_working(live):
    with live.workspace.session() as s:
        token = create_token(s, "analyst", "to revoke", by="test")
    client = api(live, token)
    assert client.get("/api/me").status_code == 200
    with live.workspace.session() as s:
        [info] = [t for t in list_tokens(s, "analyst") if t.label == "to revoke"]
        revoke_token(s, info.id, by="test")
    refused = client.get("/api/me")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"

"""API tokens made on the web page: shown once, work as `Authorization: Bearer` with the
account's role, stop working when revoked; only their owner (or an administrator) revokes."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from accounts_site import AccountsSite, copy_demo
from forms import form_token

from jamlik.accounts import list_tokens
from jamlik.audit import read_log


@pytest.fixture
def site(demo_workspace, tmp_path) -> AccountsSite:
    return copy_demo(demo_workspace, tmp_path / "ws")


def make(client, label: str = "Rapportskript", lifetime: str = "30"):
    token = form_token(client.get("/account/tokens").text)
    return client.post(
        "/account/tokens", data={"csrf_token": token, "label": label, "lifetime": lifetime}
    )


def shown_token(html: str) -> str:
    found = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', html)
    assert found, "the page does not show the new token"
    return found.group(1)


def bearer(site: AccountsSite, token: str, path: str):
    """A request from a machine client: no cookies, only the token."""
    return site.client().get(path, headers={"Authorization": f"Bearer {token}"})


def revoke(client, token_id: int):
    csrf = form_token(client.get("/account/tokens").text)
    return client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf})


def token_log(site: AccountsSite, token_id: int) -> list[tuple[str, str]]:
    """(action, who) of each audit entry about the token."""
    with site.workspace.session() as s:
        return [
            (e.action, e.user) for e in read_log(s, entity="api_token", entity_id=str(token_id))
        ]


def test_token_made_on_the_page_works_until_revoked(site):
    reader = site.client("reader")
    made = make(reader)
    assert made.status_code == 201
    assert made.headers["cache-control"] == "no-store"
    token = shown_token(made.text)
    assert token.startswith("jamlik_")
    example = html_lib.unescape(
        re.search(r'<pre id="curl-example"><code>(.*?)</code>', made.text).group(1)
    )
    assert example == f'curl -H "Authorization: Bearer {token}" https://testserver/initiatives.json'

    assert bearer(site, token, "/initiatives.json").status_code == 200
    # The token acts as its account: a page only signed-in accounts see answers with it.
    assert site.client().get("/account/tokens").status_code == 401
    assert bearer(site, token, "/api/me").json()["name"] == "reader"
    assert bearer(site, token, "/admin/users").status_code == 403  # with the reader's role
    # Tokens are managed in a signed-in browser only: not even listed with a token.
    assert bearer(site, token, "/account/tokens").status_code == 403
    own_page = reader.get("/account/tokens")
    assert "Rapportskript" in own_page.text
    assert token not in own_page.text  # shown once, never again

    with site.workspace.session() as s:
        (info,) = list_tokens(s, "reader")
    assert info.last_used_at is not None and info.label == "Rapportskript"
    assert 29 <= (info.expires_at - info.created_at).days <= 30
    listing = reader.get("/account/tokens").text
    assert f"<code>{info.prefix}…</code>" in listing and token not in listing

    assert revoke(reader, info.id).headers["location"] == "/account/tokens?revoked=1"
    assert bearer(site, token, "/initiatives.json").status_code == 401
    assert "återkallad" in reader.get("/account/tokens").text
    assert token_log(site, info.id) == [("create_token", "reader"), ("revoke_token", "reader")]


def test_another_account_cannot_revoke_it_but_an_administrator_can(site):
    reader = site.client("reader")
    token = shown_token(make(reader).text)
    with site.workspace.session() as s:
        (info,) = list_tokens(s, "reader")
    for other in ("editor-own", "analyst"):
        refused = revoke(site.client(other), info.id)
        assert refused.status_code == 403 and "bara återkalla dina egna" in refused.text
    assert bearer(site, token, "/initiatives.json").status_code == 200
    # Nor with a token of its own: a bearer request is not a way around the owner check.
    other_token = shown_token(make(site.client("analyst"), "Annat").text)
    refused = site.client().post(
        f"/account/tokens/{info.id}/revoke", headers={"Authorization": f"Bearer {other_token}"}
    )
    assert refused.status_code == 403
    assert bearer(site, token, "/initiatives.json").status_code == 200

    admin = site.client("admin")
    assert f'action="/account/tokens/{info.id}/revoke"' in admin.get("/admin/users/reader").text
    done = revoke(admin, info.id)
    assert done.status_code == 303 and done.headers["location"] == "/admin/users/reader"
    assert bearer(site, token, "/initiatives.json").status_code == 401
    assert token_log(site, info.id) == [("create_token", "reader"), ("revoke_token", "admin")]


def test_a_token_needs_a_name_and_a_known_lifetime(site):
    reader = site.client("reader")
    blank = make(reader, label="  ")
    assert blank.status_code == 422 and 'href="#label"' in blank.text
    odd = make(reader, lifetime="8")
    assert odd.status_code == 422 and 'href="#lifetime"' in odd.text
    # Every token expires: "until revoked" is no longer a choice, nor beyond a year.
    for lifetime in ("", "730", "99999"):
        refused = make(reader, label="Utan slut", lifetime=lifetime)
        assert refused.status_code == 422 and 'href="#lifetime"' in refused.text
    assert 'value=""' not in reader.get("/account/tokens").text.split('id="lifetime"')[1][:400]
    year = make(reader, label="Ett år", lifetime="365")
    assert year.status_code == 201
    with site.workspace.session() as s:
        (info,) = list_tokens(s, "reader")
        assert info.label == "Ett år"
        assert 364 <= (info.expires_at - info.created_at).days <= 365
        assert [e.action for e in read_log(s, entity="api_token")] == ["create_token"]


def test_revoking_an_unknown_token_and_signing_out_visitors(site):
    assert revoke(site.client("reader"), 424242).status_code == 404
    visitor = site.client()
    assert visitor.get("/account/tokens").status_code == 401
    csrf = form_token(visitor.get("/sign-in").text)
    answer = visitor.post(
        "/account/tokens", data={"csrf_token": csrf, "label": "x", "lifetime": "30"}
    )
    assert answer.status_code == 401
    assert site.client("reader").get("/account/tokens.json").status_code == 404  # no twin

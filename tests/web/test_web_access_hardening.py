"""Issue 12's access attacks against the site, each one failing: a temporary password used for
anything but changing it, a leaked token minting tokens or changing accounts, guessing that
locks the owner out, sessions that outlive a password change or a new sign-in, and an
unpublished programme showing its title or which initiatives exist to visitors.

Most run on an in-process copy of the demo (`copy_demo`); throttling by client address runs
against a real uvicorn on 127.0.0.1, with and without 127.0.0.1 as a trusted proxy.
"""

from __future__ import annotations

import re

import httpx
import pytest
from accounts_site import OWN_INITIATIVE, PASSWORD, AccountsSite, copy_demo
from forms import form_token
from live_site import serve
from sqlalchemy import update
from starlette.testclient import TestClient
from test_web_roles import EXPECTED, SAMPLE

from jamlik.accounts import create_token, create_user, get_user, list_tokens, reset_password
from jamlik.programme.tables import ProgrammeRow
from jamlik.web import WebSettings, create_app

NEW_PASSWORD = "sju-sorters-blommor-midsommar"
MUST_CHANGE = "Byt ditt tillfälliga lösenord"
# What an account that must change its password may still reach.
WHILE_CHANGING = {"/account/password", "/sign-in", "/sign-out", "/sign-out-everywhere"}


@pytest.fixture
def site(demo_workspace, tmp_path) -> AccountsSite:
    return copy_demo(demo_workspace, tmp_path / "ws")


def sign_in(client, name: str, password: str):
    page = client.get("/sign-in")
    data = {"csrf_token": form_token(page.text), "name": name, "password": password, "next": "/"}
    return client.post("/sign-in", data=data)


def change_password(client, current: str, new: str):
    page = client.get("/account/password")
    data = {"csrf_token": form_token(page.text), "current": current, "new": new, "repeat": new}
    return client.post("/account/password", data=data)


def bearer(site: AccountsSite, token: str) -> TestClient:
    """A machine client: no cookies, only the token."""
    return TestClient(site.app, base_url="https://testserver", follow_redirects=False,
                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip


def make_token(client, label: str = "Skript", lifetime: str = "30"):
    token = form_token(client.get("/account/tokens").text)
    return client.post(
        "/account/tokens", data={"csrf_token": token, "label": label, "lifetime": lifetime}
    )


def token_count(site: AccountsSite, name: str) -> int:
    with site.workspace.session() as s:
        return len(list_tokens(s, name))


# -- Item 2: a temporary password reaches the change page only ---------------------------------


def test_after_a_reset_only_the_change_page_answers_until_the_password_is_changed(site):
    with site.workspace.session() as s:
        old_token = create_token(s, "reader", "före återställningen", by="test")
        temporary = reset_password(s, "reader", by="admin")
    client = site.client()
    signed = sign_in(client, "reader", temporary)
    assert signed.status_code == 303 and signed.headers["location"] == "/account/password"

    for path in ("/", "/initiatives", f"/initiatives/{OWN_INITIATIVE}", "/account/tokens",
                 "/reports", "/accessibility"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/account/password", path
    for path in ("/initiatives.json", "/api/me", f"/api/initiatives/{OWN_INITIATIVE}"):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert MUST_CHANGE in answer.json()["detail"], path
    # The attack of issue 12: a token made with the temporary password. Refused, none made.
    csrf = form_token(client.get("/account/password").text)  # a valid form token
    made = client.post(
        "/account/tokens", data={"csrf_token": csrf, "label": "bakdörr", "lifetime": "365"}
    )
    assert made.status_code == 303 and made.headers["location"] == "/account/password"
    assert token_count(site, "reader") == 1
    # A token made before the reset waits for the change too.
    machine = bearer(site, old_token)
    assert machine.get("/api/me").status_code == 403
    assert MUST_CHANGE in machine.get("/initiatives.json").json()["detail"]

    page = client.get("/account/password")
    assert page.status_code == 200 and "Välj ett nytt lösenord" in page.text
    changed = change_password(client, temporary, NEW_PASSWORD)
    assert changed.status_code == 200 and "Lösenordet är bytt" in changed.text
    # The same browser goes on, signed in; the token works again.
    assert "Inloggad som reader" in client.get("/initiatives").text
    assert machine.get("/api/me").json()["name"] == "reader"


def test_every_route_refuses_an_account_that_must_change_its_password(site):
    """The route walk of test_web_roles.py for an account with a temporary password: every
    route but the change page, sign-in and sign-out answers a redirect to the change page (a
    JSON 403 under /api/). /openapi.json is the same public document for everyone."""
    with site.workspace.session() as s:
        temporary = reset_password(s, "admin", by="test")
    client = site.client()
    assert sign_in(client, "admin", temporary).status_code == 303
    csrf = form_token(client.get("/sign-in").text)
    walked = 0
    for method, path in sorted(EXPECTED):
        if path in WHILE_CHANGING or path == "/openapi.json":
            continue
        url = path.format(**SAMPLE)
        answer = client.request(method, url, data=None if method == "GET" else {"csrf_token": csrf})
        if path.startswith("/api/"):
            assert answer.status_code == 403, (method, url, answer.status_code)
            assert MUST_CHANGE in answer.json()["detail"]
        else:
            assert answer.status_code == 303, (method, url, answer.status_code)
            assert answer.headers["location"] == "/account/password", (method, url)
        walked += 1
    assert walked >= 40  # every route of the site but the five left open
    assert client.get("/account/password").status_code == 200


# -- Item 3: tokens are managed from a signed-in browser only ----------------------------------


def test_a_leaked_token_cannot_mint_tokens_or_change_accounts(site):
    reader = site.client("reader")
    first = re.search(r'id="new-token" type="text" readonly value="([^"]+)"',
                      make_token(reader).text).group(1)  # fmt: skip
    leaked = bearer(site, first)
    assert leaked.get("/api/me").json()["name"] == "reader"  # it works as an API token ...
    minted = leaked.post("/account/tokens", data={"label": "bakdörr", "lifetime": "365"})
    assert minted.status_code == 403  # ... but cannot make another
    assert "aldrig med en API-nyckel" in minted.text
    assert token_count(site, "reader") == 1
    assert leaked.get("/account/tokens").status_code == 403
    with site.workspace.session() as s:
        (info,) = list_tokens(s, "reader")
    assert leaked.post(f"/account/tokens/{info.id}/revoke").status_code == 403
    assert leaked.post("/account/password", data={"current": "x", "new": "y"}).status_code == 403

    # An administrator's leaked token cannot make accounts or reset passwords either.
    admin = site.client("admin")
    admin_token = re.search(r'id="new-token" type="text" readonly value="([^"]+)"',
                            make_token(admin).text).group(1)  # fmt: skip
    stolen = bearer(site, admin_token)
    assert stolen.get("/admin/users").status_code == 200  # reading is allowed
    created = stolen.post("/admin/users", data={"name": "inkräktare", "role": "administrator"})
    assert created.status_code == 403
    reset = stolen.post("/admin/users/reader/reset-password", data={"confirm": "yes"})
    assert reset.status_code == 403
    with site.workspace.session() as s:
        assert get_user(s, "inkräktare") is None
        assert not get_user(s, "reader").must_change_password


# -- Item 5: sessions ----------------------------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_others(site):
    here, elsewhere = site.client(), site.client()
    assert sign_in(here, "reader", PASSWORD).status_code == 303
    assert sign_in(elsewhere, "reader", PASSWORD).status_code == 303
    weak = change_password(here, PASSWORD, "aaaaaaaaaa")
    assert weak.status_code == 400
    assert "för lätt att gissa" in weak.text and "too easy to guess" in weak.text
    assert change_password(here, PASSWORD, NEW_PASSWORD).status_code == 200
    assert "Inloggad som reader" in here.get("/initiatives").text
    assert "Inloggad som" not in elsewhere.get("/initiatives").text


def test_signing_in_over_a_session_replaces_it(site):
    client = site.client()
    assert sign_in(client, "reader", PASSWORD).status_code == 303
    first = client.cookies.get("jamlik_session")
    assert sign_in(client, "analyst", PASSWORD).status_code == 303
    second = client.cookies.get("jamlik_session")
    assert second != first
    old = site.client()
    old.cookies.set("jamlik_session", first)
    assert "Inloggad som" not in old.get("/initiatives").text  # the old session has ended
    assert "Inloggad som analyst" in client.get("/initiatives").text


def test_a_disabled_and_enabled_account_gets_no_old_token_back(site):
    reader = site.client("reader")
    token = re.search(r'id="new-token" type="text" readonly value="([^"]+)"',
                      make_token(reader).text).group(1)  # fmt: skip
    admin = site.client("admin")
    for active in ("", "yes"):
        page = admin.get("/admin/users/reader").text
        data = {"csrf_token": form_token(page), "version": re.search(
            r'name="version" value="(\d+)"', page).group(1), "display_name": "",
            "role": "reader", "active": active}  # fmt: skip
        assert admin.post("/admin/users/reader", data=data).status_code == 303
    assert bearer(site, token).get("/api/me").status_code == 401


# -- Item 4: throttling by account and client address -------------------------------------------


def _attempt(url: str, address: str, password: str, name: str = "admin") -> httpx.Response:
    with httpx.Client(base_url=url, headers={"X-Forwarded-For": address}, timeout=60) as c:
        page = c.get("/sign-in")
        data = {"csrf_token": form_token(page.text), "name": name, "password": password,
                "next": "/"}  # fmt: skip
        return c.post("/sign-in", data=data)


@pytest.fixture(scope="module")
def throttled_copy(demo_workspace, tmp_path_factory) -> AccountsSite:
    return copy_demo(demo_workspace, tmp_path_factory.mktemp("throttle") / "ws")


def test_guessing_from_one_address_slows_that_address_not_the_owner(throttled_copy):
    """Issue 12: five wrong passwords from anywhere locked any account, administrators
    included. Behind a trusted proxy (127.0.0.1 here) each visitor's address counts apart."""
    app = create_app(WebSettings.for_workspace(throttled_copy.workspace), warm=False,
                     secure_cookies=False)  # fmt: skip
    with serve(app, forwarded_allow_ips="127.0.0.1") as url:
        for _ in range(5):
            assert _attempt(url, "203.0.113.9", "fel-lösenord-här").status_code == 400
        waiting = _attempt(url, "203.0.113.9", PASSWORD)  # even the right password waits
        assert waiting.status_code == 429
        seconds = int(waiting.headers["retry-after"])
        assert 1 <= seconds <= 30
        assert re.search(r"Försök igen om \d+ sekunder", waiting.text)
        owner = _attempt(url, "198.51.100.4", PASSWORD)  # the administrator at the office
        assert owner.status_code == 303 and owner.headers["location"] == "/"


def test_a_client_cannot_choose_its_address_without_a_trusted_proxy(throttled_copy):
    """With no trusted proxy in front, X-Forwarded-For is ignored: a guesser cannot escape the
    backoff by claiming another address in the header."""
    app = create_app(WebSettings.for_workspace(throttled_copy.workspace), warm=False,
                     secure_cookies=False)  # fmt: skip
    with serve(app, forwarded_allow_ips="192.0.2.1") as url:  # a proxy that is not us
        for n in range(5):
            assert _attempt(url, f"203.0.113.{n}", "fel-lösenord-här", "analyst").status_code == 400
        spoofed = _attempt(url, "198.51.100.77", PASSWORD, "analyst")
        assert spoofed.status_code == 429


# -- Item 6: an unpublished programme shows nothing to visitors ---------------------------------


@pytest.fixture(scope="module")
def unpublished(demo_workspace, tmp_path_factory) -> AccountsSite:
    site = copy_demo(demo_workspace, tmp_path_factory.mktemp("hidden") / "ws")
    with site.workspace.session() as s:
        s.execute(update(ProgrammeRow).values(published=False))
        title = s.query(ProgrammeRow.title).scalar()
    site.title = title  # type: ignore[attr-defined]
    return site


@pytest.mark.parametrize(
    "path", ["/sign-in", "/accessibility", "/accessibility.json", "/programme", "/no-such-page"]
)
def test_the_unpublished_title_is_not_shown_to_visitors(unpublished, path):
    answer = unpublished.client().get(path)
    assert answer.status_code in (200, 401, 404)
    assert unpublished.title not in answer.text, path
    assert unpublished.title in unpublished.client("reader").get(path).text, path


def test_editing_tells_visitors_nothing_about_which_initiatives_exist(unpublished):
    visitor = unpublished.client()
    existing = visitor.get(f"/initiatives/{OWN_INITIATIVE}/edit")
    missing = visitor.get("/initiatives/finns-inte/edit")
    assert existing.status_code == missing.status_code == 401
    assert existing.text.replace(OWN_INITIATIVE, "X") == missing.text.replace("finns-inte", "X")
    token = form_token(visitor.get("/sign-in").text)
    for initiative in (OWN_INITIATIVE, "finns-inte"):
        posted = visitor.post(f"/initiatives/{initiative}/edit", data={"csrf_token": token})
        assert posted.status_code == 401
        patched = visitor.patch(f"/api/initiatives/{initiative}", json={},
                                headers={"X-CSRF-Token": token, "If-Match": "0"})  # fmt: skip
        assert patched.status_code == 401


@pytest.fixture(scope="module")
def two_programmes(tmp_path_factory) -> AccountsSite:
    """The VGR investment demo (example data, so the site lists every programme's investments)
    beside a published programme the site shows; the VGR programme is then unpublished."""
    from jamlik.invest.demo import build_invest_demo
    from jamlik.programme import import_programme, load_example
    from jamlik.workspace import Workspace

    ws = Workspace.resolve(tmp_path_factory.mktemp("two-programmes") / "ws")
    build_invest_demo(ws, draws=100, calculate=False)
    import_programme(ws, load_example("boras-god-start"))
    with ws.session() as s:
        s.execute(
            update(ProgrammeRow)
            .where(ProgrammeRow.id == "vgr-sociala-investeringar")
            .values(published=False)
        )
        create_user(s, "reader", "reader", password=PASSWORD, by="test")
    settings = WebSettings.for_workspace(ws, programme_id="boras-god-start")
    return AccountsSite(ws, create_app(settings, warm=False))


def test_investments_of_an_unpublished_programme_are_hidden_from_visitors(two_programmes):
    from jamlik.invest.store import list_investments

    stored = [i.initiative for i in list_investments(two_programmes.workspace)]
    assert stored  # the VGR programme's investments, all of an unpublished programme
    reader = two_programmes.client("reader").get("/investeringar.json").json()["facts"]
    assert reader["count"] == len(stored)  # a signed-in reader sees them, as before
    visitor = two_programmes.client().get("/investeringar.json")
    assert visitor.status_code == 200
    assert visitor.json()["facts"]["count"] == 0
    page = two_programmes.client().get("/investeringar").text
    for initiative in stored:
        assert f"/investeringar/{initiative}" not in page
        assert two_programmes.client().get(f"/investeringar/{initiative}").status_code == 404
        assert (
            two_programmes.client("reader").get(f"/investeringar/{initiative}").status_code == 200
        )

"""Sign-in with the organisation's own account against real protocol partners (issue 17).

OpenID Connect: panva/oidc-provider (OpenID Certified) run by Node on 127.0.0.1, once per
session (oidc_op.py), the site registered with it by Dynamic Client Registration; Chromium
signs in through it. SAML 2.0: pysaml2's own IdP (saml2.server.Server) in the test process
(saml_idp.py), its answers posted to the site's assertion consumer service. The site is a real
uvicorn serving a copy of the demo with `[sign_in]` in web.toml, passwords switched off but for
the break-glass account `admin`.

Every refusal is an attack that fails: a forged, expired, foreign or misdirected ID token or
assertion is answered with the sign-in page (400), no session and no account.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from urllib.parse import urljoin

import httpx
import pytest
from accounts_site import PASSWORD, copy_demo
from forms import form_token
from live_site import serve
from oidc_op import OpenIdProvider, start_op
from saml_idp import SamlIdp
from web_helpers import axe_violations, browser_tab

from jamlik.accounts import get_user
from jamlik.accounts.sso import pending
from jamlik.audit import read_log
from jamlik.web import WebSettings, create_app

OWN = "ex-socialnamnden"
EDIT = "/initiatives/ex-familjecentraler/edit"
REFUSED = "Inloggningen via organisationskontot godtogs inte"


@pytest.fixture(scope="session")
def op(tmp_path_factory) -> Iterator[OpenIdProvider]:
    with start_op(tmp_path_factory.mktemp("op")) as running:
        yield running


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WEB_TOML = """
[sign_in]
base_url = "{base}"
local = false
break_glass = ["admin"]

[[sign_in.oidc]]
id = "op"
label = "Exempelstad"
issuer = "{issuer}"
client_id = "{client_id}"
client_secret_file = "op-client-secret"
scopes = ["openid", "profile", "groups", "organisation"]
acr_values = ["loa3", "loa2"]
claims = {{ name = "preferred_username", display_name = "name", organisation = "organisation", groups = "groups" }}
editing_assurance = ["loa3"]

[[sign_in.oidc.roles]]
value = "jamlik-admins"
role = "administrator"

[[sign_in.oidc.roles]]
value = "socialnamnden-redaktorer"
role = "editor"
actors = ["{own}"]

[[sign_in.oidc.roles]]
value = "alla-anstallda"
role = "reader"

[[sign_in.saml]]
id = "sambi"
label = "Regionen (Sambi)"
idp_metadata_file = "{idp_metadata}"
claims = {{ name = "eduPersonPrincipalName", display_name = "displayName", organisation = "o", groups = "eduPersonEntitlement" }}

[[sign_in.saml.roles]]
value = "urn:sambi:jamlik:analytiker"
role = "analyst"
"""


class SsoSite:
    def __init__(self, url: str, workspace, op: OpenIdProvider, idp: SamlIdp):
        self.url, self.workspace, self.op, self.idp = url, workspace, op, idp

    def user(self, name: str):
        with self.workspace.session() as s:
            return get_user(s, name)

    def log(self, name: str):
        with self.workspace.session() as s:
            return read_log(s, entity="user", entity_id=name)


@pytest.fixture(scope="module")
def sso(demo_workspace, op, tmp_path_factory) -> Iterator[SsoSite]:
    root = tmp_path_factory.mktemp("sso")
    copy = copy_demo(demo_workspace, root / "ws")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    client = op.register([base + "/sign-in/oidc/op/callback"], [base + "/"])
    # A relative file name is read from the workspace folder.
    (copy.workspace.path / "op-client-secret").write_text(client["client_secret"] + "\n")
    idp = SamlIdp.make(root / "idp")
    (copy.workspace.path / "web.toml").write_text(
        WEB_TOML.format(
            base=base, issuer=op.issuer, client_id=client["client_id"], own=OWN,
            idp_metadata=idp.metadata_file,
        ),
        "utf-8",
    )  # fmt: skip
    app = create_app(WebSettings.for_workspace(copy.workspace), secure_cookies=False)
    with serve(app, port=port) as url:
        httpx.get(url + "/", timeout=120).raise_for_status()
        # The IdP trusts the service provider by the metadata the site publishes.
        metadata = httpx.get(url + "/saml/sambi/metadata.xml", timeout=30)
        assert metadata.status_code == 200
        idp.trust(metadata.text)
        yield SsoSite(url, copy.workspace, op, idp)


ACCOUNTS = {
    "anna": {
        "preferred_username": "anna.andersson",
        "name": "Anna Andersson",
        "organisation": "Exempelstad",
        "groups": ["alla-anstallda", "socialnamnden-redaktorer"],
        # Claims jamlik has no use for must not be stored.
        "email": "anna.andersson@exempelstad.example",
    },
    "bo": {"preferred_username": "bo.berg", "name": "Bo Berg", "groups": ["jamlik-admins"]},
    "cecilia": {"preferred_username": "cecilia", "name": "Cecilia C", "groups": ["kultur"]},
    "mallory": {"preferred_username": "mallory", "name": "M", "groups": ["jamlik-admins"]},
}


@pytest.fixture
def accounts(sso) -> dict:
    found = json.loads(json.dumps(ACCOUNTS))
    sso.op.set_accounts(found)
    return found


@pytest.fixture
def tab(browser):
    refused = [f"the server responded with a status of {s}" for s in (400, 401, 403)]
    with browser_tab(browser, *refused, timeout=30_000) as page:
        yield page


def browser_sign_in(sso: SsoSite, tab, login: str, acr: str = "loa3") -> None:
    """Through the sign-in page's provider link, the provider's login form (unless the
    browser is still signed in there) and back."""

    def settled(url: str) -> bool:
        here = url.startswith(sso.url) and "/sign-in/oidc/op?" not in url
        return "/interaction/" in url or (here and "/sign-in?next=" not in url)

    # Back on a light page: the test is about signing in, not about drawing the start page.
    tab.goto(sso.url + "/sign-in?next=/accessibility")
    tab.get_by_role("link", name="Logga in med organisationskonto: Exempelstad").click()
    tab.wait_for_url(settled)
    if "/interaction/" in tab.url:
        tab.get_by_label("Konto").fill(login)
        tab.get_by_label("Tillitsnivå").select_option(acr)
        tab.get_by_role("button", name="Logga in hos IdP").click()
        tab.wait_for_url(re.compile("^" + re.escape(sso.url)))


# --- OpenID Connect in Chromium ---------------------------------------------------------


def test_sign_in_page_offers_the_providers_and_hides_the_password_form(sso, tab):
    tab.goto(sso.url + "/sign-in")
    assert tab.get_by_role("heading", name="Logga in med organisationskonto").is_visible()
    links = tab.locator("#sign-in-providers a").all_inner_texts()
    assert links == [
        "Logga in med organisationskonto: Exempelstad",
        "Logga in med organisationskonto: Regionen (Sambi)",
    ]
    assert tab.locator("#sign-in-form").count() == 0  # passwords are switched off
    assert axe_violations(tab) == []
    tab.goto(sso.url + "/sign-in?local=1")  # the break-glass way in
    assert tab.locator("#sign-in-form").count() == 1


def test_oidc_sign_in_makes_an_editor_from_the_groups_claim(sso, accounts, tab):
    browser_sign_in(sso, tab, "anna")
    assert tab.url == sso.url + "/accessibility"  # where the sign-in was started for
    header = tab.locator("header").inner_text()
    assert "Inloggad som Anna Andersson (redaktör)" in header, header
    assert "Byt lösenord" not in header  # the password is the organisation's, not jamlik's
    tab.goto(sso.url + EDIT)
    assert tab.get_by_role("button", name="Spara").is_visible()

    user = sso.user("anna.andersson")
    assert (user.role, user.actors, user.source) == ("editor", frozenset({OWN}), "oidc:op")
    assert (user.organisation, user.groups) == (
        "Exempelstad", ("alla-anstallda", "socialnamnden-redaktorer"),
    )  # fmt: skip
    entries = sso.log("anna.andersson")
    assert [e.action for e in entries][:2] == ["create", "sign_in"]
    assert entries[1].after["method"] == "oidc:op" and entries[1].after["assurance"] == "loa3"
    # Nothing beyond name, display name, organisation and groups is kept.
    with sso.workspace.session() as s:
        dump = "\n".join(
            str(row) for table in ("user_account", "audit_log", "login_session")
            for row in s.connection().exec_driver_sql(f"SELECT * FROM {table}")
        )  # fmt: skip
    assert "anna.andersson@exempelstad.example" not in dump


def test_editing_roles_need_the_required_assurance_level(sso, accounts, tab):
    browser_sign_in(sso, tab, "anna", acr="loa2")
    assert "(läsare)" in tab.locator("header").inner_text()
    assert sso.user("anna.andersson").role == "reader"
    assert tab.goto(sso.url + EDIT).status == 403
    assert sso.log("anna.andersson")[-1].after["downgraded"] is True


def test_removed_from_the_group_no_access_at_next_sign_in(sso, accounts, browser, tab):
    browser_sign_in(sso, tab, "bo")
    assert tab.goto(sso.url + "/admin/users").status == 200
    assert sso.user("bo.berg").role == "administrator"

    accounts["bo"]["groups"] = []  # removed from jamlik-admins at the provider
    sso.op.set_accounts(accounts)
    with browser_tab(browser, "status of 403", "status of 401") as other:
        browser_sign_in(sso, other, "bo")
        assert "ingen roll i jamlik" in other.locator("#sign-in-error").inner_text()
    assert sso.user("bo.berg").active is False
    # The session opened before is over too.
    assert tab.goto(sso.url + "/admin/users").status == 401

    accounts["bo"]["groups"] = ["alla-anstallda"]  # back, as a reader only
    sso.op.set_accounts(accounts)
    browser_sign_in(sso, tab, "bo")
    bo = sso.user("bo.berg")
    assert (bo.active, bo.role) == (True, "reader")
    assert tab.goto(sso.url + "/admin/users").status == 403


def test_no_matching_rule_makes_no_account(sso, accounts, tab):
    browser_sign_in(sso, tab, "cecilia")
    assert "ingen roll i jamlik" in tab.locator("#sign-in-error").inner_text()
    assert sso.user("cecilia") is None


def test_sign_out_ends_the_session_here_and_at_the_provider(sso, accounts, tab):
    browser_sign_in(sso, tab, "anna")
    tab.goto(sso.url + "/sign-out")
    tab.locator("main").get_by_role("button", name="Logga ut", exact=True).click()
    # RP-initiated logout: the provider asks, then sends the browser back to the start page.
    tab.get_by_role("button", name="Ja, logga ut hos IdP").click()
    tab.wait_for_url(sso.url + "/")
    assert "Logga in" in tab.locator("header").inner_text()
    assert tab.goto(sso.url + EDIT).status == 401
    # Signed out at the provider too: signing in again asks who you are.
    tab.goto(sso.url + "/sign-in/oidc/op")
    tab.wait_for_url(re.compile(re.escape(sso.op.issuer) + "/interaction/"))
    assert tab.get_by_label("Konto").is_visible()


# --- OpenID Connect attacks, over HTTP ---------------------------------------------------


def http_flow(sso: SsoSite, login: str, *, stop_at_callback: bool = False):
    """Sign in as a browser would, following redirects (the provider's login form is posted)
    up to the site's callback; its answer (or, with `stop_at_callback`, the callback address
    and the client that would have sent it)."""
    client = httpx.Client(timeout=30, follow_redirects=False)
    answer = client.get(sso.url + "/sign-in/oidc/op")
    while answer.is_redirect and "/sign-in/oidc/op/callback" not in str(answer.url):
        target = urljoin(str(answer.url), answer.headers["location"])
        if stop_at_callback and target.startswith(sso.url + "/sign-in/oidc/op/callback"):
            return target, client
        answer = client.get(target)
        if "/interaction/" in str(answer.url) and answer.status_code == 200:
            answer = client.post(str(answer.url), data={"login": login, "acr": "loa3"})
    return answer, client


@pytest.mark.parametrize(
    "forgery",
    ["tampered", "expired", "wrong-issuer", "wrong-audience", "wrong-nonce", "foreign-key",
     "alg-none"],
)  # fmt: skip
def test_a_forged_id_token_is_refused(sso, accounts, forgery):
    name = f"mallory-{forgery}"  # an administrator by the rules, were the token accepted
    accounts[name] = {"preferred_username": name, "name": "M", "groups": ["jamlik-admins"]}
    sso.op.set_accounts(accounts)
    sso.op.forge_next(forgery)
    answer, client = http_flow(sso, name)
    assert answer.status_code == 400, (forgery, answer.status_code)
    assert REFUSED in answer.text
    assert "jamlik_session" not in client.cookies
    assert sso.user(name) is None and sso.user("admin").role == "administrator"


def test_the_same_flow_without_forgery_signs_in(sso, accounts):
    """The control for the forgeries: the harness passes genuine tokens through."""
    answer, client = http_flow(sso, "mallory")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert "jamlik_session" in client.cookies
    assert sso.user("mallory").role == "administrator"


def test_a_callback_finished_in_another_browser_is_refused(sso, accounts):
    """Login CSRF: the attacker starts a sign-in and hands the callback to a victim."""
    callback, _ = http_flow(sso, "bo", stop_at_callback=True)
    victim = httpx.Client(timeout=30)
    answer = victim.get(callback)
    assert answer.status_code == 400 and "inte i den här webbläsaren" in answer.text
    assert "jamlik_session" not in victim.cookies


def test_a_callback_is_used_once(sso, accounts):
    callback, client = http_flow(sso, "bo", stop_at_callback=True)
    state = client.cookies["jamlik_sso_state"]
    first = client.get(callback)
    assert first.status_code == 303
    client.cookies.set("jamlik_sso_state", state, path="/sign-in/oidc")
    again = client.get(callback)
    assert again.status_code == 400 and "redan använd" in again.text


# --- passwords switched off, central stop ------------------------------------------------


def _password_sign_in(sso: SsoSite, name: str) -> tuple[httpx.Response, httpx.Client]:
    client = httpx.Client(base_url=sso.url, timeout=30)
    page = client.get("/sign-in?local=1")
    answer = client.post(
        "/sign-in",
        data={"name": name, "password": PASSWORD, "next": "/", "csrf_token": form_token(page.text)},
    )
    return answer, client


def test_passwords_off_but_for_the_break_glass_account(sso):
    refused, _ = _password_sign_in(sso, "reader")
    assert refused.status_code == 400 and "Inloggning med lösenord är avstängd" in refused.text
    allowed, client = _password_sign_in(sso, "admin")
    assert allowed.status_code == 303 and "jamlik_session" in client.cookies
    assert sso.log("admin")[-1].after == {"method": "password"}


def test_an_administrator_ends_all_sessions_and_tokens_of_an_sso_account(sso, accounts):
    answer, anna = http_flow(sso, "anna")
    assert answer.status_code == 303
    assert anna.get(sso.url + EDIT).status_code == 200
    with sso.workspace.session() as s:
        from jamlik.accounts import create_token

        token = create_token(s, "anna.andersson", "rapportrobot", by="test")
    api = httpx.get(sso.url + "/api/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200

    _, admin = _password_sign_in(sso, "admin")
    page = admin.get("/admin/users/anna.andersson")
    assert "oidc:op" in page.text and "socialnamnden-redaktorer" in page.text
    done = admin.post(
        "/admin/users/anna.andersson/end-access",
        data={"csrf_token": form_token(page.text), "confirm": "yes"},
    )
    assert done.status_code == 200
    assert "inloggningar och 1 API-nycklar för anna.andersson är avslutade" in done.text
    assert anna.get(sso.url + EDIT).status_code == 401
    api = httpx.get(sso.url + "/api/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


# --- SAML 2.0 ---------------------------------------------------------------------------

EVA = {
    "eduPersonPrincipalName": ["eva@region.example"],
    "displayName": ["Eva Ek"],
    "o": ["Region Exempel"],
    "eduPersonEntitlement": ["urn:sambi:jamlik:analytiker"],
    "mail": ["eva.ek@region.example"],
}


def saml_start(sso: SsoSite) -> tuple[str, httpx.Client]:
    client = httpx.Client(base_url=sso.url, timeout=30)
    started = client.get("/sign-in/saml/sambi")
    assert started.status_code == 303
    return started.headers["location"], client


def saml_post(client: httpx.Client, response: str) -> httpx.Response:
    return client.post("/sign-in/saml/sambi/acs", data={"SAMLResponse": response})


def test_sp_metadata_is_published(sso):
    answer = httpx.get(sso.url + "/saml/sambi/metadata.xml")
    assert answer.headers["content-type"].startswith("application/samlmetadata+xml")
    assert f'entityID="{sso.url}/saml/sambi/metadata.xml"' in answer.text
    assert f'Location="{sso.url}/sign-in/saml/sambi/acs"' in answer.text
    assert 'WantAssertionsSigned="true"' in answer.text


def test_a_signed_assertion_signs_in_and_is_not_accepted_twice(sso):
    location, client = saml_start(sso)
    response = sso.idp.answer(location, subject="eva-persistent-1", attributes=EVA)
    answer = saml_post(client, response)
    assert answer.status_code == 303 and "jamlik_session" in client.cookies
    eva = sso.user("eva@region.example")
    assert (eva.role, eva.source, eva.organisation) == ("analyst", "saml:sambi", "Region Exempel")
    assert sso.log("eva@region.example")[-1].after["method"] == "saml:sambi"
    assert sso.log("eva@region.example")[-1].after["assurance"].endswith("loa3")

    replayed = saml_post(httpx.Client(base_url=sso.url), response)
    assert replayed.status_code == 400 and REFUSED in replayed.text


def test_a_replayed_assertion_is_refused_even_if_its_request_were_still_pending(sso):
    """The assertion id store on its own: as when two processes take the same answer at once."""
    location, client = saml_start(sso)
    response = sso.idp.answer(location, subject="eva-persistent-1", attributes=EVA)
    assert saml_post(client, response).status_code == 303
    request_id = (
        sso.idp.server()
        .parse_authn_request(
            dict(httpx.URL(location).params)["SAMLRequest"],
            "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
        )
        .message.id
    )
    with sso.workspace.session() as s:
        pending.remember(s, request_id, "saml:sambi", "/")
    again = saml_post(httpx.Client(base_url=sso.url), response)
    assert again.status_code == 400 and "already used (replay)" in again.text


@pytest.mark.parametrize(
    ("case", "options"),
    [
        ("unsigned", {"sign": False}),
        ("wrong audience", {"audience": "https://another-sp.example/metadata"}),
        ("expired", {"lifetime_minutes": -10}),
        ("wrong recipient", {"recipient": "https://another-sp.example/acs"}),
    ],
)
def test_a_bad_assertion_is_refused(sso, case, options):
    location, client = saml_start(sso)
    name = f"x-{case.replace(' ', '-')}@region.example"
    response = sso.idp.answer(
        location, subject=f"x-{case}", attributes=EVA | {"eduPersonPrincipalName": [name]},
        **options,
    )  # fmt: skip
    answer = saml_post(client, response)
    assert answer.status_code == 400, case
    assert REFUSED in answer.text and "jamlik_session" not in client.cookies
    assert sso.user(name) is None


def test_an_assertion_signed_by_another_key_is_refused(sso, tmp_path):
    impostor = SamlIdp.make(tmp_path / "impostor")  # same entity id, its own key
    impostor.trust((sso.idp.folder / "sp-metadata.xml").read_text())
    location, client = saml_start(sso)
    answer = saml_post(
        client,
        impostor.answer(
            location,
            subject="imp",
            attributes=EVA | {"eduPersonPrincipalName": ["impostor@region.example"]},
        ),
    )
    assert answer.status_code == 400 and REFUSED in answer.text
    assert sso.user("impostor@region.example") is None


def test_an_unsolicited_assertion_is_refused(sso):
    location, _ = saml_start(sso)
    response = sso.idp.answer(
        location,
        subject="u",
        attributes=EVA | {"eduPersonPrincipalName": ["unsolicited@region.example"]},
    )
    with sso.workspace.session() as s:  # the request is forgotten (expired, or never sent)
        s.connection().exec_driver_sql("DELETE FROM sso_request")
    answer = saml_post(httpx.Client(base_url=sso.url), response)
    assert answer.status_code == 400 and sso.user("unsolicited@region.example") is None

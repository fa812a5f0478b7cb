"""Signing in and out through the web forms: labels, CSRF token, errors, throttling."""

from __future__ import annotations

import pytest
from accounts_site import PASSWORD, AccountsSite, copy_demo
from forms import form_token

from jamlik.accounts import SESSION_COOKIE


@pytest.fixture(scope="module")
def site(demo_workspace, tmp_path_factory) -> AccountsSite:
    return copy_demo(demo_workspace, tmp_path_factory.mktemp("auth") / "ws")


def _sign_in(client, name: str, password: str):
    page = client.get("/sign-in?next=/initiatives")
    data = {"csrf_token": form_token(page.text), "name": name, "password": password,
            "next": "/initiatives"}  # fmt: skip
    return client.post("/sign-in", data=data)


def test_sign_in_form_is_labelled_and_carries_a_token(site):
    page = site.client().get("/sign-in")
    assert page.status_code == 200
    html = page.text
    assert '<label for="name">Användarnamn</label>' in html
    assert '<label for="password">Lösenord</label>' in html
    assert 'autocomplete="current-password"' in html
    assert form_token(html)
    assert '<a href="/sign-in">Logga in</a>' in html  # the header offers signing in
    english = site.client().get("/sign-in?lang=en").text
    assert '<label for="name">User name</label>' in english


def test_sign_in_then_out(site):
    client = site.client()
    done = _sign_in(client, "reader", PASSWORD)
    assert done.status_code == 303 and done.headers["location"] == "/initiatives"
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    assert "Inloggad som reader (läsare)" in client.get("/initiatives").text
    page = client.get("/sign-out")
    out = client.post("/sign-out", data={"csrf_token": form_token(page.text)})
    assert out.status_code == 303
    client.cookies.delete(SESSION_COOKIE)
    assert "Inloggad som" not in client.get("/initiatives").text


def test_wrong_password_is_refused_with_a_clear_message(site):
    refused = _sign_in(site.client(), "analyst", "fel-lösenord-här")
    assert refused.status_code == 400
    assert "Fel användarnamn eller lösenord." in refused.text
    assert 'role="alert"' in refused.text
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")


def test_repeated_failures_are_throttled(site):
    client = site.client()
    # The default policy locks a name after 5 failures in 15 minutes (AccountPolicy).
    for _ in range(5):
        assert _sign_in(client, "editor-other", "fel-lösenord-här").status_code == 400
    blocked = _sign_in(client, "editor-other", PASSWORD)  # even the right password
    assert blocked.status_code == 429
    assert "För många misslyckade inloggningar" in blocked.text
    assert "spärras inloggningen en stund" in blocked.text


def test_sign_in_without_csrf_token_is_refused(site):
    client = site.client()
    client.get("/sign-in")
    refused = client.post("/sign-in", data={"name": "reader", "password": PASSWORD})
    assert refused.status_code == 403
    assert "Formuläret har gått ut" in refused.text


def test_next_cannot_leave_the_site(site):
    client = site.client()
    page = client.get("/sign-in")
    data = {"csrf_token": form_token(page.text), "name": "admin", "password": PASSWORD,
            "next": "//evil.example/"}  # fmt: skip
    done = client.post("/sign-in", data=data)
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_sign_out_everywhere_ends_other_sessions(site):
    first, second = site.client("admin"), site.client("admin")
    page = first.get("/sign-out")
    done = first.post("/sign-out-everywhere", data={"csrf_token": form_token(page.text)})
    assert done.status_code == 303
    assert "Inloggad som" not in second.get("/initiatives").text

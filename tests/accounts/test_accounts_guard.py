"""The FastAPI dependencies on a small app served in-process: sign-in with cookies, CSRF on
forms, bearer tokens, role checks and sign-out everywhere."""

from __future__ import annotations

import pytest
from accounts_helpers import ACTORS, PASSWORD
from fastapi import Depends, FastAPI, Form, HTTPException
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import Response

from jamlik.accounts import AccountError, Resource, User, create_token, create_user
from jamlik.accounts.guard import (
    allow,
    csrf_protect,
    current_user,
    form_token,
    install,
    require,
    sign_in,
    sign_out_everywhere,
    signed_in,
)

AUDIT_READER = require("view", "audit")


def make_app(ws) -> FastAPI:
    app = FastAPI()
    install(app, ws)

    @app.get("/login")
    def login_form(request: Request) -> dict:
        return {"csrf": form_token(request)}

    @app.post("/login", dependencies=[Depends(csrf_protect)])
    def login(
        request: Request, response: Response, name: str = Form(), password: str = Form()
    ) -> dict:
        try:
            sign_in(request, response, name, password)
        except AccountError as exc:
            raise HTTPException(400, str(exc)) from None
        return {"ok": True}

    @app.get("/whoami")
    def whoami(request: Request, user: User | None = Depends(current_user)) -> dict:
        return {"user": user.name if user else None, "csrf": form_token(request)}

    @app.post("/initiatives/{initiative}", dependencies=[Depends(csrf_protect)])
    def edit(initiative: str, owner: str = Form(), user: User = Depends(signed_in)) -> dict:
        allow(user, "edit", Resource("initiative", owner=owner))
        return {"saved": initiative}

    @app.get("/audit")
    def audit(user: User = Depends(AUDIT_READER)) -> dict:
        return {"admin": user.name}

    @app.post("/sign-out-everywhere", dependencies=[Depends(csrf_protect)])
    def everywhere(response: Response, request: Request, user: User = Depends(signed_in)) -> dict:
        return {"ended": sign_out_everywhere(request, response, user)}

    return app


@pytest.fixture
def app(ws):
    with ws.session() as s:
        create_user(s, "eva", "editor", password=PASSWORD, actors=[ACTORS[0]], by="test")
        create_user(s, "rut", "reader", password=PASSWORD, by="test")
        create_user(s, "adam", "administrator", password=PASSWORD, by="test")
    return make_app(ws)


def client(app) -> TestClient:
    return TestClient(app, base_url="https://testserver")  # Secure cookies need https


def signed_in_client(app, name: str) -> TestClient:
    c = client(app)
    token = c.get("/login").json()["csrf"]
    done = c.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert done.status_code == 200, done.text
    return c


def test_sign_in_sets_a_secure_httponly_samesite_cookie(app):
    c = client(app)
    assert c.get("/whoami").json()["user"] is None
    token = c.get("/login").json()["csrf"]
    done = c.post("/login", data={"name": "eva", "password": PASSWORD, "csrf_token": token})
    assert done.status_code == 200
    cookie = next(h for h in done.headers.get_list("set-cookie") if h.startswith("jamlik_session="))
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=lax", "path=/"} <= attributes
    assert c.get("/whoami").json()["user"] == "eva"


def test_the_sign_in_form_needs_its_csrf_token(app):
    c = client(app)
    c.get("/login")
    refused = c.post("/login", data={"name": "eva", "password": PASSWORD})
    assert refused.status_code == 403
    forged = c.post("/login", data={"name": "eva", "password": PASSWORD, "csrf_token": "x" * 43})
    assert forged.status_code == 403


def test_wrong_passwords_are_refused_then_throttled(app):
    c = client(app)
    token = c.get("/login").json()["csrf"]
    for _ in range(5):
        done = c.post(
            "/login", data={"name": "eva", "password": "fel-lösenord-1", "csrf_token": token}
        )
        assert (
            done.status_code == 400 and "Fel användarnamn eller lösenord" in done.json()["detail"]
        )
    done = c.post("/login", data={"name": "eva", "password": PASSWORD, "csrf_token": token})
    assert done.status_code == 400 and "För många misslyckade inloggningar" in done.json()["detail"]


def test_forms_of_signed_in_users_need_the_session_bound_token(app):
    eva = signed_in_client(app, "eva")
    rut = signed_in_client(app, "rut")
    token = eva.get("/whoami").json()["csrf"]
    assert eva.post("/initiatives/i1", data={"owner": ACTORS[0]}).status_code == 403
    assert (
        eva.post("/initiatives/i1", data={"owner": ACTORS[0], "csrf_token": token}).status_code
        == 200
    )
    # A token bound to another session does not work.
    rut_token = rut.get("/whoami").json()["csrf"]
    assert (
        eva.post("/initiatives/i1", data={"owner": ACTORS[0], "csrf_token": rut_token}).status_code
        == 403
    )
    # The header works too (for htmx requests).
    ok = eva.post("/initiatives/i1", data={"owner": ACTORS[0]}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200


def test_editors_edit_only_their_own_organisations_initiatives(app):
    eva = signed_in_client(app, "eva")
    token = eva.get("/whoami").json()["csrf"]
    assert (
        eva.post("/initiatives/i1", data={"owner": ACTORS[0], "csrf_token": token}).status_code
        == 200
    )
    assert (
        eva.post("/initiatives/i2", data={"owner": ACTORS[1], "csrf_token": token}).status_code
        == 403
    )
    rut = signed_in_client(app, "rut")
    rut_token = rut.get("/whoami").json()["csrf"]
    assert (
        rut.post("/initiatives/i1", data={"owner": ACTORS[0], "csrf_token": rut_token}).status_code
        == 403
    )


def test_role_dependencies_answer_401_to_visitors_and_403_to_other_roles(app):
    assert client(app).get("/audit").status_code == 401
    assert signed_in_client(app, "rut").get("/audit").status_code == 403
    assert signed_in_client(app, "adam").get("/audit").json() == {"admin": "adam"}


def test_bearer_tokens_need_no_csrf_and_bad_ones_are_refused(app, ws):
    with ws.session() as s:
        token = create_token(s, "eva", "robot", by="test")
    c = client(app)
    auth = {"Authorization": f"Bearer {token}"}
    assert c.get("/whoami", headers=auth).json()["user"] == "eva"
    assert c.post("/initiatives/i1", data={"owner": ACTORS[0]}, headers=auth).status_code == 200
    bad = c.get("/whoami", headers={"Authorization": "Bearer jamlik_revoked-or-made-up"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"


def test_sign_out_everywhere_signs_out_the_other_browsers(app):
    laptop = signed_in_client(app, "eva")
    phone = signed_in_client(app, "eva")
    token = laptop.get("/whoami").json()["csrf"]
    assert laptop.post("/sign-out-everywhere", data={"csrf_token": token}).json() == {"ended": 2}
    assert phone.get("/whoami").json()["user"] is None
    assert laptop.get("/whoami").json()["user"] is None

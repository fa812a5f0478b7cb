"""An accounts-enabled copy of the demo site for the auth and role tests (a module of its own
so the tests' writes never reach the shared demo workspace other web tests read)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.testclient import TestClient

from jamlik.accounts import SESSION_COOKIE, create_user, get_user, start_session
from jamlik.web import WebSettings, create_app
from jamlik.workspace import DB_FILE, Workspace

PASSWORD = "korrekt-häst-batteri"
OWN = "ex-socialnamnden"  # owns ex-familjecentraler
OTHER = "ex-kulturnamnden"  # owns ex-lasning
OWN_INITIATIVE = "ex-familjecentraler"
OTHER_INITIATIVE = "ex-lasning"  # OTHER's
# name -> (role, actors); "public" has no account.
ACCOUNTS = {
    "reader": ("reader", ()),
    "editor-own": ("editor", (OWN,)),
    "editor-other": ("editor", (OTHER,)),
    "analyst": ("analyst", ()),
    "admin": ("administrator", ()),
    "leader": ("process_leader", ()),  # issue 18: runs the follow-up cycle
}
ROLES = ("public", *ACCOUNTS)
# Sets of roles for the route x role tables (test_web_roles.py and roles_*.py).
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"public"}
ADMIN = frozenset({"admin"})
ANALYSTS = frozenset({"analyst", "admin"})
EDIT_OWN = frozenset({"editor-own", "admin"})
EDITORS = frozenset({"editor-own", "editor-other", "admin"})
LEADERS = frozenset({"leader", "admin"})  # who opens, closes and approves in the follow-up cycle


@dataclass
class AccountsSite:
    workspace: Workspace
    app: object

    def client(self, who: str = "public") -> TestClient:
        """A client (own cookies) signed in as `who` through a real session row."""
        client = TestClient(self.app, base_url="https://testserver", follow_redirects=False)
        if who != "public":
            with self.workspace.session() as s:
                token = start_session(s, get_user(s, who))
            client.cookies.set(SESSION_COOKIE, token)
        return client


def copy_demo(demo: Workspace, target) -> AccountsSite:
    target.mkdir()
    demo.copy_database(target / DB_FILE)  # with what WAL still holds
    ws = Workspace(target, f"sqlite:///{target / DB_FILE}")
    with ws.session() as s:
        for name, (role, actors) in ACCOUNTS.items():
            create_user(s, name, role, password=PASSWORD, actors=actors, by="test")
    return AccountsSite(ws, create_app(WebSettings.for_workspace(ws), warm=False))

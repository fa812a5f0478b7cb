"""An accounts-enabled copy of the demo site for the auth and role tests (a module of its own
so the tests' writes never reach the shared demo workspace other web tests read)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.testclient import TestClient

from jamlik.accounts import SESSION_COOKIE, create_user, get_user, start_session
from jamlik.accounts.sso.config import OidcProvider, RoleRule
from jamlik.accounts.sso.mapping import Identity, decide
from jamlik.accounts.sso.provision import sign_in_external
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
        if who in SSO_TWINS:
            client.cookies.set(SESSION_COOKIE, sso_session(self.workspace, who))
        elif who != "public":
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


# Accounts made by an identity provider for the route x role walk (issue 17): each signs in
# through jamlik.accounts.sso's rules and must get exactly the rights of its local twin.
SSO_TWINS = {
    "sso-reader": "reader",
    "sso-editor-own": "editor-own",
    "sso-analyst": "analyst",
    "sso-admin": "admin",
}
_SSO_GROUPS = {
    "sso-reader": ["alla-anstallda"],
    "sso-editor-own": ["alla-anstallda", "socialnamnden-redaktorer"],
    "sso-analyst": ["alla-anstallda", "analytiker"],
    "sso-admin": ["jamlik-admins"],
}
SSO_PROVIDER = OidcProvider(
    id="walk",
    label="Walk",
    issuer="https://idp.walk.example",
    client_id="jamlik",
    roles=(
        RoleRule(value="alla-anstallda", role="reader"),
        RoleRule(value="socialnamnden-redaktorer", role="editor", actors=(OWN,)),
        RoleRule(value="analytiker", role="analyst"),
        RoleRule(value="jamlik-admins", role="administrator"),
    ),
)


def sso_session(workspace: Workspace, who: str) -> str:
    """Sign `who` (a key of SSO_TWINS) in as the provider would: the first time through the
    same rules and just-in-time account as a real sign-in, later by a session of the account
    it made (the walk signs in once per route); the session's token."""
    with workspace.session() as s:
        made = get_user(s, who)
        if made is not None:
            assert made.source == SSO_PROVIDER.key
            return start_session(s, made, method=SSO_PROVIDER.key)
    identity = Identity(
        provider=SSO_PROVIDER.key, issuer=SSO_PROVIDER.issuer, subject=f"sub-{who}",
        name=who, display_name=who.upper(), groups=tuple(_SSO_GROUPS[who]),
    )  # fmt: skip
    with workspace.session() as s:
        _, token = sign_in_external(s, identity, decide(SSO_PROVIDER, identity))
    return token

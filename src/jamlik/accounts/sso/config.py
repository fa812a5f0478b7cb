"""How a workspace signs people in with their organisation's account: the `[sign_in]` part of
`web.toml` (read by `jamlik.web.settings`; docs/sso.md shows whole examples).

    [sign_in]
    base_url = "https://jamlik.example.se"   # the site's public address: callbacks are built on it
    local = false                            # passwords only for the break-glass accounts below
    break_glass = ["nodkonto"]

    [[sign_in.oidc]]
    id = "entra"
    label = "Göteborgs Stad"
    issuer = "https://login.microsoftonline.com/TENANT/v2.0"
    client_id = "…"
    client_secret_file = "/etc/jamlik/entra-secret"      # or client_secret_env = "JAMLIK_ENTRA_SECRET"
    scopes = ["openid", "profile"]
    claims = { name = "preferred_username", display_name = "name", groups = "groups" }
    editing_assurance = []                                # acr values required for roles that edit

    [[sign_in.oidc.roles]]
    value = "GROUP-ID"          # in the groups claim (claim = "groups" is the default)
    role = "editor"
    actors = ["gbg-socialnamnden"]

Only what the rules need is read from a token or assertion; of the person, jamlik keeps the
user name, display name, organisation and groups, nothing else.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jamlik.accounts.model import AccountError, Role

ProviderId = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClaimNames(_Strict):
    """Which claim (OIDC) or attribute (SAML) gives what jamlik keeps of a person. `name` is
    the account's user name (2–80 letters, digits or . _ @ + -); the others may be left out."""

    name: str = "preferred_username"
    display_name: str | None = "name"
    organisation: str | None = None
    groups: str | None = "groups"


class RoleRule(_Strict):
    """When `claim` holds `value`, the person gets `role` (and, as an editor, edits for
    `actors`). `claim = "groups"` (the default) looks in the groups named by `claims.groups`,
    `"organisation"` compares the organisation; any other name is looked up in the token or
    assertion itself. Several rules may match: the highest role wins, actors add up."""

    claim: str = "groups"
    value: str = Field(min_length=1)
    role: Role
    actors: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _editor_needs_actors(self) -> RoleRule:
        if self.role == "editor" and not self.actors:
            raise ValueError(
                f"regeln för {self.value!r} ger rollen editor men inga aktörer (actors) / "
                f"the rule for {self.value!r} makes editors but names no actors"
            )
        return self


class Provider(_Strict):
    """What every identity provider has: an id (in addresses), the label on its sign-in
    button, the claim names, the role rules and the assurance editing roles need."""

    id: str = ProviderId
    label: str = Field(min_length=1, max_length=120)
    claims: ClaimNames = ClaimNames()
    roles: tuple[RoleRule, ...] = ()
    # The role of a person no rule matches; None: such a person cannot sign in.
    default_role: Role | None = None
    # acr (OIDC) or AuthnContextClassRef (SAML) values accepted for roles that change
    # anything (administrator, process_leader, editor, analyst). Empty: no requirement. A
    # person signed in with a lower level gets the reader role for that session.
    editing_assurance: tuple[str, ...] = ()


class OidcProvider(Provider):
    """An OpenID Provider (Entra ID, Freja eID, …), found by OpenID Connect discovery."""

    kind: Literal["oidc"] = "oidc"
    issuer: str = Field(pattern=r"^https?://")
    client_id: str = Field(min_length=1)
    client_secret_file: Path | None = None
    client_secret_env: str | None = None
    scopes: tuple[str, ...] = ("openid", "profile")
    # Asked for in the authorization request (acr_values), e.g. Freja's LoA 3.
    acr_values: tuple[str, ...] = ()
    # Sign out at the provider too when signing out of jamlik (RP-initiated logout).
    logout: bool = True

    @property
    def key(self) -> str:
        return f"oidc:{self.id}"

    def client_secret(self) -> str | None:
        """The client secret from its file or environment variable (None for a public client)."""
        if self.client_secret_file is not None:
            try:
                return self.client_secret_file.read_text("utf-8").strip()
            except OSError as exc:
                raise AccountError(
                    f"Klienthemligheten för {self.id} kan inte läsas / the client secret of "
                    f"{self.id} cannot be read from {self.client_secret_file}: {exc.strerror}"
                ) from None
        if self.client_secret_env is not None:
            value = os.environ.get(self.client_secret_env)
            if not value:
                raise AccountError(
                    f"Miljövariabeln {self.client_secret_env} är tom / the environment variable "
                    f"{self.client_secret_env} (client secret of {self.id}) is not set"
                )
            return value
        return None


class SamlProvider(Provider):
    """A SAML 2.0 identity provider (or one IdP of a federation such as Sambi)."""

    kind: Literal["saml"] = "saml"
    # The IdP's (or the federation's) metadata, saved locally and kept fresh by the operator.
    idp_metadata_file: Path
    # Which IdP in the metadata; needed when it holds several (a federation's aggregate).
    idp_entity_id: str | None = None
    # Our own entity id; default: the metadata address {base_url}/saml/{id}/metadata.xml.
    entity_id: str | None = None
    # Our key and certificate, published in the metadata (federations require them).
    key_file: Path | None = None
    cert_file: Path | None = None
    claims: ClaimNames = ClaimNames(
        name="eduPersonPrincipalName", display_name="displayName", groups=None
    )

    @property
    def key(self) -> str:
        return f"saml:{self.id}"


class SignInConfig(_Strict):
    """The `[sign_in]` table of web.toml (see the module docs)."""

    base_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    # Passwords for everyone (True), or only for the accounts in `break_glass`.
    local: bool = True
    break_glass: tuple[str, ...] = ()
    oidc: tuple[OidcProvider, ...] = ()
    saml: tuple[SamlProvider, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> SignInConfig:
        ids = [p.id for p in (*self.oidc, *self.saml)]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"samma id för flera inloggningar / id used twice: {', '.join(twice)}")
        if ids and self.base_url is None:
            raise ValueError(
                "base_url saknas: sajtens publika adress behövs för inloggning via "
                "organisationskonto / base_url (the site's public address) is needed for sign-in "
                "with an identity provider"
            )
        return self

    @property
    def providers(self) -> tuple[OidcProvider | SamlProvider, ...]:
        return (*self.oidc, *self.saml)

    def provider(self, key: str) -> OidcProvider | SamlProvider | None:
        """The provider whose key ("oidc:entra") or id is `key`."""
        for p in self.providers:
            if key in (p.key, p.id):
                return p
        return None

    def password_allowed(self, name: str) -> bool:
        """May the account `name` sign in with a password?"""
        if self.local:
            return True
        clean = name.strip().casefold()
        return any(clean == b.strip().casefold() for b in self.break_glass)


def url_join(base: str, path: str) -> str:
    return re.sub(r"/+$", "", base) + path

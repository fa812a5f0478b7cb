"""OpenID Connect sign-in (authorization code flow with PKCE) against a provider found by
discovery, with Authlib's PKCE and token helpers and its JOSE library (joserfc) for the ID
token.

The ID token is trusted only when its signature verifies with a key from the provider's
published JWKS (asymmetric algorithms only: never "none", never a MAC keyed with a secret an
attacker may also hold), its issuer is the configured one, its audience is this client, it
has not expired, and its nonce is the one stored for this sign-in. The state is stored
hashed, used once, and must match a cookie of the browser that started the sign-in, so a
sign-in cannot be completed in someone else's browser.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from jamlik.accounts.model import AccountError
from jamlik.accounts.sso import pending
from jamlik.accounts.sso.config import OidcProvider, url_join
from jamlik.accounts.sso.mapping import Identity

ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY = 60  # seconds of clock difference tolerated between the provider and this server
CACHE_FOR = 3600.0  # discovery document and keys; an unknown key id fetches the keys again
STATE_COOKIE = "jamlik_sso_state"


class OidcError(AccountError):
    """The provider's answer cannot be trusted or used; the message says why."""


def _refused(why: str, why_en: str) -> OidcError:
    return OidcError(
        f"Inloggningen via organisationskontot godtogs inte: {why}. / "
        f"Sign-in with the organisation account was refused: {why_en}."
    )


@dataclass
class _Cached:
    value: Any
    at: float


class OidcClient:
    """One configured provider, as seen from `base_url` (the site's public address)."""

    def __init__(self, provider: OidcProvider, base_url: str, http: httpx.Client | None = None):
        self.provider = provider
        self.base_url = base_url
        self.http = http or httpx.Client(timeout=15, follow_redirects=False)
        self._lock = threading.Lock()
        self._discovery: _Cached | None = None
        self._keys: _Cached | None = None

    @property
    def redirect_uri(self) -> str:
        return url_join(self.base_url, f"/sign-in/oidc/{self.provider.id}/callback")

    def _get_json(self, url: str, what: str) -> dict:
        try:
            answer = self.http.get(url, headers={"Accept": "application/json"})
            answer.raise_for_status()
            return answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(
                f"Identitetsleverantören {self.provider.id} svarar inte som väntat ({what}) / "
                f"the identity provider {self.provider.id} did not answer as expected "
                f"({what}, {url}): {exc}"
            ) from None

    def discovery(self) -> dict:
        """The provider's OpenID configuration (cached); its issuer must be the configured one."""
        with self._lock:
            if self._discovery and time.monotonic() - self._discovery.at < CACHE_FOR:
                return self._discovery.value
        url = url_join(self.provider.issuer, "/.well-known/openid-configuration")
        found = self._get_json(url, "discovery")
        if found.get("issuer") != self.provider.issuer:
            raise OidcError(
                f"Utfärdaren i {url} är {found.get('issuer')!r}, inte den inställda "
                f"{self.provider.issuer!r} / the discovery document names another issuer"
            )
        for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not found.get(needed):
                raise OidcError(f"{url}: {needed} saknas / is missing")
        with self._lock:
            self._discovery = _Cached(found, time.monotonic())
        return found

    def keys(self, refresh: bool = False) -> KeySet:
        with self._lock:
            if not refresh and self._keys and time.monotonic() - self._keys.at < CACHE_FOR:
                return self._keys.value
        found = self._get_json(self.discovery()["jwks_uri"], "jwks")
        # Only public signing keys; an "oct" (shared secret) key has no place in a JWKS.
        usable = [k for k in found.get("keys", []) if k.get("kty") in ("RSA", "EC", "OKP")]
        keyset = KeySet.import_key_set({"keys": usable})
        with self._lock:
            self._keys = _Cached(keyset, time.monotonic())
        return keyset

    def begin(self, session: Session, next_path: str) -> tuple[str, str]:
        """Store a new sign-in and return (the provider's authorization address, the state
        for the browser's cookie)."""
        config = self.discovery()
        state, nonce, verifier = generate_token(43), generate_token(43), generate_token(64)
        pending.remember(
            session, state, self.provider.key, next_path, nonce=nonce, verifier=verifier
        )
        params = [
            ("response_type", "code"),
            ("client_id", self.provider.client_id),
            ("redirect_uri", self.redirect_uri),
            ("scope", " ".join(dict.fromkeys(("openid", *self.provider.scopes)))),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", create_s256_code_challenge(verifier)),
            ("code_challenge_method", "S256"),
        ]
        if self.provider.acr_values:
            params.append(("acr_values", " ".join(self.provider.acr_values)))
        return add_params_to_uri(config["authorization_endpoint"], params), state

    def finish(
        self, session: Session, query: dict[str, str], cookie_state: str | None
    ) -> tuple[Identity, str]:
        """Check the provider's answer to a sign-in (the callback's query) and return the
        person and where to go next. The tokens themselves are not kept."""
        state = query.get("state") or ""
        if not state or state != cookie_state:
            raise _refused(
                "inloggningen startades inte i den här webbläsaren",
                "the sign-in was not started in this browser (state does not match)",
            )
        started = pending.take(session, state, self.provider.key)
        if started is None:
            raise _refused(
                "inloggningen är okänd, redan använd eller för gammal; försök igen",
                "the sign-in is unknown, already used or too old; try again",
            )
        if query.get("iss") and query["iss"] != self.provider.issuer:
            # RFC 9207: the answer names the provider that sent it (mix-up attacks).
            raise _refused("svaret kommer från fel utfärdare", "the answer's iss is another issuer")
        if query.get("error"):
            raise _refused(
                f"identitetsleverantören svarade {query['error']}",
                f"the provider answered {query['error']}: {query.get('error_description', '')}",
            )
        code = query.get("code")
        if not code:
            raise _refused("svaret saknar kod", "the answer has no authorization code")
        tokens = self._exchange(code, started.verifier or "")
        claims = self.verify_id_token(tokens.get("id_token"), started.nonce or "")
        if tokens.get("access_token") and self.discovery().get("userinfo_endpoint"):
            claims = {**self._userinfo(tokens["access_token"], claims["sub"]), **claims}
        return self.identity(claims), started.next_path

    def _exchange(self, code: str, verifier: str) -> dict:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": verifier,
        }
        secret = self.provider.client_secret()
        auth = (self.provider.client_id, secret) if secret is not None else None
        if auth is None:
            data["client_id"] = self.provider.client_id
        try:
            # httpx takes auth=None at run time (no client authentication, not the client's default)
            # but its signature leaves None out.
            answer = self.http.post(
                self.discovery()["token_endpoint"],
                data=data,
                auth=auth,  # type: ignore[arg-type]
            )
        except httpx.HTTPError as exc:
            raise _refused(
                "koden kunde inte lösas in", f"the code exchange failed: {exc}"
            ) from None
        if answer.status_code != 200:
            raise _refused(
                "koden kunde inte lösas in",
                f"the code exchange was answered {answer.status_code}: {answer.text[:200]}",
            )
        return answer.json()

    def verify_id_token(self, id_token: object, nonce: str) -> dict[str, Any]:
        """The ID token's claims when it passes every check in the module docs."""
        if not isinstance(id_token, str) or not id_token:
            raise _refused("ID-token saknas", "the token answer holds no ID token")
        try:
            try:
                token = jwt.decode(id_token, self.keys(), algorithms=ALGORITHMS)
            except JoseError as exc:
                if "key" not in str(exc).lower() and type(exc).__name__ != "InvalidKeyIdError":
                    raise
                # The provider may have rotated its keys since they were fetched.
                token = jwt.decode(id_token, self.keys(refresh=True), algorithms=ALGORITHMS)
        except (JoseError, ValueError) as exc:
            raise _refused(
                "ID-tokenets signatur kunde inte verifieras",
                f"the ID token's signature does not verify ({type(exc).__name__}: {exc})",
            ) from None
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": self.provider.issuer},
            aud={"essential": True, "value": self.provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(token.claims)
        except JoseError as exc:
            raise _refused(
                "ID-tokenet är ogiltigt (utfärdare, mottagare, giltighetstid eller nonce)",
                f"the ID token is not valid ({type(exc).__name__}: {exc})",
            ) from None
        aud = token.claims["aud"]
        if (
            isinstance(aud, list)
            and len(aud) > 1
            and token.claims.get("azp") != self.provider.client_id
        ):
            raise _refused("ID-tokenet är utfärdat till någon annan", "azp is not this client")
        return dict(token.claims)

    def _userinfo(self, access_token: str, subject: str) -> dict[str, Any]:
        try:
            answer = self.http.get(
                self.discovery()["userinfo_endpoint"],
                headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            )
            answer.raise_for_status()
            found = answer.json()
        except (httpx.HTTPError, ValueError):
            return {}  # the ID token alone may still carry every claim the rules need
        # UserInfo about another subject is an attack or a fault: use none of it.
        return found if isinstance(found, dict) and found.get("sub") == subject else {}

    def identity(self, claims: dict[str, Any]) -> Identity:
        names = self.provider.claims

        def text(claim: str | None) -> str | None:
            value = claims.get(claim) if claim else None
            return None if value is None else str(value)

        raw_groups = claims.get(names.groups) if names.groups else None
        if isinstance(raw_groups, str):
            raw_groups = [raw_groups]
        return Identity(
            provider=self.provider.key,
            issuer=self.provider.issuer,
            subject=str(claims["sub"]),
            name=text(names.name) or "",
            display_name=text(names.display_name),
            organisation=text(names.organisation),
            groups=tuple(str(g) for g in raw_groups or ()),
            assurance=text("acr"),
            claims=claims,
        )

    def logout_url(self, after: str) -> str | None:
        """Where to send the browser to sign out at the provider too (RP-initiated logout),
        or None when the provider has no end-session endpoint or logout is turned off. The
        request names the client rather than carrying an ID token: jamlik keeps none."""
        if not self.provider.logout:
            return None
        endpoint = self.discovery().get("end_session_endpoint")
        if not endpoint:
            return None
        params = [("client_id", self.provider.client_id), ("post_logout_redirect_uri", after)]
        return add_params_to_uri(endpoint, params)

    def origin(self) -> str:
        """The scheme and host of the provider's endpoints (for the CSP's form-action)."""
        parts = urlsplit(self.discovery()["authorization_endpoint"])
        return f"{parts.scheme}://{parts.netloc}"

"""Route x role rows for sign-in with the organisation's account (issue 17).

Sign-in and the metadata are for everyone (the walk's site has no provider configured, so
they answer 404, which is neither 401 nor 403); ending an account's sessions and tokens is the
administrators' alone.
"""

from accounts_site import ADMIN, EVERYONE

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/sign-in/oidc/{provider_id}"): EVERYONE,
    ("GET", "/sign-in/oidc/{provider_id}/callback"): EVERYONE,
    ("GET", "/sign-in/saml/{provider_id}"): EVERYONE,
    ("POST", "/sign-in/saml/{provider_id}/acs"): EVERYONE,
    ("GET", "/saml/{provider_id}/metadata.xml"): EVERYONE,
    ("POST", "/admin/users/{user_name}/end-access"): ADMIN,
}
SAMPLE: dict[str, str] = {"provider_id": "entra"}

"""Sign-in with the organisation's own account (issue 17): OpenID Connect and SAML 2.0
identity providers configured per workspace (`config`), role rules (`mapping`), just-in-time
accounts (`provision`), and the protocol clients (`oidc`, `saml`). docs/sso.md shows how to
configure Entra ID, Freja eID and a Sambi-style federation.
"""

"""The site's identity-provider clients, made once per application from `[sign_in]` in
web.toml; relative file names in it are read from the workspace folder."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request

from jamlik.accounts.sso.config import OidcProvider, SamlProvider, SignInConfig
from jamlik.accounts.sso.oidc import OidcClient
from jamlik.accounts.sso.saml import SamlClient


def _in_workspace(path: Path | None, folder: Path) -> Path | None:
    return None if path is None or path.is_absolute() else folder / path


class SsoClients:
    """One client per configured provider, by provider id."""

    def __init__(self, config: SignInConfig, folder: Path):
        self.config = config
        self.oidc: dict[str, OidcClient] = {}
        self.saml: dict[str, SamlClient] = {}
        base = config.base_url or ""
        for p in config.oidc:
            fixed = _in_workspace(p.client_secret_file, folder)
            self.oidc[p.id] = OidcClient(
                p.model_copy(update={"client_secret_file": fixed}) if fixed else p, base
            )
        for s in config.saml:
            update = {
                name: _in_workspace(getattr(s, name), folder)
                for name in ("idp_metadata_file", "key_file", "cert_file")
                if _in_workspace(getattr(s, name), folder) is not None
            }
            self.saml[s.id] = SamlClient(s.model_copy(update=update), base)

    def provider(self, key: str | None) -> OidcProvider | SamlProvider | None:
        return self.config.provider(key) if key else None


def sso_clients(request: Request) -> SsoClients:
    """The application's clients (made on first use)."""
    app = request.app
    clients = getattr(app.state, "sso", None)
    if clients is None:
        settings = app.state.data.settings
        clients = SsoClients(settings.config.sign_in, settings.workspace.path)
        app.state.sso = clients
    return clients

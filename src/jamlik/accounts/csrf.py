"""Protection against cross-site request forgery: signed tokens bound to a cookie.

Every form carries `csrf_token(secret, binding)`, where `binding` is the value of a cookie
the browser sends with the form: the session cookie once signed in, or a random pre-session
cookie (`new_binding()`) on the sign-in form. Another site can neither read that cookie nor
compute the HMAC without the site's secret, so it cannot forge the field (OWASP's "signed
double-submit cookie"). SameSite cookies are the second line of defence.

The secret is `$JAMLIK_SECRET_KEY` when set (several processes behind one proxy must share
it), else the file `secret.key` in the workspace, created on first use and readable by its
owner only. It is not part of backups: a restored site makes a new one, which only
invalidates forms that were open at the time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Literal, TypedDict

SECRET_ENV = "JAMLIK_SECRET_KEY"
SECRET_FILE = "secret.key"
SESSION_COOKIE = "jamlik_session"
BINDING_COOKIE = "jamlik_csrf"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def site_secret(workspace_path: Path) -> bytes:
    """The site's signing secret (see the module docs for where it comes from)."""
    configured = os.environ.get(SECRET_ENV)
    if configured:
        return configured.encode()
    path = workspace_path / SECRET_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    workspace_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48).encode()
    # O_EXCL: when two workers start at once, one writes and the other reads its key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def new_binding() -> str:
    """A random value for the pre-session cookie that the sign-in form's token is bound to."""
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, binding: str) -> str:
    """The form token for the cookie value `binding`."""
    mac = hmac.new(secret, b"jamlik-csrf\x00" + binding.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def check_csrf(secret: bytes, binding: str | None, token: str | None) -> bool:
    """True when `token` is the form token for `binding` (constant-time comparison)."""
    if not binding or not token:
        return False
    return hmac.compare_digest(csrf_token(secret, binding), token)


class CookieOptions(TypedDict):
    """Keyword arguments for Starlette's `Response.set_cookie`."""

    httponly: bool
    secure: bool
    samesite: Literal["lax", "strict", "none"]
    path: str


def cookie_options(*, secure: bool = True) -> CookieOptions:
    """Attributes for the session and binding cookies: HttpOnly, SameSite=Lax, Path=/ and
    Secure (turn `secure` off only for plain-HTTP development on 127.0.0.1)."""
    return {"httponly": True, "secure": secure, "samesite": "lax", "path": "/"}

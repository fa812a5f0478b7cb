"""What every request and answer passes through, whatever the route: security headers on the
way out, NUL characters refused on the way in.

The headers (also in docs/deploy.md's proxy example, "Headers and file modes"):

- Content-Security-Policy: scripts, styles, images and connections from this site only; no
  inline script or style; no plugins; no framing (`frame-ancestors 'none'`). `'unsafe-eval'`
  stays for Vega, which compiles a chart's expressions with `Function` (a CSP-safe build needs
  the separate vega-interpreter package vendored); it allows no inline or foreign script.
- X-Frame-Options DENY, for browsers without frame-ancestors.
- Referrer-Policy same-origin: addresses (which may name an unpublished initiative) do not
  leave the site.
- X-Content-Type-Options nosniff: a downloaded CSV is never run as a script or page.

NUL: PostgreSQL refuses it in text (a 500 there) and no person types it. Every query string,
path and URL-encoded form is checked before a route runs, so each field is refused by name
(422) on SQLite and PostgreSQL alike; JSON bodies and files are checked by the models that read
them (`jamlik.limits`).
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]


class SecurityHeadersMiddleware:
    """Adds HEADERS to every HTTP answer that does not set them itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in _RAW if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def refuse_nul(request: Request) -> None:
    """Dependency of every route: 422 naming each field of the query, path or URL-encoded
    form that holds a NUL character. Multipart uploads are left to the upload checks."""
    found = [k for k, v in request.query_params.multi_items() if "\x00" in k + v]
    found += [k for k, v in request.path_params.items() if "\x00" in str(v)]
    kind = request.headers.get("content-type", "")
    if request.method in ("POST", "PUT", "PATCH") and kind.startswith(
        "application/x-www-form-urlencoded"
    ):
        form = await request.form()
        found += [k for k, v in form.multi_items() if isinstance(v, str) and "\x00" in k + v]
    if found:
        names = ", ".join(dict.fromkeys(name.replace("\x00", "\\x00") for name in found))
        raise HTTPException(
            422,
            f"Fältet {names} innehåller ett NUL-tecken (\\x00): ta bort det och skicka igen. / "
            f"The field {names} contains a NUL character (\\x00): remove it and send again.",
        )

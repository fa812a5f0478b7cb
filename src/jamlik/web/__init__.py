"""The web application: the programme, its follow-up, indicators and initiatives in a browser.

Server-rendered pages (FastAPI, Jinja2, htmx) that work without JavaScript, Swedish by default
with English on request, each with a machine-readable twin at the same address plus `.json`.
The site shows what `jamlik.followup` and `jamlik.report` produce; it computes no statistics.

Typical use::

    from jamlik.web import create_app
    app = create_app(Workspace.resolve("jamlik-workspace"))  # then serve with uvicorn

or from the command line: `jamlik serve --workspace DIR --host 127.0.0.1 --port 8000`.
"""

from jamlik.web.app import create_app
from jamlik.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]

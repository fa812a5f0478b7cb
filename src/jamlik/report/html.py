"""The report as one self-contained, accessible HTML file (Jinja2; CSS and SVG inline)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from jamlik.report.document import Document
from jamlik.report.svg import for_inline_html


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("jamlik.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,  # a misspelt field fails the build instead of printing ""
        trim_blocks=False,
        lstrip_blocks=False,
    )
    # Inline SVG scales with CSS once its fixed pixel size is gone (the viewBox keeps its shape).
    env.filters["inline_svg"] = for_inline_html
    return env


@cache
def _css() -> str:
    return resources.files("jamlik.report").joinpath("templates/report.css").read_text("utf-8")


def render_html(doc: Document) -> str:
    """The HTML text of a report document."""
    template = _environment().get_template("report.html.j2")
    return template.render(doc=doc, L=doc.labels, css=_css())

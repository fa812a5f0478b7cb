"""Chart specifications to SVG with vl-convert, ready to inline in HTML or to place in Typst.

vl-convert runs Vega-Lite in an embedded JavaScript engine, offline; numbers on axes are
written in the report's language through a d3 format locale. The SVG gets `role="img"`, an
`aria-label` and a `<title>` with the chart's alt text, and Vega's per-mark ARIA attributes are
switched off: the data table beside every chart is the accessible form of the numbers, and one
label per chart is what a screen reader should announce.
"""

from __future__ import annotations

import copy
import html
import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import vl_convert as vlc

from jamlik.report.document import Chart
from jamlik.report.i18n import CHART_LOCALE, Lang

# Browsers take the first font they have. Typst (with only the fonts it ships) finds none of
# these and draws the text in Libertinus Serif, its own default: one SVG serves both outputs.
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def render_svg(spec: dict[str, Any], lang: Lang) -> str:
    """SVG text for a chart specification, labelled with its `description` (the alt text)."""
    spec = copy.deepcopy(spec)
    config = spec.setdefault("config", {})
    config["font"] = FONT
    config["aria"] = False
    svg = vlc.vegalite_to_svg(spec, format_locale=CHART_LOCALE[lang])
    return label_svg(svg, spec.get("description", ""))


def chart_locale(lang: Lang) -> dict[str, Any]:
    """The d3 number-format locale the reports draw with (decimal comma in Swedish), for
    vega-embed's `formatLocale` option, so the web writes numbers as the reports do."""
    return vlc.get_format_locale(CHART_LOCALE[lang])


def draw_charts(charts: Iterable[Chart], lang: Lang) -> None:
    """Draw every chart's SVG in place. vl-convert releases the GIL, so a few threads draw
    charts side by side (about twice as fast on two cores)."""
    pending = [c for c in charts if not c.svg]
    workers = max(1, min(4, os.cpu_count() or 1, len(pending)))
    with ThreadPoolExecutor(workers, thread_name_prefix="jamlik-chart") as pool:
        for chart, svg in zip(pending, pool.map(lambda c: render_svg(c.spec, lang), pending),
                              strict=True):  # fmt: skip
            chart.svg = svg


def label_svg(svg: str, alt: str) -> str:
    """Give an SVG `role="img"`, an aria-label and a `<title>` (for HTML and for tooltips)."""
    alt_attr = html.escape(alt, quote=True)

    def opening(match: re.Match[str]) -> str:
        return (
            f'<svg{match.group(1)} role="img" aria-label="{alt_attr}" focusable="false">'
            f"<title>{html.escape(alt)}</title>"
        )

    return _SVG_OPEN.sub(opening, svg, count=1)


def for_inline_html(svg: str) -> str:
    """The SVG without its fixed pixel size, so CSS can scale it (the viewBox keeps its shape)."""
    return _SVG_OPEN.sub(
        lambda m: "<svg" + re.sub(r'\s(width|height)="[^"]*"', "", m.group(1)) + ">",
        svg,
        count=1,
    )

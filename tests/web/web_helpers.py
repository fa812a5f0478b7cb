"""What the web tests share: the demo's pages to visit, the small cell planted in the data, and
a browser tab checked for script errors and, with axe-core, for WCAG 2.1 A/AA violations."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# (name, path): one of each page kind, and the choices that change what a page shows.
PAGES = [
    ("start", "/"),
    ("programme", "/programme"),
    ("goal", "/programme/ex-goal"),
    ("target-area", "/programme/ex-ta1"),
    ("strategy", "/programme/ex-ta2-s1"),
    ("focus-area", "/programme/ex-fa2"),
    ("priority-area", "/programme/ex-fa2-school"),
    ("aim", "/programme/ex-fa2-school-a1"),
    ("explorer", "/explorer"),
    (
        "explorer-district",
        "/explorer?indicator=ex-trangboddhet&dimension=district&period=2020&measure=BGV",
    ),
    ("explorer-area", "/explorer?indicator=ex-kulturskola&dimension=sex&area=ex-kvarnbacken"),
    ("initiatives", "/initiatives"),
    (
        "initiatives-filtered",
        "/initiatives?status=ongoing&actor=ex-socialnamnden&node=ex-ta1&area=ex-stenasen",
    ),
    ("initiative", "/initiatives/ex-familjecentraler"),
    ("actors", "/actors"),
    ("reports", "/reports"),
    ("accessibility", "/accessibility"),
]


# The pages the browser visits one by one (every page kind, both languages). Priority areas and
# aims share the node page's template with strategies; the HTTP tests visit every node.
BROWSER_PAGES = [(n, p) for n, p in PAGES if n not in ("priority-area", "aim")] + [
    ("start-en", "/?lang=en"),
    ("target-area-en", "/programme/ex-ta1?lang=en"),
]


def twin(path: str) -> str:
    """The JSON twin's address of a page path (query string kept)."""
    base, _, query = path.partition("?")
    json_path = "/index.json" if base == "/" else base + ".json"
    return json_path + (f"?{query}" if query else "")


# A small cell planted in the demo data: 3 of 7 girls in Kvarnbacken took part in the culture
# school in 2025. Its estimate (42.857…) is in the database; no page or download may show it,
# nor the boys' value beside it, which the total would otherwise give away.
SMALL_CELL = {
    "indicator": "ex-kulturskola", "period": "2025", "area": "ex-kvarnbacken",
    "dimension": "sex", "subgroup": "women", "estimate": 300 / 7, "se": 18.7, "ci_lb": 15.8,
    "ci_ub": 75.0, "population": 7.0, "numerator": 3.0, "denominator": 7.0,
}  # fmt: skip


def axe_violations(tab) -> list[dict]:
    """WCAG 2.1 A and AA violations axe-core finds on the current page."""
    # Evaluated by the test, not added as a <script>: the site's Content-Security-Policy
    # refuses inline script, and the test must not need it loosened.
    tab.evaluate(AXE.read_text("utf-8"))
    result = tab.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


@contextmanager
def browser_tab(browser, *expected: str, timeout: int = 30_000, **options) -> Iterator:
    """A fresh tab (own cookies) that fails the test on any JavaScript error or console error,
    but for console errors containing one of `expected`: Chromium logs a refusal the test asks
    for (a 403 or 422 answer) as an error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not any(e in msg.text for e in expected)
            else None
        ),
    )
    tab.set_default_timeout(timeout)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def no_violations(tab, where: str) -> None:
    found = axe_violations(tab)
    assert found == [], f"{where}: {found}"

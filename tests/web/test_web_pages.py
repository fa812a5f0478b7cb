"""Each page in a real browser, loaded once and checked three ways: with the keyboard alone,
with axe-core (zero WCAG 2.1 A and AA violations), and against its `.json` twin (the same
facts, read from the rendered page)."""

from __future__ import annotations

import math
import re

import pytest
from web_helpers import BROWSER_PAGES, axe_violations, twin

FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
        tag: el.tagName, id: el.id, cls: el.className && String(el.className),
        text: (el.innerText || el.value || '').slice(0, 40),
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
        inView: r.bottom > 0 && r.top < window.innerHeight && r.width > 0 && r.height > 0,
    };
}"""
TAB_STOPS = 30  # bounded: long pages are checked on their first stops
# Facts whose text a reader sees on the page.
TEXT_KEYS = {
    "title", "name", "label", "reason", "text", "caption", "description", "purpose",
    "content", "notes", "message", "interpretation", "email", "assessed", "updated",
}  # fmt: skip


# What a hidden cell says, by reason: too few people (or too few with or without what is
# measured), or protecting another hidden value.
_HIDDEN_WHY = {
    False: re.compile(r"Dold: (för få personer|\d+ eller färre har eller saknar)"),
    True: re.compile(r"Dold: skyddas för att en annan uppgift"),
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _leaves(value, key=None):
    """(key, value) for every leaf of the facts."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, key)
    else:
        yield key, value


def _chart_tables(value):
    """Every chart's facts ({id, title, alt, table}) anywhere in the facts."""
    if isinstance(value, dict):
        if {"id", "alt", "table"} <= set(value):
            yield value
        for v in value.values():
            yield from _chart_tables(v)
    elif isinstance(value, list):
        for v in value:
            yield from _chart_tables(v)


def _sv(value: float, decimals: int) -> str:
    """Swedish number text, written here independently of the site's formatter."""
    text = f"{round(value, decimals) + 0.0:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")


def _sig3(value: float) -> str:
    if value == 0:
        return _sv(0.0, 2)
    return _sv(value, max(0, min(6, 2 - math.floor(math.log10(abs(value))))))


def _open(page, site, path: str) -> None:
    page.goto(site.url + path)
    # Charts are drawn by vega-embed after load; wait for them so axe sees the final page.
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart')).every(c => c.dataset.embedded)"
    )


def check_keyboard(page) -> None:
    """Tab reaches the skip link first; it moves focus to the content; every stop after it
    shows where the focus is and is scrolled into view."""
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS)
    assert first and first["tag"] == "A" and "skip-link" in first["cls"], first
    assert first["outline"] and first["inView"], first
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    stops = 0
    for _ in range(TAB_STOPS):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS)
        if state is None:
            break
        assert state["outline"], f"no visible focus on {state}"
        assert state["inView"], f"focused element out of view: {state}"
        stops += 1
    assert stops, "nothing on the page can be reached with Tab"


def check_twin(page, facts: dict, lang: str) -> None:
    """The page states what its JSON twin states, and its tables hold the twin's values."""
    shown = _squash(page.evaluate("document.body.textContent"))
    missing = [
        v
        for k, v in _leaves(facts)
        if k in TEXT_KEYS and isinstance(v, str) and _squash(v) not in shown
    ]
    assert missing == [], f"facts missing from the page: {missing[:5]}"
    links = set(page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"))
    hrefs = [v for k, v in _leaves(facts) if k == "href" and v]
    assert [h for h in hrefs if h not in links] == []
    for chart in _chart_tables(facts):
        cells = page.eval_on_selector_all(
            f"#table-{chart['id']} tbody tr",
            "rows => rows.map(r => Array.from(r.children).map(c => c.textContent.trim()))",
        )
        assert cells == [[c["text"] for c in row] for row in chart["table"]["rows"]], chart["id"]
        label = page.locator(f"#chart-{chart['id']} [role=img]").first.get_attribute("aria-label")
        assert label == chart["alt"]


def check_page_tables(page, name: str, facts: dict, lang: str) -> None:
    """Page-specific: the HTML's tables and lists against the twin, row by row."""

    def column(selector: str, script: str = "els => els.map(e => e.textContent.trim())"):
        return page.eval_on_selector_all(selector, script)

    if name.startswith("start"):
        for kind, parts in facts["parts"].items():
            assert column(f"#parts-{kind} > li", "els => els.map(e => e.dataset.id)") == [
                p["id"] for p in parts
            ]
        counts = column("#counts strong")
        assert counts == [
            str(facts["counts"][k]) for k in ("indicators", "initiatives", "actors", "districts")
        ]
    elif name == "programme":

        def flat(nodes):
            for n in nodes:
                yield n["href"]
                yield from flat(n["children"])

        assert column(
            ".tree .node-line > a", "els => els.map(e => e.getAttribute('href'))"
        ) == list(flat(facts["tree"]))
    elif name.startswith("initiatives"):
        rows = column("#initiatives-table tbody tr", "els => els.map(e => e.dataset.id)")
        assert rows == [i["id"] for i in facts["initiatives"]]
        # The status, and beside it whether the end date has passed (issue 18).
        assert column("#initiatives-table tbody td:nth-child(2)") == [
            " ".join([i["status"]["label"], *([i["past_end"]["label"]] if i["past_end"] else [])])
            for i in facts["initiatives"]
        ]
    elif name == "actors":
        assert column("#actors-table tbody tr", "els => els.map(e => e.dataset.id)") == [
            a["id"] for a in facts["actors"]
        ]
        numbers = column(
            "#actors-table tbody tr",
            "els => els.map(e => Array.from(e.querySelectorAll('td.num')).map(c => c.textContent.trim()))",
        )
        assert numbers == [
            [str(a["owns"]), str(a["partner_in"]), str(a["collaborators"])] for a in facts["actors"]
        ]
        assert column("#links-table tbody td.num") == [
            str(link["weight"]) for link in facts["links"]
        ]
    elif name.startswith("explorer") and lang == "sv":
        assert column("#values-table tbody tr", "els => els.map(e => e.dataset.subgroup)") == [
            r["subgroup"] for r in facts["table"]
        ]
        values = column("#values-table tbody td:nth-of-type(1)")
        assert values == [
            (r["hidden_reason"] if r["suppressed"] else _sv(r["estimate"], 1))
            for r in facts["table"]
        ]
        assert all(
            _HIDDEN_WHY[r.get("secondary", False)].match(r["hidden_reason"])
            for r in facts["table"]
            if r["suppressed"]
        )
        # the measures that suit the breakdown (and the chosen one), the rest one click away
        shown = [m for m in facts["measures"] if m["shown"]]
        assert facts["all_measures"] or all(m["suited"] or m["chosen"] for m in shown)
        assert column("#measures-table tbody tr", "els => els.map(e => e.dataset.measure)") == [
            m["code"] for m in shown
        ]
        assert column("#measures-table tbody td:nth-of-type(1)") == [
            _sig3(m["estimate"]) if m["estimate"] is not None else "–" for m in shown
        ]
        if facts["map"]:
            labels = column("#district-map svg text")
            for d in facts["map"]["districts"]:
                value = d["hidden_reason"] if d["suppressed"] else _sv(d["estimate"], 1)
                assert labels[labels.index(d["name"]) + 1] == value
    elif name == "initiative":
        reach = facts["reach"]
        cells = column(
            "#reach-table tbody tr",
            "els => els.map(e => Array.from(e.querySelectorAll('td')).map(c => c.textContent.trim()))",
        )
        assert cells == [
            [
                "Dold (för få personer)" if c["suppressed"] else _sv(c["reached"], 0)
                for c in row["cells"]
            ]
            for row in reach["areas"]
        ]
    elif name == "accessibility":
        assert column("#known-issues li") == [i["text"] for i in facts["known_issues"]]
        assert facts["compliance"]["label"] in page.locator("#compliance").inner_text()


@pytest.mark.parametrize(("name", "path"), BROWSER_PAGES, ids=[n for n, _ in BROWSER_PAGES])
def test_page(page, site, name, path):
    _open(page, site, path)
    body = site.get(twin(path)).json()
    lang = body["lang"]
    assert page.locator("html").get_attribute("lang") == lang
    assert page.title().startswith(body["title"])
    check_twin(page, body["facts"], lang)
    check_page_tables(page, name, body["facts"], lang)
    check_keyboard(page)
    assert axe_violations(page) == []

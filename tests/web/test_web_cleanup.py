"""Pages link a `.json` twin only where there is one, and the account links follow the role
rules (`jamlik.accounts.can`) rather than role names of their own."""

from __future__ import annotations

import html
import re

import pytest
from accounts_site import OWN_INITIATIVE, copy_demo

ALTERNATE = re.compile(r'<link rel="alternate" type="application/json" href="([^"]*)">')
FOOTER = re.compile(r'<a href="([^"]*)" type="application/json">')

# (who, path) of pages answered by routes marked html_only: forms and actions, no twin.
FORM_PAGES = [
    ("public", "/sign-in"),
    ("reader", "/account/password"),
    ("reader", "/account/tokens"),
    ("editor-own", f"/initiatives/{OWN_INITIATIVE}/edit"),
    ("editor-own", "/initiatives/new"),
    ("admin", "/admin/users/new"),
    ("admin", "/admin/programme"),
    ("admin", "/admin/indicators"),
]
# (who, path) of reading pages, public and private: each has a twin, with the query kept.
READING_PAGES = [
    ("public", "/"),
    ("public", "/programme"),
    ("reader", "/initiatives"),
    ("reader", f"/initiatives/{OWN_INITIATIVE}"),
    ("analyst", "/data"),
    ("admin", "/admin/users"),
    ("admin", "/admin/audit?entity=user"),
]


@pytest.fixture(scope="module")
def site(demo_workspace, tmp_path_factory):
    return copy_demo(demo_workspace, tmp_path_factory.mktemp("cleanup") / "ws")


def _twin_links(page: str) -> list[str]:
    return [html.unescape(h) for h in ALTERNATE.findall(page) + FOOTER.findall(page)]


@pytest.mark.parametrize(("who", "path"), FORM_PAGES)
def test_form_pages_link_no_twin_and_have_none(site, who, path):
    client = site.client(who)
    answer = client.get(path)
    assert answer.status_code == 200
    assert _twin_links(answer.text) == []
    assert (
        client.get(path.replace("?", ".json?") if "?" in path else f"{path}.json").status_code
        == 404
    )


@pytest.mark.parametrize(("who", "path"), READING_PAGES)
def test_reading_pages_link_their_twin_and_it_answers(site, who, path):
    client = site.client(who)
    answer = client.get(path)
    assert answer.status_code == 200
    address, query = (path.split("?") + [""])[:2]
    expected = ("/index.json" if address == "/" else f"{address}.json") + (
        f"?{query}" if query else ""
    )
    assert _twin_links(answer.text) == [expected, expected]  # <head> and footer
    twin = client.get(expected)
    assert twin.status_code == 200
    assert twin.headers["content-type"].startswith("application/json")
    assert twin.json()["html"] == path


def test_a_refused_form_page_links_no_twin_either(site):
    # The administration's error page (403 for a reader) is still the form's address.
    answer = site.client("reader").get("/admin/indicators")
    assert answer.status_code == 403
    assert _twin_links(answer.text) == []


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("public", []),
        ("reader", ["/account/tokens", "/account/password"]),
        ("editor-own", ["/account/tokens", "/account/password"]),
        ("analyst", ["/data", "/account/tokens", "/account/password"]),
        ("admin", ["/admin", "/data", "/account/tokens", "/account/password"]),
    ],
)
def test_account_links_are_the_ones_the_role_may_open(site, who, links):
    client = site.client(who)
    nav = re.search(r'<nav class="account".*?</nav>', client.get("/").text, re.S).group(0)
    shown = [h for h in re.findall(r'href="([^"]+)"', nav) if h not in ("/sign-in", "/sign-out")]
    assert shown == links
    for href in shown:  # each link leads to a page this viewer may open
        assert client.get(href).status_code == 200


def _token_and_version(page: str) -> tuple[str, str]:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return token, re.search(r'name="version" value="(\d+)"', page).group(1)


@pytest.mark.parametrize(
    ("url", "fields", "shown"),
    [
        (
            "/admin/indicators/ex-behorighet-gymnasiet",
            {"polarity": "higher_is_better", "scale": "1", "target-0-year": "2030",
             "target-0-value": "95"},
            ["<dt>Mål 1</dt><dd>2030: 95</dd>"],
        ),
        ("/admin/programme/nodes/ex-ta1", {"order": "7"}, ["<dt>Nummer</dt><dd>7</dd>"]),
    ],
)  # fmt: skip
def test_a_stale_save_shows_what_was_filled_in(site, url, fields, shown):
    admin = site.client("admin")
    token, version = _token_and_version(admin.get(url).text)
    first = {"csrf_token": token, "version": version, "title": "Först sparad", **fields}
    assert admin.post(url, data=first).status_code == 303
    stale = admin.post(url, data={**first, "title": "Min ändring"})
    assert stale.status_code == 409
    lost = re.search(r'<div class="lost" id="lost">.*?</div>', stale.text, re.S).group(0)
    for text in ["Min ändring", *shown]:
        assert text in lost

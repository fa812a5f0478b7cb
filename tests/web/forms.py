"""Reading the site's HTML forms the way a browser does: the CSRF token and record version a
form carries, what it sends when submitted as shown (with a test's changes), and the error
summary a refused form is answered with."""

from __future__ import annotations

import html as html_text
import re
from html.parser import HTMLParser


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token field"
    return found.group(1)


def form_version(html: str) -> int:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "the edit form has no version field"
    return int(found.group(1))


class _FormReader(HTMLParser):
    """The successful controls of one form (found by its id or action): inputs, checked boxes
    and radios, the selected option of each select (else its first), text areas."""

    def __init__(self, form: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form = form
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first: str | None = None
        self._chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = self.form in (a.get("id"), a.get("action"))
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        kind = a.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "reset", "image", "file"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((name, a.get("value", "on" if "checked" in a else "")))
        elif tag == "select" and name:
            self._select, self._first, self._chosen = name, None, False
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a and not self._chosen:
                self.fields.append((self._select, a.get("value", "")))
                self._chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._chosen and self._first is not None:
                self.fields.append((self._select, self._first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_data(html: str, form: str, /, **changes) -> dict[str, list[str]]:
    """What the form `form` (its id or its action) sends when submitted as shown, each field's
    values in a list, with `changes` in place of those fields (a list for a group of boxes)."""
    reader = _FormReader(form)
    reader.feed(html)
    assert reader.fields, f"no form '{form}' on the page"
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data | {k: v if isinstance(v, list) else [v] for k, v in changes.items()}


def error_summary(html: str) -> list[tuple[str, str]]:
    """(linked field id, message) of each line of the error summary; fails without one."""
    summary = re.search(r'<div class="problems" role="alert" id="problems".*?</div>', html, re.S)
    assert summary, "no error summary on the page"
    found = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary.group(0))
    return [(field, html_text.unescape(message)) for field, message in found]


def bad_input_is_refused(site, url: str, state, changes: dict, field: str) -> list:
    """An administrator sends the edit form at `url` with `changes`: refused with 422, `field`
    on the page to be led to, nothing `state(site)` reads changed. Returns the error summary."""
    admin = site.client("admin")
    page = admin.get(url).text
    kept = state(site)
    answer = admin.post(url, data=form_data(page, url, **changes))
    assert answer.status_code == 422
    assert f'id="{field}"' in answer.text
    assert state(site) == kept
    return error_summary(answer.text)


def stale_save_is_refused(site, url: str, state, field: str, values, message: str) -> None:
    """Two administrators open the edit form at `url`; the first saves `field` as values[0].
    The second's save (values[1]) is refused with 409 and `message`, shows what they wrote, and
    changes nothing `state(site)` reads."""
    first, second = site.client("admin"), site.client("admin")
    page_a, page_b = first.get(url).text, second.get(url).text
    saved = first.post(url, data=form_data(page_a, url, **{field: values[0]}))
    assert saved.status_code == 303, error_summary(saved.text)
    kept = state(site)
    stale = second.post(url, data=form_data(page_b, url, **{field: values[1]}))
    assert stale.status_code == 409
    assert message in stale.text
    assert values[1] in stale.text  # what the second person wrote is shown to copy
    assert state(site) == kept

"""Interface text in Swedish (default) and English.

Messages live in `translations/sv.json` and `translations/en.json`, flat maps from a dotted key
(`nav.programme`) to text with optional `{name}` fields; an area of the site may keep its own
in `translations/<area>.sv.json` and `translations/<area>.en.json` (a key defined twice is an
error). Both files must hold the same keys (a
test checks this and that every key a template uses exists). A missing key raises instead of
showing the key to a reader.

The language comes from `?lang=sv|en` (which also sets a cookie, so the choice follows the reader
from page to page), else from the cookie, else Swedish.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib.resources import files
from typing import Literal

from starlette.requests import Request

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")
DEFAULT_LANG: Lang = "sv"
COOKIE = "jamlik_lang"


@cache
def messages(lang: Lang) -> dict[str, str]:
    """All messages of one language (read once per process)."""
    folder = files("jamlik.web").joinpath("translations")
    merged: dict[str, str] = {}
    names = sorted(
        f.name
        for f in folder.iterdir()
        if f.name in (f"{lang}.json",) or f.name.endswith(f".{lang}.json")
    )
    for name in names:
        part = json.loads(folder.joinpath(name).read_text("utf-8"))
        if twice := sorted(set(part) & set(merged)):
            raise KeyError(f"messages defined twice in jamlik/web/translations ({name}): {twice}")
        merged.update(part)
    return merged


class Translator:
    """`t("key", name=value)`: the message for `key` in one language, with fields filled in."""

    def __init__(self, lang: Lang):
        self.lang: Lang = lang
        self._messages = messages(lang)

    def __call__(self, key: str, **fields: object) -> str:
        try:
            text = self._messages[key]
        except KeyError:
            raise KeyError(f"no {self.lang} message '{key}' in jamlik/web/translations") from None
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        return key in self._messages

    def pick(self, sv: str | None, en: str | None) -> str | None:
        """A stored bilingual text (title / title_en): English falls back to Swedish."""
        return (en or sv) if self.lang == "en" else sv

    def number(self, value: float | None, decimals: int = 1) -> str:
        """A number as the language writes it: decimal comma, no-break-space groups and a real
        minus sign in Swedish; "–" when there is none."""
        if value is None or not math.isfinite(value):
            return "–"
        text = f"{round(value, decimals) + 0.0:,.{decimals}f}"
        if self.lang == "sv":
            text = text.replace(",", "\u00a0").replace(".", ",").replace("-", "−")
        return text

    def sig(self, value: float | None, digits: int = 3) -> str:
        """A number with about `digits` significant digits (for measures from 0.0004 to 40)."""
        if value is None or not math.isfinite(value) or value == 0:
            return self.number(value, digits - 1)
        decimals = max(0, min(6, digits - 1 - math.floor(math.log10(abs(value)))))
        return self.number(value, decimals)


def requested_lang(request: Request) -> Lang | None:
    """The language asked for in the query string, if it is one we speak."""
    value = request.query_params.get("lang")
    return value if value in LANGS else None  # type: ignore[return-value]


def request_lang(request: Request) -> Lang:
    """The language to answer in: query string, then cookie, then Swedish."""
    asked = requested_lang(request)
    if asked:
        return asked
    cookie = request.cookies.get(COOKIE)
    return cookie if cookie in LANGS else DEFAULT_LANG  # type: ignore[return-value]

"""A source's mandatory notes (SCB's noteMandatory) are shown with the values on the explorer page
and in its JSON twin. A small workspace of its own: the Borås example programme and values stored
the way a PxWeb fetch stores them, served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import json

import httpx
import pandas as pd
import pytest
from live_site import serve
from web_helpers import twin

from jamlik.data import Definitions
from jamlik.programme.examples import examples
from jamlik.programme.store import import_programme
from jamlik.sources.mapping import Mapped
from jamlik.sources.store import store
from jamlik.web import WebSettings, create_app
from jamlik.workspace import Workspace

NOTE = "Från 2023 redovisas folkmängden enligt ny metod."
OPTIONAL = "Avser folkbokförda personer."


@pytest.fixture(scope="module")
def noted(tmp_path_factory):
    path = tmp_path_factory.mktemp("notes") / "ws"
    ws = Workspace(path, f"sqlite:///{path / 'jamlik.sqlite'}")
    ws.init()
    frame = pd.DataFrame(
        {"indicator": "folkmangd", "period": ["2022", "2023"], "area": "1490",
         "dimension": "total", "subgroup": "total", "estimate": [113000.0, 114000.0],
         "flag": None, "source": "Statistiska centralbyrån"}
    )  # fmt: skip
    defs = Definitions.model_validate(
        {"areas": [{"id": "1490", "name": "Borås", "level": "municipality"}],
         "indicators": [{"id": "folkmangd", "title": "Folkmängd", "polarity": "higher_is_better",
                         "unit": "antal"}]}
    )  # fmt: skip
    request = {"select": {}, "notes": [{"text": NOTE, "mandatory": True},
                                       {"text": OPTIONAL, "mandatory": False}]}  # fmt: skip
    store(ws, Mapped(frame), defs, source="pxweb:folk", url="http://127.0.0.1/api/v2",
          request=request, attribution=f"Källa: SCB — Obs / Note: {NOTE}")  # fmt: skip
    import_programme(ws, examples()["boras-god-start"])
    with serve(create_app(WebSettings.for_workspace(ws))) as url:
        yield url


def test_explorer_shows_the_mandatory_note(noted):
    page = httpx.get(noted + "/explorer?indicator=folkmangd", timeout=60)
    assert page.status_code == 200, page.text[:500]
    assert f"Obligatorisk fotnot från källan: {NOTE}" in page.text
    assert OPTIONAL not in page.text  # only mandatory notes must be shown
    body = httpx.get(noted + twin("/explorer?indicator=folkmangd"), timeout=60).json()
    facts = body.get("facts", body)
    assert NOTE in json.dumps(facts, ensure_ascii=False)
    assert facts["source_notes"] == [NOTE]

"""The data page on a writable copy of the demo: upload → preview (writes nothing) → confirm
(imports all or nothing, audited), the import list with provenance and who, refused and stale
uploads, and a saved Kolada query refreshed from a local server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from accounts_site import copy_demo
from forms import form_token
from sqlalchemy import func, select

from jamlik.audit import read_log
from jamlik.data import import_observations, observations_frame
from jamlik.data.tables import (
    AreaRow,
    DimensionRow,
    ImportRow,
    IndicatorRow,
    ObservationRow,
    SubgroupRow,
)
from jamlik.sources.saved import KoladaQuery, SavedQuery, save_query
from jamlik.web import uploads

# The fake Kolada server of the connector tests (modules imported by their unique names).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from sources_fakes import FakeKolada, cell_value, kolada_row  # noqa: E402
from sources_server import LocalServer  # noqa: E402

HEADER = "indicator,period,area,dimension,subgroup,estimate,population"
GOOD_ROWS = [
    "ex-kulturskola,2026,ex-kvarnbacken,total,total,31.5,200",
    "ex-kulturskola,2026,ex-bjorkdalen,total,total,28.25,180",
    "ex-kulturskola,2025,ex-kvarnbacken,total,total,29.5,201",
]
GOOD = "\n".join([HEADER, *GOOD_ROWS]) + "\n"
# Row 3 as a spreadsheet numbers it (header = row 1): an estimate that is not a number.
BAD = "\n".join([HEADER, GOOD_ROWS[0], GOOD_ROWS[1].replace("28.25", "tjugoåtta"), GOOD_ROWS[2]])


@pytest.fixture
def site(demo_workspace, tmp_path):
    return copy_demo(demo_workspace, tmp_path / "ws")


def counts(ws) -> tuple[int, int]:
    with ws.session() as s:
        return (
            s.scalar(select(func.count()).select_from(ObservationRow)),
            s.scalar(select(func.count()).select_from(ImportRow)),
        )


def kept_uploads(ws) -> list[Path]:
    folder = ws.path / uploads.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client, text: str | bytes, name: str = "obs.csv"):
    token = form_token(client.get("/data").text)
    body = text.encode() if isinstance(text, str) else text
    return client.post("/data/upload", data={"csrf_token": token},
                       files={"file": (name, body, "text/csv")})  # fmt: skip


def confirm(client, preview_html: str):
    action = re.search(r'action="(/data/upload/[^"]+/confirm)"', preview_html).group(1)
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview_html).group(1)
    return client.post(action, data={"csrf_token": form_token(preview_html),
                                     "fingerprint": fingerprint})  # fmt: skip


def expected_new_and_changed(ws) -> tuple[int, int]:
    """From the stored frame, independently of the importer's own comparison: a key not stored
    is new; a stored key is changed (the file leaves its se, ci and numerator empty)."""
    frame = observations_frame(ws, indicators="ex-kulturskola")
    stored = set(zip(frame.period, frame.area, frame.dimension, frame.subgroup, strict=True))
    keys = [tuple(r.split(",")[1:5]) for r in GOOD_ROWS]
    new = sum(k not in stored for k in keys)
    return new, len(keys) - new


def test_preview_writes_nothing_then_confirm_imports_with_provenance_and_who(site):
    ws = site.workspace
    client = site.client("analyst")
    before = counts(ws)
    new, changed = expected_new_and_changed(ws)
    assert (new, changed) == (2, 1)

    answer = upload(client, GOOD)
    assert answer.status_code == 200, answer.text
    assert "Bekräfta import" in answer.text
    assert f"3 rader lästa: {new} nya, {changed} ändrade, 0 oförändrade" in answer.text
    assert counts(ws) == before  # the preview wrote nothing
    assert len(kept_uploads(ws)) == 1

    done = confirm(client, answer.text)
    assert done.status_code == 200, done.text
    assert f"{new} nya, {changed} ändrade" in done.text
    assert counts(ws) == (before[0] + new, before[1] + 1)
    assert kept_uploads(ws) == []  # removed after its import
    frame = observations_frame(ws, indicators="ex-kulturskola")
    row = frame[(frame.period == "2026") & (frame.area == "ex-bjorkdalen")]
    assert row.estimate.tolist() == [28.25]

    with ws.session() as s:
        record = s.scalars(select(ImportRow).order_by(ImportRow.id.desc())).first()
        log = read_log(s, entity="data")
    assert record.source == "obs.csv" and record.format == "csv"
    assert (record.inserted, record.updated, record.row_count) == (new, changed, 3)
    assert len(log) == 1 and log[0].user == "analyst" and log[0].action == "import"
    assert log[0].entity_id == str(record.id) and log[0].after["inserted"] == new

    listed = client.get("/data.json").json()["facts"]["imports"][0]
    assert listed["id"] == record.id and listed["by"] == "analyst"
    assert listed["source"] == "obs.csv" and listed["checksum"] == record.checksum
    page = client.get("/data").text
    assert f'id="import-{record.id}"' in page and record.checksum[:12] in page

    # The same file again: nothing to change, and no new import record.
    again = upload(client, GOOD)
    assert "3 rader lästa: 0 nya, 0 ändrade, 3 oförändrade" in again.text
    assert "har importerats tidigare" in again.text
    second = confirm(client, again.text)
    assert second.status_code == 200 and "0 nya, 0 ändrade" in second.text
    assert "Inget ändrades" in second.text
    assert counts(ws) == (before[0] + new, before[1] + 1)
    with ws.session() as s:
        assert len(read_log(s, entity="data")) == 1


def test_a_bad_row_is_named_and_nothing_is_written(site):
    ws = site.workspace
    client = site.client("admin")
    before = counts(ws)
    answer = upload(client, BAD, name="med fel.csv")
    assert answer.status_code == 422
    assert "Filen kan inte importeras" in answer.text
    assert "Antal problem: 1. Rader med fel: 1." in answer.text
    rows = re.findall(r'<tr><th scope="row">Rad (\d+)</th><td>([^<]*)</td>', answer.text)
    assert rows == [("3", "estimate")]
    assert "tjugoåtta" in answer.text and "Bekräfta import" not in answer.text
    assert counts(ws) == before
    assert kept_uploads(ws) == []  # nothing kept that could be confirmed


def test_form_problems_are_linked_to_the_file_field(site):
    client = site.client("analyst")
    token = form_token(client.get("/data").text)
    empty = client.post("/data/upload", data={"csrf_token": token})
    assert empty.status_code == 422 and '<a href="#file">Välj en fil' in empty.text
    wrong = upload(client, b"{}", name="data.json")
    assert wrong.status_code == 422 and "varken en CSV- eller en Excelfil" in wrong.text
    assert 'aria-invalid="true"' in wrong.text


def definitions(ws) -> dict[str, int]:
    with ws.session() as s:
        return {
            table.__tablename__: s.scalar(select(func.count()).select_from(table))
            for table in (IndicatorRow, AreaRow, DimensionRow, SubgroupRow)
        }


def test_xlsx_in_heat_plus_layout_needs_an_administrator_to_create_definitions(site, tmp_path):
    """A HEAT Plus file describes itself: the preview lists each definition it would add.
    Definitions are administrators' (issue 12: an analyst's confirm created an indicator, a
    dimension and subgroups): the analyst is told so and a confirm anyway is refused."""
    frame = pd.DataFrame({
        "setting": ["Norrby", "Norrby"], "date": [2024, 2024], "source": ["Enkät", "Enkät"],
        "indicator_abbr": ["h4-ny", "h4-ny"], "indicator_name": ["Ny indikator"] * 2,
        "dimension": ["Kön", "Kön"], "subgroup": ["Kvinnor", "Män"], "estimate": [41.0, 37.5],
        "population": [300, 280], "flag": [None, None], "setting_average": [39.3, 39.3],
        "ordered_dimension": [0, 0], "subgroup_order": [0, 0], "reference_subgroup": [0, 1],
        "favourable_indicator": [1, 1], "indicator_scale": [100, 100], "iso3": ["SWE", "SWE"],
    })  # fmt: skip
    path = tmp_path / "heat.xlsx"
    frame.to_excel(path, index=False)
    ws = site.workspace
    analyst = site.client("analyst")
    before, defined = counts(ws), definitions(ws)
    answer = upload(analyst, path.read_bytes(), name="heat.xlsx")
    assert answer.status_code == 200, answer.text
    assert "2 rader lästa: 2 nya" in answer.text and "(heatplus)" in answer.text
    assert "1 indikatorer" in answer.text and "2 undergrupper" in answer.text
    listed = re.search(r'<ul id="created-definitions">(.*?)</ul>', answer.text, re.S).group(1)
    for shown in ("h4-ny", "Norrby", "Kön", "Kön/Kvinnor", "Kön/Män"):
        assert f"<code>{shown}</code>" in listed, shown
    assert "Bara en administratör får skapa definitioner" in answer.text
    assert 'id="confirm-form"' not in answer.text

    # The attack: the analyst confirms anyway (the upload's token read from the workspace).
    (kept,) = kept_uploads(ws)
    token = form_token(analyst.get("/data").text)
    refused = analyst.post(f"/data/upload/{kept.name}/confirm",
                           data={"csrf_token": token, "fingerprint": "x"})  # fmt: skip
    assert refused.status_code == 403
    assert "det får bara en administratör göra" in refused.text
    assert counts(ws) == before and definitions(ws) == defined
    assert kept_uploads(ws) == []

    admin = site.client("admin")
    preview = upload(admin, path.read_bytes(), name="heat.xlsx")
    assert "Bara en administratör" not in preview.text and 'id="confirm-form"' in preview.text
    assert confirm(admin, preview.text).status_code == 200
    assert counts(ws)[0] == before[0] + 2
    made = definitions(ws)
    assert made["indicator"] == defined["indicator"] + 1
    assert made["dimension"] == defined["dimension"] + 1
    assert made["subgroup"] == defined["subgroup"] + 2


def test_changed_workspace_between_preview_and_confirm_asks_again(site):
    ws = site.workspace
    client = site.client("analyst")
    preview = upload(client, GOOD)
    # Someone imports the same rows meanwhile: confirming what the analyst saw would mislead.
    rows = pd.read_csv(pd.io.common.StringIO(GOOD), dtype={"period": str})
    import_observations(ws, rows, source="meanwhile")
    before = counts(ws)
    stale = confirm(client, preview.text)
    assert stale.status_code == 409
    assert "Arbetsytan har ändrats sedan du förhandsgranskade" in stale.text
    assert "3 rader lästa: 0 nya, 0 ändrade, 3 oförändrade" in stale.text
    assert counts(ws) == before
    assert confirm(client, stale.text).status_code == 200  # confirmed again: imported
    assert counts(ws) == before  # (nothing left to change)


def test_unknown_expired_and_other_peoples_uploads_are_refused(site):
    ws = site.workspace
    analyst, admin = site.client("analyst"), site.client("admin")
    preview = upload(analyst, GOOD).text
    before = counts(ws)
    # Someone else (even an administrator) cannot confirm the analyst's upload.
    token = form_token(admin.get("/data").text)
    action = re.search(r'action="(/data/upload/[^"]+/confirm)"', preview).group(1)
    other = admin.post(action, data={"csrf_token": token, "fingerprint": "x"})
    assert other.status_code == 410 and "Uppladdningen finns inte längre" in other.text
    unknown = analyst.post("/data/upload/" + "A" * 43 + "/confirm",
                           data={"csrf_token": form_token(preview), "fingerprint": "x"})  # fmt: skip
    assert unknown.status_code == 410
    # A day later the upload has expired, and the page removes it.
    (folder,) = kept_uploads(ws)
    meta = json.loads((folder / uploads.META).read_text())
    meta["created"] -= uploads.MAX_AGE + 60
    (folder / uploads.META).write_text(json.dumps(meta))
    assert confirm(analyst, preview).status_code == 410
    assert counts(ws) == before


def test_oversize_upload_is_refused_with_a_clear_message(site):
    ws = site.workspace
    site.app.state.upload_limit = 1000
    client = site.client("analyst")
    assert upload(client, GOOD).status_code == 200  # under the limit: fine
    padding = "\n".join(GOOD_ROWS[0] for _ in range(100))  # 5 kB: past the limit when read
    answer = upload(client, HEADER + "\n" + padding)
    assert answer.status_code == 413
    assert "Filen är för stor: högst 1 kB. Dela upp den i flera filer." in answer.text
    huge = upload(client, HEADER + "\n" + "\n".join(GOOD_ROWS[0] for _ in range(3000)))
    assert huge.status_code == 413  # refused from its Content-Length, before it is read
    assert len(kept_uploads(ws)) == 1  # only the first, good upload is kept


@pytest.fixture
def kolada():
    rows = [kolada_row("N15428", "1480", y) for y in (2020, 2021)]
    fake = FakeKolada(rows)
    with LocalServer(fake) as server:
        yield fake, server


def _saved(ws, url: str) -> None:
    save_query(ws, SavedQuery(
        name="kolada-n15428", source="kolada", url=url,
        kolada=KoladaQuery(kpi=["N15428"], municipality=["1480"], years="2020-2021"),
        map={"indicator": {"polarity": "higher_is_better"}},
    ))  # fmt: skip


def test_refresh_runs_a_saved_query_against_a_local_server(site, kolada):
    fake, server = kolada
    ws = site.workspace
    _saved(ws, server.url + "/v3/")
    client = site.client("analyst")
    page = client.get("/data").text
    assert "kolada-n15428" in page and 'aria-label="Hämta nu: kolada-n15428"' in page
    answer = client.post("/data/sources/kolada-n15428/refresh",
                         data={"csrf_token": form_token(page)})  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert "kolada-n15428 är hämtad" in answer.text
    assert "6 rader lästa: 6 nya, 0 ändrade, 0 oförändrade" in answer.text
    assert len(server.seen) >= 1 and f"{len(server.seen)} anrop till källan" in answer.text
    frame = observations_frame(ws, indicators="N15428")
    assert len(frame) == 6
    for r in frame.itertuples():
        gender = "T" if r.dimension == "total" else r.subgroup
        assert r.estimate == pytest.approx(cell_value("N15428", "1480", r.period, gender))
    with ws.session() as s:
        records = s.scalars(select(ImportRow).where(ImportRow.source == "kolada:kolada-n15428"))
        records = records.all()
        log = read_log(s, entity="data")
    assert {r.kind for r in records} == {"definitions", "observations"}
    assert {e.entity_id for e in log} == {str(r.id) for r in records}
    assert {e.user for e in log} == {"analyst"}
    listed = client.get("/data.json").json()["facts"]
    obs = next(i for i in listed["imports"] if i["kind"] == "observations")
    assert obs["by"] == "analyst" and obs["url"] == server.url + "/v3/"
    assert obs["attribution"].startswith("Källa: Kolada")
    assert listed["queries"][0]["rows"] == 6 and listed["queries"][0]["last_run"]


def test_a_failing_source_is_explained_and_nothing_is_written(site, kolada, monkeypatch):
    monkeypatch.setenv("JAMLIK_HTTP_RETRIES", "0")
    _, server = kolada
    ws = site.workspace
    _saved(ws, server.url + "/wrong/")  # the fake answers 404 outside /v3/
    before = counts(ws)
    client = site.client("admin")
    answer = client.post("/data/sources/kolada-n15428/refresh",
                         data={"csrf_token": form_token(client.get("/data").text)})  # fmt: skip
    assert answer.status_code == 502
    assert "Det gick inte att hämta kolada-n15428" in answer.text
    assert "Källan gick inte att nå eller svarade med ett fel" in answer.text
    assert "Inget har sparats" in answer.text
    assert counts(ws) == before


@pytest.mark.parametrize("role", ["public", "reader", "editor-own"])
def test_other_roles_cannot_upload(site, role):
    client = site.client(role)
    token = form_token(client.get("/sign-in").text)
    answer = client.post("/data/upload", data={"csrf_token": token},
                         files={"file": ("obs.csv", GOOD.encode(), "text/csv")})  # fmt: skip
    assert answer.status_code == (401 if role == "public" else 403)
    assert kept_uploads(site.workspace) == []

"""`jamlik start goteborg|boras|vgr`: a workspace with the shipped programme, the organisation's
areas, comparison municipalities and saved Kolada queries linked to the programme — refreshed
offline against a local Kolada answering in the documented shapes. The codes each starter ships
are checked against the public source the starter cites."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from sources_fakes import FakeKolada, cell_value, kolada_row
from sqlalchemy import select
from typer.testing import CliRunner

from jamlik.cli.sources import register
from jamlik.data import observations_frame
from jamlik.data.tables import AreaRow, IndicatorRow
from jamlik.errors import JamlikError
from jamlik.programme.store import export_programme
from jamlik.sources.saved import SavedQuery, saved_queries
from jamlik.starters import load_starter, starters
from jamlik.yamlio import parse_document

# ../shared beside the repository (the developers' and CI's machines; a user's clone has none)
SCB = Path(__file__).resolve().parents[3] / "shared/data/scb-municipalities/municip_data_2022.csv"


@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env={"COLUMNS": "250",
                                                             "JAMLIK_HTTP_BACKOFF": "0.01"})  # fmt: skip


def test_every_starter_loads_and_names_its_sources():
    assert sorted(starters()) == ["boras", "goteborg", "vgr"]
    for name, path in starters().items():
        starter = load_starter(name)
        text = path.read_text(encoding="utf-8")
        assert "statistikdatabasen.scb.se" in text  # where the area codes were checked
        assert "no KPI id is shipped" in text.replace("No KPI", "no KPI")
        assert "kpi:" not in text  # ids are looked up, never shipped unchecked
        assert starter.indicators and all(i.kpi_title for i in starter.indicators)


@pytest.mark.skipif(not SCB.exists(), reason="SCB's municipality list is not on this machine")
def test_area_codes_are_scbs():
    with SCB.open(encoding="utf-8") as f:
        scb = {(r["municip_code"].zfill(4), r["municip_name"], r["county_code"])
               for r in csv.DictReader(f)}  # fmt: skip
    names = {(code, name) for code, name, _ in scb}
    for name in starters():
        starter = load_starter(name)
        for area in [*starter.areas, *starter.comparison]:
            if area.level == "district":
                continue  # not SCB's: checked against the city's page in the next test
            assert (area.code, area.name) in names, (name, area)
            assert area.id == area.code
    vgr = {a.code for a in load_starter("vgr").areas}
    assert vgr == {code for code, _, county in scb if county == "14"} and len(vgr) == 49


def test_goteborg_has_its_four_stadsomraden_as_the_city_numbers_them():
    starter = load_starter("goteborg")
    districts = [(a.code, a.name, a.parent) for a in starter.areas if a.level == "district"]
    assert districts == [("01", "Nordost", "1480"), ("02", "Centrum", "1480"),
                         ("03", "Sydväst", "1480"), ("04", "Hisingen", "1480")]  # fmt: skip
    text = starters()["goteborg"].read_text(encoding="utf-8")
    assert "statistik-och-analys/geografi/omradesindelningar" in text


def test_start_goteborg_then_refresh_offline(cli, serve, ws):
    result = cli("start", "goteborg", "-w", str(ws.path))
    assert result.exit_code == 0, result.output
    assert "3 sparade frågor / saved queries" in result.output
    assert "Utelämnat / left out: Göteborgs mellanområden" in result.output

    with ws.session() as s:
        areas = {a.id: (a.name, a.parent_id) for a in s.scalars(select(AreaRow))}
        indicators = {i.id: i for i in s.scalars(select(IndicatorRow))}
    assert areas == {"1480": ("Göteborg", None), "0180": ("Stockholm", None),
                     "1280": ("Malmö", None), "1480-so1": ("Nordost", "1480"),
                     "1480-so2": ("Centrum", "1480"), "1480-so3": ("Sydväst", "1480"),
                     "1480-so4": ("Hisingen", "1480")}  # fmt: skip
    assert indicators["valdeltagande-kommunval"].polarity == "higher_is_better"
    assert indicators["barn-lag-ekonomisk-standard"].polarity == "higher_is_worse"
    programme = parse_document(export_programme(ws, "goteborg-jamlik-stad"), "p").data
    nodes = {n["id"]: n.get("indicators", []) for n in programme["nodes"]}
    assert nodes["gbg-ta4-s2"] == ["valdeltagande-kommunval"]
    assert nodes["gbg-ta1"] == ["behorighet-yrkesprogram", "barn-lag-ekonomisk-standard"]
    queries = {q.name: q for q in saved_queries(ws)}
    assert set(queries) == {"start-behorighet-yrkesprogram", "start-barn-lag-ekonomisk-standard",
                            "start-valdeltagande-kommunval"}  # fmt: skip
    assert all(q.kolada.kpi == [] and q.kolada.kpi_title for q in queries.values())

    # Kolada (local) knows the KPIs by these titles; refresh looks each up, then fetches it.
    kpis = {"behorighet-yrkesprogram": "N15428", "barn-lag-ekonomisk-standard": "N99077",
            "valdeltagande-kommunval": "N05401"}  # fmt: skip
    rows = [kolada_row(k, m, y) for k in kpis.values() for m in ("1480", "0180", "1280")
            for y in (2022, 2023)]  # fmt: skip
    server = serve(FakeKolada(rows))
    result = cli("refresh", "--url", server.url + "/v3/", "-w", str(ws.path))
    assert result.exit_code == 0, result.output
    titles = [s.param("title") for s in server.requests("GET", "/v3/kpi")]
    assert sorted(titles) == sorted(q.kolada.kpi_title for q in queries.values())
    for ind, kpi in kpis.items():
        frame = observations_frame(ws, indicators=ind)
        assert len(frame) == 3 * 2 * 3, ind
        for r in frame.itertuples():
            gender = "T" if r.dimension == "total" else r.subgroup
            assert r.estimate == pytest.approx(cell_value(kpi, r.area, r.period, gender))

    # Starting again changes nothing and keeps the fetched values.
    assert cli("start", "goteborg", "-w", str(ws.path)).exit_code == 0
    assert len(observations_frame(ws)) == 3 * 3 * 2 * 3


def test_start_vgr_and_boras(cli, ws, tmp_path):
    assert cli("start", "vgr", "-w", str(ws.path)).exit_code == 0
    with ws.session() as s:
        assert len(s.scalars(select(AreaRow)).all()) == 49
    programme = parse_document(export_programme(ws, "vgr-sociala-investeringar"), "p").data
    linked = {i["id"]: i.get("indicators", []) for i in programme["initiatives"]}
    assert linked["vgrsi-le-amal"] == ["behorighet-yrkesprogram"]
    (query, _) = saved_queries(ws)
    assert len(query.kolada.municipality) == 49

    other = tmp_path / "boras"
    assert cli("start", "boras", "-w", str(other)).exit_code == 0
    assert cli("start", "lund", "-w", str(other)).exception is not None


def test_a_title_that_matches_several_kpis_lists_them(serve, make_http, ws):
    from jamlik.sources.runner import run_query

    server = serve(FakeKolada([]))
    query = SavedQuery(name="q", source="kolada", url=server.url + "/v3/",
                       kolada={"kpi_title": "behöriga till ett yrkesprogram",
                               "municipality": ["1480"]},
                       map={"indicator": {"value": "x", "polarity": "higher_is_better"}})  # fmt: skip
    with pytest.raises(JamlikError, match=r"2 KPIs whose title holds .*N15428: .*N99436: "):
        run_query(ws, query, make_http())
    assert server.requests("GET", "/v3/data") == []

"""End to end: `jamlik source … fetch` and `jamlik refresh` into a tmp workspace, against local
fake servers; what lands in the observation store is checked value by value."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
import typer
from sources_fakes import FakeKolada, FakePxWebV1, cell_value, expected_value, kolada_row
from sqlalchemy import select
from typer.testing import CliRunner

from jamlik.cli.sources import register
from jamlik.data import known_ids, observations_frame
from jamlik.data.tables import AreaRow, ImportRow, IndicatorRow
from jamlik.errors import JamlikError, ValidationError
from jamlik.sources.http import OfflineError
from jamlik.sources.saved import saved_queries

MUNIS = ["1480", "1490", "1487", "1492"]


@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)
    runner = CliRunner()

    def run(*args: str):
        # Wide lines (no wrapping in assertions) and short retry pauses.
        env = {"COLUMNS": "250", "JAMLIK_HTTP_BACKOFF": "0.01", "JAMLIK_KOLADA_URL": None}
        return runner.invoke(app, list(args), env=env)

    return run


@pytest.fixture
def kolada(serve):
    rows = [kolada_row("N15428", m, y) for m in MUNIS for y in range(2015, 2025)]
    fake = FakeKolada(rows, max_per_page=7)  # small pages: paging is part of the run
    return fake, serve(fake)


def fetch_kolada(cli, server, ws, *extra: str):
    return cli("source", "kolada", "fetch", "--kpi", "N15428", "--municipality", "1480,1490",
               "--years", "2015-2025", "--url", server.url + "/v3/", "-w", str(ws.path), *extra)  # fmt: skip


def test_kolada_fetch_then_refresh(cli, kolada, ws, monkeypatch):
    monkeypatch.delenv("JAMLIK_KOLADA_URL", raising=False)
    fake, server = kolada
    result = fetch_kolada(cli, server, ws, "--polarity", "higher_is_better")
    assert result.exit_code == 0, result.output
    assert "60 observationer" in result.output
    assert "year 2025" in result.output  # asked for, but Kolada has nothing: a warning

    frame = observations_frame(ws, indicators="N15428")
    assert len(frame) == 2 * 10 * 3
    for r in frame.itertuples():
        gender = "T" if r.dimension == "total" else r.subgroup
        assert r.dimension in ("total", "kön") and gender in ("T", "K", "M")
        assert r.estimate == pytest.approx(cell_value("N15428", r.area, r.period, gender))
    with ws.session() as s:
        ind = s.get(IndicatorRow, "N15428")
        assert ind.title.startswith("Elever i åk 9") and ind.polarity == "higher_is_better"
        assert ind.source_kind == "kolada" and ind.source_ref == "N15428"
        assert s.get(AreaRow, "1480").name == "Göteborg"
        record = s.scalars(select(ImportRow).where(ImportRow.kind == "observations")).one()
        assert record.attribution.startswith("Källa: Kolada")
        assert record.url == server.url + "/v3/" and '"kpi": ["N15428"]' in record.query
    (saved,) = saved_queries(ws)
    assert saved.name == "kolada-n15428-1480-1490" and saved.state.rows == 60

    # Kolada revises one value; refresh must ask only for changes and store exactly that one.
    before = len(server.seen)
    revised = kolada_row("N15428", "1490", 2020, changed="2999-01-01")
    revised["values"][1]["value"] = 55.5  # K
    fake.rows = [r for r in fake.rows if not (r["municipality"] == "1490" and r["period"] == 2020)]
    fake.rows.append(revised)
    del fake._index
    result = cli("refresh", "-w", str(ws.path))
    assert result.exit_code == 0, result.output
    calls = server.seen[before:]
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert [c.param("from_date") for c in calls] == [yesterday]  # one page of changes, no metadata
    assert (
        "3 rader / rows lästa / read; 0 nya / new, 1 ändrade / updated, 2 oförändrade"
        in result.output
    )
    frame = observations_frame(ws, indicators="N15428")
    k2020 = frame[(frame.area == "1490") & (frame.period == "2020") & (frame.subgroup == "K")]
    assert k2020.estimate.tolist() == [55.5]
    assert len(frame) == 60


@pytest.mark.parametrize("flag", ["is_deleted", "isdeleted"])
def test_a_value_kolada_deletes_is_removed_on_refresh(cli, kolada, ws, flag):
    fake, server = kolada
    assert fetch_kolada(cli, server, ws, "--polarity", "higher_is_better").exit_code == 0
    # Kolada deletes the women's value of 1490 in 2020; the incremental answer says so.
    gone = kolada_row("N15428", "1490", 2020, changed="2999-01-01", deleted=("K",),
                      deleted_key=flag)  # fmt: skip
    fake.rows = [r for r in fake.rows if not (r["municipality"] == "1490" and r["period"] == 2020)]
    fake.rows.append(gone)
    del fake._index
    result = cli("refresh", "-w", str(ws.path))
    assert result.exit_code == 0, result.output
    assert "1 värden är borttagna i Kolada" in result.output
    assert "1 stored earlier were removed" in result.output
    frame = observations_frame(ws, indicators="N15428")
    cell = frame[(frame.area == "1490") & (frame.period == "2020")]
    assert sorted(cell.subgroup) == ["M", "total"]  # K is gone, not an empty observation
    assert len(frame) == 59


def test_a_municipality_group_is_named_and_never_stored_as_a_municipality(cli, serve, ws):
    rows = [kolada_row("N15428", "1480", 2024), kolada_row("N15428", "G99901", 2024, count=3)]
    server = serve(FakeKolada(rows))
    result = cli("source", "kolada", "fetch", "--kpi", "N15428", "--municipality", "1480,G99901",
                 "--years", "2024", "--polarity", "higher_is_better",
                 "--url", server.url + "/v3/", "-w", str(ws.path))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "G99901: kommungrupper / municipality groups" in result.output
    assert server.requests("GET", "/v3/municipality_groups/G99901")
    with ws.session() as s:
        group = s.get(AreaRow, "G99901")
        assert group.name.startswith("Testgrupp: större städer")
        assert "kommungrupp, medelvärde / municipality group, mean" in group.name
        assert s.get(AreaRow, "1480").name == "Göteborg"
    frame = observations_frame(ws, indicators="N15428")
    assert set(frame[frame.area == "G99901"].source) == {
        "Kolada: medelvärde av 3 kommuner / unweighted mean of 3 municipalities"
    }
    assert set(frame[frame.area == "1480"].source) == {"Kolada"}
    assert len(frame) == 6


def test_new_indicator_without_polarity_downloads_nothing(cli, kolada, ws):
    _, server = kolada
    result = fetch_kolada(cli, server, ws)
    assert isinstance(result.exception, JamlikError)
    assert "--polarity" in str(result.exception) and "Nothing was downloaded" in str(
        result.exception
    )
    assert server.requests(contains="/data/") == []
    assert saved_queries(ws) == []


def test_offline_with_empty_cache(cli, kolada, ws):
    _, server = kolada
    result = fetch_kolada(cli, server, ws, "--polarity", "higher_is_better", "--offline")
    assert isinstance(result.exception, OfflineError)
    assert "without --offline" in str(result.exception)
    assert server.seen == []
    with ws.session() as s:
        assert known_ids(s, "indicator") == set()


def test_second_fetch_comes_from_the_cache(cli, kolada, ws):
    _, server = kolada
    assert fetch_kolada(cli, server, ws, "--polarity", "higher_is_better").exit_code == 0
    before = len(server.seen)
    result = fetch_kolada(cli, server, ws, "--offline")
    assert result.exit_code == 0, result.output
    assert len(server.seen) == before
    assert "0 nya / new" in result.output or "redan importerad" in result.output


def test_kolada_search(cli, kolada, ws):
    _, server = kolada
    result = cli(
        "source", "kolada", "search", "behöriga", "--url", server.url + "/v3/", "-w", str(ws.path)
    )
    assert result.exit_code == 0, result.output
    assert "N15428" in result.output and "N15419" not in result.output
    assert server.seen[0].param("title") == "behöriga"


SELECTION = """\
name: folkmangd-omrade
select:
  Region: "*"
  Kon: "*"
  ContentsCode: BE0101N1
  Tid: "*"
map:
  indicator: {value: folkmangd, polarity: higher_is_better, unit: personer}
  area: {variable: Region}
  dimensions:
    - {variable: Kon, dimension: kön, title: Kön, codes: {1: M, 2: K}, total: 1+2}
"""


def test_pxweb_fetch_split_then_refresh_skips_unchanged_table(cli, serve, ws, tmp_path):
    fake = FakePxWebV1(missing={("1492", "2020")})
    server = serve(fake)
    select_file = tmp_path / "val.yaml"
    select_file.write_text(SELECTION, encoding="utf-8")
    url = server.url + fake.table_path
    result = cli("source", "pxweb", "fetch", url, "--select", str(select_file), "-w", str(ws.path))
    assert result.exit_code == 0, result.output
    assert len(server.requests("POST")) == 6  # 90 cells, at most 20 a query: one region each

    frame = observations_frame(ws, indicators="folkmangd")
    assert len(frame) == 6 * 5 * 3
    kon = {"M": "1", "K": "2", "total": "1+2"}
    for r in frame.itertuples():
        cell = {
            "Region": r.area,
            "Kon": kon[r.subgroup],
            "ContentsCode": "BE0101N1",
            "Tid": r.period,
        }
        if r.area == "1492" and r.period == "2020":
            assert math.isnan(r.estimate) and r.flag == ".."
        else:
            assert r.estimate == pytest.approx(expected_value(cell))
    with ws.session() as s:
        assert s.get(AreaRow, "1492").name == "Åmål"
        assert s.get(IndicatorRow, "folkmangd").unit == "personer"
        record = s.scalars(select(ImportRow).where(ImportRow.kind == "observations")).one()
        assert record.attribution.startswith("Källa: Testmyndigheten")
    (saved,) = saved_queries(ws)
    assert saved.state.table_updated == fake.updated

    before = len(server.seen)
    result = cli("refresh", "-w", str(ws.path))
    assert result.exit_code == 0, result.output
    assert "oförändrad" in result.output
    assert [c.method for c in server.seen[before:]] == ["GET"]  # the listing with 'updated' only

    fake.updated = "2099-01-01T08:00:00"
    before = len(server.seen)
    assert cli("refresh", "-w", str(ws.path)).exit_code == 0
    assert len([c for c in server.seen[before:] if c.method == "POST"]) == 6


def test_pxweb_failure_after_download_leaves_nothing_behind(cli, serve, ws, tmp_path):
    fake = FakePxWebV1()
    years = fake.table["variables"][3]
    years["values"] = years["valueTexts"] = [f"år {y}" for y in years["values"]]  # not periods
    server = serve(fake)
    select_file = tmp_path / "val.yaml"
    select_file.write_text(SELECTION.replace('Region: "*"', "Region: [1480]"), encoding="utf-8")
    result = cli("source", "pxweb", "fetch", server.url + fake.table_path, "--select", str(select_file),
                 "-w", str(ws.path))  # fmt: skip
    assert isinstance(result.exception, ValidationError), result.output
    assert "period" in str(result.exception)
    with ws.session() as s:
        assert known_ids(s, "indicator") == set() and known_ids(s, "area") == set()
        assert s.scalars(select(ImportRow)).all() == []
    assert saved_queries(ws) == []


def test_pxweb_tables_lists_a_folder(cli, serve, ws):
    server = serve(FakePxWebV1())
    result = cli("source", "pxweb", "tables", server.url + "/api/v1/sv/testdb/BE/Befolkning i område",
                 "-w", str(ws.path))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "FolkmängdOmråde" in result.output and "tabell / table" in result.output


def test_refresh_without_saved_queries(cli, ws):
    result = cli("refresh", "-w", str(ws.path))
    assert isinstance(result.exception, JamlikError) and "no saved queries" in str(result.exception)


def test_kolada_unit_data_brings_its_municipality(cli, serve, ws):
    server = serve(FakeKolada([kolada_row("N15419", "V15E148000101", 2024, area_key="ou")]))
    result = cli("source", "kolada", "fetch", "--kpi", "N15419", "--ou", "V15E148000101",
                 "--years", "2024", "--polarity", "higher_is_better",
                 "--url", server.url + "/v3/", "-w", str(ws.path))  # fmt: skip
    assert result.exit_code == 0, result.output
    with ws.session() as s:
        unit = s.get(AreaRow, "V15E148000101")
        assert (unit.name, unit.level, unit.parent_id) == ("Testskolan 1", "subarea", "1480")
        assert (s.get(AreaRow, "1480").name, s.get(AreaRow, "1480").level) == (
            "Göteborg",
            "municipality",
        )
    frame = observations_frame(ws, areas="V15E148000101")
    assert len(frame) == 3


DEFINITIONS = """\
areas:
  - {id: goteborg, name: Göteborg, level: municipality, code: "1480"}
dimensions:
  - id: sex
    title: Kön
    subgroups:
      - {id: kvinnor, title: Kvinnor}
      - {id: män, title: Män}
indicators:
  - {id: behorighet, title: Behöriga till yrkesprogram, polarity: higher_is_better, unit: "%"}
"""


def test_kolada_into_the_workspaces_own_ids(cli, kolada, ws, tmp_path):
    from jamlik.data import import_definitions

    defs = tmp_path / "defs.yaml"
    defs.write_text(DEFINITIONS, encoding="utf-8")
    import_definitions(ws, defs)
    _, server = kolada
    map_file = tmp_path / "map.yaml"
    map_file.write_text(
        "map:\n"
        "  indicator: {codes: {N15428: behorighet}}\n"
        "  area: {codes: {'1480': goteborg}}\n"
        "  dimensions:\n"
        "    - {dimension: sex, codes: {K: kvinnor, M: män}}\n",
        encoding="utf-8",
    )
    result = cli("source", "kolada", "fetch", "--kpi", "N15428", "-m", "1480", "--years", "2020",
                 "--map", str(map_file), "--url", server.url + "/v3/", "-w", str(ws.path))  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = observations_frame(ws, indicators="behorighet")
    got = {(r.dimension, r.subgroup): r.estimate for r in frame.itertuples()}
    assert got == {
        ("total", "total"): cell_value("N15428", "1480", "2020", "T"),
        ("sex", "kvinnor"): cell_value("N15428", "1480", "2020", "K"),
        ("sex", "män"): cell_value("N15428", "1480", "2020", "M"),
    }
    with ws.session() as s:
        assert s.get(IndicatorRow, "behorighet").title == "Behöriga till yrkesprogram"  # untouched
        assert known_ids(s, "area") == {"goteborg"}
    assert not [
        c for c in server.seen if "/kpi/" in c.path and "/data/" not in c.path
    ]  # no metadata


def test_existing_dimension_without_the_subgroups_stops_the_import(cli, kolada, ws, tmp_path):
    from jamlik.data import import_definitions

    defs = tmp_path / "defs.yaml"
    defs.write_text(DEFINITIONS, encoding="utf-8")
    import_definitions(ws, defs)
    _, server = kolada
    map_file = tmp_path / "map.yaml"
    map_file.write_text("map:\n  dimensions: [{dimension: sex}]\n", encoding="utf-8")
    result = cli("source", "kolada", "fetch", "--kpi", "N15428", "-m", "1480", "--years", "2020",
                 "--polarity", "higher_is_better", "--map", str(map_file),
                 "--url", server.url + "/v3/", "-w", str(ws.path))  # fmt: skip
    assert isinstance(result.exception, ValidationError)
    text = str(result.exception)
    assert "dimension 'sex' has no subgroup K, M" in text and "map.dimensions[0].codes" in text
    with ws.session() as s:
        assert known_ids(s, "indicator") == {"behorighet"}
    assert observations_frame(ws).empty


def test_a_download_failing_halfway_imports_nothing(cli, serve, ws, tmp_path):
    from sources_server import Reply

    from jamlik.sources.http import SourceError

    fake = FakePxWebV1()
    server = serve(fake)

    def third_region(seen) -> bool:
        return seen.method == "POST" and seen.body["query"][0]["selection"]["values"] == ["1490"]

    server.fail_next(Reply(502, "<html>Bad Gateway</html>"), times=20, when=third_region)
    select_file = tmp_path / "val.yaml"
    select_file.write_text(SELECTION, encoding="utf-8")
    result = cli("source", "pxweb", "fetch", server.url + fake.table_path, "--select",
                 str(select_file), "-w", str(ws.path))  # fmt: skip
    assert isinstance(result.exception, SourceError) and "502" in str(result.exception)
    assert len(server.requests("POST")) >= 3  # two regions were downloaded before the failure
    with ws.session() as s:
        assert known_ids(s, "indicator") == set() and known_ids(s, "area") == set()
    assert saved_queries(ws) == []


def test_pxweb_v2_metadata_lists_codelists_and_fetch_takes_one(cli, serve, ws, tmp_path):
    from sources_fakes import FakePxWebV2

    server = serve(FakePxWebV2())
    url = server.url + "/api/v2/tables/TAB001"
    result = cli("source", "pxweb", "metadata", url, "-w", str(ws.path))
    assert result.exit_code == 0, result.output
    assert (
        "kodlista / codelist agg_Ålder10år: 10-årsklasser (gruppering / aggregation)"
        in result.output
    )
    assert (
        "kodlista / codelist vs_Ålder1årG: Ålder, 1-årsklasser (värdemängd / value set)"
        in result.output
    )
    assert "Obs (obligatorisk fotnot / mandatory note): Från 2023 redovisas" in result.output
    shown = cli("source", "pxweb", "metadata", url, "--codelist", "Alder=agg_Ålder10år",
                "-w", str(ws.path))  # fmt: skip
    assert (
        "(kodlista / codelist agg_Ålder10år)" in shown.output and "10-19: 10-19 år" in shown.output
    )

    select_file = tmp_path / "val.yaml"
    select_file.write_text(
        'select: {Region: ["1480"], Alder: "*", Kon: ["1"], ContentsCode: "*", Tid: ["2023"]}\n'
        "map:\n  indicator: {value: folk-alder, polarity: higher_is_better}\n"
        "  area: {variable: Region}\n  dimensions: [{variable: Alder, dimension: alder10}]\n",
        encoding="utf-8",
    )
    result = cli("source", "pxweb", "fetch", url, "--select", str(select_file),
                 "--codelist", "Alder=agg_Ålder10år", "-w", str(ws.path))  # fmt: skip
    assert result.exit_code == 0, result.output
    (saved,) = saved_queries(ws)
    assert saved.select["Alder"] == {"codelist": "agg_Ålder10år", "values": "*"}
    frame = observations_frame(ws, indicators="folk-alder")
    assert sorted(frame.subgroup) == ["0-9", "10-19"]
    bad = cli("source", "pxweb", "fetch", url, "--select", str(select_file),
              "--codelist", "Alder", "-w", str(ws.path))  # fmt: skip
    assert "write VARIABLE=CODELIST" in str(bad.exception)

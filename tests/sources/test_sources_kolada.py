"""Kolada v3 connector against a local fake that enforces the API's rules."""

from __future__ import annotations

import json
import math
import time

import pytest
from sources_fakes import FakeKolada, cell_value, fixture, kolada_row
from sources_server import Reply

from jamlik.errors import JamlikError
from jamlik.sources.kolada import Kolada, chunks, kolada_url, parse_years


def client(make_http, server, **kw) -> Kolada:
    return Kolada(make_http(), server.url + "/v3/", rate=1000, **kw)


def test_parse_years_and_chunks():
    assert parse_years("2015-2018") == [2015, 2016, 2017, 2018]
    assert parse_years("2020, 2018,2020") == [2018, 2020]
    with pytest.raises(JamlikError, match="backwards"):
        parse_years("2020-2015")
    with pytest.raises(JamlikError, match="Cannot read"):
        parse_years("förra året")
    assert [len(c) for c in chunks([str(i) for i in range(60)])] == [25, 25, 10]


def test_base_url_from_flag_env_or_default(monkeypatch):
    monkeypatch.delenv("JAMLIK_KOLADA_URL", raising=False)
    assert kolada_url() == "https://api.kolada.se/v3/"
    monkeypatch.setenv("JAMLIK_KOLADA_URL", "http://mirror.example/v3")
    assert kolada_url() == "http://mirror.example/v3/"
    assert kolada_url("http://flag.example/v3/") == "http://flag.example/v3/"


def test_pages_are_followed_to_the_end(serve, make_http):
    rows = [
        kolada_row(k, m, y)
        for k in ("N15428", "N15419")
        for m in ("1480", "1490")
        for y in (2022, 2023, 2024)
    ]
    server = serve(FakeKolada(rows, max_per_page=5))  # 12 rows in pages of 5 → 3 pages
    data = client(make_http, server).data(
        ["N15428", "N15419"], ["1480", "1490"], [2022, 2023, 2024]
    )
    assert len(server.requests("GET", "/v3/data")) == 3
    assert len(data.frame) == 12 * 3  # T, K, M per row
    assert set(data.frame.period) == {"2022", "2023", "2024"}
    for r in data.frame.itertuples():
        assert r.value == cell_value(r.kpi, r.municipality, r.period, r.gender)


def test_v2_style_next_page_is_accepted(serve, make_http):
    rows = [kolada_row("N15428", "1480", y) for y in range(2015, 2025)]
    server = serve(FakeKolada(rows, max_per_page=4, next_key="next_page"))
    data = client(make_http, server).data(["N15428"], ["1480"], range(2015, 2025))
    assert len(server.seen) == 3 and len(data.frame) == 30


def test_long_id_lists_are_split_into_25_item_chunks(serve, make_http):
    kpis = [f"N{i:05d}" for i in range(30)]
    rows = [kolada_row(k, "1480", 2024) for k in kpis]
    server = serve(FakeKolada(rows))  # answers 400 to a segment with more than 25 ids
    data = client(make_http, server).data(kpis, ["1480"], [2024])
    segments = [s.path.split("/")[4].split(",") for s in server.requests("GET", "/v3/data")]
    assert [len(s) for s in segments] == [25, 5]
    assert sorted(sum(segments, [])) == kpis
    assert len(data.frame) == 90 and not data.warnings


@pytest.mark.parametrize("flag", ["isdeleted", "is_deleted"])
def test_deleted_rows_dropped_and_null_kept_missing(serve, make_http, flag):
    # Kolada's documentation names the flag is_deleted; answers have carried isdeleted.
    page = json.loads(json.dumps(fixture("kolada", "data_page.json")).replace("isdeleted", flag))
    server = serve(lambda seen, _: Reply(200, page))
    data = client(make_http, server).data(["N15428"], ["1480", "1490"], [2023, 2024])
    frame = data.frame.set_index(["municipality", "period", "gender"])["value"]
    assert data.deleted == 1
    assert ("1490", "2023", "T") not in frame.index  # isdeleted: true
    assert math.isnan(frame[("1480", "2024", "K")])  # null stays missing …
    assert frame[("1480", "2024", "M")] == 0.0  # … and a real 0 stays 0
    assert frame[("1480", "2023", "K")] == 84.0
    assert frame[("1480", "2024", "T")] == 83.0  # period given as a string is read too
    assert len(frame) == 11


def test_a_whole_row_marked_is_deleted_is_dropped(serve, make_http):
    row = kolada_row("N15428", "1480", 2024)
    row["is_deleted"] = True  # the flag on the row rather than on each value
    server = serve(FakeKolada([row, kolada_row("N15428", "1490", 2024)]))
    data = client(make_http, server).data(["N15428"], ["1480", "1490"], [2024])
    assert data.deleted == 3 and set(data.frame.municipality) == {"1490"}
    assert len(data.deleted_frame) == 3 and set(data.deleted_frame.municipality) == {"1480"}


def test_ids_that_return_nothing_are_warned_about(serve, make_http):
    server = serve(FakeKolada([kolada_row("N15428", "1480", 2024)]))
    data = client(make_http, server).data(["N15428", "N99999"], ["1480", "9999"], [2024])
    text = "\n".join(data.warnings)
    assert "KPI N99999" in text and "municipality 9999" in text
    assert "N15428" not in text and "1480" not in text


def test_from_date_asks_only_for_changes(serve, make_http):
    rows = [kolada_row("N15428", "1480", 2023, changed="2024-01-10"),
            kolada_row("N15428", "1480", 2024, changed="2025-03-01", deleted=("K",))]  # fmt: skip
    server = serve(FakeKolada(rows))
    data = client(make_http, server).data(
        ["N15428"], ["1480"], [2023, 2024], from_date="2025-01-01"
    )
    assert server.seen[0].param("from_date") == "2025-01-01"
    assert set(data.frame.period) == {"2024"} and data.deleted == 1
    assert not data.warnings  # in an incremental fetch, silence means "no change"


def test_two_of_three_segments_required(make_http):
    with pytest.raises(JamlikError, match="at least two"):
        Kolada(make_http(), "http://127.0.0.1:9/v3/").data(["N15428"])


def test_unit_data_and_metadata(serve, make_http):
    rows = [kolada_row("N15419", "V15E148000101", 2024, area_key="ou")]
    server = serve(FakeKolada(rows))
    kolada = client(make_http, server)
    data = kolada.unit_data(["N15419"], ["V15E148000101"], [2024])
    assert data.area_column == "ou" and set(data.frame.ou) == {"V15E148000101"}
    assert "/v3/oudata/kpi/N15419/ou/V15E148000101/year/2024" in server.seen[0].path
    assert [k["id"] for k in kolada.kpis(title="åk 9")] == ["N15428", "N15419", "N99436"]
    assert [m["id"] for m in kolada.municipalities(["1480", "1490"])] == ["1480", "1490"]
    assert [m["id"] for m in kolada.municipalities(region_type="L")] == ["0000", "0014"]
    assert len(kolada.units(municipality="1480")) == 2


def test_a_loop_of_next_urls_is_stopped(serve, make_http):
    def handler(seen, server):
        return Reply(200, {"values": [], "next_url": f"{server.url}/v3/kpi?page=2"})

    server = serve(handler)
    with pytest.raises(JamlikError, match="same next page"):
        client(make_http, server).kpis()


def test_answer_without_values_is_an_error(serve, make_http):
    server = serve(lambda s, _: Reply(200, {"error": "maintenance"}))
    with pytest.raises(JamlikError, match="without a 'values' list"):
        client(make_http, server).kpis()


def test_30_kpis_290_municipalities_10_years(serve, make_http, record_property):
    """The issue's volume case: chunking and paging together, counted by hand.

    KPIs split 25 + 5, municipalities 11 × 25 + 15, years fit one segment. With 5000 rows a
    page: 25 KPIs × 25 municipalities × 10 years = 6250 rows → 2 pages (11 combinations);
    25 × 15 × 10 = 3750 → 1 page; the 5-KPI chunk gives at most 1250 rows → 1 page (12).
    Requests: 11 × 2 + 1 + 12 = 35.
    """
    kpis = [f"N{i:05d}" for i in range(30)]
    munis = [f"{i:04d}" for i in range(1, 291)]
    years = list(range(2015, 2025))
    rows = [kolada_row(k, m, y) for k in kpis for m in munis for y in years]
    server = serve(FakeKolada(rows))
    t0 = time.perf_counter()
    data = client(make_http, server).data(kpis, munis, years)
    seconds = time.perf_counter() - t0
    record_property("kolada_requests", len(server.seen))
    record_property("kolada_seconds", round(seconds, 2))
    print(f"\nKolada 30×290×10: {len(server.seen)} requests, {seconds:.2f} s")
    assert len(server.seen) == 35
    assert len(data.frame) == 30 * 290 * 10 * 3
    assert not data.warnings
    sample = data.frame.iloc[[0, 12345, len(data.frame) - 1]]
    for r in sample.itertuples():
        assert r.value == cell_value(r.kpi, r.municipality, r.period, r.gender)

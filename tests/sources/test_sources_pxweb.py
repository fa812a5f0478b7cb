"""PxWeb v1 and v2 against local fakes: browsing, metadata, selections, splitting, limits."""

from __future__ import annotations

import itertools
import math
import time

import pytest
from sources_fakes import FakePxWebV1, FakePxWebV2, expected_value

from jamlik.errors import JamlikError, ValidationError
from jamlik.sources.http import HttpStatusError
from jamlik.sources.pxselect import (
    TableMeta,
    Variable,
    cell_count,
    resolve_selection,
    split_selection,
)
from jamlik.sources.pxweb import PxWeb

TABLE = "/api/v1/sv/testdb/BE/Befolkning i område/FolkmängdOmråde"
REGIONS = ["1480", "1487", "1490", "1492", "1401", "1402"]
YEARS = ["2019", "2020", "2021", "2022", "2023"]


def v1(make_http, server, path: str = TABLE) -> PxWeb:
    return PxWeb(make_http(), server.url + path)


def check_values(frame, fixed: dict[str, str] | None = None) -> None:
    """Every served cell carries the value the fake computed for its codes."""
    codes = [c for c in frame.columns if c not in ("value", "status")]
    for row in frame.itertuples(index=False):
        cell = {c: getattr(row, c) for c in codes} | (fixed or {})
        if row.status == "..":
            assert math.isnan(row.value)
        else:
            assert row.value == expected_value(cell)


# -- selections and splitting (no server) ------------------------------------------------------


META = TableMeta(
    "t",
    [
        Variable("Region", "område", REGIONS, REGIONS),
        Variable("Kon", "kön", ["1", "2", "1+2"], ["män", "kvinnor", "totalt"], elimination=True),
        Variable("Tid", "år", YEARS, YEARS, time=True),
    ],
)


@pytest.mark.parametrize(
    ("spec", "codes"),
    [
        ("*", YEARS),
        ("TOP(2)", ["2022", "2023"]),
        ("bottom(1)", ["2019"]),
        ("FROM(2021)", ["2021", "2022", "2023"]),
        ("TO(2020)", ["2019", "2020"]),
        ("RANGE(2022,2020)", ["2020", "2021", "2022"]),
        ("202?", ["2020", "2021", "2022", "2023"]),
        (["2023", "2019", "2023"], ["2023", "2019"]),
    ],
)
def test_value_expressions(spec, codes):
    assert resolve_selection(META, {"Region": ["1480"], "Tid": spec})["Tid"] == codes


def test_selection_problems_are_reported_together():
    with pytest.raises(ValidationError) as info:
        resolve_selection(META, {"Regon": "*", "Tid": ["1999"], "Kon": "TOP(x)"}, source="val.yaml")
    text = str(info.value)
    assert "4 problems" in text
    assert "no variable 'Regon'" in text
    assert "Region (område) cannot be left out" in text
    assert "'1999' matches no value of Tid" in text
    # Kon (eliminable) may be left out; a bad expression for it is still reported:
    assert "TOP(x)" in text


def test_eliminable_variable_may_be_left_out():
    sel = resolve_selection(META, {"Region": ["1480"], "Tid": "*"})
    assert list(sel) == ["Region", "Tid"]


@pytest.mark.parametrize(
    ("limit", "expected_queries"), [(90, 1), (45, 2), (20, 6), (4, 30), (1, 90)]
)
def test_split_covers_every_cell_once_within_limit(limit, expected_queries):
    sel = {"Region": REGIONS, "Kon": ["1", "2", "1+2"], "Tid": YEARS}
    parts = split_selection(sel, limit)
    cells = [c for p in parts for c in itertools.product(*p.values())]
    assert sorted(cells) == sorted(itertools.product(*sel.values()))
    assert all(cell_count(p) <= limit for p in parts)
    # By hand: 45 → Region in halves (2 × 45 cells); 20 → one Region each (6 × 15); 4 → one
    # Region and one Tid each (3 Kon = 3 cells): 6 × 5 = 30; 1 → every cell alone.
    assert len(parts) == expected_queries


# -- API v1 ------------------------------------------------------------------------------------


def test_v1_browse_folders_with_spaces_and_aao(serve, make_http):
    server = serve(FakePxWebV1())
    root = PxWeb(make_http(), server.url + "/api/v1/sv/")
    assert [(n.id, n.type) for n in root.list()] == [("testdb", "l")]
    folder = PxWeb(make_http(), server.url + "/api/v1/sv/testdb/BE/Befolkning i område")
    nodes = folder.list()
    assert [(n.id, n.type) for n in nodes] == [("Rubrik", "h"), ("FolkmängdOmråde", "t")]
    assert nodes[1].updated == "2025-02-20T08:00:00"
    raw = server.requests("GET", "Befolkning i område")[0].raw_path
    assert raw == "/api/v1/sv/testdb/BE/Befolkning%20i%20omr%C3%A5de"  # percent-encoded once
    hits = PxWeb(make_http(), server.url + "/api/v1/sv/testdb").search("folkmängd")
    assert hits[0].id == "FolkmängdOmråde" and hits[0].url.endswith("/FolkmängdOmråde")


def test_v1_config_read_and_query_split_to_fit(serve, make_http):
    server = serve(FakePxWebV1())  # config maxValues 20; the fake rejects more than 20 cells
    client = v1(make_http, server)
    assert client.config().max_cells == 20 and client.config().max_calls == 30
    data = client.fetch({"Region": "*", "Kon": "*", "ContentsCode": "BE0101N1", "Tid": "*"})
    posts = server.requests("POST")
    # 6 regions × 3 Kon × 1 × 5 years = 90 cells; 20 per query → one region per query (15 cells).
    assert len(posts) == 6
    for post in posts:
        sel = {q["code"]: q["selection"]["values"] for q in post.body["query"]}
        assert len(sel["Region"]) == 1 and sel["Kon"] == ["1", "2", "1+2"] and sel["Tid"] == YEARS
        assert post.body["response"] == {"format": "json-stat2"}
    assert sorted(p.body["query"][0]["selection"]["values"][0] for p in posts) == sorted(REGIONS)
    assert len(data.frame) == 90 and len(data.queries) == 6
    assert list(data.frame.columns) == ["Region", "Kon", "ContentsCode", "Tid", "value", "status"]
    check_values(data.frame)
    assert data.source == "Testmyndigheten"


def test_v1_unsorted_index_any_dimension_order_and_status(serve, make_http):
    # The fake writes dimensions time-first and every category index as a reversed dict.
    server = serve(
        FakePxWebV1(order=["Tid", "ContentsCode", "Kon", "Region"], missing={("1492", "2020")})
    )
    data = v1(make_http, server).fetch({"Region": ["1480", "1492"], "Kon": ["1", "2"],
                                        "ContentsCode": "*", "Tid": "TOP(4)"})  # fmt: skip
    assert len(data.frame) == 2 * 2 * 4
    check_values(data.frame)
    gaps = data.frame[data.frame.status == ".."]
    assert set(zip(gaps.Region, gaps.Tid, strict=True)) == {("1492", "2020")} and len(gaps) == 2


def test_server_stricter_than_its_config_gets_halved_queries(serve, make_http):
    server = serve(FakePxWebV1(real_max_cells=6))  # config says 20, the server allows 6
    data = v1(make_http, server).fetch(
        {"Region": ["1480", "1490"], "Kon": "*", "ContentsCode": "*", "Tid": "*"}
    )
    assert len(data.frame) == 30
    check_values(data.frame)
    assert all(cell_count(q) <= 6 for q in data.queries)
    # By hand: 30 cells in queries of 18 and 12 (Tid 3 + 2); 18 refused → limit 9: 6+6+6, 8+4;
    # 8 refused → limit 4: 4+4, 4. POSTs: 1 + 3 + 1 + 3 = 8, answered 6.
    assert len(server.requests("POST")) == 8 and len(data.queries) == 6


def big_table(fake: FakePxWebV1) -> FakePxWebV1:
    """The fake's table with 290 areas and 10 years: 290 × 3 × 1 × 10 = 8700 cells."""
    variables = fake.table["variables"]
    variables[0]["values"] = variables[0]["valueTexts"] = [f"{i:04d}" for i in range(1, 291)]
    variables[3]["values"] = variables[3]["valueTexts"] = [str(y) for y in range(2014, 2024)]
    return fake


def test_refusals_that_never_end_are_an_error(serve, make_http):
    # A server that refuses everything with 403 (not a cell limit at all) is not halved forever:
    # 8700 cells, refused; then 8 halvings (4350 … 34 cells), all refused; the 9th gives up.
    config = {"maxValues": 10000, "maxCalls": 100, "timeWindow": 1}
    server = serve(big_table(FakePxWebV1(config=config, real_max_cells=0)))
    with pytest.raises(HttpStatusError, match="403"):
        v1(make_http, server).fetch({"Region": "*", "Kon": "*", "ContentsCode": "*", "Tid": "*"})
    assert len(server.requests("POST")) == 1 + 8


def test_a_rejected_single_cell_is_an_error_not_a_loop(serve, make_http):
    server = serve(FakePxWebV1(real_max_cells=0))
    with pytest.raises(HttpStatusError, match="403"):
        v1(make_http, server).fetch(
            {"Region": ["1480"], "Kon": ["1"], "ContentsCode": "*", "Tid": ["2020"]}
        )


def test_calls_stay_within_the_call_limit(serve, make_http):
    config = {"maxValues": 5, "maxCalls": 3, "timeWindow": 0.3}
    server = serve(FakePxWebV1(config=config))
    client = PxWeb(make_http(sleep=time.sleep), server.url + TABLE)
    # 4 regions × 5 years = 20 cells, 5 a query: the larger variable (Tid) goes one year at a
    # time → 5 queries of 4 cells; with config and metadata that is 7 calls, 3 per 0.3 s.
    client.fetch({"Region": REGIONS[:4], "ContentsCode": "*", "Tid": "*"})
    times = [s.at for s in server.seen]
    assert len(times) == 7
    # (a little slack: arrival times at the server jitter with the machine's load)
    assert all(times[i + 3] - times[i] >= 0.25 for i in range(len(times) - 3))


def test_updated_stamp_read_from_the_parent_listing(serve, make_http):
    server = serve(FakePxWebV1(updated="2025-05-05T08:00:00"))
    assert v1(make_http, server).updated() == "2025-05-05T08:00:00"


def test_not_a_pxweb_url():
    with pytest.raises(JamlikError, match="not a PxWeb API URL"):
        PxWeb(None, "https://example.org/statistik/tabell")  # type: ignore[arg-type]


# -- API v2 ------------------------------------------------------------------------------------


def test_v2_search_follows_page_links(serve, make_http):
    server = serve(FakePxWebV2(page_size=1))
    hits = PxWeb(make_http(), server.url + "/api/v2").search("folkmängd")
    assert [h.id for h in hits] == ["TAB001", "TAB002"]
    assert len(server.requests("GET", "/tables")) == 2


def test_v2_metadata_and_split_download(serve, make_http):
    server = serve(FakePxWebV2())  # maxDataCells 8
    client = PxWeb(make_http(), server.url + "/api/v2/tables/TAB001")
    meta = client.metadata()
    region = meta.variable("Region")
    assert region.values == ["1480", "1487", "1490"]  # by index position, not key order
    assert region.label("1490") == "Borås" and not region.elimination
    assert meta.variable("Kon").elimination and meta.time_variable.code == "Tid"
    data = client.fetch({"Region": "*", "Kon": "*", "ContentsCode": "*", "Tid": "*"})
    posts = server.requests("POST")
    # 3 × 2 × 1 × 3 = 18 cells, 8 per query → one Region per query (6 cells).
    assert len(posts) == 3
    assert all(p.param("outputFormat") == "json-stat2" for p in posts)
    assert sorted(p.body["selection"][0]["valueCodes"][0] for p in posts) == [
        "1480",
        "1487",
        "1490",
    ]
    assert len(data.frame) == 18
    assert list(data.frame.columns)[:4] == ["Region", "Kon", "ContentsCode", "Tid"]
    check_values(data.frame)
    assert data.licence == "CC0 (test)"
    assert client.updated() == "2025-02-20T08:00:00Z"


def test_v2_problem_json_error_is_shown(serve, make_http):
    server = serve(FakePxWebV2())
    with pytest.raises(HttpStatusError, match="Not Found"):
        PxWeb(make_http(), server.url + "/api/v2/tables/NOPE").metadata()


def test_v2_without_limits_in_config_learns_from_too_many_cells(serve, make_http):
    # The config states no cell limit (0 = "not set"); the server refuses more than 4 cells with
    # 403 problem+json. The client falls back, gets refused, halves, and completes.
    config = {"maxDataCells": 0, "maxCallsPerTimeWindow": 100, "timeWindow": 1}
    server = serve(FakePxWebV2(config=config, real_max_cells=4))
    data = PxWeb(make_http(), server.url + "/api/v2/tables/TAB001").fetch(
        {"Region": "*", "Kon": "*", "ContentsCode": "*", "Tid": "*"}
    )
    assert len(data.frame) == 18
    check_values(data.frame)
    assert all(cell_count(q) <= 4 for q in data.queries)
    # By hand: 18 cells refused → limit 9: one Region per query (6 cells); the first is refused →
    # limit 3: every waiting query goes one Tid at a time (2 cells) → 3 × 3 = 9 answered queries.
    # Data calls: 1 + 1 + 9 = 11, two of them refused.
    posts = server.requests("POST")
    assert len(posts) == 11 and len(data.queries) == 9
    assert sum(cell_count_of(p.body) > 4 for p in posts) == 2


def cell_count_of(body: dict) -> int:
    return math.prod(len(s["valueCodes"]) for s in body["selection"])


def test_large_v1_download_split_by_the_servers_limit(serve, make_http, record_property):
    """290 areas × 3 Kon × 10 years = 8700 cells, 1000 a query. By hand: Region is largest;
    the rest is 30 cells, so 33 regions fit a query: ceil(290 / 33) = 9 queries."""
    fake = big_table(FakePxWebV1(config={"maxValues": 1000, "maxCalls": 30, "timeWindow": 10}))
    server = serve(fake)
    t0 = time.perf_counter()
    data = v1(make_http, server).fetch({"Region": "*", "Kon": "*", "ContentsCode": "*", "Tid": "*"})
    seconds = time.perf_counter() - t0
    record_property("pxweb_requests", len(server.seen))
    print(
        f"\nPxWeb 8700 cells: {len(server.seen)} requests ({len(data.queries)} data), {seconds:.2f} s"
    )
    assert len(server.requests("POST")) == 9 and len(data.queries) == 9
    assert len(data.frame) == 8700
    check_values(data.frame.sample(200, random_state=1))

"""Real sources as they really answer: SCB's PxWeb v2 metadata (`"value": []`, codelists, notes,
`noteMandatory`, units), JSON-stat `child` hierarchies and `category.unit`, PxWeb v1's px-json
and JSON-stat 1.x answers, INE-style quarters and `2005M01` months. Fixtures follow the
documented shapes (PxWebApi 2's JSON-stat extensions; JSON-stat 2.0), empty parts included."""

from __future__ import annotations

import copy
import json
import math

import pandas as pd
import pytest
from sources_fakes import FakePxWebV1, FakePxWebV2, expected_value, fixture
from sqlalchemy import select

from jamlik.data import observations_frame
from jamlik.data.tables import AreaRow, DimensionRow, ImportRow, IndicatorRow, SubgroupRow
from jamlik.errors import JamlikError, ValidationError
from jamlik.sources.jsonstat import parse_jsonstat
from jamlik.sources.mapping import SourceMapping, apply_mapping, source_period
from jamlik.sources.pxweb import PxWeb
from jamlik.sources.runner import run_query, unit_and_scale
from jamlik.sources.saved import SavedQuery

V1_TABLE = "/api/v1/sv/testdb/BE/Befolkning i område/FolkmängdOmråde"


# -- PxWeb v2 metadata as SCB writes it ---------------------------------------------------------


def test_scb_metadata_with_an_empty_value_list_is_read():
    doc = fixture("pxweb", "v2_metadata.json")
    assert doc["value"] == []  # as SCB writes it
    ds = parse_jsonstat(doc, source="metadata", require_values=False)
    assert ds.values is None and ds.sizes == [3, 3, 2, 1, 3]
    # Data still needs its values: the same document as a data answer is refused.
    with pytest.raises(ValidationError, match="0 values, but the dimension sizes multiply to 54"):
        parse_jsonstat(doc, source="data")


def test_notes_and_mandatory_notes_are_kept():
    ds = parse_jsonstat(fixture("pxweb", "v2_metadata.json"), require_values=False)
    notes = [(n.text[:30], n.mandatory, n.dimension, n.category) for n in ds.all_notes()]
    assert notes == [
        ("Uppgifterna avser förhållandet", False, None, None),
        ("Från 2023 redovisas folkmängde", True, None, None),  # noteMandatory {"1": true}
        ("Folkmängden för Vänersborg 202", True, "ContentsCode", "BE0101N1"),
        ("Avser folkbokförda personer.", False, "ContentsCode", "BE0101N1"),
    ]


def test_metadata_lists_codelists_and_units(serve, make_http):
    server = serve(FakePxWebV2())
    meta = PxWeb(make_http(), server.url + "/api/v2/tables/TAB001").metadata()
    alder = meta.variable("Alder")
    assert [(c["id"], c["type"]) for c in alder.codelists] == [
        ("agg_Ålder10år", "Aggregation"),
        ("vs_Ålder1årG", "Valueset"),
    ]
    assert meta.variable("ContentsCode").units == {"BE0101N1": {"base": "antal", "decimals": 0}}
    assert meta.variable("ContentsCode").role == "metric"


def test_a_selection_in_a_codelist(serve, make_http):
    server = serve(FakePxWebV2())
    client = PxWeb(make_http(), server.url + "/api/v2/tables/TAB001")
    select_ = {"Region": ["1480"], "Alder": {"codelist": "agg_Ålder10år", "values": "*"},
               "ContentsCode": "*", "Tid": ["2023"]}  # fmt: skip
    data = client.fetch(select_)
    (meta_call,) = [s for s in server.requests("GET", "/metadata") if s.query]
    assert meta_call.param("codelist[Alder]") == "agg_Ålder10år"
    (post,) = server.requests("POST")
    alder = next(s for s in post.body["selection"] if s["variableCode"] == "Alder")
    assert alder == {"variableCode": "Alder", "valueCodes": ["0-9", "10-19"],
                     "codelist": "agg_Ålder10år"}  # fmt: skip
    assert sorted(data.frame["Alder"]) == ["0-9", "10-19"]
    for row in data.frame.itertuples(index=False):
        cell = {"Region": "1480", "Alder": row.Alder, "ContentsCode": "BE0101N1", "Tid": "2023"}
        assert row.value == expected_value(cell)


def test_an_unknown_codelist_names_those_there_are(serve, make_http):
    server = serve(FakePxWebV2())
    client = PxWeb(make_http(), server.url + "/api/v2/tables/TAB001")
    with pytest.raises(
        ValidationError, match="has no codelist 'agg_Ålder5år'; it has agg_Ålder10år, vs_Ålder1årG"
    ):
        client.plan({"Region": "*", "Alder": {"codelist": "agg_Ålder5år"}, "ContentsCode": "*",
                     "Tid": "*"})  # fmt: skip
    assert server.requests("POST") == []


def test_codelists_on_a_v1_url_are_refused(serve, make_http):
    server = serve(FakePxWebV1())
    with pytest.raises(JamlikError, match="PxWeb API v2 feature"):
        PxWeb(make_http(), server.url + V1_TABLE).plan({"Region": {"codelist": "x"}})


# -- a whole run: notes, units, titles, codelists, into the workspace ---------------------------


def v2_query(server, **select_extra) -> SavedQuery:
    return SavedQuery(
        name="folk",
        source="pxweb",
        url=server.url + "/api/v2/tables/TAB001",
        select={"Region": "*", "Kon": "*", "ContentsCode": "*", "Tid": "*", **select_extra},
        map={
            "indicator": {"value": "folkmangd", "polarity": "higher_is_better"},
            "area": {"variable": "Region"},
            "dimensions": [{"variable": "Kon", "dimension": "kon"}],
        },  # fmt: skip
    )


def test_run_keeps_notes_units_and_the_sources_titles(serve, make_http, ws):
    server = serve(FakePxWebV2())
    result = run_query(ws, v2_query(server), make_http())
    assert result.rows == 3 * 2 * 3
    with ws.session() as s:
        ind = s.get(IndicatorRow, "folkmangd")
        assert (ind.unit, ind.scale) == ("antal", 1.0)  # category.unit of BE0101N1
        assert s.get(DimensionRow, "kon").title == "Kön"  # the source's label, not "kon"
        record = s.scalars(select(ImportRow).where(ImportRow.kind == "observations")).one()
    # Mandatory notes travel in the attribution, which every page, export and report footnote
    # that credits the source shows; all notes are kept in the query as provenance.
    assert "Från 2023 redovisas folkmängden enligt ny metod." in record.attribution
    assert "Folkmängden för Vänersborg 2022 är reviderad." in record.attribution
    assert "Avser folkbokförda" not in record.attribution  # not mandatory
    notes = json.loads(record.query)["notes"]
    assert len(notes) == 4 and sum(n["mandatory"] for n in notes) == 2


def test_run_with_a_codelist_stores_its_groups(serve, make_http, ws):
    server = serve(FakePxWebV2())
    query = v2_query(server, Alder={"codelist": "agg_Ålder10år", "values": "*"})
    query.select["Kon"] = ["1"]
    query.map["dimensions"] = [{"variable": "Alder", "dimension": "alder10", "ordered": True}]
    query.map["indicator"]["value"] = "folk-alder"
    run_query(ws, query, make_http())
    frame = observations_frame(ws, indicators="folk-alder")
    assert sorted(set(frame["subgroup"])) == ["0-9", "10-19"]
    with ws.session() as s:
        assert s.get(DimensionRow, "alder10").title == "Ålder"
    for r in frame.itertuples():
        cell = {"Region": r.area, "Alder": r.subgroup, "Kon": "1", "ContentsCode": "BE0101N1",
                "Tid": r.period}  # fmt: skip
        assert r.estimate == pytest.approx(expected_value(cell))


# -- JSON-stat child hierarchies and units -----------------------------------------------------


def hierarchy_fake() -> FakePxWebV2:
    meta = copy.deepcopy(fixture("jsonstat", "hierarchy_units.json"))
    meta["value"] = []
    return FakePxWebV2(metadata=meta, config={"maxDataCells": 1000, "maxCallsPerTimeWindow": 30,
                                              "timeWindow": 10})  # fmt: skip


def test_child_hierarchy_becomes_area_parents_and_units_become_unit_and_scale(serve, make_http, ws):
    server = serve(hierarchy_fake())
    query = SavedQuery(
        name="oecd", source="pxweb", url=server.url + "/api/v2/tables/TAB001",
        select={"concept": "*", "area": "*", "year": "*"},
        map={"indicator": {"variable": "concept",
                           "polarity": {"GDP": "higher_is_better", "UNR": "higher_is_worse"}},
             "area": {"variable": "area"}},
    )  # fmt: skip
    run_query(ws, query, make_http())
    with ws.session() as s:
        areas = {a.id: (a.level, a.parent_id) for a in s.scalars(select(AreaRow))}
        gdp, unr = s.get(IndicatorRow, "GDP"), s.get(IndicatorRow, "UNR")
    # By hand from the fixture's child: OECD ⊃ {EU15, US}, EU15 ⊃ {DE, SE}.
    assert areas == {
        "OECD": ("municipality", None),
        "EU15": ("district", "OECD"),
        "US": ("district", "OECD"),
        "DE": ("subarea", "EU15"),
        "SE": ("subarea", "EU15"),
    }
    assert (gdp.unit, gdp.scale) == ("miljoner euro (€)", 1.0)  # multiplier 6: in millions
    assert (unr.unit, unr.scale) == ("procent (%)", 100.0)


def test_only_fetched_ancestors_become_parents(serve, make_http, ws):
    server = serve(hierarchy_fake())
    query = SavedQuery(
        name="oecd", source="pxweb", url=server.url + "/api/v2/tables/TAB001",
        select={"concept": ["UNR"], "area": ["OECD", "DE", "SE"], "year": "*"},
        map={"indicator": {"variable": "concept", "polarity": "higher_is_worse"},
             "area": {"variable": "area"}},
    )  # fmt: skip
    run_query(ws, query, make_http())
    with ws.session() as s:
        areas = {a.id: (a.level, a.parent_id) for a in s.scalars(select(AreaRow))}
    assert areas == {"OECD": ("municipality", None), "DE": ("district", "OECD"),
                     "SE": ("district", "OECD")}  # fmt: skip


def test_child_that_is_not_a_category_is_named():
    doc = copy.deepcopy(fixture("jsonstat", "hierarchy_units.json"))
    doc["dimension"]["area"]["category"]["child"]["EU15"].append("FR")
    with pytest.raises(ValidationError, match=r"FR in 'child' is not a category"):
        parse_jsonstat(doc, source="h.json")


def age_query(server, ages, **dimension) -> SavedQuery:
    return SavedQuery(
        name="alder", source="pxweb", url=server.url + "/api/v2/tables/TAB001",
        select={"Region": "*", "Alder": ages, "ContentsCode": "*", "Tid": "*"},
        map={"indicator": {"value": "folk", "polarity": "higher_is_better"},
             "area": {"variable": "Region"},
             "dimensions": [{"variable": "Alder", "dimension": "alder", **dimension}]},
    )  # fmt: skip


def age_fake() -> FakePxWebV2:
    return FakePxWebV2(metadata=copy.deepcopy(fixture("jsonstat", "hierarchy_age.json")))


def stored_age(ws) -> tuple[dict, dict]:
    """(subgroup id → order, (area, period, dimension, subgroup) → estimate) as stored."""
    with ws.session() as s:
        dim = s.get(DimensionRow, "alder")
        subs = {g.id: g.subgroup_order for g in s.scalars(select(SubgroupRow))
                if g.dimension_id == "alder"}  # fmt: skip
        assert dim is not None
        ordered = dim.ordered
    frame = observations_frame(ws, indicators="folk")
    values = {(r.area, r.period, r.dimension, r.subgroup): r.estimate for r in frame.itertuples()}
    return {"ordered": ordered, "subgroups": subs}, values


def test_an_age_hierarchy_gives_the_total_and_subgroups_in_the_sources_order(serve, make_http, ws):
    server = serve(age_fake())
    # Asked in another order than the table's: the order comes from category.index.
    run_query(ws, age_query(server, ["Y_GE65", "TOTAL", "Y_LT20", "Y20-64"], ordered=True),
              make_http())  # fmt: skip
    dim, values = stored_age(ws)
    # By hand from the fixture: TOTAL ⊃ {Y_LT20, Y20-64, Y_GE65}, index 1, 2, 5.
    assert dim == {"ordered": True, "subgroups": {"Y_LT20": 1, "Y20-64": 2, "Y_GE65": 3}}
    assert len(values) == 2 * 2 * 4  # regions × years × (total + 3 subgroups)
    for (area, period, dimension, subgroup), estimate in values.items():
        code = "TOTAL" if dimension == "total" else subgroup
        assert dimension in ("total", "alder") and (dimension == "total") == (subgroup == "total")
        cell = {"Region": area, "Alder": code, "ContentsCode": "BE0101N1", "Tid": period}
        assert estimate == pytest.approx(expected_value(cell))


def test_an_unordered_hierarchy_still_gives_the_total_but_no_order(serve, make_http, ws):
    server = serve(age_fake())
    run_query(ws, age_query(server, ["TOTAL", "Y_LT20", "Y20-64", "Y_GE65"]), make_http())
    dim, values = stored_age(ws)
    assert dim == {"ordered": False, "subgroups": {"Y_LT20": None, "Y20-64": None,
                                                   "Y_GE65": None}}  # fmt: skip
    assert ("1480", "2023", "total", "total") in values


def test_leaves_of_a_deeper_hierarchy_are_subgroups_side_by_side(serve, make_http, ws):
    server = serve(age_fake())
    leaves = ["TOTAL", "Y_LT20", "Y20-44", "Y45-64", "Y_GE65"]
    run_query(ws, age_query(server, leaves, ordered=True), make_http())
    dim, _ = stored_age(ws)
    assert dim["subgroups"] == {"Y_LT20": 1, "Y20-44": 2, "Y45-64": 3, "Y_GE65": 4}


def test_a_group_fetched_with_its_parts_is_refused_before_downloading(serve, make_http, ws):
    server = serve(age_fake())
    with pytest.raises(ValidationError) as info:
        run_query(ws, age_query(server, "*", ordered=True), make_http())
    text = str(info.value)
    assert "Alder (dimension alder): Y20-64 holds Y20-44, Y45-64" in text
    assert "Select either Y20-64 or its parts" in text
    assert server.requests("POST") == []
    with ws.session() as s:
        assert s.get(DimensionRow, "alder") is None


def test_without_the_root_the_children_are_subgroups_and_there_is_no_total(serve, make_http, ws):
    server = serve(age_fake())
    run_query(ws, age_query(server, ["Y_LT20", "Y20-64", "Y_GE65"]), make_http())
    dim, values = stored_age(ws)
    assert set(dim["subgroups"]) == {"Y_LT20", "Y20-64", "Y_GE65"}
    assert {k[2] for k in values} == {"alder"}


def test_a_parent_that_does_not_cover_the_dimension_is_no_total(serve, make_http, ws):
    meta = copy.deepcopy(fixture("jsonstat", "hierarchy_age.json"))
    alder = meta["dimension"]["Alder"]["category"]
    alder["index"]["UNK"] = 6  # "okänd ålder": outside TOTAL's tree, so TOTAL is not everyone
    alder["label"]["UNK"] = "okänd ålder"
    meta["size"][1] = 7
    server = serve(FakePxWebV2(metadata=meta))
    with pytest.raises(ValidationError, match="TOTAL holds Y_LT20, Y_GE65"):
        run_query(ws, age_query(server, ["TOTAL", "Y_LT20", "Y_GE65", "UNK"]), make_http())
    # Named as the total in the mapping, it is one.
    run_query(ws, age_query(server, ["TOTAL", "Y_LT20", "Y_GE65", "UNK"], total="TOTAL"),
              make_http())  # fmt: skip
    dim, _ = stored_age(ws)
    assert set(dim["subgroups"]) == {"Y_LT20", "Y_GE65", "UNK"}


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ({"label": "procent", "symbol": "%", "decimals": 1}, ("procent (%)", 100.0)),
        ({"label": "per 1 000 invånare", "decimals": 1}, ("per 1 000 invånare", 1000.0)),
        ({"label": "per 100 000 invånare"}, ("per 100 000 invånare", 100000.0)),
        ({"base": "kronor", "multiplier": 3}, ("tusen kronor", 1.0)),
        ({"label": "antal", "multiplier": 2}, ("10^2 antal", 1.0)),
        ({"symbol": "€", "position": "start"}, ("€", 1.0)),
    ],
)
def test_unit_and_scale(unit, expected):
    assert unit_and_scale(unit) == expected


# -- formats still met: px-json, JSON-stat 1.x, quarters and months ---------------------------


@pytest.mark.parametrize("answers", ["px-json", "json-stat"])
def test_v1_servers_answering_old_formats_are_read(serve, make_http, answers):
    # The server ignores "json-stat2" and answers px-json or a JSON-stat 1.x bundle.
    server = serve(FakePxWebV1(answers=answers, missing={("1480", "2020")}))
    data = PxWeb(make_http(), server.url + V1_TABLE).fetch(
        {
            "Region": ["1480", "1490"],
            "Kon": ["1", "2"],
            "ContentsCode": "*",
            "Tid": ["2020", "2021"],
        }
    )
    assert len(data.frame) == 2 * 2 * 1 * 2
    assert data.source == "Testmyndigheten"
    for row in data.frame.itertuples(index=False):
        cell = {"Region": row.Region, "Kon": row.Kon, "ContentsCode": row.ContentsCode,
                "Tid": row.Tid}  # fmt: skip
        if (row.Region, row.Tid) == ("1480", "2020"):
            assert math.isnan(row.value) and row.status == ".."
        else:
            assert row.value == pytest.approx(expected_value(cell), abs=1e-9)


def test_a_v1_answer_that_is_no_known_format_says_what_came(serve, make_http):
    from sources_server import Reply

    server = serve(FakePxWebV1())
    server.fail_next(Reply(200, {"result": "ok"}), when=lambda s: s.method == "POST")
    with pytest.raises(ValidationError, match="received keys: result") as info:
        PxWeb(make_http(), server.url + V1_TABLE).fetch(
            {"Region": ["1480"], "ContentsCode": "*", "Tid": ["2020"]}
        )
    assert "ask for 'json-stat2'" not in str(info.value)  # jamlik did ask


@pytest.mark.parametrize(
    ("code", "period"),
    [("2005 - 1", "2005Q1"), ("2005 - 4", "2005Q4"), ("2005M01", "2005-01"), ("2005M12", "2005-12"),
     ("2005K2", "2005Q2"), ("2005", "2005"), ("2005 - 5", None), ("2005M13", None),
     ("2005S1", None)],
)  # fmt: skip
def test_source_periods(code, period):
    assert source_period(code) == period


def test_unreadable_periods_are_refused_naming_them():
    frame = pd.DataFrame({"Tid": ["2005 - 1", "2005S1", "2005S2"], "value": [1.0, 2.0, 3.0],
                          "status": [None, None, None]})  # fmt: skip
    mapping = SourceMapping.model_validate({"indicator": "x", "area": "a", "period": "Tid"})
    with pytest.raises(
        ValidationError, match=r"Tid has periods jamlik cannot read: 2005S1, 2005S2"
    ):
        apply_mapping(frame, mapping, source="INE")
    ok = apply_mapping(frame.iloc[:1], mapping, source="INE")
    assert list(ok.frame["period"]) == ["2005Q1"]


# -- mandatory notes where the values are shown ------------------------------------------------


def test_mandatory_notes_reach_the_export_and_the_reports_sources(serve, make_http, ws, tmp_path):
    import typer
    from typer.testing import CliRunner

    from jamlik.cli.data import register as register_data
    from jamlik.followup.build import _sources
    from jamlik.sources.notes import mandatory_texts, source_notes

    server = serve(FakePxWebV2())
    run_query(ws, v2_query(server), make_http())
    wanted = ["Från 2023 redovisas folkmängden enligt ny metod.",
              "Folkmängden för Vänersborg 2022 är reviderad."]  # fmt: skip
    with ws.session() as s:
        assert mandatory_texts(s, ["folkmangd"]) == wanted
        assert mandatory_texts(s, ["another"]) == []
        assert len(source_notes(s, mandatory_only=False)) == 4

    app = typer.Typer()
    register_data(app)
    out = tmp_path / "obs.csv"
    result = CliRunner().invoke(app, ["export", "observations", "--out", str(out), "-w", str(ws.path)],
                                env={"COLUMNS": "250"})  # fmt: skip
    assert result.exit_code == 0, result.output
    side = (tmp_path / "obs.csv.notes.txt").read_text(encoding="utf-8")
    assert all(f"- {n}" in side for n in wanted)
    assert wanted[0] in result.output

    # The report's source list: the values name their publisher, the attribution carries the notes.
    (line,) = _sources(ws, observations_frame(ws, indicators="folkmangd"))
    assert line.source == "Testmyndigheten"
    assert all(n in line.attribution for n in wanted)

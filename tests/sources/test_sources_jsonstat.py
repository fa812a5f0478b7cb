"""The JSON-stat 2.0 reader on hand-written datasets whose long tables are written out by hand."""

from __future__ import annotations

import copy
import math

import pytest
from sources_fakes import fixture

from jamlik.errors import ValidationError
from jamlik.sources.jsonstat import parse_jsonstat, read_jsonstat

# The data both fixtures hold, written out by hand: (kön, år) → (value, status).
EXPECTED = {
    ("K", "2021"): (10.5, None),
    ("K", "2022"): (11.0, None),
    ("K", "2023"): (None, ".."),
    ("M", "2021"): (20.0, None),
    ("M", "2022"): (21.5, None),
    ("M", "2023"): (22.0, None),
}


def as_dict(frame) -> dict:
    out = {}
    for row in frame.itertuples(index=False):
        value = None if math.isnan(row.value) else row.value
        out[(row.kon, row.ar)] = (value, row.status)
    return out


def test_dict_index_in_unsorted_key_order():
    frame = read_jsonstat(fixture("jsonstat", "dict_index.json"))
    assert list(frame.columns) == ["kon", "ar", "value", "status"]
    assert as_dict(frame) == EXPECTED


def test_list_index_and_time_first():
    frame = read_jsonstat(fixture("jsonstat", "list_index.json"))
    assert list(frame.columns) == ["ar", "kon", "value", "status"]
    assert as_dict(frame) == EXPECTED


def test_null_stays_missing_not_zero():
    frame = read_jsonstat(fixture("jsonstat", "dict_index.json"))
    row = frame[(frame.kon == "K") & (frame.ar == "2023")].iloc[0]
    assert math.isnan(row.value) and row.status == ".."
    assert (frame.value == 0).sum() == 0


def test_sparse_values_and_status_string():
    doc = copy.deepcopy(fixture("jsonstat", "list_index.json"))
    doc["value"] = {"0": 10.5, "5": 22.0}
    doc["status"] = "p"  # one symbol for every cell (e.g. preliminary)
    got = as_dict(read_jsonstat(doc))
    assert got[("K", "2021")] == (10.5, "p")
    assert got[("M", "2023")] == (22.0, "p")
    assert got[("M", "2021")] == (None, "p")


def test_single_category_without_index():
    doc = {
        "version": "2.0", "class": "dataset", "id": ["region", "ar"], "size": [1, 2],
        "dimension": {
            "region": {"category": {"label": {"1480": "Göteborg"}}},
            "ar": {"category": {"index": ["2022", "2023"]}},
        },
        "value": [1, 2],
    }  # fmt: skip
    frame = read_jsonstat(doc)
    assert frame.region.tolist() == ["1480", "1480"] and frame.value.tolist() == [1.0, 2.0]


def test_roles_labels_and_metadata_only():
    doc = copy.deepcopy(fixture("jsonstat", "dict_index.json"))
    doc["role"] = {"time": ["ar"]}
    del doc["value"]
    ds = parse_jsonstat(doc, require_values=False)
    assert ds.dimensions["ar"].role == "time"
    assert ds.dimensions["kon"].codes == ["K", "M"]
    assert ds.dimensions["kon"].labels["M"] == "män"
    with pytest.raises(ValueError, match="metadata only"):
        ds.frame()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(value=[1, 2, 3]), "3 values, but the dimension sizes multiply to 6"),
        (
            lambda d: d["dimension"]["kon"]["category"].update(index={"K": 0, "M": 0}),
            "share position 0",
        ),
        (lambda d: d.update(size=[3, 3]), "size says 3 categories but the index has 2"),
        (lambda d: d.update(value=[1, 2, "x", 4, 5, 6]), "not a number"),
        (lambda d: d.update(status={"9": ".."}), "outside 0..5"),
        (lambda d: d["dimension"].pop("ar"), "not described in 'dimension'"),
    ],
)
def test_broken_datasets_name_the_problem(change, message):
    doc = copy.deepcopy(fixture("jsonstat", "dict_index.json"))
    change(doc)
    with pytest.raises(ValidationError, match=message) as info:
        parse_jsonstat(doc, source="test.json")
    assert "test.json" in str(info.value)


def test_json_stat_1_bundle_of_one_dataset_is_read():
    # PxWeb v1 servers answer format "json-stat" with a 1.x bundle: id/size/role inside
    # "dimension", the dataset under a key. Same data as dict_index.json.
    frame = read_jsonstat(fixture("jsonstat", "v1_bundle.json"))
    assert list(frame.columns) == ["kon", "ar", "value", "status"]
    assert as_dict(frame) == EXPECTED
    assert parse_jsonstat(fixture("jsonstat", "v1_bundle.json")).dimensions["ar"].role == "time"


def test_json_stat_1_bundle_of_two_datasets_is_refused_naming_them():
    one = fixture("jsonstat", "v1_bundle.json")["dataset"]
    with pytest.raises(ValidationError, match=r"bundle of 2 datasets \(folk, syss\)"):
        parse_jsonstat({"folk": one, "syss": one}, source="bundle.json")


def test_something_else_is_refused_saying_what_was_received():
    with pytest.raises(ValidationError, match=r"received keys: error, message"):
        parse_jsonstat({"error": "x", "message": "y"})
    pxjson = {"columns": [], "comments": [], "data": [], "metadata": []}
    with pytest.raises(ValidationError, match="received PxWeb's px-json"):
        parse_jsonstat(pxjson)


def test_invalid_json_text():
    with pytest.raises(ValidationError, match="not valid JSON"):
        parse_jsonstat('{"id": [')

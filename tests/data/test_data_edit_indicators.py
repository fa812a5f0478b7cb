"""Editing one stored indicator and its targets: the import's rules, optimistic locking, an
audit entry with before and after, and nothing written when anything is wrong."""

from __future__ import annotations

import pytest
from data_helpers import fingerprint

from jamlik.audit import ConflictError, current_version, read_log
from jamlik.data import Target, import_definitions, read_definitions
from jamlik.data.edit_indicators import NoSuchIndicator, edit_indicator, read_indicator
from jamlik.errors import ValidationError

MEASURES = {"D", "R"}


@pytest.fixture
def stored(ws, defs_file):
    import_definitions(ws, defs_file)
    return ws


def _emp(ws):
    return {i.id: i for i in read_definitions(ws).indicators}["emp"]


def test_read_indicator_gives_what_the_import_stored(stored):
    with stored.session() as s:
        assert read_indicator(s, "emp") == _emp(stored)
        with pytest.raises(NoSuchIndicator, match="no indicator 'nope'"):
            read_indicator(s, "nope")


def test_edit_metadata_and_targets_is_stored_and_audited(stored):
    new_targets = [
        {"year": 2026, "value": 82.5},  # changed
        {"year": 2030, "value": 3.0, "measure": "R", "dimension": "sex"},  # added
    ]  # the gap target for edu is removed
    with stored.session() as s:
        before, after = edit_indicator(
            s, "anna", "emp",
            {"title": "Sysselsättning", "unit": "andel", "polarity": "higher_is_worse",
             "targets": new_targets}, 0, measures=MEASURES,
        )  # fmt: skip
    emp = _emp(stored)
    assert (emp.title, emp.unit, emp.polarity) == ("Sysselsättning", "andel", "higher_is_worse")
    assert emp.targets == [
        Target(year=2026, value=82.5),
        Target(year=2030, value=3.0, measure="R", dimension="sex"),
    ]
    assert emp.source is not None and emp.source.ref == "N00914"  # untouched fields stay
    with stored.session() as s:
        (entry,) = read_log(s, entity="indicator", entity_id="emp")
        assert current_version(s, "indicator", "emp") == 1
    assert (entry.user, entry.action) == ("anna", "edit")
    assert entry.before["targets"][1] == {"year": 2026, "value": 5.0, "measure": "D",
                                          "dimension": "edu"}  # fmt: skip
    assert entry.after["targets"][1]["measure"] == "R"
    assert entry.before["title"] == "Förvärvsfrekvens 20–64 år"
    assert entry.after == after.model_dump(mode="json") and before.title != after.title


def test_a_save_without_changes_writes_nothing(stored):
    kept = fingerprint(stored)
    with stored.session() as s:
        edit_indicator(s, "anna", "emp", {"title": "Förvärvsfrekvens 20–64 år"}, 0)
        assert read_log(s, entity="indicator") == []
    assert fingerprint(stored) == kept


def test_stale_version_is_refused_and_nothing_written(stored):
    with stored.session() as s:
        edit_indicator(s, "anna", "emp", {"unit": "%"}, 0)
    kept = fingerprint(stored)
    refused = pytest.raises(ConflictError, match="Någon annan har sparat indikatorn")
    with refused, stored.session() as s:
        edit_indicator(s, "bo", "emp", {"unit": "procent"}, 0)
    assert fingerprint(stored) == kept
    assert _emp(stored).unit == "%"


@pytest.mark.parametrize(
    ("changes", "fields", "words"),
    [
        ({"title": ""}, ["title"], "at least 1 character"),
        ({"scale": 0}, ["scale"], "greater than 0"),
        ({"polarity": "up"}, ["polarity"], "higher_is_better"),
        ({"targets": [{"year": 2026, "value": 1}, {"year": 2026, "value": 2}]},
         ["targets[1]"], "samma mål två gånger"),
        ({"targets": [{"year": 2026, "value": 1, "measure": "D"}]},
         ["targets[0].dimension"], "behöver en dimension"),
        ({"targets": [{"year": 2026, "value": 1, "measure": "Q", "dimension": "nope"}]},
         ["targets[0].measure", "targets[0].dimension"], "unknown"),
        ({"dimensions": ["sex", "region"]}, ["dimensions[1]"], "okänd dimension"),
    ],
)  # fmt: skip
def test_bad_values_are_named_and_nothing_written(stored, changes, fields, words):
    kept = fingerprint(stored)
    with pytest.raises(ValidationError) as caught, stored.session() as s:
        edit_indicator(s, "anna", "emp", changes, 0, measures=MEASURES)
    problems = caught.value.problems
    assert sorted(p.field for p in problems) == sorted(fields), problems
    assert any(words in p.message for p in problems), problems
    assert fingerprint(stored) == kept
    with stored.session() as s:
        assert current_version(s, "indicator", "emp") == 0  # the claim rolled back too


def test_the_id_cannot_be_changed_here(stored):
    with pytest.raises(ValueError, match="cannot change id"), stored.session() as s:
        edit_indicator(s, "anna", "emp", {"id": "emp2"}, 0)

"""Dry runs (`check_file`, `check_observations`), the `in_transaction` hook, and definitions
with observations in one transaction (`import_with_definitions`)."""

from __future__ import annotations

import pandas as pd
import pytest
from data_helpers import HEADER, ROWS, csv_text, fingerprint

from jamlik.data import (
    Definitions,
    check_file,
    check_observations,
    import_file,
    import_with_definitions,
    observations_frame,
)
from jamlik.errors import ValidationError


def test_preview_of_a_loaded_file_is_all_unchanged_and_writes_nothing(loaded, tmp_path):
    path = tmp_path / "plain.csv"  # the file `loaded` imported
    before = fingerprint(loaded)
    preview = check_file(loaded, path)
    assert preview.ok and preview.already_imported
    assert (preview.rows, preview.new, preview.changed, preview.unchanged) == (7, 0, 0, 7)
    assert preview.indicators == ("emp", "trångbodd")
    assert preview.periods == ("2023/24", "2024")
    assert preview.areas == ("norr", "västra")
    assert fingerprint(loaded) == before


def test_preview_counts_are_what_the_import_then_does(loaded, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][5] = "62.5"  # one estimate changed
    rows.append(["emp", "2025", "norr", "total", "total", "73", "", "630"])  # one new key
    path = tmp_path / "next.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    before = fingerprint(loaded)
    preview = check_file(loaded, path)
    assert (preview.new, preview.changed, preview.unchanged) == (1, 1, 6)
    assert fingerprint(loaded) == before
    summary = import_file(loaded, path)
    assert (summary.inserted, summary.updated, summary.unchanged) == (1, 1, 6)


def test_preview_names_the_same_problems_the_import_raises(defined, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][5] = "sjuttio"  # row 3
    rows[4][2] = "söder"  # row 6: an area the workspace does not define
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    before = fingerprint(defined)
    preview = check_file(defined, path)
    with pytest.raises(ValidationError) as raised:
        import_file(defined, path)
    assert not preview.ok
    assert [str(p) for p in preview.problems] == [str(p) for p in raised.value.problems]
    assert [(p.row, p.field) for p in preview.problems] == [(3, "estimate"), (6, "area")]
    assert fingerprint(defined) == before


def test_unreadable_file_and_bad_header(defined, tmp_path):
    path = tmp_path / "data.json"
    path.write_text("{}", encoding="utf-8")
    preview = check_file(defined, path)
    assert preview.rows == 0 and "unknown file type" in preview.problems[0].message
    frame = pd.DataFrame([["emp", "2024", "norr", 1.0, 2.0]],
                         columns=["indicator", "period", "area", "estimate", "Estimate"])  # fmt: skip
    preview = check_observations(defined, frame, source="frame")
    assert [p.field for p in preview.problems] == ["estimate"]  # named twice


def test_in_transaction_runs_inside_and_an_error_rolls_the_import_back(defined, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text(csv_text(), encoding="utf-8")
    before = fingerprint(defined)

    def refuse(session, summary):
        assert summary.import_id is not None and summary.inserted == len(ROWS)
        raise RuntimeError("the audit entry could not be written")

    with pytest.raises(RuntimeError):
        import_file(defined, path, in_transaction=refuse)
    assert fingerprint(defined) == before
    seen = []
    import_file(defined, path, in_transaction=lambda s, summary: seen.append(summary.import_id))
    assert len(seen) == 1 and seen[0] is not None


NEW = Definitions.model_validate(
    {"indicators": [{"id": "ny", "title": "Ny", "scale": 100, "polarity": "higher_is_better"}]}
)


def test_definitions_and_observations_commit_together(defined):
    frame = pd.DataFrame([["ny", "2024", "norr", "total", "total", 12.5]],
                         columns=HEADER.split(",")[:6])  # fmt: skip
    seen = []
    defs, obs = import_with_definitions(
        defined, NEW, frame, source="test", in_transaction=lambda s, x: seen.append(x.kind)
    )
    assert defs.inserted == 1 and obs.inserted == 1
    assert seen == ["definitions", "observations"]
    assert observations_frame(defined, indicators="ny").estimate.tolist() == [12.5]


def test_a_bad_row_leaves_no_definitions_behind(defined):
    frame = pd.DataFrame([["ny", "2024", "norr", "total", "total", "tolv"]],
                         columns=HEADER.split(",")[:6])  # fmt: skip
    before = fingerprint(defined)
    with pytest.raises(ValidationError) as raised:
        import_with_definitions(defined, NEW, frame, source="test")
    assert [(p.row, p.field) for p in raised.value.problems] == [(2, "estimate")]
    assert fingerprint(defined) == before

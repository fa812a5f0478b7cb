"""Idempotent imports, upsert semantics and provenance records."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pandas as pd
from data_helpers import ROWS, csv_text, fingerprint, run_cli
from sqlalchemy import select

from jamlik.data import import_file, import_observations, observations_frame
from jamlik.data.tables import ImportRow, ObservationRow


def test_importing_the_same_file_twice_changes_nothing(loaded, tmp_path):
    path = tmp_path / "plain.csv"  # written by the `loaded` fixture
    before = fingerprint(loaded)
    summary = import_file(loaded, path)
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, len(ROWS))
    assert summary.already_imported and summary.import_id is None
    assert "already imported, 0 rows changed" in str(summary)
    assert fingerprint(loaded) == before
    result = run_cli("import", str(path), "--workspace", str(loaded.path))
    assert result.exit_code == 0 and "already imported, 0 rows changed" in result.stdout


def test_provenance_record_describes_the_import(defined, tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(csv_text(), encoding="utf-8")
    start = datetime.now(UTC)
    summary = import_file(defined, path, attribution="Källa: Exempelstad (fiktiva data)")
    with defined.session() as s:
        record = s.get(ImportRow, summary.import_id)
        linked = s.scalar(select(ObservationRow.import_id).distinct())
    assert record.kind == "observations" and record.format == "csv"
    assert record.source == "obs.csv"
    assert record.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (record.row_count, record.inserted, record.updated) == (len(ROWS), len(ROWS), 0)
    assert record.attribution == "Källa: Exempelstad (fiktiva data)"
    imported_at = record.imported_at.replace(tzinfo=record.imported_at.tzinfo or UTC)
    assert start - timedelta(seconds=1) <= imported_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert linked == summary.import_id


def test_changed_values_are_updated_and_only_they_move_to_the_new_import(loaded, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][5] = "71.5"  # one estimate revised
    rows.append(["emp", "2025", "norr", "total", "total", "73", "", "630"])  # one new year
    path = tmp_path / "revised.csv"
    path.write_text(csv_text([tuple(r) for r in rows]), encoding="utf-8")
    summary = import_file(loaded, path)
    assert (summary.inserted, summary.updated, summary.unchanged) == (1, 1, len(ROWS) - 1)
    frame = observations_frame(loaded).set_index(["period", "area", "subgroup"])
    assert frame.loc[("2024", "norr", "mellan"), "estimate"] == 71.5
    with loaded.session() as s:
        moved = s.execute(
            select(ObservationRow.period, ObservationRow.subgroup_id).where(
                ObservationRow.import_id == summary.import_id
            )
        ).all()
        records = s.scalars(select(ImportRow.kind)).all()
    assert sorted(moved) == [("2024", "mellan"), ("2025", "total")]
    assert records == ["definitions", "observations", "observations"]


def test_clearing_a_value_is_a_change(loaded, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][6] = ""  # se withdrawn: missing is stored as missing
    path = tmp_path / "cleared.csv"
    path.write_text(csv_text([tuple(r) for r in rows]), encoding="utf-8")
    assert import_file(loaded, path).updated == 1
    got = observations_frame(loaded).set_index(["area", "subgroup"]).loc[("norr", "låg"), "se"]
    assert pd.isna(got)


def test_frame_import_is_idempotent_by_content(defined):
    frame = pd.DataFrame(
        {
            "indicator": ["emp", "emp"],
            "period": ["2020", "2021"],
            "area": ["norr", "norr"],
            "estimate": [60.0, 61.0],
            "population": [500, 510],
        }  # fmt: skip
    )
    first = import_observations(defined, frame, source="kolada:test", attribution="Källa: Kolada")
    second = import_observations(defined, frame.copy(), source="kolada:test")
    assert first.inserted == 2 and first.checksum == second.checksum
    assert second.changed == 0 and second.already_imported
    with defined.session() as s:
        record = s.get(ImportRow, first.import_id)
    assert (record.format, record.source, record.attribution) == (
        "frame",
        "kolada:test",
        "Källa: Kolada",
    )


def test_frame_rows_are_numbered_like_a_written_file(defined):
    from jamlik.errors import ValidationError

    frame = pd.DataFrame({"indicator": ["emp", "emp"], "period": ["2020", "2x"],
                          "area": ["norr", "norr"], "estimate": [1.0, 2.0]}, index=[10, 11])  # fmt: skip
    try:
        import_observations(defined, frame, source="frame")
    except ValidationError as exc:
        assert [(p.row, p.field) for p in exc.problems] == [(3, "period")]
    else:
        raise AssertionError("a bad period was accepted")


def test_definitions_reimport_changes_nothing(defined, defs_file):
    before = fingerprint(defined)
    result = run_cli("import", str(defs_file), "--workspace", str(defined.path))
    assert result.exit_code == 0, result.output
    assert fingerprint(defined) == before


def test_bulk_writes_in_chunks_report_progress(defined, tmp_path, monkeypatch):
    import jamlik.dbwrites as dbwrites

    monkeypatch.setattr(dbwrites, "CHUNK", 3)  # 7 rows → chunks of 3, 3, 1
    path = tmp_path / "obs.csv"
    path.write_text(csv_text(), encoding="utf-8")
    calls = []
    import_file(defined, path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(3, 7), (6, 7), (7, 7)]
    assert len(observations_frame(defined)) == 7


def test_a_large_table_finds_its_one_bad_row_then_imports(defined):
    from jamlik.errors import ValidationError

    years = [str(y) for y in range(1000, 1000 + 4000)]  # 4 000 periods × 5 cells = 20 000 rows
    cells = [("edu", "låg"), ("edu", "mellan"), ("edu", "hög"), ("sex", "kvinnor"), ("sex", "män")]
    frame = pd.DataFrame(
        [
            ("emp", y, "norr", d, s, 50.0 + k, 100 + k)
            for y in years
            for k, (d, s) in enumerate(cells)
        ],
        columns=["indicator", "period", "area", "dimension", "subgroup", "estimate", "population"],
    )
    bad = frame.copy()
    bad.loc[15_000, "population"] = -1
    try:
        import_observations(defined, bad, source="big")
    except ValidationError as exc:
        assert [(p.row, p.field) for p in exc.problems] == [(15_002, "population")]
    else:
        raise AssertionError("a negative population was accepted")
    assert import_observations(defined, frame, source="big").inserted == 20_000
    stored = observations_frame(defined)
    assert stored["population"].sum() == 4000 * (100 + 101 + 102 + 103 + 104)


def test_reimporting_a_suppressed_export_keeps_the_stored_values(loaded, tmp_path):
    out = tmp_path / "out.csv"
    exported = run_cli("export", "observations", "--out", str(out), "--workspace", str(loaded.path))
    assert exported.exit_code == 0, exported.output
    # Män in västra are 4 people (< 10): hidden for too few people. Kvinnor is the only other
    # cell of that series, so it is hidden too (secondary), or män could be worked out from
    # the total.
    frame = pd.read_csv(out)
    hidden = frame.loc[frame["flag"].notna(), ["area", "subgroup", "estimate", "flag"]]
    assert sorted(map(tuple, hidden[["area", "subgroup", "flag"]].to_numpy())) == [
        ("västra", "kvinnor", "suppressed_secondary"),
        ("västra", "män", "suppressed"),
    ]
    assert hidden["estimate"].isna().all()
    before = fingerprint(loaded)
    again = run_cli("import", str(out), "--workspace", str(loaded.path))
    assert again.exit_code == 0, again.output
    assert "0 ändrade / updated, 5 oförändrade / unchanged" in again.stdout
    assert "2 sparade rader behölls" in again.stdout and "2 stored rows kept" in again.stdout
    assert fingerprint(loaded) == before
    women = observations_frame(loaded).set_index(["area", "subgroup"]).loc[("västra", "kvinnor")]
    assert women["estimate"] == 68.5  # as in ROWS


def test_a_suppressed_cell_never_blanks_a_stored_estimate(loaded):
    frame = pd.DataFrame(
        {
            "indicator": ["emp", "emp"],
            "period": ["2024", "2024"],
            "area": ["norr", "norr"],
            "dimension": ["edu", "edu"],
            "subgroup": ["låg", "mellan"],
            "estimate": [None, 70.0],
            "population": [120, 300],
            "flag": ["..", None],  # SCB's symbol for a suppressed cell
        }
    )
    summary = import_observations(loaded, frame, source="scb:test")
    assert (summary.inserted, summary.updated, summary.unchanged, summary.kept) == (0, 1, 0, 1)
    stored = observations_frame(loaded).set_index(["area", "subgroup"])
    assert stored.loc[("norr", "låg"), "estimate"] == 61.5  # as in ROWS, not blanked
    assert pd.isna(stored.loc[("norr", "låg"), "flag"])
    assert stored.loc[("norr", "mellan"), "estimate"] == 70.0  # a value still updates

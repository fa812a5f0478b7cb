"""Several processes writing one workspace: ten `jamlik import` runs started at once into a
new workspace all succeed and leave what one-after-another imports leave, and a workspace
whose write lock another process holds is reported busy in plain words (no traceback)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from jamlik.data import import_file
from jamlik.data.tables import AreaRow, DimensionRow, IndicatorRow, ObservationRow, SubgroupRow
from jamlik.workspace import DB_FILE, Workspace

RUNS = 10
HEADER = (
    "setting,date,source,indicator_abbr,indicator_name,dimension,subgroup,estimate,se,ci_lb,"
    "ci_ub,population,flag,setting_average,iso3,favourable_indicator,indicator_scale,"
    "ordered_dimension,subgroup_order,reference_subgroup"
)
# HEAT Plus files describe their own definitions: every run brings the same setting,
# dimensions and subgroups, and two indicators shared with its neighbours.
DIMENSIONS = [
    ("Economic status", 1, [("Q1", 1, 0), ("Q2", 2, 0), ("Q3", 3, 0)]),
    ("Place of residence", 0, [("Urban", 0, 1), ("Rural", 0, 0)]),
]
YEARS = range(2010, 2020)


def _heat_file(folder: Path, k: int) -> Path:
    lines = [HEADER]
    for i in (k, (k + 1) % RUNS):
        for year in YEARS:
            for d, (dim, ordered, subgroups) in enumerate(DIMENSIONS):
                for s, (sub, order, ref) in enumerate(subgroups):
                    value = (i * 7 + year * 3 + d * 11 + s * 5) % 100  # the same in every file
                    lines.append(
                        f"Exempel,{year},DHS,i{i},Indicator {i},{dim},{sub},{value},1.0,,,100,,"
                        f"50,EXM,1,100,{ordered},{order},{ref}"
                    )
    path = folder / f"heat{k}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _jamlik(*args: str) -> list[str]:
    return [sys.executable, "-c", "from jamlik.cli.app import main; main()", *args]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "JAMLIK_DATABASE_URL"}
    return {**env, "PYTHONPATH": os.pathsep.join(sys.path), **extra}


def _contents(ws: Workspace) -> dict[str, list[tuple]]:
    """Every definition and observation, without import ids and times."""
    o = ObservationRow
    with ws.session() as s:
        return {
            "indicator": s.execute(select(IndicatorRow.id, IndicatorRow.title, IndicatorRow.scale,
                                          IndicatorRow.polarity).order_by(IndicatorRow.id)).all(),
            "area": s.execute(select(AreaRow.id, AreaRow.code).order_by(AreaRow.id)).all(),
            "dimension": s.execute(select(DimensionRow.id, DimensionRow.ordered)
                                   .order_by(DimensionRow.id)).all(),
            "subgroup": s.execute(select(SubgroupRow.dimension_id, SubgroupRow.id,
                                         SubgroupRow.subgroup_order, SubgroupRow.reference)
                                  .order_by(SubgroupRow.dimension_id, SubgroupRow.id)).all(),
            "observation": s.execute(select(o.indicator_id, o.period, o.area_id, o.dimension_id,
                                            o.subgroup_id, o.estimate, o.se, o.population)
                                     .order_by(o.indicator_id, o.period, o.dimension_id,
                                               o.subgroup_id)).all(),
        }  # fmt: skip


@pytest.mark.slow
def test_ten_simultaneous_imports_into_a_new_workspace_all_succeed(tmp_path):
    files = [_heat_file(tmp_path, k) for k in range(RUNS)]
    target = tmp_path / "together"
    runs = [
        subprocess.Popen(_jamlik("import", str(f), "-w", str(target)), env=_env(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for f in files
    ]  # fmt: skip
    results = [(run.wait(timeout=600), *run.communicate()) for run in runs]
    failed = [(code, err[-600:]) for code, _, err in results if code != 0 or "Traceback" in err]
    assert failed == [], f"{len(failed)} of {RUNS} imports failed: {failed[:2]}"

    serial = Workspace.resolve(tmp_path / "serial")
    for f in files:
        import_file(serial, f)
    together = _contents(Workspace.resolve(target))
    expected = _contents(serial)
    assert together == expected
    # 10 indicators × 10 years × 5 subgroups; 5 subgroups plus `total`, defined once each.
    assert len(together["observation"]) == RUNS * len(YEARS) * 5
    assert len(together["subgroup"]) == 6 and len(together["dimension"]) == 3


def test_a_workspace_held_by_another_writer_is_reported_busy(tmp_path):
    ws = Workspace.resolve(tmp_path / "ws")
    import_file(ws, _heat_file(tmp_path, 0))
    before = _contents(ws)
    ws.engine().dispose()
    holder = sqlite3.connect(ws.path / DB_FILE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write, as SQLite sees it
    try:
        started = time.monotonic()
        done = subprocess.run(
            _jamlik("import", str(_heat_file(tmp_path, 1)), "-w", str(ws.path)),
            env=_env(JAMLIK_BUSY_TIMEOUT="1"), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 75, done.stderr  # EX_TEMPFAIL: try again later
    assert "Traceback" not in done.stderr
    message = " ".join(done.stderr.split())
    assert "Arbetsytan" in message and "är upptagen" in message
    assert "The workspace is busy" in message and "Nothing was changed" in message
    assert waited > 1  # it waited for the lock before giving up
    assert _contents(ws) == before


def _interrupted_once(monkeypatch, ws: Workspace, sql: str) -> list[int]:
    """Make the first attempt of the next import meet a commit by another connection (`sql`)
    after it validated and before it writes; count the validations."""
    import jamlik.data.observations as observations

    validations: list[int] = []
    prepare = observations.prepare

    def prepare_then_someone_writes(*args, **kwargs):
        validations.append(1)
        prepared = prepare(*args, **kwargs)
        if len(validations) == 1:
            other = sqlite3.connect(ws.path / DB_FILE, isolation_level=None)
            other.execute(sql)
            other.close()
        return prepared

    monkeypatch.setattr(observations, "prepare", prepare_then_someone_writes)
    return validations


def test_an_import_overtaken_by_another_write_starts_again_without_validating_again(
    tmp_path, monkeypatch
):
    ws = Workspace.resolve(tmp_path / "ws")
    import_file(ws, _heat_file(tmp_path, 0))
    validations = _interrupted_once(
        monkeypatch, ws, "UPDATE area SET name = 'Exempel by' WHERE id = 'Exempel'"
    )
    import jamlik.data.observations as observations

    attempts = []
    ensure_total = observations.ensure_total  # the first thing each attempt does
    monkeypatch.setattr(
        observations, "ensure_total", lambda s: attempts.append(1) or ensure_total(s)
    )
    summary = import_file(ws, _heat_file(tmp_path, 1))
    assert summary.inserted == len(YEARS) * 5  # i2's rows; i1's are stored already
    assert len(attempts) == 2  # the first attempt was overtaken and started again
    assert len(validations) == 1  # the area's name does not change what is valid


def test_an_import_overtaken_by_a_change_of_definitions_validates_again(tmp_path, monkeypatch):
    ws = Workspace.resolve(tmp_path / "ws")
    import_file(ws, _heat_file(tmp_path, 0))
    # i1 turns "higher is worse" meanwhile, which the next file (favourable = 1) contradicts.
    validations = _interrupted_once(
        monkeypatch, ws, "UPDATE indicator SET polarity = 'higher_is_worse' WHERE id = 'i1'"
    )
    from jamlik.errors import ValidationError

    before = _contents(ws)
    try:
        import_file(ws, _heat_file(tmp_path, 1))
    except ValidationError as exc:
        assert "'favourable_indicator'" in str(exc)
    else:
        raise AssertionError("the changed definition was not checked again")
    assert len(validations) == 2
    assert _contents(ws)["observation"] == before["observation"]

"""`jamlik demo` end to end: a real SQLite workspace in tmp_path, built through the CLI."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from jamlik.cli import app
from jamlik.data import observations_frame
from jamlik.data.tables import AreaRow, ImportRow
from jamlik.demo import generate_observations
from jamlik.programme import import_programme, list_programmes, load_example, read_programme
from jamlik.workspace import Workspace

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "ws"
    started = time.perf_counter()
    result = runner.invoke(app, ["demo", "--workspace", str(folder), "--no-serve"])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    return folder, result.output, seconds


def test_demo_builds_the_workspace_and_says_so(built):
    folder, output, seconds = built
    assert "Fiktiva exempeldata" in output
    assert str(folder) in output.replace("\n", "")
    assert (folder / "jamlik.sqlite").exists()
    assert seconds < 60  # a few seconds on a laptop; generous for a busy CI machine


def exempelstad(frame):
    """The Exempelstad rows; the demo also holds the social-investment examples beside them."""
    return frame[frame["indicator"].str.startswith("ex-")]


def test_workspace_holds_the_generated_data(built):
    folder, output, _ = built
    ws = Workspace.resolve(folder)
    stored = exempelstad(observations_frame(ws))
    expected, _ = generate_observations(2018)
    assert len(stored) == len(expected) == 11_352
    is_hidden = stored["flag"].isin(["suppressed", "suppressed_secondary"])
    hidden = int(is_hidden.sum())
    assert hidden == int(expected["flag"].isin(["suppressed", "suppressed_secondary"]).sum())
    assert f"{hidden:,}".replace(",", "\u00a0") in output
    assert stored.loc[is_hidden, "estimate"].isna().all()
    with ws.session() as s:
        areas = set(s.scalars(select(AreaRow.id)))
    assert set(expected["area"]) <= areas and len(set(expected["area"])) == 11


def test_workspace_holds_the_programme_and_the_social_investments(built):
    folder, _, _ = built
    ws = Workspace.resolve(folder)
    infos = {p.id: p for p in list_programmes(ws)}
    assert set(infos) == {"exempelstad-jamlik-stad", "vgr-sociala-investeringar"}
    info = infos["exempelstad-jamlik-stad"]
    assert info.initiatives == 14
    with ws.session() as s:
        programme = read_programme(s, info.id)
    assert sum(len(i.reach) for i in programme.initiatives) > 500


def test_rerun_changes_nothing(built):
    folder, _, _ = built
    ws = Workspace.resolve(folder)
    with ws.session() as s:
        imports = s.scalar(select(func.count()).select_from(ImportRow))
    result = runner.invoke(app, ["demo", "--workspace", str(folder), "--no-report", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "oförändrad" in result.output
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportRow)) == imports
    assert len(exempelstad(observations_frame(ws))) == 11_352


def test_the_yearly_report_is_written(built):
    folder, output, _ = built
    for suffix in ("sv.html", "sv.pdf"):
        path = folder / "rapporter" / f"exempelstad-jamlik-stad-2025-{suffix}"
        assert path.stat().st_size > 100_000
        assert str(path) in output.replace("\n", "")


def test_another_seed_rebuilds_in_place(tmp_path):
    result = runner.invoke(
        app, ["demo", "-w", str(tmp_path / "ws"), "--seed", "7", "--no-report", "--no-serve"]
    )
    assert result.exit_code == 0, result.output
    stored = exempelstad(observations_frame(Workspace.resolve(tmp_path / "ws")))
    expected, _ = generate_observations(7)
    key = ["indicator", "period", "area", "dimension", "subgroup"]
    merged = stored.merge(expected, on=key, suffixes=("_db", "_gen"))
    assert len(merged) == 11_352
    both = merged["estimate_db"].notna()
    assert (merged["estimate_gen"][both] - merged["estimate_db"][both]).abs().max() < 1e-9


def test_gothenburg_example_fits_beside_the_demo(tmp_path):
    folder = tmp_path / "ws"
    assert (
        runner.invoke(app, ["demo", "-w", str(folder), "--no-report", "--no-serve"]).exit_code == 0
    )
    import_programme(Workspace.resolve(folder), load_example("goteborg-jamlik-stad"))
    assert {p.id for p in list_programmes(Workspace.resolve(folder))} == {
        "exempelstad-jamlik-stad",
        "vgr-sociala-investeringar",
        "goteborg-jamlik-stad",
    }


def test_help_names_the_default_seed():
    from jamlik.demo import DEFAULT_SEED

    result = runner.invoke(app, ["demo", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.replace("│", " ").split())  # however Rich wraps it
    assert f"default: {DEFAULT_SEED}" in text


def test_demo_ends_by_serving_the_workspace(tmp_path):
    """What `make demo` does last: serve the demo and print the address."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    jamlik = Path(sys.executable).with_name("jamlik")
    command = [str(jamlik), "demo", "-w", str(tmp_path / "ws"), "--no-report", "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        seen = ""
        while address not in seen.replace("\n", "") and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen += line
        assert address in seen.replace("\n", ""), seen
        for _ in range(100):  # the address is printed just before uvicorn binds the port
            try:
                page = httpx.get(address + "/", timeout=10)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert page.status_code == 200
        assert "Fiktiva exempeldata" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)

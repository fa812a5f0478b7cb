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
    result = runner.invoke(app, ["demo", "--workspace", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_demo_builds_the_workspace_and_says_so(built):
    folder, output = built
    assert "Fiktiva exempeldata" in output
    assert str(folder) in output.replace("\n", "")
    assert (folder / "jamlik.sqlite").exists()


def exempelstad(frame):
    """The Exempelstad rows; the demo also holds the social-investment examples beside them."""
    return frame[frame["indicator"].str.startswith("ex-")]


def test_workspace_holds_the_generated_data(built):
    folder, output = built
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
    folder, _ = built
    ws = Workspace.resolve(folder)
    infos = {p.id: p for p in list_programmes(ws)}
    assert set(infos) == {"exempelstad-jamlik-stad", "vgr-sociala-investeringar"}
    info = infos["exempelstad-jamlik-stad"]
    assert info.initiatives == 14
    with ws.session() as s:
        programme = read_programme(s, info.id)
    assert sum(len(i.reach) for i in programme.initiatives) > 500


def test_rerun_changes_nothing(built):
    folder, _ = built
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
    folder, output = built
    for suffix in ("sv.html", "sv.pdf"):
        path = folder / "reports" / f"exempelstad-jamlik-stad-2025-{suffix}"
        assert path.stat().st_size > 100_000
        assert str(path) in output.replace("\n", "")


def test_the_demo_holds_a_follow_up_cycle_and_its_report_shows_the_approved_year(built):
    """jamlik demo seeds the fictitious cycle once; the 2025 report prints the approved 2025
    assessment's judgement (the texts of seed_demo_cycle), and a rerun adds no period."""
    from jamlik.cycle.tables import PeriodRow

    folder, _ = built
    ws = Workspace.resolve(folder)
    with ws.session() as s:
        labels = sorted(s.scalars(select(PeriodRow.label)))
    assert labels == ["Uppföljning 2025", "Uppföljning 2026"]
    html = (folder / "reports" / "exempelstad-jamlik-stad-2025-sv.html").read_text("utf-8")
    assert "Utvecklingen går delvis i önskad riktning." in html
    result = runner.invoke(app, ["demo", "--workspace", str(folder), "--no-report", "--no-serve"])
    assert result.exit_code == 0, result.output
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(PeriodRow)) == 2


@pytest.mark.slow
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


def test_gothenburg_example_fits_beside_the_demo(built, tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    built_ws = Workspace(built[0], f"sqlite:///{built[0] / 'jamlik.sqlite'}")
    built_ws.copy_database(folder / "jamlik.sqlite")
    built_ws.engine().dispose()
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


@pytest.mark.slow
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
                # The first page waits for the follow-up: a functional check, not a timing one.
                page = httpx.get(address + "/", timeout=120)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert page.status_code == 200
        assert "Fiktiva exempeldata" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_first_run_creates_a_demo_administrator_who_must_change_the_password(built):
    from jamlik.accounts import authenticate, get_user

    folder, output = built
    flat = " ".join(output.split())
    assert "demo-admin" in flat
    password = flat.split("one-time password: ", 1)[1].split()[0]
    ws = Workspace.resolve(folder)
    with ws.session() as s:
        user = get_user(s, "demo-admin")
        assert user is not None and user.role == "administrator"
        assert user.must_change_password
        assert authenticate(s, "demo-admin", password).name == "demo-admin"


def test_a_rerun_keeps_the_accounts_and_prints_no_password(built):
    from jamlik.accounts import list_users

    folder, _ = built
    result = runner.invoke(app, ["demo", "-w", str(folder), "--no-report", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "one-time password" not in result.output
    assert "befintligt konto" in result.output
    with Workspace.resolve(folder).session() as s:
        assert [u.name for u in list_users(s)] == ["demo-admin"]


def test_the_web_lists_the_report_the_demo_wrote(built):
    from jamlik.web import WebSettings
    from jamlik.web.reports_store import stored_reports

    folder, _ = built
    settings = WebSettings.for_workspace(Workspace.resolve(folder))
    found = stored_reports(settings, "exempelstad-jamlik-stad")
    assert [(r.year, r.lang) for r in found] == [(2025, "sv")]
    assert found[0].html is not None and found[0].pdf is not None


def test_a_busy_port_is_one_line_before_any_work(tmp_path):
    from jamlik.cli.web import check_port_free
    from jamlik.errors import JamlikError

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        jamlik = str(Path(sys.executable).with_name("jamlik"))
        command = [jamlik, "demo", "-w", str(tmp_path / "ws"), "--port", str(port)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1
        message = " ".join(done.stderr.split())
        assert f"Porten {port}" in message and "--port" in message, done.stderr
        assert "Traceback" not in done.stderr + done.stdout
        assert not (tmp_path / "ws" / "jamlik.sqlite").exists()  # refused before building
        with pytest.raises(JamlikError, match=f"Porten {port}"):  # what `jamlik serve` asks
            check_port_free("127.0.0.1", port)
    check_port_free("127.0.0.1", port)  # free again once the listener is gone


def test_version_and_init_speak_plainly(tmp_path):
    from jamlik import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"jamlik {__version__}"
    result = runner.invoke(app, ["init", "-w", str(tmp_path / "ws")])
    assert result.exit_code == 0
    assert result.output.startswith("Arbetsytan är klar / workspace ready:")


def _edited_copy(built, tmp_path) -> Workspace:
    """A copy of the built demo in which an editor changed an initiative's notes and reach in
    the web (as the web saves: the stored initiative replaced, with its audit entry)."""
    import shutil

    from jamlik.audit import record
    from jamlik.programme import Reach
    from jamlik.programme.store import update_initiative

    folder, _ = built
    shutil.copytree(folder, tmp_path / "ws", ignore=shutil.ignore_patterns("reports"))
    ws = Workspace.resolve(tmp_path / "ws")
    with ws.session() as s:
        before = read_programme(s, "exempelstad-jamlik-stad").initiative("ex-familjecentraler")
        after = before.model_copy(
            update={
                "notes": "Skrivet i webben: 12 nya familjer.",
                "reach": [Reach(period="2025", area="ex-stenasen", reached=1234)],
            }
        )
        update_initiative(s, after)
        record(s, "editor-own", "edit", "initiative", after.id,
               before.model_dump(mode="json"), after.model_dump(mode="json"))  # fmt: skip
    return ws


def _initiative(ws: Workspace):
    with ws.session() as s:
        return read_programme(s, "exempelstad-jamlik-stad").initiative("ex-familjecentraler")


def test_demo_rerun_keeps_what_was_edited_in_the_web(built, tmp_path):
    ws = _edited_copy(built, tmp_path)
    edited = _initiative(ws)
    result = runner.invoke(app, ["demo", "-w", str(ws.path), "--no-report", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "oförändrad" in result.output
    assert _initiative(ws) == edited
    assert edited.notes == "Skrivet i webben: 12 nya familjer." and edited.reach[0].reached == 1234


def test_demo_with_another_seed_refuses_and_names_what_it_would_replace(built, tmp_path):
    ws = _edited_copy(built, tmp_path)
    edited = _initiative(ws)
    with ws.session() as s:
        imports = s.scalar(select(func.count()).select_from(ImportRow))
    args = ["demo", "-w", str(ws.path), "--seed", "7", "--no-report", "--no-serve"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "Demon skulle skriva över 1 ändring gjorda i webben" in out
    assert "initiatives[ex-familjecentraler].reach" in out and "1234" in out
    assert "Inget ändrades" in out
    assert _initiative(ws) == edited
    with ws.session() as s:  # no data of seed 7 either: refused before any write
        assert s.scalar(select(func.count()).select_from(ImportRow)) == imports

"""A backup carries the cycle's records, attachments' bytes included, and restores them."""

from __future__ import annotations

import sqlite3

from cycle_helpers import EDITOR_A

from jamlik.backup import backup_workspace, restore_workspace
from jamlik.cycle import ReachCell, ReportContent, add_attachment, save_report, start_report
from jamlik.workspace import DB_FILE, Workspace

TABLES = ("cycle_period", "cycle_report", "cycle_report_reach", "cycle_attachment")


def _counts(path):
    with sqlite3.connect(path) as c:
        return [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES]


def test_backup_and_restore_keep_the_cycle(ws, periods, tmp_path):
    old, new = periods
    with ws.session() as s:
        for period in (old, new):
            rep = start_report(s, EDITOR_A, period, "I1")
            rep = save_report(s, EDITOR_A, rep.id, rep.version,
                              ReportContent(reach=(ReachCell("d1", "sex", "f", 3),)))  # fmt: skip
        add_attachment(s, EDITOR_A, rep.id, "bilaga.txt", "åäö\0binärt".encode())
    archive = tmp_path / "backup.zip"
    backup_workspace(ws, archive)
    target = Workspace(tmp_path / "restored", f"sqlite:///{tmp_path / 'restored' / DB_FILE}")
    restore_workspace(archive, target)
    assert _counts(ws.path / DB_FILE) == _counts(target.path / DB_FILE) == [2, 2, 2, 1]
    with sqlite3.connect(target.path / DB_FILE) as c:
        assert c.execute("SELECT content FROM cycle_attachment").fetchone()[0] == (
            "åäö\0binärt".encode())  # fmt: skip
        # the second report still points at the first it was prefilled from
        assert c.execute("SELECT prefilled_from FROM cycle_report WHERE period_id = ?",
                         (new,)).fetchone()[0] is not None  # fmt: skip
    target.engine().dispose()

"""Initiative reports: prefilled starts, the reach grid in one save, the stale-save conflict,
attachments, earlier periods readable."""

from __future__ import annotations

import re
import threading

import pytest
from cycle_helpers import EDITOR_A, EDITOR_B, LEADER, A

from jamlik.accounts.permissions import NotAllowed
from jamlik.audit import read_log
from jamlik.cycle import (
    CycleConflict,
    CycleError,
    NotFound,
    ReachCell,
    ReportContent,
    add_attachment,
    approve,
    get_report,
    list_reports,
    read_attachment,
    save_report,
    start_report,
    submit,
)
from jamlik.cycle.reports import MAX_ATTACHMENT, safe_filename

GRID = tuple(
    ReachCell(area, dim, sub, n)
    for (area, dim, sub), n in zip(
        [
            (a, d, s)
            for a in ("d1", "d2")
            for d, s in (("total", "total"), ("sex", "f"), ("sex", "m"))
        ],
        [30, 14, 16, 50, 26, 24],
        strict=True,
    )
)


def test_a_first_report_starts_from_the_workspace_reach_of_its_period(ws, periods):
    old, _new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, old, "I1")
    assert rep.state == "draft" and rep.version == 1 and rep.actor_id == A
    assert rep.prefilled_from is None
    # cycle_helpers: I1 reached 10 in d1 and 20 in d2 in 2025
    assert rep.reach == (
        ReachCell("d1", "total", "total", 10),
        ReachCell("d2", "total", "total", 20),
    )
    assert rep.budget_sek == 1_000_000 and rep.initiative_title == "Insats I1"


def test_a_new_period_starts_from_the_previous_report(ws, periods):
    old, new = periods
    with ws.session() as s:
        first = start_report(s, EDITOR_A, old, "I1")
        first = save_report(s, EDITOR_A, first.id, first.version, ReportContent(
            status="at_risk", status_comment="Personal saknas.", done="Två grupper startade.",
            next_steps="Starta en tredje grupp.", money_used_sek=640_000, reach=GRID))  # fmt: skip
        second = start_report(s, EDITOR_A, new, "I1")
    assert second.prefilled_from == first.id
    assert (second.done, second.next_steps, second.status_comment) == (
        "Två grupper startade.", "Starta en tredje grupp.", "Personal saknas.")  # fmt: skip
    assert second.status is None and second.money_used_sek is None  # judged afresh each period
    assert second.reach == tuple(sorted(GRID, key=lambda c: (c.area, c.dimension, c.subgroup)))
    with ws.session() as s:  # the earlier period stays as it was, readable beside the new one
        history = list_reports(s, EDITOR_A, initiative_id="I1")
    assert [r.period_id for r in history] == [old, new]
    assert history[0].status == "at_risk" and history[0].money_used_sek == 640_000


def test_the_reach_grid_is_saved_whole_in_one_save(ws, periods):
    _old, new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
        rep = save_report(s, EDITOR_A, rep.id, rep.version, ReportContent(reach=GRID))
        entries = read_log(s, entity="cycle_report", entity_id=str(rep.id))
    assert len(rep.reach) == 6 and sum(c.reached for c in rep.reach) == 160
    assert rep.version == 2
    assert [e.action for e in entries] == ["create", "edit"]
    assert len(entries[1].after["reach"]) == 6


def test_a_bad_grid_names_every_bad_cell_and_saves_nothing(ws, periods):
    _old, new = periods
    bad = (ReachCell("d9", "total", "total", 1), ReachCell("d1", "sex", "x", 2),
           ReachCell("d2", "total", "total", -3), ReachCell("d2", "total", "total", 4))  # fmt: skip
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
    with pytest.raises(CycleError) as err, ws.session() as s:
        save_report(s, EDITOR_A, rep.id, rep.version, ReportContent(done="x", reach=bad))
    text = str(err.value)
    assert "cell 1 (d9 × total/total): okänt område" in text
    assert "cell 2 (d1 × sex/x): okänd grupp" in text
    assert "cell 3 (d2 × total/total): antalet -3" in text
    assert "cell 4 (d2 × total/total): finns två gånger" in text
    with ws.session() as s:
        again = get_report(s, EDITOR_A, rep.id)
    assert again.version == rep.version and again.done is None


def test_a_stale_save_is_refused_and_changes_nothing(ws, periods):
    _old, new = periods
    with ws.session() as s:
        opened = start_report(s, EDITOR_A, new, "I1")  # two people open the form at version 1
    with ws.session() as s:
        save_report(s, LEADER, opened.id, opened.version, ReportContent(done="Lenas text"))
    with pytest.raises(CycleConflict, match="Någon annan har sparat rapporten") as err, \
            ws.session() as s:  # fmt: skip
        save_report(s, EDITOR_A, opened.id, opened.version, ReportContent(done="Annas text"))
    assert (err.value.expected, err.value.current) == (1, 2)
    with ws.session() as s:
        assert get_report(s, EDITOR_A, opened.id).done == "Lenas text"


def test_two_saves_at_once_from_one_version_one_wins(ws, periods):
    _old, new = periods
    with ws.session() as s:
        opened = start_report(s, EDITOR_A, new, "I1")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(who, words):
        barrier.wait()
        try:
            with ws.session() as s:
                save_report(s, who, opened.id, opened.version, ReportContent(done=words))
            outcomes.append("saved")
        except CycleConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(u, w))
               for u, w in ((EDITOR_A, "A"), (LEADER, "L"))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    with ws.session() as s:
        assert get_report(s, LEADER, opened.id).version == 2


def test_another_actors_editor_cannot_start_save_or_submit(ws, periods):
    _old, new = periods
    with pytest.raises(NotAllowed), ws.session() as s:
        start_report(s, EDITOR_B, new, "I1")
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
        rep = save_report(s, EDITOR_A, rep.id, rep.version, ReportContent(status="on_track"))
    with pytest.raises(NotAllowed), ws.session() as s:
        save_report(s, EDITOR_B, rep.id, rep.version, ReportContent(done="kapat"))
    with pytest.raises(NotAllowed), ws.session() as s:
        submit(s, EDITOR_B, "report", rep.id)
    with pytest.raises(NotFound), ws.session() as s:  # nor read the draft
        get_report(s, EDITOR_B, rep.id)


def test_a_status_other_than_on_track_needs_a_comment_to_submit(ws, periods):
    _old, new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
    with pytest.raises(CycleError, match="status saknas"), ws.session() as s:
        submit(s, EDITOR_A, "report", rep.id)
    with ws.session() as s:
        rep = save_report(s, EDITOR_A, rep.id, rep.version,
                          ReportContent(status="delayed", status_comment=None))  # fmt: skip
    with pytest.raises(CycleError, match="försenad kräver en kommentar"), ws.session() as s:
        submit(s, EDITOR_A, "report", rep.id)
    with ws.session() as s:
        rep = save_report(s, EDITOR_A, rep.id, rep.version,
                          ReportContent(status="delayed", status_comment="Lokalen blev sen."))  # fmt: skip
        assert submit(s, EDITOR_A, "report", rep.id, version=rep.version) == rep.version + 1


def test_submitted_and_approved_reports_cannot_be_edited(ws, periods):
    _old, new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
        rep = save_report(s, EDITOR_A, rep.id, rep.version, ReportContent(status="on_track"))
        v = submit(s, EDITOR_A, "report", rep.id)
    with pytest.raises(CycleError, match="inskickad och kan inte ändras"), ws.session() as s:
        save_report(s, EDITOR_A, rep.id, v, ReportContent(done="i smyg"))
    with ws.session() as s:
        v = approve(s, LEADER, "report", rep.id)
    with pytest.raises(CycleError, match="godkänd och kan inte ändras"), ws.session() as s:
        save_report(s, LEADER, rep.id, v, ReportContent(done="i smyg"))


def test_attachments_are_small_safely_named_and_read_back(ws, periods):
    _old, new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
        att = add_attachment(s, EDITOR_A, rep.id, "../../etc/Årsrapport <v2>.pdf", b"%PDF-1.4 x")
    assert att.filename == "Årsrapport _v2_.pdf"
    assert att.media_type == "application/pdf" and att.size == 10
    with ws.session() as s:
        info, data = read_attachment(s, EDITOR_A, att.id)
        assert data == b"%PDF-1.4 x" and info.sha256 == att.sha256
        assert len(get_report(s, EDITOR_A, rep.id).attachments) == 1
    with pytest.raises(CycleError, match="5 MB"), ws.session() as s:
        add_attachment(s, EDITOR_A, rep.id, "stor.bin", b"\0" * (MAX_ATTACHMENT + 1))
    with pytest.raises(NotAllowed), ws.session() as s:
        add_attachment(s, EDITOR_B, rep.id, "x.txt", b"x")
    # Not only the web refuses a page or a program: the domain does, for every caller.
    for hostile in ("rapport.html", "verktyg.exe", "bild.svg", "rapport.pdf.html"):
        with pytest.raises(CycleError, match="kan inte bifogas"), ws.session() as s:
            add_attachment(s, EDITOR_A, rep.id, hostile, b"<script>alert(1)</script>")
    with ws.session() as s:
        assert len(get_report(s, EDITOR_A, rep.id).attachments) == 1
    with pytest.raises(NotFound), ws.session() as s:  # a draft's files are as hidden as it is
        read_attachment(s, EDITOR_B, att.id)


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("a/b\\c.txt", "c.txt"),
        ("..", "bilaga"),
        (".hidden", "hidden"),
        ("x;rm -rf.txt", "x_rm -rf.txt"),
        ("", "bilaga"),
    ],
)
def test_safe_filenames(given, safe):
    assert safe_filename(given) == safe


def test_the_grid_axes_are_districts_by_groups(ws, periods):
    from jamlik.cycle.reports import reach_axes

    old, _new = periods
    with ws.session() as s:
        plain = reach_axes(s, "I1")
        rep = start_report(s, EDITOR_A, old, "I1")
        rep = save_report(s, EDITOR_A, rep.id, rep.version,
                          ReportContent(reach=(ReachCell("d2", "sex", "m", 4),)))  # fmt: skip
        used = reach_axes(s, "I1", rep.id)
        by_sex = reach_axes(s, "I1", dimensions=("sex",))
    assert plain.areas == (("d1", "D1"), ("d2", "D2"))  # every district: I1 names no areas
    assert plain.groups == (("total", "total", "Totalt"),)
    assert used.groups == (("total", "total", "Totalt"), ("sex", "m", "Män"))
    assert by_sex.groups == (("total", "total", "Totalt"), ("sex", "f", "Kvinnor"),
                             ("sex", "m", "Män"))  # fmt: skip


def test_two_people_starting_one_report_at_once_get_a_clear_message(ws, periods, monkeypatch):
    """Between this start's look-up and its insert, someone else's start commits first."""
    from jamlik.cycle import reports as reports_module

    _old, new = periods
    real = reports_module.previous_period
    done: list[bool] = []

    def meanwhile(session, period_id):
        if not done:  # once: the other start calls this too
            done.append(True)
            with ws.session() as other:
                start_report(other, LEADER, new, "I1")
        return real(session, period_id)

    monkeypatch.setattr(reports_module, "previous_period", meanwhile)
    with pytest.raises(CycleError, match="Någon annan påbörjade rapporten samtidigt"), \
            ws.session() as s:  # fmt: skip
        start_report(s, EDITOR_A, new, "I1")
    monkeypatch.setattr(reports_module, "previous_period", real)
    with ws.session() as s:
        assert [r.updated_by for r in list_reports(s, LEADER, period_id=new)] == ["lena"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (ReportContent(done="a\x00b"), "NUL"),
        (ReportContent(done="x" * 60_001), "för långt (60001 tecken, högst 60000)"),
        (ReportContent(money_used_sek=-1), "Använda medel"),
        (ReportContent(money_used_sek=True), "Använda medel"),
        (ReportContent(status="bra"), "Okänd status 'bra'"),
        (ReportContent(reach=(ReachCell("d1", "total", "total", 10**8),)), "mellan 0 och"),
        (ReportContent(reach=(ReachCell("d1", "total", "total", 1.5),)), "heltal"),
    ],
)
def test_hostile_or_mistaken_input_is_refused_by_name(ws, periods, content, message):
    _old, new = periods
    with ws.session() as s:
        rep = start_report(s, EDITOR_A, new, "I1")
    with pytest.raises(CycleError, match=re.escape(message)), ws.session() as s:
        save_report(s, EDITOR_A, rep.id, rep.version, content)
    with ws.session() as s:
        assert get_report(s, EDITOR_A, rep.id).version == rep.version

"""A programme node's assessment for a period as facts, and its forms (over
`jamlik.cycle.assessments` and `jamlik.cycle.actions`): the roll-up rule's proposal with its
reason beside the judged status, the level below, the indicators, and the corrective actions
decided now and followed up from earlier periods.
"""

from __future__ import annotations

from typing import Any, TypedDict

from fastapi import HTTPException
from starlette.datastructures import FormData

from jamlik.accounts import NotAllowed, Resource, can
from jamlik.cycle import assessments as cycle_assessments
from jamlik.cycle import periods as cycle_periods
from jamlik.cycle import reports as cycle_reports
from jamlik.cycle import workflow
from jamlik.cycle.codes import ASSESSED_KINDS, NODE_STATUSES
from jamlik.cycle.errors import CycleConflict, CycleError
from jamlik.cycle.model import (
    Assessment,
    AssessmentContent,
    Period,
)
from jamlik.cycle.scope import responsible
from jamlik.web.context import PageContext
from jamlik.web.cycle_view import (
    Outcome,
    assessment_href,
    not_found,
    notice,
    period_of,
    period_ref,
    report_href,
    session_of,
    user_of,
    version_of,
    worded,
)
from jamlik.web.form_values import day, shown
from jamlik.web.refs import actor_ref, indicator_ref, node_ref


class Proposal(TypedDict):
    """The roll-up rule's proposal as the page shows it."""

    status: dict[str, str] | None
    reason: str | None


def find_assessment(session, user, period_id: int, node_id: str) -> Assessment | None:
    found = cycle_assessments.list_assessments(session, user, period_id=period_id, node_id=node_id)
    return found[0] if found else None


def _assessed_node(ctx: PageContext, node_id: str):
    try:
        node = ctx.snap.programme.node(node_id)
    except KeyError:
        raise not_found(ctx) from None
    if node.kind not in ASSESSED_KINDS:
        raise not_found(ctx)
    return node


def node_owner(ctx: PageContext, node_id: str) -> str | None:
    """The actor responsible for assessing the node (None: the process leader); 404 for a
    node that is not assessed."""
    _assessed_node(ctx, node_id)
    with session_of(ctx) as session:
        return responsible(session, ctx.snap.programme.id).get(node_id)


def _indicator_statuses(ctx: PageContext, period: Period) -> dict[str, str] | None:
    """Indicator id -> follow-up status in the period's year (or the latest year with data),
    from the site's cached follow-up; None when there is none."""
    from jamlik.web.followup_view import FollowUpUnavailable, get_followup

    latest = ctx.snap.latest_year
    if latest is None:
        return None
    try:
        fu = get_followup(ctx, min(period.end.year, latest))
    except FollowUpUnavailable:
        return None
    return {i.indicator: i.status for i in fu.indicators}


def assessment_facts(
    ctx: PageContext,
    period_id: int,
    node_id: str,
    *,
    typed: dict[str, Any] | None = None,
    problems=(),
    conflict: bool = False,
    review_comment: str = "",
    done: str | None = None,
    action_form: dict[str, str] | None = None,
) -> dict[str, Any]:
    from jamlik.cycle.actions import actions_to_follow_up, list_actions
    from jamlik.cycle.assessments import propose
    from jamlik.cycle.rollup import INDICATOR_WORDS
    from jamlik.cycle.scope import gather

    user = user_of(ctx)
    t = ctx.t
    node = _assessed_node(ctx, node_id)
    indicators = None
    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
        owner = responsible(session, ctx.snap.programme.id).get(node.id)
        writes = can(user, "edit", Resource("assessment", owner=owner))
        found = find_assessment(session, user, period.id, node.id)
        if found is None and not writes:
            raise not_found(ctx)
        editable_state = found is None or found.state in ("draft", "returned")
        live = writes and period.is_open and editable_state
        proposal: Proposal
        if live:
            indicators = _indicator_statuses(ctx, period)
            rollup = propose(session, period.id, node.id, indicators)
            proposal = {"status": worded(ctx, rollup.status),
                        "reason": rollup.reason_en if ctx.lang == "en" else rollup.reason_sv}  # fmt: skip
        else:
            proposal = {
                "status": worded(ctx, found.computed_status) if found else None,
                "reason": (found.computed_reason_en if ctx.lang == "en" else found.computed_reason_sv)
                if found else None,
            }  # fmt: skip
        got = gather(session, ctx.snap.programme.id, node.id)
        reports = {r.initiative_id: r for r in cycle_reports.list_reports(
            session, user, period_id=period.id)}  # fmt: skip
        below = {a.node_id: a for a in cycle_assessments.list_assessments(
            session, user, period_id=period.id)}  # fmt: skip
        decided = [a for a in list_actions(session, ctx.snap.programme.id, period.id)
                   if a.node_id == node.id]  # fmt: skip
        earlier = [a for a in actions_to_follow_up(session, period.id) if a.node_id == node.id]
        labels = {p.id: p.label for p in cycle_periods.list_periods(session, ctx.snap.programme.id)}
    p = ctx.snap.programme
    children = []
    for child_id in got.children:
        a = below.get(child_id)
        child = p.node(child_id)
        children.append({
            "id": child_id, "title": t.pick(child.title, child.title_en),
            "href": assessment_href(period.id, child_id), "level": {"label": t(f"kind.{child.kind}")},
            "status": worded(ctx, a.judged_status) if a else None,
            "state": worded(ctx, a.state) if a else None,
        })  # fmt: skip
    for ini_id in got.initiatives:
        r = reports.get(ini_id)
        try:
            it = p.initiative(ini_id)
            title = t.pick(it.title, it.title_en)
        except KeyError:
            title = ini_id
        children.append({
            "id": ini_id, "title": title, "href": report_href(period.id, ini_id),
            "level": {"label": t("cycle.initiative")},
            "status": worded(ctx, r.status) if r else None,
            "state": worded(ctx, r.state) if r else None,
        })  # fmt: skip
    statuses = indicators if indicators is not None else {}
    indicator_rows = []
    for ind in got.indicators:
        code = statuses.get(ind)
        indicator_rows.append({
            **indicator_ref(t, ctx.snap, ind),
            "status": {"code": code, "label": INDICATOR_WORDS[code][ctx.lang == "en"]}
            if code in INDICATOR_WORDS else None,
        })  # fmt: skip
    stored = _assessment_values(found) if found else None
    values = typed if typed is not None else stored or _assessment_values(None)
    if not values.get("status") and proposal["status"]:
        values = {**values, "status": proposal["status"]["code"]}
    state = found.state if found else "missing"
    may_actions = writes and period.is_open
    return {
        "period": period_ref(ctx, period),
        "href": assessment_href(period.id, node.id),
        "notice": notice(ctx, done, "assessment"),
        "node": {**node_ref(t, node), "actor": actor_ref(t, ctx.snap, owner)},
        "assessment": {
            "id": found.id if found else None,
            "state": worded(ctx, state),
            "version": found.version if found else None,
            "due": period.deadlines[ASSESSED_KINDS[node.kind]],
            "status": worded(ctx, found.judged_status) if found else None,
            "computed_status": worded(ctx, found.computed_status) if found else None,
            "overrides_proposal": found.overrides_proposal if found else False,
            "returned_comment": found.return_comment if found and state == "returned" else None,
        },
        "proposal": {**proposal, "rule": t("cycle.rule_text"), "computed": True},
        "children": children,
        "indicators": indicator_rows,
        "editable": writes and period.is_open and found is not None and editable_state,
        "may_start": writes and period.is_open and found is None,
        "reviewable": can(user, "approve", Resource("assessment"))
        and period.is_open
        and state == "submitted",
        "form": values,
        "statuses": [worded(ctx, s) for s in NODE_STATUSES],
        "actions": [_action(ctx, a, labels) for a in decided],
        "to_follow_up": [_action(ctx, a, labels) for a in earlier],
        "may_actions": may_actions,
        "owners": [
            {"id": a.id, "name": t.pick(a.name, a.name_en)}
            for a in sorted(p.actors, key=lambda a: a.name)
        ],  # fmt: skip
        "action_form": action_form or {"title": "", "owner": owner or "", "due": ""},
        "problems": list(problems),
        "conflict": conflict,
        "review_comment": review_comment,
    }


def _action(ctx: PageContext, a, labels: dict[int, str]) -> dict[str, Any]:
    done = None if a.followup_done is None else (
        {"code": "done", "label": ctx.t("cycle.action_done")} if a.followup_done
        else {"code": "not_done", "label": ctx.t("cycle.action_not_done")})  # fmt: skip
    return {
        "id": a.id, "title": a.text, "owner": actor_ref(ctx.t, ctx.snap, a.owner_id),
        "due": a.due, "decided_in": labels.get(a.period_id), "version": a.version,
        "followup": {"done": done, "comment": a.followup_comment,
                     "period": labels.get(a.followup_period_id)} if done else None,
    }  # fmt: skip


def _assessment_values(a: Assessment | None) -> dict[str, Any]:
    if a is None:
        return {"analysis": None, "judgement": None, "measures": None, "status": None,
                "override_reason": None}  # fmt: skip
    return {"analysis": a.analysis, "judgement": a.judgement, "measures": a.measures,
            "status": a.judged_status, "override_reason": a.judged_reason}  # fmt: skip


def assessment_form(form: FormData) -> dict[str, Any]:
    """What the assessment form sent, as typed."""
    typed = {k: str(form.get(k) or "").strip() for k in
             ("analysis", "judgement", "measures", "status", "override_reason")}  # fmt: skip
    return {**typed, "status": typed["status"] or None}


def save_assessment(
    ctx: PageContext, period_id: int, node_id: str, form: FormData, typed: dict[str, Any]
) -> Outcome:
    """Start, save or submit the assessment (the form's `action`), in one transaction."""
    from jamlik.cycle.assessments import propose, start_assessment
    from jamlik.cycle.assessments import save_assessment as save

    user = user_of(ctx)
    action = str(form.get("action") or "")
    with session_of(ctx) as session:
        period = period_of(ctx, session, period_id)
    indicators = _indicator_statuses(ctx, period)
    if action == "start":
        try:
            with session_of(ctx) as session:
                start_assessment(session, user, period.id, node_id, indicators)
        except CycleError as exc:
            return Outcome(problems=[{"field": None, "message": str(exc)}])
        return Outcome("started")
    if action not in ("save", "submit"):
        raise HTTPException(400, ctx.t("cycle.err.action"))
    version = version_of(form)
    if version is None:
        raise HTTPException(400, ctx.t("admin.error_no_version"))
    status = typed["status"]
    problems: list[dict[str, str | None]] = []
    if status is not None and status not in NODE_STATUSES:
        problems.append({"field": "status", "message": ctx.t("cycle.err.node_status")})
    content = AssessmentContent(
        analysis=typed["analysis"] or None, judgement=typed["judgement"] or None,
        measures=typed["measures"] or None, judged_status=status,
        judged_reason=typed["override_reason"] or None,
    )  # fmt: skip
    try:
        with session_of(ctx) as session:
            if action == "submit" and status is not None and not content.judged_reason:
                proposed = propose(session, period.id, node_id, indicators).status
                if status != proposed:
                    problems.append({"field": "override_reason",
                                     "message": ctx.t("cycle.err.override")})  # fmt: skip
            if problems:
                return Outcome(problems=problems)
            found = find_assessment(session, user, period.id, node_id)
            if found is None:
                raise not_found(ctx)
            saved = save(session, user, found.id, version, content, indicators)
            if action == "submit":
                workflow.submit(session, user, "assessment", found.id, version=saved.version)
    except CycleConflict:
        return Outcome(conflict=True)
    except CycleError as exc:
        return Outcome(problems=[{"field": None, "message": str(exc)}])
    return Outcome("submitted" if action == "submit" else "saved")


def add_action(
    ctx: PageContext, period_id: int, node_id: str, typed: dict[str, str]
) -> list[dict[str, str | None]]:
    from jamlik.cycle.actions import add_action as add

    problems: list[dict[str, str | None]] = []
    if not typed["title"]:
        problems.append({"field": "action_title", "message": ctx.t("cycle.err.action_title")})
    due = None
    if typed["due"]:
        due = day(typed["due"])
        if due is None:
            problems.append({"field": "action_due",
                             "message": ctx.t("cycle.err.due", value=shown(typed["due"]))})  # fmt: skip
    if problems:
        return problems
    try:
        with session_of(ctx) as session:
            period = period_of(ctx, session, period_id)
            add(session, user_of(ctx), period.id, typed["title"], typed["owner"] or None, due,
                node_id=node_id)  # fmt: skip
    except (CycleError, NotAllowed) as exc:
        return [{"field": "add-action", "message": str(exc)}]
    return []


def follow_up_action(
    ctx: PageContext, period_id: int, node_id: str, action_id: int, form: FormData
) -> Outcome:
    from jamlik.cycle.actions import follow_up_action as follow_up

    done = str(form.get("done") or "")
    comment = str(form.get("comment") or "").strip()
    field_id = f"action-{action_id}"
    if done not in ("yes", "no"):
        return Outcome(problems=[{"field": field_id, "message": ctx.t("cycle.err.action_done")}])
    version = version_of(form)
    if version is None:
        raise HTTPException(400, ctx.t("admin.error_no_version"))
    try:
        with session_of(ctx) as session:
            period = period_of(ctx, session, period_id)
            follow_up(session, user_of(ctx), action_id, period.id, done == "yes", comment, version)
    except CycleConflict:
        return Outcome(conflict=True)
    except (CycleError, NotAllowed) as exc:
        return Outcome(problems=[{"field": field_id, "message": str(exc)}])
    return Outcome("action_saved")

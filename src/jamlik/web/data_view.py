"""Facts for the data page: the import list with provenance and who, saved source queries,
upload previews and the outcome of an import or a source refresh."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jamlik.audit.tables import AuditRow
from jamlik.data import ImportSummary, Preview
from jamlik.data.tables import ImportRow
from jamlik.errors import JamlikError, ValidationError
from jamlik.sources.runner import RunResult
from jamlik.sources.saved import SavedQuery
from jamlik.web.i18n import Translator

AUDIT_ENTITY = "data"
AUDIT_ACTION = "import"
LISTED_IMPORTS = 100  # the newest imports the page lists
LISTED_PROBLEMS = 1000  # problems shown on a page; the count says how many there are in all


def audit_after(summary: ImportSummary, **extra: Any) -> dict[str, Any]:
    """What an import's audit entry records as `after`."""
    return {
        "kind": summary.kind, "source": summary.source, "checksum": summary.checksum,
        "rows": summary.rows, "inserted": summary.inserted, "updated": summary.updated,
        "unchanged": summary.unchanged, "kept": summary.kept, "created": summary.created,
        **extra,
    }  # fmt: skip


def imports(session: Session) -> tuple[list[dict[str, Any]], int]:
    """The newest imports, each with who made it (from the audit log; None when the import
    came from the command line), and how many imports there are in all."""
    rows = session.scalars(
        select(ImportRow).order_by(ImportRow.imported_at.desc(), ImportRow.id.desc())
        .limit(LISTED_IMPORTS)
    ).all()  # fmt: skip
    total = session.scalar(select(func.count()).select_from(ImportRow)) or 0
    ids = [str(r.id) for r in rows]
    who = dict(
        session.execute(
            select(AuditRow.entity_id, AuditRow.user_name).where(
                AuditRow.entity == AUDIT_ENTITY,
                AuditRow.action == AUDIT_ACTION,
                AuditRow.entity_id.in_(ids),
            )
        ).all()
    )
    out = []
    for r in rows:
        at = r.imported_at if r.imported_at.tzinfo else r.imported_at.replace(tzinfo=UTC)
        out.append({
            "id": r.id, "kind": r.kind, "source": r.source, "format": r.format,
            "checksum": r.checksum, "imported_at": at.isoformat(timespec="seconds"),
            "when": at.strftime("%Y-%m-%d %H:%M UTC"), "rows": r.row_count,
            "inserted": r.inserted, "updated": r.updated, "attribution": r.attribution,
            "url": r.url, "query": r.query, "by": who.get(str(r.id)),
        })  # fmt: skip
    return out, total


def queries(saved: list[SavedQuery]) -> list[dict[str, Any]]:
    return [
        {
            "name": q.name,
            "source": q.source,
            "url": q.url,
            "last_run": q.state.last_run,
            "rows": q.state.rows,
            "refresh": f"/data/sources/{q.name}/refresh",
        }  # fmt: skip
        for q in saved
    ]


def problems(errors: tuple | list) -> dict[str, Any]:
    """Problems (`jamlik.errors.Problem`) as facts: row as a spreadsheet shows it, column."""
    return {
        "problems": [
            {"row": p.row, "field": p.field, "message": p.message}
            for p in list(errors)[:LISTED_PROBLEMS]
        ],
        "problem_count": len(errors),
        "bad_rows": len({p.row for p in errors if p.row is not None and p.row > 1}),
    }


def preview(p: Preview) -> dict[str, Any]:
    return {
        "source": p.source, "format": p.format, "checksum": p.checksum, "rows": p.rows,
        "indicators": list(p.indicators), "periods": list(p.periods), "areas": len(p.areas),
        "new": p.new, "changed": p.changed, "unchanged": p.unchanged, "kept": p.kept,
        "created": [{"kind": k, "count": n, "ids": list(p.created_ids.get(k, ()))}
                    for k, n in sorted(p.created.items())],
        "already_imported": p.already_imported, "notes": list(p.notes),
        "fingerprint": fingerprint(p), **problems(p.problems),
    }  # fmt: skip


def fingerprint(p: Preview) -> str:
    """What the analyst saw and confirmed: the file and the counts against the workspace."""
    return f"{p.checksum}:{p.new}:{p.changed}:{p.unchanged}:{p.kept}"


def imported(s: ImportSummary) -> dict[str, Any]:
    return {
        "source": s.source, "import_id": s.import_id, "rows": s.rows, "new": s.inserted,
        "changed": s.updated, "unchanged": s.unchanged, "kept": s.kept,
    }  # fmt: skip


def refreshed(result: RunResult) -> dict[str, Any]:
    obs = result.observations
    return {
        "name": result.name, "ok": True, "url": result.url, "rows": result.rows,
        "new": obs.inserted if obs else 0, "changed": obs.updated if obs else 0,
        "unchanged": obs.unchanged if obs else 0,
        "defined": result.definitions.inserted if result.definitions else 0,
        "requests": result.requests, "cache_hits": result.cache_hits,
        "seconds": round(result.seconds, 1), "skipped": result.skipped,
        "warnings": list(result.warnings), "error": None, "problems": [],
    }  # fmt: skip


def refresh_failed(name: str, exc: JamlikError, t: Translator) -> dict[str, Any]:
    """A failed refresh in plain words: what failed, that nothing changed, and the detail."""
    from jamlik.sources.http import SourceError

    if isinstance(exc, ValidationError):
        reason, detail = t("data.refresh_invalid"), ""
    elif isinstance(exc, SourceError):
        reason, detail = t("data.refresh_unreachable"), str(exc)
    else:
        reason, detail = t("data.refresh_other"), str(exc)
    found = exc.problems if isinstance(exc, ValidationError) else []
    return {
        "name": name, "ok": False, "error": reason, "detail": detail,
        **problems(found), "warnings": [],
    }  # fmt: skip

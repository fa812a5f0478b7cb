"""The notes a source attached to the values it published, read back from the workspace.

PxWeb v2 and other JSON-stat sources attach notes to a table, a variable or one value; SCB marks
some of them mandatory (`noteMandatory`): they must be shown wherever the values are shown. A fetch
keeps every note that concerns what it fetched in its import record (the `query` JSON, key
`notes`), so pages, exports and reports can find the notes of the values they show through the
imports that wrote those values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from jamlik.data.tables import ImportRow, ObservationRow


def source_notes(
    session: Session, indicators: Iterable[str] | None = None, *, mandatory_only: bool = True
) -> list[dict]:
    """The notes of the imports that wrote the stored values of `indicators` (all when None),
    oldest import first, each note once: [{text, mandatory, source, dimension?, category?}]."""
    writers = select(ObservationRow.import_id).distinct()
    wanted = None if indicators is None else sorted(set(indicators))
    if wanted is not None:
        writers = writers.where(ObservationRow.indicator_id.in_(wanted))
    rows = session.execute(
        select(ImportRow.source, ImportRow.query)
        .where(ImportRow.id.in_(writers))
        .where(ImportRow.query.is_not(None))
        .order_by(ImportRow.id)
    ).all()
    out: dict[str, dict] = {}
    for source, query in rows:
        try:
            notes = json.loads(query).get("notes") or []
        except (ValueError, AttributeError):
            continue  # a query that is not a source's JSON (e.g. a file import)
        for note in notes:
            if not isinstance(note, dict) or not note.get("text"):
                continue
            if mandatory_only and not note.get("mandatory"):
                continue
            out.setdefault(str(note["text"]), {**note, "source": source})
    return list(out.values())


def mandatory_texts(session: Session, indicators: Iterable[str] | None = None) -> list[str]:
    """The mandatory notes' texts for the values of `indicators`, each once."""
    return [n["text"] for n in source_notes(session, indicators)]

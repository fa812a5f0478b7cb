"""Whether a follow-up rests on invented data: the demo stamps "Fiktiva exempeldata" (or
"Fictitious example data") on its programme and on every import, and everything built from
such data must say so."""

from __future__ import annotations

from collections.abc import Iterable

from jamlik.followup.model import SourceNote
from jamlik.programme import Programme

MARKERS = ("fiktiva exempeldata", "fictitious example data")


def is_fictitious(programme: Programme, sources: Iterable[SourceNote]) -> bool:
    """True when the programme's header or any data source carries the marker: one invented
    series is enough to make every figure beside it an example, not a finding."""
    texts = [
        programme.title,
        programme.title_en or "",
        programme.description or "",
        programme.description_en or "",
        programme.source or "",
    ]
    for s in sources:
        texts += [s.source, s.attribution or ""]
    return any(marker in text.lower() for text in texts for marker in MARKERS)

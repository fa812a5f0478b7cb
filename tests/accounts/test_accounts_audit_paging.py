"""Reading the audit log a page at a time: `offset` skips entries, `limit` caps them, in
either order of writing, together with the filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from accounts_helpers import T0

from jamlik.audit import read_log, record

# Seven entries by two people; the entity ids number them in the order they are written.
WRITTEN = [("eva" if n % 2 else "bo", f"i{n}") for n in range(1, 8)]


@pytest.fixture
def log(ws):
    with ws.session() as s:
        for k, (user, entity_id) in enumerate(WRITTEN):
            record(
                s,
                user,
                "edit",
                "initiative",
                entity_id,
                None,
                {"n": k},
                now=T0 + timedelta(minutes=k),
            )
    return ws


def _ids(entries) -> list[str]:
    return [e.entity_id for e in entries]


def test_pages_of_the_newest_first_log_cover_it_once_in_order(log):
    newest_first = [entity_id for _, entity_id in reversed(WRITTEN)]
    with log.session() as s:
        pages = [_ids(read_log(s, newest_first=True, limit=3, offset=k)) for k in (0, 3, 6, 9)]
    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:], []]


def test_offset_without_limit_reads_to_the_end_in_writing_order(log):
    with log.session() as s:
        assert _ids(read_log(s, offset=5)) == ["i6", "i7"]
        assert _ids(read_log(s, offset=0)) == [entity_id for _, entity_id in WRITTEN]


def test_offset_counts_only_the_entries_the_filters_keep(log):
    evas = [entity_id for user, entity_id in WRITTEN if user == "eva"]  # i1 i3 i5 i7
    with log.session() as s:
        assert _ids(read_log(s, user="eva", limit=2, offset=1)) == evas[1:3]
        assert _ids(read_log(s, user="eva", newest_first=True, offset=3)) == evas[:1]


def test_negative_paging_is_refused(log):
    with log.session() as s:
        with pytest.raises(ValueError, match="offset"):
            read_log(s, offset=-1)
        with pytest.raises(ValueError, match="limit"):
            read_log(s, limit=-3)

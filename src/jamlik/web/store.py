"""What the site reads from the workspace, kept in memory between requests.

A `Snapshot` holds the programme and the definitions (a few hundred small objects). It is
brought up to date as `WebData.snapshot` describes, so imports made from the command line show
within seconds; `WebData.invalidate()` makes changes made through the site show at once.

Anything expensive derived from a snapshot (the follow-up, explorer answers, suppressed
observation frames) is cached under the snapshot's `fingerprint`: a hash of the programme, the
definitions and the import log. Re-reading an unchanged workspace gives the same fingerprint and
keeps those caches; any import or programme change gives a new one and drops them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, select

from jamlik.audit.tables import AuditRow
from jamlik.data import Area, Definitions, Dimension, Indicator, period_midpoint, read_definitions
from jamlik.data.tables import ImportRow, ObservationRow
from jamlik.errors import JamlikError
from jamlik.followup.provenance import workspace_fictitious
from jamlik.programme import Programme, read_programme
from jamlik.programme.tables import ProgrammeRow
from jamlik.web.settings import WebSettings

T = TypeVar("T")

# How many results each cache bucket keeps (a follow-up is a few MB, a page some hundred kB).
BUCKET_SIZES = {"followup": 4, "page": 256, "explore": 256, "response": 512}


class NoProgrammeError(JamlikError):
    """The workspace holds no programme to show."""


@dataclass(frozen=True)
class Snapshot:
    """The programme and definitions as read at one moment."""

    programme: Programme
    definitions: Definitions
    fictitious: bool
    fingerprint: str
    read_at: float
    checked_at: float
    stamp: tuple
    sources: tuple[tuple[str, str | None], ...] = ()  # (source, attribution) per import
    periods: tuple[str, ...] = ()  # periods with observations, in time order
    indicators: dict[str, Indicator] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    dimensions: dict[str, Dimension] = field(default_factory=dict)

    @property
    def municipality(self) -> Area | None:
        """The top area (the municipality the programme follows), if defined."""
        tops = [a for a in self.areas.values() if a.level == "municipality"]
        return tops[0] if tops else None

    @property
    def latest_year(self) -> int | None:
        """The calendar year of the latest period with observations: the default follow-up year."""
        return int(period_midpoint(self.periods[-1])) if self.periods else None

    @property
    def districts(self) -> list[Area]:
        """Districts in name order."""
        return sorted(
            (a for a in self.areas.values() if a.level == "district"), key=lambda a: a.name
        )


class WebData:
    """The site's single way into the workspace (thread-safe: uvicorn serves from a pool)."""

    def __init__(self, settings: WebSettings):
        self.settings = settings
        self.workspace = settings.workspace
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._derived: dict[str, OrderedDict[Hashable, Any]] = {}
        self._derived_fingerprint: str | None = None
        self._derived_lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self._schema_checked = False

    def invalidate(self) -> None:
        """Forget everything read; the next request reads the workspace again."""
        with self._lock:
            self._snapshot = None

    def snapshot(self) -> Snapshot:
        """The current snapshot, brought up to date when the settings say it is time.

        Every `check_seconds` one request asks the database for a cheap stamp (the import and
        audit logs' last ids); only a changed stamp, or `reread_seconds` without a re-read,
        makes it read the programme and definitions again. Other requests meanwhile go on with
        the snapshot they have: reading holds the interpreter for tens of milliseconds, and
        doing it often would show in every page's latency.
        """
        snap = self._snapshot
        now = time.monotonic()
        if snap is not None and now - snap.checked_at <= self.settings.check_seconds:
            return snap
        if snap is not None and not self._lock.acquire(blocking=False):
            return snap
        if snap is None:
            self._lock.acquire()
        try:
            current = self._snapshot
            if current is not None and current is not snap:
                return current  # another thread brought it up to date meanwhile
            recent = snap is not None and now - snap.read_at <= self.settings.reread_seconds
            if recent and snap is not None and self._stamp() == snap.stamp:
                snap = dataclasses.replace(snap, checked_at=now)
                self._snapshot = snap
                return snap
            new = self._read()
            if snap is not None and new.fingerprint == snap.fingerprint:
                new = dataclasses.replace(
                    snap, read_at=new.read_at, checked_at=new.read_at, stamp=new.stamp
                )
            self._snapshot = new
            return new
        finally:
            self._lock.release()

    def _stamp(self) -> tuple:
        """What changes whenever data are imported or anything is edited and audited."""
        with self.workspace.session() as session:
            imports = session.execute(
                select(func.count(ImportRow.id), func.max(ImportRow.id))
            ).one()
            audit = session.execute(select(func.max(AuditRow.id))).scalar()
        return (*imports, audit)

    def peek(self, bucket: str, key: Hashable) -> Any | None:
        """A kept result, if there is one for the current data (never builds anything)."""
        full_key = (self.snapshot().fingerprint, key)
        with self._derived_lock:
            store = self._derived.get(bucket)
            if self._derived_fingerprint != full_key[0] or store is None:
                return None
            value = store.get(full_key)
            if value is not None:
                store.move_to_end(full_key)
            return value

    def cached(self, bucket: str, key: Hashable, build: Callable[[], T]) -> T:
        """`build()` once per snapshot fingerprint and key; concurrent callers wait for one build.

        Each bucket keeps its most recently used results up to `BUCKET_SIZES[bucket]`, so
        explorer choices and pages cannot grow memory without bound.
        """
        fingerprint = self.snapshot().fingerprint
        full_key = (fingerprint, key)
        with self._derived_lock:
            if self._derived_fingerprint != fingerprint:
                self._derived.clear()
                self._building.clear()
                self._derived_fingerprint = fingerprint
            store = self._derived.setdefault(bucket, OrderedDict())
            if full_key in store:
                store.move_to_end(full_key)
                return store[full_key]
            gate = self._building.setdefault((bucket, full_key), threading.Lock())
        with gate:
            with self._derived_lock:
                if full_key in store:
                    return store[full_key]
            try:
                value = build()
            finally:
                with self._derived_lock:
                    self._building.pop((bucket, full_key), None)
            with self._derived_lock:
                if self._derived_fingerprint == fingerprint:
                    store[full_key] = value
                    while len(store) > BUCKET_SIZES.get(bucket, 64):
                        store.popitem(last=False)
            return value

    def _read(self) -> Snapshot:
        ws = self.workspace
        if not ws.exists:
            raise NoProgrammeError(
                f"no workspace at {ws.path}: create one with `jamlik demo --workspace "
                f"{ws.path}` or `jamlik init --workspace {ws.path}` and import a programme"
            )
        if not self._schema_checked:
            ws.init()  # once per process: brings an older workspace's schema up to date
            self._schema_checked = True
        with ws.session() as session:
            programmes = session.scalars(select(ProgrammeRow.id).order_by(ProgrammeRow.id)).all()
        if not programmes:
            raise NoProgrammeError(
                f"the workspace {ws.path} holds no programme: import one with "
                "`jamlik programme import FILE`"
            )
        wanted = self.settings.programme_id or programmes[0]
        if wanted not in programmes:
            known = ", ".join(programmes)
            raise NoProgrammeError(f"no programme '{wanted}' in {ws.path} (there is: {known})")
        definitions = read_definitions(ws)
        with ws.session() as session:
            programme = read_programme(session, wanted)
            imports = session.execute(
                select(ImportRow.source, ImportRow.attribution).order_by(ImportRow.id)
            ).all()
            periods = session.execute(select(ObservationRow.period).distinct()).scalars().all()
            log = session.execute(
                select(
                    func.count(ImportRow.id),
                    func.max(ImportRow.id),
                    func.max(ImportRow.imported_at),
                )
            ).one()
            audit = session.execute(select(func.max(AuditRow.id))).scalar()
            # The stored flags, by the rule the follow-up and the report use.
            fictitious = workspace_fictitious(session, programme)
        sources = tuple(dict.fromkeys((s, a) for s, a in imports))
        digest = hashlib.sha256()
        digest.update(programme.model_dump_json().encode())
        digest.update(definitions.model_dump_json().encode())
        digest.update(repr((*log, audit)).encode())
        return Snapshot(
            programme=programme,
            definitions=definitions,
            fictitious=fictitious,
            fingerprint=digest.hexdigest()[:16],
            read_at=time.monotonic(),
            checked_at=time.monotonic(),
            stamp=(log[0], log[1], audit),
            sources=sources,
            periods=tuple(sorted(periods, key=period_midpoint)),
            indicators={i.id: i for i in definitions.indicators},
            areas={a.id: a for a in definitions.areas},
            dimensions={d.id: d for d in definitions.dimensions},
        )

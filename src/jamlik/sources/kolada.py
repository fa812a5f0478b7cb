"""Kolada v3 (RKA's database of municipal key figures): metadata, data and unit data.

What other clients get wrong and this one does not: it follows `next_url` to the last page, splits id
lists into chunks of at most 25 (the API's limit per path segment), drops rows marked `isdeleted`,
keeps a null value missing (never 0), and warns when a requested id comes back with nothing.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin

import numpy as np
import pandas as pd

from jamlik.errors import JamlikError
from jamlik.sources.http import HttpClient, ProgressHook, SourceError

DEFAULT_URL = "https://api.kolada.se/v3/"
URL_ENV = "JAMLIK_KOLADA_URL"
SOURCE = "kolada"
ATTRIBUTION = "Källa: Kolada"
LICENCE = "fri att använda, även kommersiellt, med källan angiven / free use, also commercial, with credit"
MAX_IDS = 25  # items per comma-separated path segment
PER_PAGE = 5000
RATE = 5.0  # requests per second Kolada asks clients to stay under

GENDER = "gender"
VALUE = "value"
STATUS = "status"
COUNT = "count"  # how many municipalities a value averages: 1, or a group's contributing members


def kolada_url(url: str | None = None) -> str:
    """The base URL: the flag, else `$JAMLIK_KOLADA_URL`, else the public v3 API. Ends with '/'."""
    base = url or os.environ.get(URL_ENV) or DEFAULT_URL
    return base if base.endswith("/") else base + "/"


def parse_years(text: str | int | Sequence[int | str]) -> list[int]:
    """'2015-2025', '2015,2018,2020', 2020 or a list → sorted distinct years."""
    if isinstance(text, int):
        return [text]
    if not isinstance(text, str):
        return sorted({int(y) for y in text})
    years: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        m = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", part)
        if m:
            start, end = int(m[1]), int(m[2])
            if end < start:
                raise JamlikError(f"Year range {part!r} runs backwards; write {end}-{start}.")
            years.update(range(start, end + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.add(int(part))
        else:
            raise JamlikError(f"Cannot read {part!r} as a year or a range such as 2015-2025.")
    return sorted(years)


def split_ids(text: str | Iterable[str] | None) -> list[str]:
    """'1480, 1490' or a list → ['1480', '1490'] (order kept, duplicates dropped)."""
    if text is None:
        return []
    items = text.split(",") if isinstance(text, str) else [str(t) for t in text]
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


def chunks(items: Sequence[str], size: int = MAX_IDS) -> list[list[str]]:
    """Consecutive pieces of at most `size` items."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


@dataclass
class KoladaData:
    """Fetched values as a long table with columns kpi, municipality|ou, period, gender, value,
    status, count; plus what the caller should tell the user."""

    frame: pd.DataFrame
    area_column: str
    urls: list[str] = field(default_factory=list)
    deleted: int = 0
    warnings: list[str] = field(default_factory=list)
    # The values Kolada marks deleted, in the same columns (value NaN): a stored copy is removed.
    deleted_frame: pd.DataFrame | None = None


class Kolada:
    """Client for one Kolada v3 server (the public API, a mirror, or a test server)."""

    def __init__(
        self,
        http: HttpClient,
        base_url: str | None = None,
        *,
        rate: float = RATE,
        per_page: int = PER_PAGE,
    ):
        self.http = http
        self.base_url = kolada_url(base_url)
        self.per_page = per_page
        # A one-second window with `rate` calls keeps bursts within what Kolada asks for.
        http.set_throttle(SOURCE, max(1, round(rate)), 1.0 if rate >= 1 else 1.0 / rate)

    # -- metadata ------------------------------------------------------------------------------

    def kpis(self, ids: Iterable[str] | None = None, *, title: str | None = None) -> list[dict]:
        """KPIs by id (any number), by words in the title, or all of them."""
        return self._metadata("kpi", ids, {"title": title})

    def kpi_groups(self, *, title: str | None = None) -> list[dict]:
        return self._metadata("kpi_groups", None, {"title": title})

    def municipalities(
        self,
        ids: Iterable[str] | None = None,
        *,
        title: str | None = None,
        region_type: str | None = None,
    ) -> list[dict]:
        """Municipalities (type K) and regions (type L); `0000` is the whole country."""
        return self._metadata("municipality", ids, {"title": title, "region_type": region_type})

    def municipality_groups(
        self, ids: Iterable[str] | None = None, *, title: str | None = None
    ) -> list[dict]:
        """Municipality groups (`id, title, members`); data for a group id is the unweighted
        mean of its members, and each value's `count` says how many members it averaged."""
        return self._metadata("municipality_groups", ids, {"title": title})

    def units(
        self,
        ids: Iterable[str] | None = None,
        *,
        municipality: str | None = None,
        title: str | None = None,
    ) -> list[dict]:
        """Organisational units (schools, care homes …), e.g. all units of one municipality."""
        return self._metadata("ou", ids, {"title": title, "municipality": municipality})

    def _metadata(self, kind: str, ids: Iterable[str] | None, params: dict) -> list[dict]:
        wanted = split_ids(ids) if ids is not None else []
        if not wanted:
            return list(self._pages(self._url(kind), params))
        found: list[dict] = []
        for part in chunks(wanted):
            found.extend(self._pages(self._url(kind, _segment(part)), params))
        return found

    # -- data ----------------------------------------------------------------------------------

    def data(
        self,
        kpis: Iterable[str] | None = None,
        municipalities: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        *,
        from_date: str | None = None,
        progress: ProgressHook | None = None,
    ) -> KoladaData:
        """Values by KPI × municipality × year; at least two of the three must be given.

        `from_date` (YYYY-MM-DD) asks only for what changed since then, deletions included.
        """
        segments = {
            "kpi": split_ids(kpis),
            "municipality": split_ids(municipalities),
            "year": [str(y) for y in (years or [])],
        }
        given = [k for k, v in segments.items() if v]
        if len(given) < 2:
            raise JamlikError(
                "Kolada needs at least two of --kpi, --municipality and --years "
                "(Kolada kräver minst två av nyckeltal, kommun och år)."
            )
        return self._fetch("data", segments, "municipality", from_date, progress)

    def unit_data(
        self,
        kpis: Iterable[str],
        units: Iterable[str],
        years: Iterable[int] | None = None,
        *,
        from_date: str | None = None,
        progress: ProgressHook | None = None,
    ) -> KoladaData:
        """Values for organisational units (`/oudata/kpi/…/ou/…/year/…`)."""
        segments = {
            "kpi": split_ids(kpis),
            "ou": split_ids(units),
            "year": [str(y) for y in (years or [])],
        }
        if not segments["kpi"] or not segments["ou"]:
            raise JamlikError("Unit data needs both --kpi and --ou (nyckeltal och enheter).")
        return self._fetch("oudata", segments, "ou", from_date, progress)

    def _fetch(
        self,
        route: str,
        segments: dict[str, list[str]],
        area_column: str,
        from_date: str | None,
        progress: ProgressHook | None,
    ) -> KoladaData:
        used = {k: v for k, v in segments.items() if v}
        combos = list(itertools.product(*(chunks(v) for v in used.values())))
        planned = len(combos)
        done = 0
        if progress:
            progress(0, planned)
        result = _Collector(area_column)
        urls: list[str] = []
        params = {"per_page": self.per_page, "from_date": from_date}
        for combo in combos:
            path = "/".join(f"{k}/{_segment(ids)}" for k, ids in zip(used, combo, strict=True))
            url = self._url(route, path)
            urls.append(url)
            for page_number, page in enumerate(self._envelopes(url, params)):
                if page_number > 0:
                    planned += 1  # a further page was announced: the bar grows with it
                result.add(page, url)
                done += 1
                if progress:
                    progress(done, planned)

        data = KoladaData(result.frame(), area_column, urls, result.deleted)
        data.deleted_frame = result.frame(deleted=True)
        if from_date is None:  # in an incremental fetch an absent id only means "no change"
            seen = {"kpi": result.kpis, area_column: result.areas, "year": result.years}
            for key, ids in used.items():
                missing = [i for i in ids if i not in seen[key]]
                if missing:
                    data.warnings.append(_missing_warning(key, missing))
        return data

    # -- paging --------------------------------------------------------------------------------

    def _url(self, kind: str, rest: str = "") -> str:
        return urljoin(self.base_url, f"{kind}/{rest}" if rest else kind)

    def _envelopes(self, url: str, params: dict) -> Iterator[dict]:
        """Every page of one query: follow `next_url` (v2: `next_page`) until it is empty."""
        seen: set[str] = set()
        next_url: str | None = url
        first = True
        while next_url:
            if next_url in seen:
                raise SourceError(
                    f"Kolada kept sending the same next page ({next_url}); stopped to avoid a loop.",
                    url=next_url,
                )
            seen.add(next_url)
            here = next_url

            def envelope(body: Any, here: str = here) -> None:
                if not isinstance(body, dict) or not isinstance(body.get("values"), list):
                    raise SourceError(
                        f"Kolada answered {here} without a 'values' list; is the URL a Kolada v3 API?",
                        url=here,
                    )

            body = self.http.get_json(
                next_url, source=SOURCE, params=params if first else None, check=envelope
            )
            yield body
            following = body.get("next_url") or body.get("next_page")
            next_url = urljoin(next_url, following) if following else None
            first = False

    def _pages(self, url: str, params: dict) -> Iterator[dict]:
        for body in self._envelopes(url, params):
            yield from body["values"]


class _Collector:
    """Turns data rows into columns as pages arrive; counts deleted rows and sees which ids came back."""

    def __init__(self, area_column: str):
        self.area_column = area_column
        self.columns: dict[str, list[Any]] = {
            k: [] for k in ("kpi", area_column, "period", GENDER, VALUE, STATUS, COUNT)
        }
        self.deleted = 0
        self.gone: dict[str, list[Any]] = {k: [] for k in self.columns}
        self.kpis: set[str] = set()
        self.areas: set[str] = set()
        self.years: set[str] = set()

    def add(self, page: dict, url: str) -> None:
        for row in page["values"]:
            try:
                kpi = str(row["kpi"])
                area = str(row[self.area_column])
                period = str(row["period"])
                values = row["values"]
            except (KeyError, TypeError):
                raise SourceError(
                    f"Kolada row without kpi/{self.area_column}/period/values in {url}: {row!r:.200}",
                    url=url,
                ) from None
            self.kpis.add(kpi)
            self.areas.add(area)
            self.years.add(period)
            row_deleted = _deleted(row)
            for v in values:
                cols = self.columns
                if row_deleted or _deleted(v):
                    self.deleted += 1
                    cols = self.gone
                cols["kpi"].append(kpi)
                cols[self.area_column].append(area)
                cols["period"].append(period)
                cols[GENDER].append(str(v.get("gender") or "T"))
                value = v.get("value")
                cols[VALUE].append(np.nan if value is None else float(value))
                cols[STATUS].append(v.get("status") or None)
                count = v.get("count")
                cols[COUNT].append(count if isinstance(count, int) and count >= 0 else None)

    def frame(self, *, deleted: bool = False) -> pd.DataFrame:
        columns = self.gone if deleted else self.columns
        frame = pd.DataFrame(columns)
        frame[VALUE] = frame[VALUE].astype(float)
        frame[STATUS] = pd.Series(columns[STATUS], dtype=object)  # None stays None
        return frame


def _deleted(item: dict) -> bool:
    """Kolada's deletion flag: `is_deleted` as the API documentation names it, `isdeleted` as
    the v3 answers have been seen to write it; either counts."""
    return bool(item.get("is_deleted") or item.get("isdeleted"))


def _segment(ids: Sequence[str]) -> str:
    return ",".join(quote(i, safe="") for i in ids)


def _missing_warning(kind: str, missing: list[str]) -> str:
    names = {"kpi": "KPI", "municipality": "municipality", "ou": "unit", "year": "year"}
    shown = ", ".join(missing[:10]) + (
        f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    )
    return (
        f"Inga värden för / no values for {names[kind]} {shown}: check the id "
        "(jamlik source kolada search), or Kolada has no data for that selection."
    )

"""PxWeb API v1 and v2 (SCB, Folkhälsomyndigheten, Gothenburg's and other statistics databases).

One class speaks both versions; the URL decides which: `…/v1/{lang}/{db}/{levels…}/{table}` is v1,
`…/v2[/tables/{id}]` is v2. Limits come from the server's own config (v1 `?config`, v2 `/config`),
queries are split to stay under its cell and value limits, and calls go one at a time within its
calls-per-time-window. A server that still answers "too many cells" gets the query in halves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import pandas as pd

from jamlik.errors import JamlikError, Problem, ValidationError
from jamlik.sources import jsonstat
from jamlik.sources.http import HttpClient, HttpStatusError, ProgressHook, SourceError
from jamlik.sources.pxselect import (
    Selection,
    TableMeta,
    Variable,
    cell_count,
    resolve_selection,
    split_codelists,
    split_selection,
)

SOURCE = "pxweb"
# Used when a server publishes no config: small enough for any PxWeb installation we know of.
FALLBACK_CELLS = 10_000
FALLBACK_CALLS = (10, 10.0)
MAX_REFUSALS = 8  # "too many cells" this many times in a row: the cause is something else
CONFIG_TTL = 24 * 3600.0  # limits rarely change: even a refresh reuses a day-old config


@dataclass(frozen=True)
class PxConfig:
    """A server's limits: cells (and values) per query, calls per time window in seconds."""

    max_cells: int
    max_values: int | None
    max_calls: int
    time_window: float


@dataclass(frozen=True)
class Node:
    """An entry of a v1 folder listing or a v2 table search: type 'l' folder, 't' table, 'h' heading."""

    id: str
    type: str
    text: str
    url: str | None = None
    updated: str | None = None


@dataclass
class Plan:
    """A resolved selection and the queries it is split into."""

    table: str | None
    meta: TableMeta
    selection: Selection
    queries: list[Selection]
    codelists: dict[str, str] = field(default_factory=dict)  # variable → v2 codelist id


@dataclass
class PxData:
    """A downloaded table: the long table (one column per variable, `value`, `status`), the
    metadata it was read with, the queries sent, and who to credit (`source`, `licence`)."""

    frame: pd.DataFrame
    meta: TableMeta
    selection: Selection
    queries: list[Selection] = field(default_factory=list)
    source: str = ""
    licence: str | None = None


class PxWeb:
    """Client for one PxWeb API, located by any URL inside it."""

    def __init__(self, http: HttpClient, url: str):
        self.http = http
        self.url = _encode_path(url.strip())
        parts = urlsplit(self.url)
        path = parts.path.rstrip("/")
        v2 = re.search(r"^(.*?/v2(?:beta)?)(?:/|$)", path)
        v1 = re.search(r"^(.*?/v1/[^/]+)(?:/|$)", path)
        if v2 and (not v1 or len(v2[1]) <= len(v1[1])):
            self.version = 2
            self.root = urlunsplit((parts.scheme, parts.netloc, v2[1], "", ""))
            rest = path[len(v2[1]) :].strip("/").split("/")
            self.table_id = rest[1] if len(rest) > 1 and rest[0] == "tables" else None
            self.lang = dict(_query_pairs(parts.query)).get("lang")
        elif v1:
            self.version = 1
            self.root = urlunsplit((parts.scheme, parts.netloc, v1[1], "", ""))
            self.table_id = None
            self.lang = v1[1].rsplit("/", 1)[1]
        else:
            raise JamlikError(
                f"{url} is not a PxWeb API URL: expected …/v1/{{lang}}/… (API v1) or …/v2… (API v2), "
                "e.g. https://api.scb.se/OV0104/v1/doris/sv/ssd or "
                "https://statistikdatabasen.scb.se/api/v2"
            )
        self._config: PxConfig | None = None
        self._licence: str | None = None
        # One throttle per server; careful until its config says how many calls it allows.
        self.source = f"{SOURCE}:{parts.netloc}"
        if not http.has_throttle(self.source):
            http.set_throttle(self.source, *FALLBACK_CALLS)

    # -- limits --------------------------------------------------------------------------------

    def config(self) -> PxConfig:
        """The server's limits, read once; the throttle is set from them."""
        if self._config is None:
            try:
                if self.version == 1:
                    raw = self.http.get_json(
                        self.root + "/?config", source=self.source, max_age=CONFIG_TTL
                    )
                else:
                    raw = self.http.get_json(
                        self.root + "/config", source=self.source, max_age=CONFIG_TTL
                    )
            except HttpStatusError as exc:
                if exc.status not in (400, 404):
                    raise
                raw = {}
            raw = raw if isinstance(raw, dict) else {}
            self._config = _read_config(raw)
            self._licence = raw.get("license") or None
            self.http.set_throttle(self.source, self._config.max_calls, self._config.time_window)
        return self._config

    # -- browsing ------------------------------------------------------------------------------

    def list(self, url: str | None = None) -> list[Node]:
        """Databases, folders and tables at a v1 URL (default: the URL the client was made with)."""
        if self.version != 1:
            raise JamlikError("PxWeb API v2 has no folders; search with --query instead.")
        self.config()
        here = _encode_path(url) if url else self.url
        body = self.http.get_json(here, source=self.source)
        if not isinstance(body, list):
            raise SourceError(
                f"{here} is a table, not a folder; use it with 'pxweb fetch'.", url=here
            )
        base = here.rstrip("/")
        return [
            Node(
                id=str(item.get("id") or item.get("dbid")),
                type=str(item.get("type", "l")),
                text=str(item.get("text", "")),
                url=f"{unquote(base)}/{item.get('id') or item.get('dbid')}",  # readable; encoded on use
                updated=item.get("updated"),
            )
            for item in body
        ]

    def search(self, query: str) -> list[Node]:
        """Tables whose text matches `query` (v2 `/tables?query=`, v1 `?query=` on a database)."""
        self.config()
        if self.version == 1:
            body = self.http.get_json(
                self.url, source=self.source, params={"query": query, "filter": "*"}
            )
            base = self.url.rstrip("/")
            return [
                Node(
                    id=str(item.get("id")),
                    type="t",
                    text=str(item.get("title", item.get("text", ""))),
                    url=f"{base}{item.get('path', '')}/{item.get('id')}",
                    updated=item.get("published") or item.get("updated"),
                )
                for item in body or []
            ]
        return list(self._v2_tables(query))

    def _v2_tables(self, query: str) -> Iterator[Node]:
        url: str | None = self.root + "/tables"
        params: dict[str, Any] | None = {"query": query, "pageSize": 100, "lang": self.lang}
        seen: set[str] = set()
        while url and url not in seen:
            seen.add(url)
            body = self.http.get_json(url, source=self.source, params=params)
            for t in body.get("tables", []):
                yield Node(
                    id=str(t["id"]),
                    type="t",
                    text=str(t.get("label", "")),
                    url=f"{self.root}/tables/{t['id']}",
                    updated=t.get("updated"),
                )
            links = (body.get("page") or {}).get("links") or body.get("links") or []
            url = next((lk.get("href") for lk in links if lk.get("rel") == "next"), None)
            params = None

    # -- tables --------------------------------------------------------------------------------

    def metadata(
        self, table: str | None = None, *, codelists: Mapping[str, str] | None = None
    ) -> TableMeta:
        """Title and variables of a table (v1: GET on the table; v2: JSON-stat metadata).

        `codelists` (v2 only) asks for some variables in another value set or aggregation
        (`agg_Ålder10år`, `vs_Ålder1årG`): those variables then hold the codelist's values.
        """
        self.config()
        if codelists:
            if self.version == 1:
                raise JamlikError(
                    "Codelists (codelist:) are a PxWeb API v2 feature; this is a v1 URL. Use the "
                    "table's v2 URL (…/v2/tables/{id}) / kodlistor finns bara i API v2."
                )
            plain = self.metadata(table)
            problems = []
            for var, cl in codelists.items():
                variable = plain.variable(var)
                offered = [str(c.get("id")) for c in variable.codelists] if variable else []
                if variable is not None and cl not in offered:
                    problems.append(
                        Problem(
                            "selection",
                            f"{var} has no codelist {cl!r}; it has "
                            f"{', '.join(offered) or 'none'} / kodlistan finns inte",
                            field=f"select.{var}.codelist",
                        )
                    )
            if problems:
                raise ValidationError(problems)
        if self.version == 1:
            url = self._v1_table(table)
            body = self.http.get_json(url, source=self.source)
            if not isinstance(body, dict) or "variables" not in body:
                raise SourceError(
                    f"{url} is not a table (no 'variables'); list it with 'pxweb tables'.", url=url
                )
            return TableMeta(
                title=str(body.get("title", "")),
                variables=[
                    Variable(
                        code=str(v["code"]),
                        text=str(v.get("text", v["code"])),
                        values=[str(x) for x in v.get("values", [])],
                        value_texts=[str(x) for x in v.get("valueTexts", v.get("values", []))],
                        elimination=bool(v.get("elimination", False)),
                        time=bool(v.get("time", False)),
                    )
                    for v in body["variables"]
                ],
            )
        url = f"{self.root}/tables/{self._v2_table(table)}/metadata"
        read: list[jsonstat.Dataset] = []
        params: dict[str, Any] = {"lang": self.lang}
        for var, cl in sorted((codelists or {}).items()):
            params[f"codelist[{var}]"] = cl
        self.http.get_json(
            url,
            source=self.source,
            params=params,
            check=lambda d: read.append(
                jsonstat.parse_jsonstat(d, source=url, require_values=False)
            ),
        )
        return table_meta(read[0], codelists)

    def updated(self, table: str | None = None) -> str | None:
        """When the table last changed, as the server states it (None when it does not say)."""
        self.config()
        if self.version == 2:
            body = self.http.get_json(
                f"{self.root}/tables/{self._v2_table(table)}", source=self.source, max_age=0
            )
            return body.get("updated") if isinstance(body, dict) else None
        url = self._v1_table(table).rstrip("/")
        parent, _, name = url.rpartition("/")
        listing = self.http.get_json(parent, source=self.source, max_age=0)
        for item in listing if isinstance(listing, list) else []:
            if quote(unquote(str(item.get("id"))), safe="") == name:
                return item.get("updated")
        return None

    def plan(
        self, select: Mapping[str, Any], table: str | None = None, *, source: str = "selection"
    ) -> Plan:
        """Resolve a selection against the table's metadata and split it into queries that fit
        the server's limits — without downloading any data."""
        cfg = self.config()
        plain, codelists = split_codelists(select, source=source)
        meta = self.metadata(table, codelists=codelists)
        selection = resolve_selection(meta, plain, source=source)
        queries = split_selection(selection, cfg.max_cells)
        return Plan(table, meta, selection, queries, codelists)

    def download(self, plan: Plan, *, progress: ProgressHook | None = None) -> PxData:
        """Run a plan's queries one at a time (within the server's call limit) and join them."""
        frames: list[pd.DataFrame] = []
        sent: list[Selection] = []
        source = ""
        pending = list(plan.queries)
        refused = 0  # refusals since the last answer
        if progress:
            progress(0, len(pending))
        while pending:
            query = pending.pop(0)
            try:
                frame, source = self._data(plan.table, query, plan.codelists)
            except HttpStatusError as exc:
                cells = cell_count(query)
                if not _too_large(exc) or cells <= 1 or refused >= MAX_REFUSALS:
                    raise
                # The server's real limit is lower than its config says: halve the limit and
                # split this and every waiting query to it, so each is refused at most once.
                refused += 1
                limit = max(1, cells // 2)
                pending = [q for big in [query, *pending] for q in split_selection(big, limit)]
            else:
                refused = 0
                frames.append(frame)
                sent.append(query)
            if progress:
                progress(len(sent), len(sent) + len(pending))
        order = [v.code for v in plan.meta.variables if v.code in plan.selection]
        columns = [*order, jsonstat.VALUE, jsonstat.STATUS]
        frame = (
            pd.concat(frames, ignore_index=True)[columns]
            if frames
            else pd.DataFrame(columns=columns)
        )
        return PxData(frame, plan.meta, plan.selection, sent, source=source, licence=self._licence)

    def fetch(
        self,
        select: Mapping[str, Any],
        table: str | None = None,
        *,
        source: str = "selection",
        progress: ProgressHook | None = None,
    ) -> PxData:
        """`plan` then `download`."""
        return self.download(self.plan(select, table, source=source), progress=progress)

    def _data(
        self, table: str | None, query: Selection, codelists: Mapping[str, str] | None = None
    ) -> tuple[pd.DataFrame, str]:
        if self.version == 1:
            url = self._v1_table(table)
            body = {
                "query": [
                    {"code": code, "selection": {"filter": "item", "values": values}}
                    for code, values in query.items()
                ],
                "response": {"format": "json-stat2"},
            }
            parsed: list[tuple[pd.DataFrame, str]] = []
            self.http.post_json(
                url,
                body,
                source=self.source,
                check=lambda d: parsed.append(self._read(d, url, query)),
            )
        else:
            url = f"{self.root}/tables/{self._v2_table(table)}/data"
            body = {
                "selection": [
                    {"variableCode": code, "valueCodes": values}
                    | ({"codelist": codelists[code]} if codelists and code in codelists else {})
                    for code, values in query.items()
                ]
            }
            parsed = []
            self.http.post_json(
                url,
                body,
                source=self.source,
                params={"outputFormat": "json-stat2", "lang": self.lang},
                check=lambda d: parsed.append(self._read(d, url, query)),
            )
        frame, source = parsed[0]
        missing = [code for code in query if code not in frame.columns]
        if missing:
            raise SourceError(f"{url} answered without the variables {missing}.", url=url)
        return frame, source

    def _read(self, doc: Any, url: str, query: Selection) -> tuple[pd.DataFrame, str]:
        """A data answer as a long table and its source; raising here keeps it out of the cache.

        JSON-stat 2.0 is what jamlik asks for; some v1 servers answer px-json or a JSON-stat 1.x
        bundle regardless, and both are read too."""
        if isinstance(doc, dict) and "columns" in doc and "data" in doc:
            return read_pxjson(doc, query, source=url)
        dataset = jsonstat.parse_jsonstat(doc, source=url)
        return dataset.frame(), dataset.source

    def _v1_table(self, table: str | None) -> str:
        return _encode_path(table) if table else self.url

    def _v2_table(self, table: str | None) -> str:
        table_id = table or self.table_id
        if not table_id:
            raise JamlikError(
                "Give a v2 table as …/v2/tables/{id} (find ids with 'jamlik source pxweb tables URL --query …')."
            )
        return quote(table_id, safe="")


_PX_MISSING = {"..", ".", "-", "...", "....", ".....", "......", ":", "x", ""}


def read_pxjson(
    doc: dict, query: Mapping[str, list[str]], *, source: str = "px-json"
) -> tuple[pd.DataFrame, str]:
    """PxWeb v1's own JSON (`{"columns", "data": [{"key", "values"}], "metadata"}`) as a long
    table like the JSON-stat reader's. Content columns (type "c") are the values of the one
    queried variable the keys do not hold (ContentsCode); PxWeb writes values as text and
    missing ones as symbols (".." not available), kept as the status."""
    columns = doc.get("columns")
    rows = doc.get("data")
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise ValidationError([Problem(source, "px-json needs 'columns' and 'data' lists")])
    keys = [str(c.get("code")) for c in columns if c.get("type") in ("d", "t")]
    contents = [str(c.get("code")) for c in columns if c.get("type") == "c"]
    content_var = [v for v in query if v not in keys]
    if len(content_var) > 1 or not contents:
        raise ValidationError(
            [Problem(source, f"px-json answer without the variables {content_var} (it has "
                     f"{', '.join(keys)}); ask for fewer variables / svaret saknar variabler")]
        )  # fmt: skip
    out: dict[str, list[Any]] = {k: [] for k in [*keys, *content_var, "value", "status"]}
    for n, row in enumerate(rows):
        key, values = row.get("key"), row.get("values")
        if not isinstance(key, list) or not isinstance(values, list) or len(key) != len(keys) \
                or len(values) != len(contents):  # fmt: skip
            raise ValidationError(
                [Problem(source, f"px-json row {n}: expected {len(keys)} keys and "
                         f"{len(contents)} values", field=f"data[{n}]")]
            )  # fmt: skip
        for content, raw in zip(contents, values, strict=True):
            for k, code in zip(keys, key, strict=True):
                out[k].append(str(code))
            if content_var:
                out[content_var[0]].append(content)
            text = str(raw).strip() if raw is not None else ""
            try:
                out["value"].append(float(text))
                out["status"].append(None)
            except ValueError:
                if text not in _PX_MISSING:
                    raise ValidationError(
                        [Problem(source, f"px-json row {n}: value {text!r} is not a number",
                                 field=f"data[{n}]")]
                    ) from None  # fmt: skip
                out["value"].append(float("nan"))
                out["status"].append(text or None)
    frame = pd.DataFrame({k: v for k, v in out.items() if k != "status"})
    frame["status"] = pd.Series(out["status"], dtype=object)
    meta = doc.get("metadata") or [{}]
    first = meta[0] if isinstance(meta, list) and meta and isinstance(meta[0], dict) else {}
    return frame, str(first.get("source") or "")


def table_meta(ds: jsonstat.Dataset, codelists: Mapping[str, str] | None = None) -> TableMeta:
    """A v2 table's metadata (JSON-stat) as variables, with codelists, units, hierarchies and
    the notes (mandatory ones flagged) that must travel with the values."""
    return TableMeta(
        title=ds.label,
        variables=[
            Variable(
                code=d.id,
                text=d.label,
                values=d.codes,
                value_texts=[d.labels.get(c, c) for c in d.codes],
                elimination=bool(d.extension.get("elimination", False)),
                time=d.role == "time",
                codelists=[c for c in d.extension.get("codelists") or [] if isinstance(c, dict)],
                codelist=(codelists or {}).get(d.id),
                role=d.role,
                units=d.units,
                children=d.children,
            )
            for d in (ds.dimensions[i] for i in ds.ids)
        ],
        updated=ds.updated,
        extra={"notes": [n.as_dict() for n in ds.all_notes()], "source": ds.source},
    )


def _read_config(raw: dict) -> PxConfig:
    def positive(*keys: str) -> float | None:
        for key in keys:
            value = raw.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                return value
        return None  # absent, or 0 (which some servers use for "not set")

    cells = positive("maxCells", "maxDataCells")
    values = positive("maxValues")
    # v1 servers state the cell limit as maxValues, some as maxCells too: obey the smaller.
    limits = [int(x) for x in (cells, values) if x is not None]
    calls = positive("maxCalls", "maxCallsPerTimeWindow")
    window = positive("timeWindow")
    if calls is None or window is None:
        calls, window = FALLBACK_CALLS
    return PxConfig(
        max_cells=min(limits) if limits else FALLBACK_CELLS,
        max_values=int(values) if values else None,
        max_calls=int(calls),
        time_window=float(window),
    )


def _too_large(exc: HttpStatusError) -> bool:
    text = exc.detail.lower()
    return exc.status == 403 or (
        exc.status in (400, 413)
        and any(w in text for w in ("cell", "too many", "för många", "value"))
    )


def _encode_path(url: str) -> str:
    """Percent-encode each path segment once (spaces, å/ä/ö), leaving already-encoded ones alone."""
    parts = urlsplit(url)
    path = "/".join(quote(unquote(seg), safe="") for seg in parts.path.split("/"))
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return [tuple(p.split("=", 1)) for p in query.split("&") if "=" in p]  # type: ignore[misc]

"""Fake Kolada v3 and PxWeb v1/v2 servers that answer in the documented shapes (see
../shared/specs/sources.md). They implement the APIs' rules (25 ids per path segment, paging with
next_url, from_date, cell limits, JSON-stat row-major values) so the connectors are tested against
behaviour, not against canned URLs. Imported by name (unique module name)."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sources_server import LocalServer, Reply, Seen

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(*parts: str) -> Any:
    return json.loads((FIXTURES.joinpath(*parts)).read_text(encoding="utf-8"))


def cell_value(*codes: str) -> float:
    """The value the fakes serve for a cell: a fixed function of its codes (0.0–99.9)."""
    digest = hashlib.sha256("|".join(codes).encode()).hexdigest()
    return int(digest[:6], 16) % 1000 / 10


# -- Kolada ------------------------------------------------------------------------------------


def kolada_row(
    kpi: str,
    area: str,
    year: int,
    *,
    changed: str = "2024-01-01",
    area_key: str = "municipality",
    deleted: tuple[str, ...] = (),
    missing: tuple[str, ...] = (),
    deleted_key: str = "isdeleted",
    count: int = 1,
) -> dict:
    """One data row in Kolada's shape with values T, K, M from `cell_value`."""
    return {
        "kpi": kpi,
        area_key: area,
        "period": year,
        "values": [
            {
                "gender": g,
                "count": count,
                "status": "" if g not in missing else "Saknas",
                "value": None if g in missing else cell_value(kpi, area, str(year), g),
                deleted_key: g in deleted,
            }
            for g in ("T", "K", "M")
        ],
        "_changed": changed,
    }


class FakeKolada:
    """A Kolada v3 API: metadata lists, data and unit data, 25-id segments, paging, from_date."""

    MAX_IDS = 25

    def __init__(
        self,
        rows: list[dict] | None = None,
        *,
        max_per_page: int = 5000,
        next_key: str = "next_url",
    ):
        self.kpis = fixture("kolada", "kpi.json")
        self.municipalities = fixture("kolada", "municipality.json")
        self.groups = fixture("kolada", "municipality_groups.json")
        self.units = [
            {"id": "V15E148000101", "title": "Testskolan 1", "municipality": "1480"},
            {"id": "V15E148000202", "title": "Testskolan 2", "municipality": "1480"},
        ]
        self.rows = rows or []
        self.max_per_page = max_per_page
        self.next_key = next_key

    def __call__(self, seen: Seen, server: LocalServer) -> Reply:
        parts = [p for p in seen.path.split("/") if p]
        if parts[:1] != ["v3"]:
            return Reply(404, "<html><body><h1>404 Not Found</h1></body></html>")
        route = parts[1:]
        kind = route[0] if route else ""
        if kind in ("data", "oudata"):
            segments = dict(zip(route[1::2], route[2::2], strict=False))
            return self._data(seen, server, kind, segments)
        lists = {"kpi": self.kpis, "municipality": self.municipalities, "ou": self.units,
                 "kpi_groups": [], "municipality_groups": self.groups}  # fmt: skip
        if kind not in lists:
            return Reply(404, {"error": f"unknown route {seen.path}"})
        items = lists[kind]
        if len(route) > 1:
            ids = route[1].split(",")
            if len(ids) > self.MAX_IDS:
                return Reply(400, {"error": "too many ids in one segment"})
            items = [i for i in items if i["id"] in ids]
        if title := seen.param("title"):
            items = [i for i in items if title.lower() in i["title"].lower()]
        if rt := seen.param("region_type"):
            items = [i for i in items if i.get("type") == rt]
        if muni := seen.param("municipality"):
            items = [i for i in items if i.get("municipality") == muni]
        return self._page(seen, server, items)

    def _data(self, seen: Seen, server: LocalServer, kind: str, segments: dict[str, str]) -> Reply:
        area_key = "ou" if kind == "oudata" else "municipality"
        wanted: dict[str, set[str]] = {}
        for key, text in segments.items():
            ids = text.split(",")
            if len(ids) > self.MAX_IDS:
                return Reply(400, {"error": f"at most {self.MAX_IDS} items per segment"})
            wanted[key] = set(ids)
        if len(wanted) < 2:
            return Reply(400, {"error": "give at least two of kpi, municipality, year"})
        since = seen.param("from_date")
        found = []
        for key in self._keys(area_key, wanted):
            row = self._index.get(key)
            if row is not None and (since is None or row["_changed"] >= since):
                found.append({k: v for k, v in row.items() if not k.startswith("_")})
        return self._page(seen, server, found)

    def _keys(self, area_key: str, wanted: dict[str, set[str]]):
        """Row keys (kpi, area, year) matching the request, in the server's stable order."""
        if not hasattr(self, "_index"):
            self._index = {}
            for row in self.rows:
                area = row.get("municipality", row.get("ou"))
                self._index[(row["kpi"], area, str(row["period"]))] = row
            self._order = list(self._index)
        axes = {"kpi": 0, area_key: 1, "year": 2}
        if len(wanted) == 3:
            found = itertools.product(*(sorted(wanted[k]) for k in ("kpi", area_key, "year")))
            return [k for k in found if k in self._index]
        return [k for k in self._order if all(k[axes[n]] in ids for n, ids in wanted.items())]

    def _page(self, seen: Seen, server: LocalServer, items: list[dict]) -> Reply:
        per_page = min(int(seen.param("per_page") or 5000), self.max_per_page)
        page = int(seen.param("page") or 1)
        chunk = items[(page - 1) * per_page : page * per_page]
        more = page * per_page < len(items)
        params = {k: v[0] for k, v in seen.query.items()}
        params["page"] = str(page + 1)
        next_url = f"{server.url}{seen.raw_path}?{urlencode(params)}" if more else None
        prev = None
        return Reply(
            200,
            {"count": len(items), "values": chunk, self.next_key: next_url, "previous_url": prev},
        )


# -- PxWeb -------------------------------------------------------------------------------------


def jsonstat_response(variables: list[dict], query: dict[str, list[str]], order: list[str],
                      *, label: str = "", source: str = "Testmyndigheten",
                      missing: set[tuple[str, ...]] = frozenset()) -> dict:  # fmt: skip
    """A JSON-stat 2.0 dataset for the selected codes, dimensions in `order`.

    The category index is a dict written in reverse key order (positions still ascending), so a
    reader that trusts key order gets every value wrong. Cells whose (Region, Tid) codes are in
    `missing` are null with status "..".
    """
    by_code = {v["code"]: v for v in variables}
    dims = {}
    for code in order:
        values = query[code]
        texts = dict(zip(by_code[code]["values"], by_code[code]["valueTexts"], strict=True))
        index = {c: i for i, c in reversed(list(enumerate(values)))}
        dims[code] = {"label": by_code[code]["text"],
                      "category": {"index": index, "label": {c: texts[c] for c in values}}}  # fmt: skip
    values: list[float | None] = []
    status: dict[str, str] = {}
    for pos, combo in enumerate(itertools.product(*(query[c] for c in order))):
        cell = dict(zip(order, combo, strict=True))
        key = tuple(cell[c] for c in sorted(cell))
        if (cell.get("Region"), cell.get("Tid")) in missing:
            values.append(None)
            status[str(pos)] = ".."
        else:
            values.append(cell_value(*key))
    doc = {
        "class": "dataset", "version": "2.0", "label": label, "source": source,
        "id": order, "size": [len(query[c]) for c in order], "dimension": dims, "value": values,
        "role": {"time": [c for c in order if by_code[c].get("time")]},
    }  # fmt: skip
    if status:
        doc["status"] = status
    return doc


def expected_value(cell: dict[str, str]) -> float:
    """What the PxWeb fakes serve for a cell given as {variable: code}."""
    return cell_value(*(cell[c] for c in sorted(cell)))


class FakePxWebV1:
    """A PxWeb API v1 at /api/v1/sv/: folders, one table, ?config, POST queries with a cell limit.

    `real_max_cells` (default: the config's) is what the server enforces; set it lower than the
    config to make a server that rejects queries its own config allowed.
    """

    ROOT = "/api/v1/sv"

    def __init__(self, config: dict | None = None, *, real_max_cells: int | None = None,
                 order: list[str] | None = None, missing: set[tuple[str, ...]] = frozenset(),
                 updated: str = "2025-02-20T08:00:00", answers: str = "json-stat2"):  # fmt: skip
        self.answers = answers  # what the server answers whatever it is asked: as old servers do
        self.config = config or fixture("pxweb", "v1_config.json")
        self.table = fixture("pxweb", "v1_table.json")
        configured = self.config.get("maxValues") or self.config.get("maxCells")
        self.real_max_cells = configured if real_max_cells is None else real_max_cells
        self.order = order
        self.missing = missing
        self.updated = updated
        self.table_path = f"{self.ROOT}/testdb/BE/Befolkning i område/FolkmängdOmråde"

    def __call__(self, seen: Seen, server: LocalServer) -> Reply:
        path = seen.path.rstrip("/")
        if path == self.ROOT and "config" in seen.query:
            return Reply(200, self.config)
        if path == self.ROOT:
            return Reply(200, [{"dbid": "testdb", "text": "Testdatabas"}])
        if path == f"{self.ROOT}/testdb":
            if "query" in seen.query:
                return Reply(200, [{"id": "FolkmängdOmråde", "path": "/BE/Befolkning i område",
                                    "title": self.table["title"], "score": 1.0, "published": self.updated}])  # fmt: skip
            return Reply(200, [{"id": "BE", "type": "l", "text": "Befolkning"}])
        if path == f"{self.ROOT}/testdb/BE":
            return Reply(
                200, [{"id": "Befolkning i område", "type": "l", "text": "Befolkning i område"}]
            )
        if path == f"{self.ROOT}/testdb/BE/Befolkning i område":
            return Reply(200, [
                {"id": "Rubrik", "type": "h", "text": "Tabeller"},
                {"id": "FolkmängdOmråde", "type": "t", "text": self.table["title"], "updated": self.updated},
            ])  # fmt: skip
        if path == self.table_path and seen.method == "GET":
            return Reply(200, self.table)
        if path == self.table_path and seen.method == "POST":
            return self._data(seen.body)
        return Reply(404, "<html><body>Sidan finns inte</body></html>")

    def _data(self, body: dict) -> Reply:
        variables = self.table["variables"]
        query = {q["code"]: q["selection"]["values"] for q in body["query"]}
        for q in body["query"]:
            if q["selection"]["filter"] != "item":
                return Reply(400, {"error": "the fake only knows filter 'item'"})
        for v in variables:
            if v["code"] not in query and not v.get("elimination"):
                return Reply(400, {"error": f"{v['code']} must be selected"})
            if any(c not in v["values"] for c in query.get(v["code"], [])):
                return Reply(400, {"error": f"unknown value of {v['code']}"})
        cells = math.prod(len(x) for x in query.values())
        if cells > self.real_max_cells:
            return Reply(403, "Too many values in your selection")
        order = [c for c in (self.order or [v["code"] for v in variables]) if c in query]
        if body.get("response", {}).get("format") != "json-stat2":
            return Reply(400, {"error": "format must be json-stat2"})
        doc = jsonstat_response(variables, query, order, label=self.table["title"],
                                missing=self.missing)  # fmt: skip
        if self.answers == "px-json":
            return Reply(200, as_pxjson(doc, variables))
        if self.answers == "json-stat":
            return Reply(200, as_jsonstat1(doc))
        return Reply(200, doc)


class FakePxWebV2:
    """A PxWeb API v2 at /api/v2: /config, /tables (search, paged), metadata, data."""

    ROOT = "/api/v2"

    def __init__(self, *, updated: str = "2025-02-20T08:00:00Z", page_size: int = 1,
                 config: dict | None = None, real_max_cells: int | None = None,
                 metadata: dict | None = None):  # fmt: skip
        self.config = config or fixture("pxweb", "v2_config.json")
        self.real_max_cells = real_max_cells or self.config["maxDataCells"]
        self.metadata = metadata or fixture("pxweb", "v2_metadata.json")
        self.codelists = fixture("pxweb", "v2_codelists.json")
        self.updated = updated
        self.page_size = page_size
        self.tables = [
            {
                "type": "Table",
                "id": "TAB001",
                "label": "Folkmängd efter område och kön",
                "updated": updated,
            },
            {"type": "Table", "id": "TAB002", "label": "Folkmängd efter ålder", "updated": updated},
        ]

    def with_codelists(self, codelists: dict[str, str]) -> dict:
        """The metadata as the server answers `codelist[Var]=id`: that variable's categories are
        the codelist's values (a codelist the variable does not offer is the caller's error)."""
        meta = json.loads(json.dumps(self.metadata))
        for var, cl_id in codelists.items():
            dim = meta["dimension"][var]
            offered = [c["id"] for c in dim.get("extension", {}).get("codelists", [])]
            if cl_id not in offered:
                raise KeyError(cl_id)
            values = self.codelists[cl_id]["values"]
            dim["category"] = {"index": {v["code"]: i for i, v in enumerate(values)},
                               "label": {v["code"]: v["label"] for v in values}}  # fmt: skip
            meta["size"][meta["id"].index(var)] = len(values)
        return meta

    def variables(self, codelists: dict[str, str] | None = None) -> list[dict]:
        meta = self.with_codelists(codelists or {})
        out = []
        for code in meta["id"]:
            dim = meta["dimension"][code]
            index = dim["category"]["index"]
            codes = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
            out.append({"code": code, "text": dim["label"], "values": codes,
                        "valueTexts": [dim["category"].get("label", {}).get(c, c) for c in codes],
                        "elimination": dim.get("extension", {}).get("elimination", False),
                        "time": code in meta.get("role", {}).get("time", [])})  # fmt: skip
        return out

    def __call__(self, seen: Seen, server: LocalServer) -> Reply:
        path = seen.path.rstrip("/")
        if path == f"{self.ROOT}/config":
            return Reply(200, self.config)
        if path == f"{self.ROOT}/tables":
            text = (seen.param("query") or "").lower()
            hits = [t for t in self.tables if text in t["label"].lower()]
            page = int(seen.param("pageNumber") or 1)
            chunk = hits[(page - 1) * self.page_size : page * self.page_size]
            links = []
            if page * self.page_size < len(hits):
                links.append({"rel": "next", "href": f"{server.url}{self.ROOT}/tables?"
                              + urlencode({"query": text, "pageNumber": page + 1})})  # fmt: skip
            return Reply(200, {"language": "sv", "tables": chunk,
                               "page": {"pageNumber": page, "pageSize": self.page_size,
                                        "totalElements": len(hits), "links": links}})  # fmt: skip
        if path == f"{self.ROOT}/tables/TAB001":
            return Reply(200, {**self.tables[0]})
        if path == f"{self.ROOT}/tables/TAB001/metadata":
            chosen = {k[len("codelist[") : -1]: v[0] for k, v in seen.query.items()
                      if k.startswith("codelist[")}  # fmt: skip
            try:
                meta = self.with_codelists(chosen)
            except KeyError as exc:
                return Reply(400, {"type": "about:blank", "title": "Bad Request",
                                   "detail": f"Non-existent codelist {exc}"},
                             content_type="application/problem+json")  # fmt: skip
            return Reply(200, {**meta, "updated": self.updated})
        if path == f"{self.ROOT}/tables/TAB001/data" and seen.method == "POST":
            if seen.param("outputFormat") != "json-stat2":
                return Reply(400, {"type": "about:blank", "title": "Bad request", "detail": "outputFormat"},
                             content_type="application/problem+json")  # fmt: skip
            query = {s["variableCode"]: s["valueCodes"] for s in seen.body["selection"]}
            chosen = {s["variableCode"]: s["codelist"] for s in seen.body["selection"]
                      if s.get("codelist")}  # fmt: skip
            try:
                variables = self.variables(chosen)
            except KeyError as exc:
                return Reply(400, {"type": "about:blank", "title": "Bad Request",
                                   "detail": f"Non-existent codelist {exc}"},
                             content_type="application/problem+json")  # fmt: skip
            for v in variables:
                if v["code"] not in query and not v["elimination"]:
                    return Reply(400, {"type": "about:blank", "title": "Bad Request",
                                       "detail": f"Mandatory variable {v['code']} missing"},
                                 content_type="application/problem+json")  # fmt: skip
                unknown = [c for c in query.get(v["code"], []) if c not in v["values"]]
                if unknown:
                    return Reply(400, {"type": "about:blank", "title": "Bad Request",
                                       "detail": f"Non-existent value {unknown[0]} in {v['code']}"},
                                 content_type="application/problem+json")  # fmt: skip
            cells = math.prod(len(v) for v in query.values())
            if cells > self.real_max_cells:
                return Reply(403, {"type": "about:blank", "title": "Too many cells selected", "status": 403},
                             content_type="application/problem+json")  # fmt: skip
            order = [v["code"] for v in variables if v["code"] in query]
            return Reply(200, jsonstat_response(variables, query, list(reversed(order))))
        return Reply(404, {"type": "about:blank", "title": "Not Found", "status": 404},
                     content_type="application/problem+json")  # fmt: skip


def as_jsonstat1(doc: dict) -> dict:
    """The same dataset as a JSON-stat 1.x bundle (what PxWeb v1 writes for format "json-stat"):
    `id`, `size` and `role` move into `dimension`, and the dataset sits under a key."""
    dims = dict(doc["dimension"])
    dims.update(id=doc["id"], size=doc["size"], role=doc.get("role", {}))
    body = {k: v for k, v in doc.items() if k not in ("id", "size", "role", "dimension", "class",
                                                      "version")}  # fmt: skip
    return {"dataset": {**body, "dimension": dims}}


def as_pxjson(doc: dict, variables: list[dict]) -> dict:
    """The same dataset as PxWeb v1's px-json: keys for the dimensions ("d", time "t"), one
    value column per ContentsCode value ("c"); values as text, missing ones as ".."."""
    ids = doc["id"]
    codes = {}
    for d in ids:
        index = doc["dimension"][d]["category"]["index"]
        codes[d] = sorted(index, key=index.get)
    texts = {v["code"]: v for v in variables}
    content = "ContentsCode" if "ContentsCode" in ids else None
    keys = [d for d in ids if d != content]
    status = doc.get("status") or {}
    cells = {}
    for pos, combo in enumerate(itertools.product(*(codes[d] for d in ids))):
        value = doc["value"][pos]
        cells[combo] = status.get(str(pos), "..") if value is None else f"{value:g}"
    columns = [{"code": d, "text": texts[d]["text"], "type": "t" if texts[d].get("time") else "d"}
               for d in keys]  # fmt: skip
    contents = codes[content] if content else ["value"]
    columns += [{"code": c, "text": texts.get("ContentsCode", {}).get("valueTexts", [c])[0],
                 "type": "c"} for c in contents]  # fmt: skip
    data = []
    for key in itertools.product(*(codes[d] for d in keys)):
        row = dict(zip(keys, key, strict=True))
        values = []
        for c in contents:
            if content:
                row[content] = c
            values.append(cells[tuple(row[d] for d in ids)])
        data.append({"key": list(key), "values": values})
    return {"columns": columns, "comments": [], "data": data,
            "metadata": [{"infofile": "BE0101", "updated": "2025-02-20T08:00:00",
                          "label": doc["label"], "source": doc["source"]}]}  # fmt: skip

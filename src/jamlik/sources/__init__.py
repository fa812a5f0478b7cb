"""Data from where it lives: Kolada, PxWeb (v1 and v2) and JSON-stat, through one HTTP client.

`HttpClient` (throttle, retries, cache, offline mode) is shared by every connector: `Kolada`,
`PxWeb`, and the JSON-stat reader they rely on. `apply_mapping` turns a source's codes into
jamlik's; `run_query` does a whole fetch (download → map → define what is new → import with
provenance), and saved queries in the workspace let `jamlik refresh` repeat it.
"""

from jamlik.sources.http import (
    HttpClient,
    HttpSettings,
    HttpStatusError,
    OfflineError,
    SourceError,
    Throttle,
    cache_dir_for,
)
from jamlik.sources.jsonstat import Dataset, parse_jsonstat, read_jsonstat
from jamlik.sources.kolada import Kolada, KoladaData, kolada_url, parse_years
from jamlik.sources.mapping import SourceMapping, apply_mapping, kolada_mapping
from jamlik.sources.pxselect import resolve_selection, split_selection
from jamlik.sources.pxweb import PxConfig, PxData, PxWeb
from jamlik.sources.runner import RunResult, run_query
from jamlik.sources.saved import SavedQuery, load_query, save_query, saved_queries

__all__ = [
    "Dataset",
    "HttpClient",
    "HttpSettings",
    "HttpStatusError",
    "Kolada",
    "KoladaData",
    "OfflineError",
    "PxConfig",
    "PxData",
    "PxWeb",
    "RunResult",
    "SavedQuery",
    "SourceError",
    "SourceMapping",
    "Throttle",
    "apply_mapping",
    "cache_dir_for",
    "kolada_mapping",
    "kolada_url",
    "load_query",
    "parse_jsonstat",
    "parse_years",
    "read_jsonstat",
    "resolve_selection",
    "run_query",
    "save_query",
    "saved_queries",
    "split_selection",
]

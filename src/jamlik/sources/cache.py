"""The on-disk cache of source answers, kept in the workspace (`<workspace>/cache/http/`).

One JSON file per request, named by a hash of method, full URL and body. Entries are written to a
temporary file and renamed, so an interrupted download never leaves a half-written answer that a
later offline run would trust.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CachedAnswer:
    fetched: float  # seconds since the epoch
    status: int
    content_type: str
    text: str


class ResponseCache:
    """Answers to GET and POST requests, by method, URL and body."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, method: str, url: str, body: str | None) -> Path:
        key = hashlib.sha256(f"{method}\n{url}\n{body or ''}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def read(self, method: str, url: str, body: str | None) -> CachedAnswer | None:
        path = self._path(method, url, body)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return CachedAnswer(
                float(entry["fetched"]), int(entry["status"]), entry["content_type"], entry["text"]
            )
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, OSError):
            return None  # a damaged entry is only a miss; the next answer replaces it

    def remove(self, method: str, url: str, body: str | None) -> None:
        self._path(method, url, body).unlink(missing_ok=True)

    def write(
        self, method: str, url: str, body: str | None, status: int, content_type: str, text: str
    ) -> None:
        path = self._path(method, url, body)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"method": method, "url": url, "body": body, "fetched": time.time(),
                 "status": status, "content_type": content_type, "text": text}  # fmt: skip
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


def cache_dir_for(workspace_path: Path) -> Path:
    """Where a workspace keeps cached source answers."""
    return workspace_path / "cache" / "http"

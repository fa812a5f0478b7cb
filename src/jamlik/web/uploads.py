"""Uploaded files waiting between their preview and the import the analyst confirms.

Each upload is a folder `<workspace>/uploads/<token>/` (readable by the server's user only)
holding the file under its own (cleaned) name, so its import record names it as `jamlik import`
would, and `.upload.json` (who uploaded it, when). The token is random and long, so it cannot
be guessed; it is also bound to the account that uploaded the file. Folders are removed after their import, or after `MAX_AGE` when never confirmed.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from jamlik.workspace import Workspace

FOLDER = "uploads"
MAX_AGE = 24 * 3600.0  # seconds an unconfirmed upload is kept
MAX_BYTES = 50 * 1024 * 1024  # the default size limit; the app may set `state.upload_limit`
# The longest a preview may read and check a file (the app may set `state.upload_check_seconds`):
# past it the upload is refused and removed, and the server answers others all along.
CHECK_SECONDS = 120.0
SUFFIXES = (".csv", ".xlsx")
META = ".upload.json"  # a dot: cleaned file names never start with one
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class TooLarge(Exception):
    """The upload is larger than the limit (nothing is kept)."""


@dataclass(frozen=True)
class Upload:
    """One kept upload: `path` is the file, `name` its original (cleaned) file name."""

    token: str
    path: Path
    name: str
    user: str
    created: float

    @property
    def folder(self) -> Path:
        return self.path.parent


def clean_name(filename: str) -> str:
    """A file name safe to keep and to show: the last path part, without control characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:200] or "upload"


def root(workspace: Workspace) -> Path:
    return workspace.path / FOLDER


def expire(workspace: Workspace, *, now: float | None = None) -> int:
    """Remove uploads older than `MAX_AGE`; returns how many were removed."""
    folder = root(workspace)
    if not folder.is_dir():
        return 0
    cutoff = (now or time.time()) - MAX_AGE
    removed = 0
    for sub in folder.iterdir():
        if sub.is_dir() and sub.stat().st_mtime < cutoff:
            shutil.rmtree(sub, ignore_errors=True)
            removed += 1
    return removed


async def keep(
    workspace: Workspace, chunks: AsyncIterator[bytes], name: str, user: str, limit: int
) -> Upload:
    """Write an uploaded file to a new private folder, refusing it (`TooLarge`) past `limit`."""
    token = secrets.token_urlsafe(32)
    folder = root(workspace) / token
    folder.mkdir(parents=True, mode=0o700)
    root(workspace).chmod(0o700)
    path = folder / name
    size = 0
    try:
        with path.open("wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge(size)
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    created = time.time()
    meta = {"name": name, "user": user, "created": created, "size": size}
    (folder / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return Upload(token, path, name, user, created)


def find(workspace: Workspace, token: str, user: str, *, now: float | None = None) -> Upload | None:
    """The upload `token` of `user`, or None when it does not exist, has expired, or is
    someone else's."""
    if not _TOKEN.match(token):
        return None
    folder = root(workspace) / token
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None
    if meta.get("user") != user or (now or time.time()) - float(meta["created"]) > MAX_AGE:
        return None
    path = folder / clean_name(str(meta.get("name", "")))
    if not path.is_file():
        return None
    return Upload(token, path, path.name, user, float(meta["created"]))


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)

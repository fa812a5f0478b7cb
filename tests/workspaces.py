"""Workspaces for tests, made quickly: `empty_workspace(folder)` is a workspace whose database
is a copy of one migrated once per test process (running every migration takes about a second;
copying the result takes milliseconds). The schema is the real one, at the newest revision, so
`Workspace.init()` finds nothing to do.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from jamlik.workspace import DB_FILE, Workspace

_LOCK = threading.Lock()
_TEMPLATE: list[Workspace] = []


def _template() -> Workspace:
    with _LOCK:
        if not _TEMPLATE:
            folder = Path(tempfile.mkdtemp(prefix="jamlik-empty-"))
            ws = Workspace(folder, f"sqlite:///{folder / DB_FILE}")
            ws.init()
            _TEMPLATE.append(ws)
        return _TEMPLATE[0]


def empty_workspace(folder: Path) -> Workspace:
    """A new SQLite workspace in `folder` (made if missing) with the schema and no data."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(folder / DB_FILE, os.O_CREAT | os.O_WRONLY, 0o600))  # private, as jamlik's
    _template().copy_database(folder / DB_FILE)
    return Workspace(folder, f"sqlite:///{folder / DB_FILE}")


def seeded_template(root: Path, seed: Callable[[Workspace], object]) -> Path:
    """A migrated database in `root` that `seed` has filled once; its file, to copy per test."""
    ws = empty_workspace(root)
    seed(ws)
    ws.engine().dispose()
    return root / DB_FILE


def copy_of(template_db: Path, folder: Path) -> Workspace:
    """A workspace in `folder` whose database is a copy of `template_db` (seeded_template)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template_db, folder / DB_FILE)
    return Workspace(folder, f"sqlite:///{folder / DB_FILE}")

"""Interactive prompts of the CLI, answered through a real pseudo-terminal (as a person would)."""

from __future__ import annotations

import os
import pty
import select
import sys
from pathlib import Path

import pytest

from jamlik.workspace import Workspace

JAMLIK = Path(sys.executable).with_name("jamlik")
PASSWORD = "korrekt-häst-batteri"


def _converse(
    argv: list[str], env: dict[str, str], script: list[tuple[str, str | None]]
) -> tuple[str, int]:
    """Run a command on a pseudo-terminal and wait for each text in turn, typing its answer
    (None: nothing to type); returns everything the terminal showed and the exit code.

    A hidden prompt is answered after its trailing space: click writes the words, then getpass
    turns echo off, flushes what was typed so far and writes the space.
    """
    pid, fd = pty.fork()
    if pid == 0:  # the child: a new session whose controlling terminal is the pty
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    seen = b""
    cursor = 0  # where to look for the next expected text

    def read_until(text: str | None) -> None:
        nonlocal seen, cursor
        while text is None or seen.find(text.encode(), cursor) < 0:
            ready, _, _ = select.select([fd], [], [], 15)
            if not ready:
                raise AssertionError(f"waited for {text!r}; the terminal showed {seen.decode()!r}")
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            if not chunk:
                if text is None:
                    return
                raise AssertionError(f"ended before {text!r}: {seen.decode()!r}")
            seen += chunk
        cursor = seen.find(text.encode(), cursor) + len(text.encode())

    for text, answer in script:
        read_until(text)
        if answer is not None:
            os.write(fd, answer.encode() + b"\n")
    read_until(None)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return seen.decode(), os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(not JAMLIK.exists(), reason="needs the installed `jamlik` script")
def test_user_add_asks_for_the_password_in_swedish_first(tmp_path, monkeypatch):
    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    ws = Workspace(tmp_path / "ws", f"sqlite:///{tmp_path / 'ws' / 'jamlik.sqlite'}")
    ws.init()
    ws.engine().dispose()
    argv = [str(JAMLIK), "user", "add", "eva", "--role", "reader", "--workspace", str(ws.path)]
    env = {**os.environ, "COLUMNS": "200"}
    output, code = _converse(
        argv,
        env,
        [
            ("Lösenord / password: ", PASSWORD),
            ("Upprepa / repeat: ", PASSWORD + "!"),  # a slip: asked again
            ("försök igen / try again", None),
            ("Lösenord / password: ", PASSWORD),
            ("Upprepa / repeat: ", PASSWORD),
        ],
    )
    assert code == 0, output
    assert "Repeat for confirmation" not in output
    assert "Konto skapat / account created: eva, reader" in output
    from jamlik.accounts import authenticate

    with ws.session() as s:
        assert authenticate(s, "eva", PASSWORD).name == "eva"

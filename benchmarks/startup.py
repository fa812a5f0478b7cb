"""Start-up of the `jamlik` command against `python -c "import typer"` (issue 19's target:
`jamlik --help` and `jamlik --version` under 0.3 s on a 2-core machine)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

JAMLIK = Path(sys.executable).with_name("jamlik")


def _best(command: list[str], runs: int = 7) -> float:
    """The fastest of `runs` wall-clock times: start-up varies with the disk cache, not the code."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def bench_startup() -> dict[str, object]:
    typer = _best([sys.executable, "-c", "import typer"])
    help_ = _best([str(JAMLIK), "--help"])
    version = _best([str(JAMLIK), "--version"])
    return {
        "python -c 'import typer' (s)": typer,
        "jamlik --help (s), target < 0.3": help_,
        "jamlik --version (s), target < 0.3": version,
        "--help / import typer": f"{help_ / typer:.1f} ×",
        "--version / import typer": f"{version / typer:.1f} ×",
    }

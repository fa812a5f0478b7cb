"""How fast the web application answers: p95 latency of the start, target-area and explorer
pages at 20 concurrent clients on loopback (issue 6; target: under 200 ms).

The demo workspace is built in a temporary folder and served by a real uvicorn server in its
own process on a free port of 127.0.0.1, so the clients (asyncio + httpx in this process) do not
share an interpreter with the server. Before measuring, every page is fetched once: that first
fetch builds the follow-up and draws the charts (reported as the cold time); the measurement is
of the steady state readers meet. Loops are bounded in count and time and the server is stopped
at the end, whatever happens.

Run alone: `.venv/bin/python benchmarks/web.py`; `benchmarks/run.py` calls `bench_web()`.
"""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLIENTS = 20
REQUESTS_PER_CLIENT = 15  # 300 requests per page
TIME_LIMIT = 60.0  # seconds per page at most
TARGET_MS = 200.0
PAGES = {
    "start": ["/"],
    "target_area": [
        "/programme/ex-ta1",
        "/programme/ex-ta2",
        "/programme/ex-ta3",
        "/programme/ex-ta4",
    ],
    "explorer": [
        "/explorer",
        "/explorer?indicator=ex-trangboddhet&dimension=district",
        "/explorer?indicator=ex-behorighet-gymnasiet&dimension=parental_education&period=2020",
        "/explorer?indicator=ex-valdeltagande&dimension=country_of_birth&measure=R",
    ],
}
# A reader trying choices: every request a choice no one asked for before (indicator ×
# dimension × period), after one visit per indicator. Measures what a new choice costs.
NEW_CHOICES = "explorer_new_choices"
_NEW_INDICATORS = [
    "ex-behorighet-gymnasiet", "ex-forskola-1-5", "ex-kulturskola", "ex-lag-ek-standard-barn",
    "ex-problematisk-franvaro", "ex-trangboddhet", "ex-unga-utanfor-16-20",
]  # fmt: skip
_NEW_DIMENSIONS = ["sex", "country_of_birth", "parental_education", "education", "district"]
NEW_CHOICE_WARMUP = [f"/explorer?indicator={i}" for i in _NEW_INDICATORS]
NEW_CHOICE_PATHS = [
    f"/explorer?indicator={i}&dimension={d}&period={y}"
    for y in range(2012, 2026)
    for i in _NEW_INDICATORS
    for d in _NEW_DIMENSIONS
]

SERVER = """
import sys, uvicorn
from pathlib import Path
from jamlik.web import create_app
from jamlik.workspace import Workspace
ws = Workspace(Path(sys.argv[1]), f"sqlite:///{sys.argv[1]}/jamlik.sqlite")
uvicorn.run(create_app(ws), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url + "/", timeout=120)
            if response.status_code == 200:
                return
            raise RuntimeError(
                f"the web server answered {response.status_code}: {response.text[:500]}"
            )
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"the web server at {url} did not answer in time")


async def _client(
    http: httpx.AsyncClient, paths: list[str], offset: int, stop: float
) -> list[float]:
    times = []
    for i in range(REQUESTS_PER_CLIENT):
        if time.monotonic() > stop:
            break
        path = paths[(offset + i) % len(paths)]
        started = time.perf_counter()
        response = await http.get(path)
        times.append(time.perf_counter() - started)
        response.raise_for_status()
    return times


async def _measure(url: str, paths: list[str], spread: int = 1) -> dict[str, float]:
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        started = time.perf_counter()
        stop = time.monotonic() + TIME_LIMIT
        runs = await asyncio.gather(
            *(_client(http, paths, c * spread, stop) for c in range(CLIENTS))
        )
        elapsed = time.perf_counter() - started
    times = sorted(t * 1000 for run in runs for t in run)
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(0.95 * len(times)) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "per_second": round(len(times) / elapsed, 1),
    }


def _run(coroutine):
    """asyncio.run, on uvloop when it is installed (uvicorn's own fast loop): the clients then
    spend less of the machine's two cores than the server they measure."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def bench_web() -> dict:
    """Build the demo, serve it, measure; prints a table and returns the figures (flat)."""
    from jamlik.demo import build_demo
    from jamlik.workspace import Workspace

    results: dict = {"clients": CLIENTS, "target_p95_ms": TARGET_MS, "pages": {}, "cold_ms": {}}
    with tempfile.TemporaryDirectory(prefix="jamlik-bench-web-") as tmp:
        folder = Path(tmp) / "demo"
        # Always a fresh SQLite file, even when $JAMLIK_DATABASE_URL points elsewhere.
        workspace = Workspace(folder, f"sqlite:///{folder / 'jamlik.sqlite'}")
        build_demo(workspace)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(folder), str(port)])
        try:
            _wait_until_up(url, time.monotonic() + 180)
            # This process imported pandas and friends to build the demo: keep the collector's
            # full passes over them out of the clients' timings.
            gc.collect()
            gc.freeze()
            for name, paths in PAGES.items():
                cold = []
                for path in paths:  # the first visit draws the page's charts
                    started = time.perf_counter()
                    httpx.get(url + path, timeout=120).raise_for_status()
                    cold.append((time.perf_counter() - started) * 1000)
                results["cold_ms"][name] = round(max(cold), 1)
                results["pages"][name] = _run(_measure(url, paths))
            for path in NEW_CHOICE_WARMUP:  # one visit per indicator, then only new choices
                httpx.get(url + path, timeout=120).raise_for_status()
            results["cold_ms"][NEW_CHOICES] = 0.0
            results["pages"][NEW_CHOICES] = _run(
                _measure(url, NEW_CHOICE_PATHS, spread=REQUESTS_PER_CLIENT)
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    results["load_average"] = round(os.getloadavg()[0], 2)
    _print(results)
    return _flat(results)


def _flat(results: dict) -> dict:
    """One figure per key, as benchmarks/run.py prints them."""
    out: dict = {"clients": results["clients"], "target p95 (ms)": results["target_p95_ms"]}
    for name, r in results["pages"].items():
        out[f"{name} p95 (ms)"] = r["p95_ms"]
        out[f"{name} p50 (ms)"] = r["p50_ms"]
        out[f"{name} max (ms)"] = r["max_ms"]
        out[f"{name} requests/s"] = r["per_second"]
        out[f"{name} first visit (ms)"] = results["cold_ms"][name]
    out["load average during the run"] = results["load_average"]
    return out


def _print(results: dict) -> None:
    print(
        f"\n== web: p95 latency at {results['clients']} concurrent clients on loopback "
        f"(target < {results['target_p95_ms']:.0f} ms; load average {results['load_average']:.1f}"
        " on a machine other work shares)"
    )
    for name, r in results["pages"].items():
        verdict = "ok" if r["p95_ms"] < results["target_p95_ms"] else "OVER TARGET"
        print(
            f"{name:12} p95 {r['p95_ms']:7.1f} ms   p50 {r['p50_ms']:6.1f} ms   "
            f"max {r['max_ms']:7.1f} ms   {r['per_second']:6.1f} req/s   "
            f"({r['requests']} requests; first visit {results['cold_ms'][name]:.0f} ms)   {verdict}"
        )


if __name__ == "__main__":
    bench_web()

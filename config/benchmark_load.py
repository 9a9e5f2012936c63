"""Throughput on loopback: gunicorn (2 sync workers) under a bounded load, per page.

`make bench-load` runs `python -m config.benchmark_load`. It starts gunicorn on 127.0.0.1
against the benchmark database, warms each page, then loads each page for a fixed time with
`wrk` (Debian's package) when it is installed, else with the small threaded generator below
(standard library only, so it needs nothing that `make install` does not give). It prints
requests per second, median and p99 latency and errors per page, stops gunicorn, and exits
non-zero when the event list misses its target (>= 200 req/s, p99 <= 100 ms, no errors).
Only loopback addresses are ever used; every loop ends by its deadline.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
PAGES = [
    ("event list", "/events/"),
    ("organisation search", "/organisations/?q=seura"),
    ("event feed", "/events/feed.ics"),
]
TARGET = {"page": "event list", "rps": 200.0, "p99_ms": 100.0}


def _wait_ready(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer on /healthz in time")


def _python_load(port: int, path: str, seconds: float, connections: int) -> dict:
    """Keep-alive GETs from `connections` threads until the deadline; latencies in ms."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        own = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            own.append((time.perf_counter() - started) * 1000)
            if not ok:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(own)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(ordered),
        "p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "errors": errors[0],
    }


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def _wrk_load(port: int, path: str, seconds: float, connections: int) -> dict:
    out = subprocess.run(
        [
            shutil.which("wrk") or "wrk",
            "--latency",
            "-t",
            "1",
            "-c",
            str(connections),
            "-d",
            f"{int(seconds)}s",
            "--timeout",
            "10s",
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.MULTILINE)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "median_ms": _wrk_ms(latency["50"]),
        "p99_ms": _wrk_ms(latency["99"]),
        "errors": errors,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--output", default="bench-load-results.json")
    args = parser.parse_args(argv)
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    env = {**os.environ, "PORTAL_DB_NAME": os.environ.get("PORTAL_DB_NAME", "portal_bench")}
    env.setdefault("DJANGO_DEBUG", "0")  # as in production: no query log, no debug pages
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--error-logfile",
            "-",
        ],
        env=env,
    )
    results = {}
    try:
        _wait_ready(args.port, time.monotonic() + 60)
        for name, path in PAGES:
            _python_load(args.port, path, 2, args.workers)  # warm both workers
            load = _wrk_load if generator == "wrk" else _python_load
            results[name] = {"path": path, **load(args.port, path, args.seconds, args.connections)}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(
        f"gunicorn {args.workers} sync workers on {HOST}, {generator}, "
        f"{args.connections} connections, {args.seconds:.0f} s per page"
    )
    print(f"{'page':<22} {'req/s':>8} {'median':>9} {'p99':>9} {'errors':>7} {'requests':>9}")
    for name, r in results.items():
        print(
            f"{name:<22} {r['rps']:>8.1f} {r['median_ms']:>7.1f}ms {r['p99_ms']:>7.1f}ms "
            f"{r['errors']:>7} {r['requests']:>9}"
        )
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump({"generator": generator, "results": results}, handle, indent=2)
    target = results[TARGET["page"]]
    failed = [f"{n}: {r['errors']} errors" for n, r in results.items() if r["errors"]]
    if target["rps"] < TARGET["rps"] or target["p99_ms"] > TARGET["p99_ms"]:
        failed.append(
            f"event list: {target['rps']:.0f} req/s, p99 {target['p99_ms']:.0f} ms "
            f"(target >= {TARGET['rps']:.0f} req/s, p99 <= {TARGET['p99_ms']:.0f} ms)"
        )
    if failed:
        print("Throughput targets missed: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

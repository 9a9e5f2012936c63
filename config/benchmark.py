"""In-process page timing against the database's own floor.

Each page is requested with Django's test client, warm, many times. Its time is compared with
its *SQL floor*: the very statements the page ran, replayed directly through psycopg on a
separate connection. A page far above its floor spends its time in Python (templates, ORM
overhead, N+1 loops); a page near its floor can only get faster with better SQL or indexes.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import psycopg
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Page:
    name: str
    url: Callable[[], str] | str
    budget_ms: float  # p95
    max_queries: int
    headers: dict = field(default_factory=dict)
    # Run before every timed request, e.g. to forget a rendered feed. "Cold" for a feed means
    # the feed has not been rendered in this process (neither the feed nor any of its events'
    # VEVENTs are remembered); the database, Python's imports and the taxonomies stay warm,
    # as for the first subscriber after a restart. Emptying the whole Django cache instead
    # measured nothing real: the feeds keep their bytes in process memory, not in it.
    before_each: Callable[[], None] | None = None
    floor_ratio: float | None = None  # budget for page time / SQL floor, where one applies
    expect_status: int = 200
    user_email: str | None = None  # log in as this user first


@dataclass
class Result:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    floor_ms: float
    ratio: float
    budget_ms: float
    max_queries: int
    floor_ratio: float | None
    failures: list[str]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _floor_ms(statements: list[str], repetitions: int) -> float:
    """Median time to run the page's read statements directly, outside Django."""
    writes = ("INSERT ", "UPDATE ", "DELETE ", "FOR UPDATE")
    reads = [
        s
        for s in statements
        if s.lstrip().upper().startswith(("SELECT", "WITH"))
        and not any(w in s.upper() for w in writes)
    ]
    if not reads:
        return 0.0
    database = settings.DATABASES["default"]
    with psycopg.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        options=database.get("OPTIONS", {}).get("options") or None,  # the planner settings
        # Django sends every statement as text (client-side binding, nothing prepared), so the
        # replay must too: psycopg would otherwise prepare a statement from its fifth run on,
        # and a floor without planning time came out 0.7 ms or 1.3 ms by repetition count.
        prepare_threshold=None,
    ) as conn:
        timings = []
        try:
            for _ in range(repetitions):
                started = time.perf_counter()
                for sql in reads:
                    conn.execute(sql.encode()).fetchall()
                timings.append((time.perf_counter() - started) * 1000)
        finally:
            conn.rollback()  # reads only, and even so nothing the replay does is kept
    return statistics.median(timings)


def measure(page: Page, *, repetitions: int = 40, warmup: int = 5) -> Result:
    client = Client()
    if page.user_email:
        from directory.models import User

        client.force_login(User.objects.get(email=page.user_email))
    url = page.url() if callable(page.url) else page.url
    failures = []
    if page.headers.get("If-None-Match") == "__etag__":
        # A conditional request: ask with the ETag the page itself gives.
        page.headers = {"If-None-Match": client.get(url).headers.get("ETag", "")}
    for _ in range(warmup):
        client.get(url, headers=page.headers)
    timings, query_counts, statements = [], [], []
    for _ in range(repetitions):
        if page.before_each:
            page.before_each()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers=page.headers)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != page.expect_status:
            failures.append(f"status {response.status_code}, expected {page.expect_status}")
            break
        query_counts.append(len(captured.captured_queries))
        statements = [q["sql"] for q in captured.captured_queries]
    floor = _floor_ms(statements, repetitions=max(5, repetitions // 4))
    median, p95 = statistics.median(timings), _p95(timings)
    queries = max(query_counts) if query_counts else 0
    ratio = median / floor if floor else 0.0
    if p95 > page.budget_ms:
        failures.append(f"p95 {p95:.1f} ms > {page.budget_ms} ms")
    if queries > page.max_queries:
        failures.append(f"{queries} queries > {page.max_queries}")
    if page.floor_ratio and floor and ratio > page.floor_ratio:
        failures.append(f"{ratio:.1f}x its SQL floor > {page.floor_ratio}x")
    return Result(
        name=page.name,
        url=url,
        median_ms=round(median, 2),
        p95_ms=round(p95, 2),
        queries=queries,
        floor_ms=round(floor, 2),
        ratio=round(ratio, 2),
        budget_ms=page.budget_ms,
        max_queries=page.max_queries,
        floor_ratio=page.floor_ratio,
        failures=failures,
    )


def table(results: list[Result]) -> str:
    header = (
        f"{'page':<34} {'median':>8} {'p95':>8} {'budget':>8} {'queries':>8} "
        f"{'floor':>8} {'ratio':>6}  result"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        verdict = "ok" if not r.failures else "FAIL: " + "; ".join(r.failures)
        lines.append(
            f"{r.name:<34} {r.median_ms:>6.1f}ms {r.p95_ms:>6.1f}ms {r.budget_ms:>6.0f}ms "
            f"{r.queries:>3}/{r.max_queries:<4} {r.floor_ms:>6.1f}ms {r.ratio:>5.1f}x  {verdict}"
        )
    return "\n".join(lines)


def as_json(results: list[Result], **meta) -> dict:
    return {"meta": meta, "results": [asdict(r) for r in results]}

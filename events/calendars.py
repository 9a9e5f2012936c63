"""Week, month and year (vuosikello) layouts, computed in Python and rendered without JS."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.urls import reverse
from django.utils.dates import MONTHS

from events.models import local_midnight

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def parse_day(value: str | None, default: date) -> date:
    try:
        day = date.fromisoformat((value or "")[:10])
    except ValueError:
        return default
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else default


def parse_month(value: str | None, default: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        day = date(year, month, 1)
    except (ValueError, TypeError):
        return default.replace(day=1)
    return day if EARLIEST_YEAR <= year <= LATEST_YEAR else default.replace(day=1)


def parse_year(value: str | None, default: int) -> int:
    try:
        year = int((value or "")[:4])
    except ValueError:
        return default
    return year if EARLIEST_YEAR <= year <= LATEST_YEAR else default


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def days_of(event) -> list[date]:
    """The local days an event runs on (an event ending at midnight does not touch the next)."""
    first = event.local_start.date()
    last = max(first, event.last_day)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class Day:
    day: date
    in_month: bool = True
    events: list = field(default_factory=list)
    count: int = 0  # all the day's events; `events` may hold only the first few

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.events))

    @property
    def is_today(self) -> bool:
        from django.utils import timezone

        return self.day == timezone.localdate()


def group_by_day(events, first: date, last: date, month: int | None = None) -> list[Day]:
    days = {
        first + timedelta(days=n): Day(first + timedelta(days=n))
        for n in range((last - first).days + 1)
    }
    if month is not None:
        for day in days.values():
            day.in_month = day.day.month == month
    for event in events:
        for day in days_of(event):
            if day in days:
                days[day].events.append(event)
    return list(days.values())


# The month grid in one statement: each event overlapping the grid is spread over the local
# days it runs on (to the day before a midnight end, so DST and all-day events come out as in
# `days_of`), numbered per day; only the first `per_day` rows of a day come back, each
# carrying the day's total. At 200,000 events a month holds ~8,000 of them: fetching and
# rendering them all took longer than the page budget, and the grid shows four a day.
_GRID_SQL = """
SELECT day::date, id, title, starts_at, ends_at, is_all_day, status, total FROM (
    SELECT d.day, e.id, e.title, e.starts_at, e.ends_at, e.is_all_day, e.status,
           row_number() OVER (PARTITION BY d.day ORDER BY e.starts_at, e.id) AS n,
           count(*) OVER (PARTITION BY d.day) AS total
    FROM ({events}) AS e
    CROSS JOIN LATERAL generate_series(
        greatest(date_trunc('day', e.starts_at AT TIME ZONE 'Europe/Helsinki'), %s::timestamp),
        least((e.ends_at - interval '1 microsecond') AT TIME ZONE 'Europe/Helsinki', %s::timestamp),
        interval '1 day'
    ) AS d(day)
) AS numbered
WHERE n <= %s
ORDER BY day, n
"""


@dataclass(slots=True)
class GridEvent:
    """What a month cell shows of an event (no model instance: 170 of them cost ~3 ms)."""

    pk: int
    title: str
    starts_at: datetime
    ends_at: datetime
    is_all_day: bool
    status: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


_PK_MARK = 987654321


def month_grid(queryset, first: date, last: date, *, month: int, per_day: int = 4) -> list[Day]:
    """Days from `first` to `last`, each with its first `per_day` events and its count."""
    shown = (
        queryset.between(*span(first, last))
        .order_by()
        .values("id", "title", "starts_at", "ends_at", "is_all_day", "status")
    )
    sql, params = shown.query.sql_with_params()
    days = {
        first + timedelta(days=n): Day(first + timedelta(days=n), in_month=False)
        for n in range((last - first).days + 1)
    }
    for day in days.values():
        day.in_month = day.day.month == month
    with connection.cursor() as cursor:
        cursor.execute(
            _GRID_SQL.format(events=sql), [*params, first, last, per_day]
        )  # the inner SQL is Django's own compiled query, its values are parameters
        rows = cursor.fetchall()
    url = reverse("events:event-detail", kwargs={"pk": _PK_MARK})  # one reverse, not 170
    for day, pk, title, starts_at, ends_at, is_all_day, status, total in rows:
        cell = days[day]
        cell.count = total
        link = url.replace(str(_PK_MARK), str(pk))
        cell.events.append(GridEvent(pk, title, starts_at, ends_at, is_all_day, status, link))
    return list(days.values())


def month_range(first_of_month: date) -> tuple[date, date]:
    """The Monday-to-Sunday weeks that cover the month."""
    start = week_start(first_of_month)
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    end = week_start(next_month - timedelta(days=1)) + timedelta(days=6)
    return start, end


def span(first: date, last: date) -> tuple[datetime, datetime]:
    return local_midnight(first), local_midnight(last + timedelta(days=1))


# -- the year wheel ----------------------------------------------------------------------------

CENTRE = 200
INNER_RADIUS = 60
OUTER_RADIUS = 190


def _point(radius: float, angle: float) -> tuple[float, float]:
    return (
        round(CENTRE + radius * math.cos(angle), 2),
        round(CENTRE + radius * math.sin(angle), 2),
    )


def sector_path(inner: float, outer: float, start_angle: float, end_angle: float) -> str:
    """An annular sector from start_angle to end_angle (radians, clockwise from the top)."""
    a0, a1 = start_angle - math.pi / 2, end_angle - math.pi / 2
    large = 1 if end_angle - start_angle > math.pi else 0
    x0o, y0o = _point(outer, a0)
    x1o, y1o = _point(outer, a1)
    x1i, y1i = _point(inner, a1)
    x0i, y0i = _point(inner, a0)
    return (
        f"M{x0o} {y0o}A{outer} {outer} 0 {large} 1 {x1o} {y1o}"
        f"L{x1i} {y1i}A{inner} {inner} 0 {large} 0 {x0i} {y0i}Z"
    )


def heat(count: int, highest: int) -> int:
    """0 (none) to 4 (the busiest month of the year for any theme)."""
    if count <= 0 or highest <= 0:
        return 0
    return min(4, 1 + (3 * count) // highest)


def year_wheel(year: int, themes: list[tuple[str, str]], counts: dict, umbrellas) -> dict:
    """Rings of themes (inner to outer) by month, umbrellas as an outer arc ring.

    `counts` maps (month, theme_slug) to the number of events; `umbrellas` are Umbrella rows.
    """
    month_angle = 2 * math.pi / 12
    ring_count = max(1, len(themes))
    theme_outer = OUTER_RADIUS - 24
    ring_width = (theme_outer - INNER_RADIUS) / ring_count
    highest = max(counts.values(), default=0)
    cells = []
    for ring, (slug, name) in enumerate(themes):
        inner = INNER_RADIUS + ring * ring_width
        for month in range(1, 13):
            count = counts.get((month, slug), 0)
            cells.append(
                {
                    "path": sector_path(
                        inner + 0.5,
                        inner + ring_width - 0.5,
                        (month - 1) * month_angle + 0.01,
                        month * month_angle - 0.01,
                    ),
                    "heat": heat(count, highest),
                    "title": f"{MONTHS[month]}: {name} {count}",
                }
            )
    labels = []
    for month in range(1, 13):
        x, y = _point(OUTER_RADIUS + 2 - 12, (month - 0.5) * month_angle - math.pi / 2)
        # Strings, not floats: the Finnish locale would write 12,5 into the SVG.
        labels.append({"x": str(x), "y": str(y), "text": str(MONTHS[month])[:3]})
    year_start = date(year, 1, 1)
    days_in_year = (date(year + 1, 1, 1) - year_start).days
    arcs = []
    for umbrella in umbrellas:
        first = max(umbrella.starts_on, year_start)
        last = min(umbrella.ends_on, date(year, 12, 31))
        if last < first:
            continue
        start_angle = 2 * math.pi * (first - year_start).days / days_in_year
        end_angle = 2 * math.pi * ((last - year_start).days + 1) / days_in_year
        arcs.append(
            {
                "path": sector_path(
                    INNER_RADIUS - 14,
                    INNER_RADIUS - 4,
                    start_angle,
                    max(end_angle, start_angle + 0.03),
                ),
                "title": umbrella.name,
            }
        )
    return {"cells": cells, "labels": labels, "arcs": arcs, "size": CENTRE * 2}

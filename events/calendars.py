"""Week, month and year (vuosikello) layouts, computed in Python and rendered without JS."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from events.models import HELSINKI, local_midnight

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


@dataclass(slots=True)
class Day:
    day: date
    in_month: bool = True
    events: list = field(default_factory=list)
    count: int = 0  # all the day's events; `events` may hold only the first few
    is_today: bool = False

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.events))


def group_by_day(events, first: date, last: date, month: int | None = None) -> list[Day]:
    today = timezone.localdate()
    days = {
        first + timedelta(days=n): Day(first + timedelta(days=n))
        for n in range((last - first).days + 1)
    }
    for day in days.values():
        day.is_today = day.day == today
    if month is not None:
        for day in days.values():
            day.in_month = day.day.month == month
    for event in events:
        for day in days_of(event):
            if day in days:
                days[day].events.append(event)
    return list(days.values())


# The month grid in one statement: for each day, its first `per_day` events and how many it
# has. At 200,000 events a month holds ~11,000 of them: fetching and rendering them all took
# longer than the page budget, and the grid shows four a day.
# A day runs from one local midnight to the next (computed in Python with the DST rules). Its
# events are those still running at its midnight (one GiST lookup on `event_span`; an event
# ending at midnight is not among them, as in `days_of`) and those starting during it (a range
# of the covering index `event_start_cover`, index-only): ~42 small lookups, where numbering
# all 11,000 events over the days cost 15 ms. The table is read for the ~170 events shown.
_GRID_SQL = """
WITH days AS MATERIALIZED (
    SELECT n::int AS day, m0, m1
    FROM unnest(%s::timestamptz[], %s::timestamptz[]) WITH ORDINALITY AS t(m0, m1, n)
), running AS MATERIALIZED (
    SELECT d.day, r.id, r.starts_at FROM days d
    CROSS JOIN LATERAL (
        SELECT e.id, e.starts_at FROM ({events}) e
        WHERE tstzrange(e.starts_at, e.ends_at) @> d.m0 AND e.starts_at < d.m0
        OFFSET 0  -- (the GiST lookup, never a walk of the start index up to the midnight)
    ) r
), counted AS MATERIALIZED (
    SELECT d.day, d.m0, d.m1,
           (SELECT count(*) FROM running r WHERE r.day = d.day)
         + (SELECT count(*) FROM ({events}) e WHERE e.starts_at >= d.m0 AND e.starts_at < d.m1)
           AS total
    FROM days d
)
SELECT c.day, shown.id, shown.title, shown.starts_at, shown.ends_at, shown.is_all_day,
       shown.status, c.total
FROM counted c
LEFT JOIN LATERAL (
    SELECT u.id, u.starts_at FROM (
        (SELECT r.id, r.starts_at FROM running r WHERE r.day = c.day
         ORDER BY r.starts_at, r.id LIMIT %s)
        UNION ALL
        (SELECT e.id, e.starts_at FROM ({events}) e
         WHERE e.starts_at >= c.m0 AND e.starts_at < c.m1
         ORDER BY e.starts_at, e.id LIMIT %s)
    ) u ORDER BY u.starts_at, u.id LIMIT %s
) top ON true
LEFT JOIN LATERAL (
    SELECT id, title, starts_at, ends_at, is_all_day, status FROM events_event
    WHERE id = top.id OFFSET 0  -- (a lookup per shown row, never a join of the table)
) shown ON true
ORDER BY c.day, top.starts_at, top.id
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
    time: str = ""  # the start time ("18.00"), none for all-day events
    note: str = ""  # " (cancelled)", " (postponed)"

    def get_absolute_url(self) -> str:
        return self.url


_PK_MARK = 987654321


def grid_statement(queryset, dates: list[date], per_day: int) -> tuple[str, list]:
    """The month grid's SQL and parameters; the inner SQL is Django's own compiled query (the
    events all the days need), its values are parameters."""
    events = queryset.order_by().values("id", "starts_at", "ends_at")
    sql, params = events.query.sql_with_params()
    midnights = [local_midnight(day) for day in [*dates, dates[-1] + timedelta(days=1)]]
    p = list(params)
    return _GRID_SQL.format(events=sql), [
        midnights[:-1],
        midnights[1:],
        *p,
        *p,
        per_day,
        *p,
        per_day,
        per_day,
    ]


def month_grid(queryset, first: date, last: date, *, month: int, per_day: int = 4) -> list[Day]:
    """Days from `first` to `last`, each with its first `per_day` events and its count."""
    dates = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    today = timezone.localdate()
    days = [Day(day, in_month=day.month == month, is_today=day == today) for day in dates]
    with connection.cursor() as cursor:
        cursor.execute(*grid_statement(queryset, dates, per_day))
        rows = cursor.fetchall()
    url = reverse("events:event-detail", kwargs={"pk": _PK_MARK})  # one reverse, not 170
    mark = str(_PK_MARK)
    notes = {"cancelled": f" ({_('cancelled')})", "postponed": f" ({_('postponed')})"}
    separator = ":" if (get_language() or "fi").startswith("en") else "."
    for day, pk, title, starts_at, ends_at, is_all_day, status, total in rows:
        cell = days[day - 1]
        cell.count = total
        if pk is None:  # a day without events
            continue
        cell.events.append(
            GridEvent(
                pk,
                title,
                starts_at,
                ends_at,
                is_all_day,
                status,
                url.replace(mark, str(pk)),
                "" if is_all_day else _clock(starts_at.astimezone(HELSINKI), separator),
                notes.get(status, ""),
            )
        )
    return days


def _clock(moment: datetime, separator: str) -> str:
    return f"{moment.hour:02}{separator}{moment.minute:02}"


def month_html(days: list[Day], *, query: str) -> SafeString:
    """The grid's table rows, week by week. Written here rather than by the template: its
    42 cells and ~170 links took more than half of the month page's time as template tags.
    Every value is escaped (`html.escape`, as Django's own `escape`)."""
    more_path = reverse("events:event-list") + "?" + (f"{query}&" if query else "")
    today = escape(_("today"))
    notes = {}  # the few distinct notes and "n more" texts, escaped once
    mores = {}
    out = []
    for index, cell in enumerate(days):
        if index % 7 == 0:
            out.append("<tr>\n" if index == 0 else "</tr>\n<tr>\n")
        css = " ".join(
            name
            for name, on in (("other-month", not cell.in_month), ("is-today", cell.is_today))
            if on
        )
        out += [
            f'<td class="{css}">\n  <span class="day-number">{cell.day.day}.{cell.day.month}.',
            f' <span class="visually-hidden">{today}</span>' if cell.is_today else "",
            "</span>\n",
        ]
        if cell.events:
            out.append('  <ul class="day-events">\n')
            for event in cell.events:
                note = notes.get(event.note)
                if note is None:
                    note = notes[event.note] = escape(event.note)
                out += [
                    '    <li class="is-cancelled">' if event.status == "cancelled" else "    <li>",
                    # (the address is /events/<number>/ and the time digits: nothing to escape)
                    f'<a href="{event.url}">',
                    f'<span class="event-time">{event.time}</span> ' if event.time else "",
                    f"{escape(event.title)}</a>{note}</li>\n",
                ]
            out.append("  </ul>\n")
            if cell.more:
                text = mores.get(cell.more)
                if text is None:
                    more = ngettext("%(counter)s more", "%(counter)s more", cell.more)
                    text = mores[cell.more] = escape(more % {"counter": cell.more})
                iso = cell.day.isoformat()
                url = escape(f"{more_path}start={iso}&end={iso}")
                out.append(f'  <a class="more-link" href="{url}">{text}</a>\n')
        out.append("</td>\n")
    if days:
        out.append("</tr>\n")
    # Reviewed: every text above passes html.escape; the rest is constant markup, the event
    # addresses and the times (digits).
    return SafeString("".join(out))  # nosec B703


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

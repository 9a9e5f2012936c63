"""A space's week: opening hours, busy blocks (without private details) and free times.

Three queries for any week (weekly hours, exceptions, busy bookings through the occupancy
table's range index), two when the caller passes the weekly hours it already has.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.translation import gettext as _

from spaces.hours import DayHours, hours_between
from spaces.models import Booking, Space, SpaceUnitLink
from spaces.times import day_bounds, local_datetime


@dataclass(frozen=True)
class Block:
    start: dt.datetime
    end: dt.datetime
    label: str
    is_tentative: bool = False


@dataclass
class Day:
    day: dt.date
    hours: DayHours
    busy: list[Block] = field(default_factory=list)
    free: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.day == timezone.localdate()


def busy_in(space: Space, start: dt.datetime, end: dt.datetime):
    """Active bookings on any unit of the space overlapping [start, end): one query."""
    return (
        Booking.objects.filter(
            occupancy__is_active=True,
            occupancy__during__overlap=DateTimeTZRange(start, end, "[)"),
            occupancy__unit__in=SpaceUnitLink.objects.filter(space=space).values("unit"),
        )
        .select_related("organisation")
        .only(
            "during",
            "status",
            "is_public",
            "purpose",
            "buffer",
            "organisation__name",
        )
        .distinct()
        .order_by("during")
    )


def public_label(booking: Booking) -> str:
    """What anyone may see: a public booking's purpose and association, else just "booked"."""
    if booking.is_public:
        return f"{booking.purpose} ({booking.organisation.name})"
    return _("Booked")


def week(space: Space, monday: dt.date, *, weekly_rows=None) -> list[Day]:
    sunday = monday + dt.timedelta(days=6)
    hours = hours_between(space.venue, monday, sunday, weekly_rows=weekly_rows)
    start, _ignored = day_bounds(monday)
    _ignored, end = day_bounds(sunday)
    bookings = list(busy_in(space, start, end))
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        day_start, day_end = day_bounds(day)
        entry = Day(day=day, hours=hours[day])
        taken = []
        for booking in bookings:
            if booking.start < day_end and day_start < booking.end:
                entry.busy.append(
                    Block(
                        start=max(booking.start, day_start),
                        end=min(booking.end, day_end),
                        label=public_label(booking),
                        is_tentative=booking.status == Booking.Status.REQUESTED,
                    )
                )
                gap = max(space.buffer, booking.buffer)
                taken.append((booking.start - gap, booking.end + gap))
        entry.free = free_times(entry.hours, taken, space.min_duration)
        days.append(entry)
    return days


def _next_quarter(value: dt.datetime) -> dt.datetime:
    value = timezone.localtime(value).replace(second=0, microsecond=0)
    return value + dt.timedelta(minutes=-value.minute % 15)


def free_times(hours: DayHours, taken, shortest: dt.timedelta):
    """The gaps in the opening hours at least `shortest` long, in the past cut off."""
    if not hours.is_open:
        return []
    opens = local_datetime(hours.day, hours.opens_at)
    closes = local_datetime(hours.day, hours.closes_at)
    cursor = max(opens, _next_quarter(timezone.now()))
    gaps = []
    for start, end in sorted(taken):
        if start > cursor and start - cursor >= shortest:
            gaps.append((cursor, min(start, closes)))
        cursor = max(cursor, end)
    if closes > cursor and closes - cursor >= shortest:
        gaps.append((cursor, closes))
    return [(start, end) for start, end in gaps if end - start >= shortest]

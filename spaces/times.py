"""Local wall-clock times in Europe/Helsinki, with the two daylight-saving traps handled.

- A time inside the spring-forward gap (e.g. 03:30 on the last Sunday of March) does not exist:
  :func:`local_datetime` raises :class:`NonexistentTime`, and forms refuse it.
- A time in the autumn overlap (e.g. 03:30 on the last Sunday of October) happens twice: it is
  always resolved to the first of the two (fold=0, still summer time), the same way every time.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

HELSINKI = ZoneInfo(settings.TIME_ZONE)


class NonexistentTime(ValueError):
    """The local time falls in the hour the clocks skip in spring."""


def exists(value: dt.datetime) -> bool:
    """Whether an aware local datetime survives the round trip through UTC unchanged."""
    round_trip = value.astimezone(dt.UTC).astimezone(value.tzinfo)
    return round_trip.replace(tzinfo=None, fold=0) == value.replace(tzinfo=None, fold=0)


def is_ambiguous(day: dt.date, time: dt.time) -> bool:
    first = dt.datetime.combine(day, time, tzinfo=HELSINKI).replace(fold=0)
    return first.utcoffset() != first.replace(fold=1).utcoffset()


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware instant of a Helsinki wall-clock time; the first one when it happens twice."""
    value = dt.datetime.combine(day, time.replace(tzinfo=None), tzinfo=HELSINKI).replace(fold=0)
    if not exists(value):
        raise NonexistentTime(f"{day} {time} does not exist in {settings.TIME_ZONE}")
    return value


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants that start `day` and the day after it (midnight exists every day here)."""
    return local_datetime(day, dt.time(0)), local_datetime(day + dt.timedelta(days=1), dt.time(0))


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return local_datetime(dt.date(year, 1, 1), dt.time(0)), local_datetime(
        dt.date(year + 1, 1, 1), dt.time(0)
    )

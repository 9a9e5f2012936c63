"""Opening hours of a venue on given days, with holidays and closures applied.

Two queries whatever the number of days: the weekly hours, and the exceptions in the range.
"""

import datetime as dt
from dataclasses import dataclass

from spaces.models import OpeningException, OpeningHours, Venue


@dataclass(frozen=True)
class DayHours:
    day: dt.date
    opens_at: dt.time | None
    closes_at: dt.time | None
    note: str = ""  # the reason of an exception, e.g. "Juhannus"

    @property
    def is_open(self) -> bool:
        return self.opens_at is not None

    def allows(self, start: dt.time, end: dt.time) -> bool:
        """Whether [start, end) on this day lies inside the opening hours."""
        return self.is_open and self.opens_at <= start and end <= self.closes_at


def hours_between(
    venue: Venue, first: dt.date, last: dt.date, *, weekly_rows=None
) -> dict[dt.date, DayHours]:
    """Each day's hours. Pass `weekly_rows` when the page has already loaded them."""
    if weekly_rows is None:
        # No ordering: the rows become a dict, and the model's ordering joins the venue.
        weekly_rows = OpeningHours.objects.filter(venue=venue).order_by()
    weekly = {row.weekday: row for row in weekly_rows}
    exceptions = list(
        OpeningException.objects.filter(venue=venue).between(first, last).order_by("starts_on")
    )
    days = {}
    day = first
    while day <= last:
        exception = next((e for e in exceptions if e.starts_on <= day <= e.ends_on), None)
        if exception is not None:
            days[day] = DayHours(day, exception.opens_at, exception.closes_at, exception.reason)
        elif (regular := weekly.get(day.weekday())) is not None:
            days[day] = DayHours(day, regular.opens_at, regular.closes_at)
        else:
            days[day] = DayHours(day, None, None)
        day += dt.timedelta(days=1)
    return days

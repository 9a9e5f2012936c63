"""Small display helpers for event pages."""

import functools
from datetime import date, datetime, time

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from config.ical import HELSINKI
from events.models import last_day_of, localized_name

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _day_in(value: date, weekday: bool, language: str) -> str:
    """A date as `language` writes it (the active language; here as the cache key): a list of
    30 rows spans a few days, so each is formatted once, not once per row."""
    return formats.date_format(value, "D j.n.Y" if weekday else "j.n.Y")


class WhenFormat:
    """Writes "ti 24.11.2026 klo 18.00–20.00", "la 20.6.2027", "20.6.–22.6.2027"... in the
    language active when it was made (one per list, not a translation lookup per row)."""

    def __init__(self):
        self.language = get_language() or "fi"
        self.clock = "%H:%M" if self.language.startswith("en") else "%H.%M"
        self.same_day = _("%(day)s at %(start)s–%(end)s")
        self.days = _("%(day)s at %(start)s – %(last_day)s at %(end)s")

    def __eq__(self, other):
        return isinstance(other, WhenFormat) and other.language == self.language

    def __hash__(self):
        return hash(self.language)

    def day(self, value: date) -> str:
        return _day_in(value, True, self.language)

    def __call__(self, starts_at: datetime, ends_at: datetime, is_all_day: bool) -> str:
        return _when_in(starts_at, ends_at, is_all_day, self.language, self)

    def write(self, starts_at: datetime, ends_at: datetime, is_all_day: bool) -> str:
        start = starts_at.astimezone(HELSINKI)
        end = ends_at.astimezone(HELSINKI)
        last = last_day_of(ends_at, is_all_day)
        if is_all_day:
            if last == start.date():
                return self.day(start.date())
            return f"{self.day(start.date())} – {self.day(last)}"
        if end.date() == start.date() or (end.time() == time(0, 0) and last == start.date()):
            return self.same_day % {
                "day": self.day(start.date()),
                "start": start.strftime(self.clock),
                "end": end.strftime(self.clock),
            }
        return self.days % {
            "day": self.day(start.date()),
            "start": start.strftime(self.clock),
            "last_day": self.day(end.date()),
            "end": end.strftime(self.clock),
        }


@functools.lru_cache(maxsize=4096)
def _when_in(starts_at, ends_at, is_all_day, language, formatter) -> str:
    """Remembered per times and language (`formatter` is the language's; equal formatters
    hash alike): the first page of the list shows the same events to every visitor."""
    return formatter.write(starts_at, ends_at, is_all_day)


def _clock(value: time) -> str:
    english = (get_language() or "fi").startswith("en")
    return value.strftime("%H:%M" if english else "%H.%M")


def when_text(starts_at: datetime, ends_at: datetime, is_all_day: bool) -> str:
    """ "ti 24.11.2026 klo 18.00–20.00", "la 20.6.2027", "20.6.–22.6.2027"..."""
    return WhenFormat()(starts_at, ends_at, is_all_day)


@register.filter
def when(event) -> str:
    return when_text(event.starts_at, event.ends_at, event.is_all_day)


@register.filter
def clock(value: datetime) -> str:
    return _clock(timezone.localtime(value, HELSINKI).time())


@register.filter
def term_names(items) -> str:
    """Names of taxonomy terms (model rows or JSON dicts) in the active language."""
    return ", ".join(localized_name(item) for item in items or [])


@register.filter
def term_list(items) -> list[str]:
    return [localized_name(item) for item in items or []]


def query_with(query, **changes) -> str:
    """`query` (a QueryDict) with some parameters replaced (None removes one), as "?..."."""
    params = query.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def with_params(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    return query_with(context["request"].GET, **changes)

"""Small display helpers for event pages."""

from datetime import date, datetime, time

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from config.ical import HELSINKI
from events.models import localized_name

register = template.Library()


def _day(value: date, weekday: bool = True) -> str:
    return formats.date_format(value, "D j.n.Y" if weekday else "j.n.Y")


def _clock(value: time) -> str:
    english = (get_language() or "fi").startswith("en")
    return value.strftime("%H:%M" if english else "%H.%M")


@register.filter
def when(event) -> str:
    """ "ti 24.11.2026 klo 18.00–20.00", "la 20.6.2027", "20.6.–22.6.2027"..."""
    start = timezone.localtime(event.starts_at, HELSINKI)
    end = timezone.localtime(event.ends_at, HELSINKI)
    if event.is_all_day:
        last = event.last_day
        if last == start.date():
            return _day(start.date())
        return f"{_day(start.date())} – {_day(last)}"
    if end.date() == start.date() or (end.time() == time(0, 0) and event.last_day == start.date()):
        return _("%(day)s at %(start)s–%(end)s") % {
            "day": _day(start.date()),
            "start": _clock(start.time()),
            "end": _clock(end.time()),
        }
    return _("%(day)s at %(start)s – %(last_day)s at %(end)s") % {
        "day": _day(start.date()),
        "start": _clock(start.time()),
        "last_day": _day(end.date()),
        "end": _clock(end.time()),
    }


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


@register.simple_tag(takes_context=True)
def with_params(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"

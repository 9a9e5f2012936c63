"""Dates and times the way people write them: "ti 30.8.2022 klo 17.30–20.00"."""

from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _


def _day(value: datetime) -> str:
    # Translators: a date format (Django's date syntax); Finnish: "D j.n.Y" (ti 30.8.2022).
    return date_format(value, _("D j M Y"))


def _clock(value: datetime) -> str:
    # Translators: a time format (Django's date syntax); Finnish: "H.i" (17.30).
    return date_format(value, _("H:i"))


def moment(value: datetime | None) -> str:
    if value is None:
        return ""
    value = localtime(value)
    return _("%(date)s at %(time)s") % {"date": _day(value), "time": _clock(value)}


def span(start: datetime, end: datetime) -> str:
    start, end = localtime(start), localtime(end)
    if start.date() == end.date():
        return _("%(date)s at %(start)s–%(end)s") % {
            "date": _day(start),
            "start": _clock(start),
            "end": _clock(end),
        }
    return f"{moment(start)} – {moment(end)}"


def clock(value: datetime) -> str:
    return _clock(localtime(value))

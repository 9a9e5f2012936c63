"""iCalendar feeds that calendar apps trust (the rules in DESIGN.md, the traps in REFERENCE.md).

- every event has a caller-given stable UID (icalendar would otherwise invent a random one);
- DTSTAMP is the event's last change, not "now", so unchanged data gives identical bytes;
- times are written in Europe/Helsinki with a fixed VTIMEZONE of yearly RRULE observances
  (classic Outlook ignores RDATE-only timezones and shifts summer events by an hour);
- no METHOD; cancelled events stay with STATUS:CANCELLED; empty properties are left out and
  control characters stripped (libical drops such lines with errors);
- REFRESH-INTERVAL carries VALUE=DURATION (RFC 7986);
- responses carry ETag and Last-Modified and answer conditional requests with 304.
"""

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe, quote_etag

HELSINKI = ZoneInfo("Europe/Helsinki")
TZID = "Europe/Helsinki"
PRODID = "-//Kuopion kaupunki//Jarjestoportaali//FI"
CONTENT_TYPE = "text/calendar; charset=utf-8"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: datetime | date
    end: datetime | date  # exclusive; for all-day events the day after the last day
    updated_at: datetime
    sequence: int = 0
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    organizer_name: str = ""
    transparent: bool = False  # True: shown as free time (e.g. save-the-date entries)


def clean_text(value: str) -> str:
    """Text safe for every parser: no control characters, Windows line ends made plain."""
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def helsinki_timezone() -> icalendar.Timezone:
    """Europe/Helsinki with the EU rule in force since 1996, as two yearly RRULE observances."""
    timezone = icalendar.Timezone()
    timezone.add("TZID", TZID)
    timezone.add("X-LIC-LOCATION", TZID)
    daylight = icalendar.TimezoneDaylight()
    daylight.add("TZOFFSETFROM", timedelta(hours=2))
    daylight.add("TZOFFSETTO", timedelta(hours=3))
    daylight.add("TZNAME", "EEST")
    daylight.add("DTSTART", datetime(1996, 3, 31, 3, 0))  # local time, by definition
    daylight.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    standard = icalendar.TimezoneStandard()
    standard.add("TZOFFSETFROM", timedelta(hours=3))
    standard.add("TZOFFSETTO", timedelta(hours=2))
    standard.add("TZNAME", "EET")
    standard.add("DTSTART", datetime(1996, 10, 27, 4, 0))
    standard.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return timezone


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("Calendar times must be aware datetimes.")
        return value.astimezone(HELSINKI)
    return value


def _event(item: CalendarEvent) -> icalendar.Event:
    event = icalendar.Event()
    event.add("UID", item.uid)
    event.add("DTSTAMP", item.updated_at.astimezone(UTC))
    event.add("LAST-MODIFIED", item.updated_at.astimezone(UTC))
    event.add("SEQUENCE", item.sequence)
    event.add("DTSTART", _local(item.start))
    event.add("DTEND", _local(item.end))
    event.add("SUMMARY", clean_text(item.summary))
    event.add("STATUS", item.status)
    for name, value in (
        ("DESCRIPTION", item.description),
        ("LOCATION", item.location),
        ("URL", item.url),
    ):
        text = clean_text(value)
        if text:
            event.add(name, text)
    categories = [clean_text(c) for c in item.categories if clean_text(c)]
    if categories:
        event.add("CATEGORIES", categories)
    if item.organizer_name:
        # CN only: publishing an email address in a public feed invites spam.
        event.add("X-ORGANIZER-NAME", _organizer(item.organizer_name))
    event.add("TRANSP", "TRANSPARENT" if item.transparent else "OPAQUE")
    return event


def _organizer(name: str) -> str:
    """An X- property is written verbatim (icalendar's UNKNOWN type): one line, so no newline."""
    return clean_text(name).replace("\n", " ")


# -- the VEVENT writer -------------------------------------------------------------------------
# icalendar builds each VEVENT from property objects and folds every line character by
# character: ~0.38 ms a VEVENT, ~400 ms for a feed of 1,000 events. `vevent` writes the very
# same bytes directly (escaping as icalendar's TEXT, URI and UNKNOWN types do, properties in its
# order, folding in one pass per line); tests/events/test_ical_writer.py compares the two on
# tricky text, and `_event` above stays the reference.


def _escape(text: str) -> str:
    """TEXT escaping exactly as icalendar 7 writes it (including its `\\N` -> newline)."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> bytes:
    """One content line as bytes, folded as icalendar folds it: pieces of at most 74 octets
    that never split a UTF-8 character, a continuation starting with a space, and a
    backslash or caret at the end of a piece moved to the next (an escape stays whole)."""
    data = line.encode()
    size = len(data)
    if size < 75:
        return data
    pieces = []
    start = 0
    while size - start >= 75:
        end = start + 74
        while data[end] & 0xC0 == 0x80:  # inside a multi-byte letter: cut before it
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def _when(value: datetime | date) -> str:
    """The parameters and value of DTSTART/DTEND: local Helsinki time, or a date."""
    if isinstance(value, datetime):
        local = _local(value)
        return (
            f";TZID={TZID}:{local.year:04}{local.month:02}{local.day:02}"
            f"T{local.hour:02}{local.minute:02}{local.second:02}"
        )
    return f";VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"


def _stamp(value: datetime) -> str:
    utc = value.astimezone(UTC)
    return f"{utc.year:04}{utc.month:02}{utc.day:02}T{utc.hour:02}{utc.minute:02}{utc.second:02}Z"


def vevent(item: CalendarEvent) -> bytes:
    """The VEVENT of `item`: exactly `_event(item).to_ical()`, some ten times faster."""
    stamp = _stamp(item.updated_at)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _escape(clean_text(item.summary)),
        "DTSTART" + _when(item.start),
        "DTEND" + _when(item.end),
        "DTSTAMP:" + stamp,
        "UID:" + _escape(item.uid),
        f"SEQUENCE:{int(item.sequence)}",
    ]
    categories = [clean_text(c) for c in item.categories if clean_text(c)]
    if categories:
        lines.append("CATEGORIES:" + ",".join(_escape(c) for c in categories))
    description = clean_text(item.description)
    if description:
        lines.append("DESCRIPTION:" + _escape(description))
    lines.append("LAST-MODIFIED:" + stamp)
    location = clean_text(item.location)
    if location:
        lines.append("LOCATION:" + _escape(location))
    lines.append("STATUS:" + _escape(item.status))
    lines.append("TRANSP:" + ("TRANSPARENT" if item.transparent else "OPAQUE"))
    url = clean_text(item.url)
    if url:
        if "\n" in url:
            raise ValueError("A URI value may not contain line breaks.")
        lines.append("URL:" + url)  # a URI is written as it is
    if item.organizer_name:
        lines.append("X-ORGANIZER-NAME:" + _organizer(item.organizer_name))
    lines.append("END:VEVENT\r\n")
    return b"\r\n".join([fold(line) for line in lines])


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    description: str = "",
    refresh: timedelta = timedelta(hours=6),
) -> bytes:
    """The feed as bytes: CRLF line ends, folded at 75 octets, identical for identical input."""
    head, tail = calendar_shell(name, description, refresh)
    return head + b"".join([vevent(item) for item in events]) + tail


@functools.lru_cache(maxsize=256)
def calendar_shell(name: str, description: str = "", refresh=timedelta(hours=6)):
    """The calendar's bytes before and after its VEVENTs (properties and the VTIMEZONE)."""
    body = _calendar(name=name, description=description, refresh=refresh).to_ical()
    if not body.endswith(_END):
        raise ValueError("Unexpected calendar layout.")
    return body[: -len(_END)], _END


_END = b"END:VCALENDAR\r\n"


def _calendar(*, name: str, description: str, refresh: timedelta) -> icalendar.Calendar:
    """The calendar without events, built with icalendar (rendered once per name)."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("X-WR-CALNAME", clean_text(name))
    calendar.add("NAME", clean_text(name))
    if description:
        calendar.add("X-WR-CALDESC", clean_text(description))
    calendar.add("X-WR-TIMEZONE", TZID)
    calendar.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
    # A DURATION as Outlook reads it (PT6H); a bare timedelta was written as "6:00:00".
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(refresh))
    calendar.add_component(helsinki_timezone())
    return calendar


def feed_etag(*parts) -> str:
    """A strong validator from what identifies the content (filters, count, last change)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def calendar_response(
    request,
    *,
    etag: str,
    last_modified: datetime | None,
    render: Callable[[], bytes],
    filename: str = "calendar.ics",
    max_age: int = 300,
    private: bool = False,
) -> HttpResponse:
    """Serve a feed with ETag/Last-Modified; 304 without rendering when the client is current.

    `etag` must change whenever the content would (compute it from a cheap aggregate query);
    the rendered bytes are cached under it, so warm requests skip icalendar entirely.
    """
    quoted = quote_etag(etag)
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        fresh = quoted in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        fresh = bool(since and last_modified and int(last_modified.timestamp()) <= since)
    headers = {
        "ETag": quoted,
        "Cache-Control": f"{'private' if private else 'public'}, max-age={max_age}",
    }
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified.timestamp())
    if fresh:
        response = HttpResponseNotModified()
    else:
        key = f"ical:{etag}"
        body = cache.get(key)
        if body is None:
            body = render()
            cache.set(key, body, timeout=24 * 3600)
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    for header, value in headers.items():
        response[header] = value
    if private:
        response["Referrer-Policy"] = "no-referrer"
    return response


def subscribe_links(feed_url: str, name: str) -> dict[str, str]:
    """webcal://, Google and Outlook subscribe links for an absolute https/http feed URL."""
    from urllib.parse import quote, urlencode

    webcal = re.sub(r"^https?://", "webcal://", feed_url)
    return {
        "https": feed_url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
    }

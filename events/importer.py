"""Import a partner's iCalendar feed as events of one association.

- Repeating events (RRULE, RDATE, EXDATE, moved occurrences) are expanded with
  `recurring-ical-events`: each occurrence becomes its own event (and UID), grouped in a series.
- Times with a TZID, in UTC or floating (taken as Helsinki time), and all-day dates are kept.
- Events are created or updated by the source UID (plus the occurrence's start for repeats),
  so importing the same file twice changes nothing.
- A bad component is reported and skipped; the rest are imported.
"""

import ipaddress
import socket
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
import recurring_ical_events
from django.db import transaction
from django.utils import timezone

from config.ical import HELSINKI, clean_text
from events import services
from events.models import Event, Series, local_midnight

FETCH_TIMEOUT = 15  # seconds
MAX_BYTES = 10 * 1024 * 1024
PAST = timedelta(days=31)  # how far back repeating events are expanded
AHEAD = timedelta(days=2 * 366)  # and how far ahead


class ImportFailed(Exception):
    pass


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def fetch(source: str) -> bytes:
    """The calendar's bytes from a file path, or from an http(s) URL with a timeout."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in {"http", "https"}:
        return _download(source)
    if scheme and len(scheme) > 1:
        raise ImportFailed(f"Only http and https addresses can be fetched, not {scheme}:.")
    try:
        with open(source, "rb") as handle:
            return handle.read(MAX_BYTES + 1)[:MAX_BYTES]
    except OSError as error:
        raise ImportFailed(f"Cannot read {source}: {error.strerror}") from None


def _check_public(url: str) -> None:
    """Refuse addresses inside the server's own network (the import must not probe it)."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as error:
        raise ImportFailed(f"Cannot find the server {host}: {error}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
            raise ImportFailed(f"{host} is an internal address; only public servers are fetched.")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to public http(s) servers."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in {"http", "https"}:
            raise ImportFailed(f"Refused a redirect to {newurl}.")
        _check_public(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(url: str) -> bytes:
    _check_public(url)
    opener = urllib.request.build_opener(_CheckedRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "Kuopio-jarjestoportaali"})  # noqa: S310 - the scheme is checked by fetch()
    try:
        # The scheme was checked in fetch(): only http and https reach the opener.
        with opener.open(request, timeout=FETCH_TIMEOUT) as response:
            return response.read(MAX_BYTES)
    except (OSError, ValueError) as error:
        raise ImportFailed(f"Cannot fetch {url}: {error}") from None


def _aware(value) -> datetime | date:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=HELSINKI)  # floating time: the local time here
        return value.astimezone(HELSINKI)
    return value


def _span(component) -> tuple[datetime, datetime, bool]:
    """(starts_at, ends_at, is_all_day) of one occurrence; ValueError when unusable."""
    if "DTSTART" not in component:
        raise ValueError("no DTSTART")
    start = _aware(component.decoded("DTSTART"))
    if "DTEND" in component:
        end = _aware(component.decoded("DTEND"))
    elif "DURATION" in component:
        end = start + component.decoded("DURATION")
    else:
        end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise ValueError("DTSTART and DTEND are of different kinds")
    if not isinstance(start, datetime):
        start_at, end_at = local_midnight(start), local_midnight(end)
        if end_at <= start_at:
            end_at = start_at + timedelta(days=1)
        return start_at, end_at, True
    if end <= start:
        end = start + timedelta(hours=1)  # RFC 5545: a zero-length event; give it an hour
    return start, end, False


def _text(component, name: str, limit: int) -> str:
    value = component.get(name)
    return clean_text(str(value))[:limit] if value is not None else ""


def _fields(component, organisation) -> dict:
    status = str(component.get("STATUS", "CONFIRMED")).upper()
    starts_at, ends_at, all_day = _span(component)
    title = _text(component, "SUMMARY", 200) or "(nimetön tapahtuma)"
    url = _text(component, "URL", 500)
    fields = {
        "title": title,
        "description": _text(component, "DESCRIPTION", 20_000),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "is_all_day": all_day,
        "place_name": _text(component, "LOCATION", 200),
        "status": Event.Status.CANCELLED if status == "CANCELLED" else Event.Status.PUBLISHED,
        "is_save_the_date": status == "TENTATIVE",
        "place_kind": Event.PlaceKind.ADDRESS,
    }
    if url.startswith(("http://", "https://")):
        fields["registration"] = Event.Registration.LINK
        fields["registration_url"] = url
    return fields


def _upsert(organisation, source_uid: str, fields: dict, series, report: ImportReport) -> None:
    existing = Event.objects.filter(source_organisation=organisation, source_uid=source_uid).first()
    if existing is None:
        services.event_create(
            by=None,
            organisers=[organisation],
            source_organisation=organisation,
            source_uid=source_uid,
            series=series,
            **fields,
        )
        report.created += 1
    elif services.event_update(by=None, event=existing, **fields):
        report.updated += 1
    else:
        report.unchanged += 1


def import_calendar(data: bytes, *, organisation, now: datetime | None = None) -> ImportReport:
    report = ImportReport()
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise ImportFailed(f"The file is not an iCalendar file: {error}") from None
    now = now or timezone.now()
    window = (now - PAST, now + AHEAD)
    timezones = list(calendar.walk("VTIMEZONE"))
    by_uid: dict[str, list] = defaultdict(list)
    for number, component in enumerate(calendar.walk("VEVENT"), start=1):
        uid = str(component.get("UID", "")).strip()
        if not uid:
            report.problems.append(f"Event {number} has no UID; skipped.")
            continue
        by_uid[uid[:400]].append(component)
    for uid, components in by_uid.items():
        try:
            with transaction.atomic():
                _import_uid(uid, components, timezones, organisation, window, report)
        except Exception as error:  # one broken event must not stop the rest
            report.problems.append(f"{uid}: {type(error).__name__}: {error}"[:300])
    return report


def _import_uid(uid, components, timezones, organisation, window, report) -> None:
    repeating = any("RRULE" in c or "RDATE" in c for c in components)
    if not repeating:
        _upsert(organisation, uid, _fields(components[-1], organisation), None, report)
        return
    single = icalendar.Calendar()
    for tz in timezones:
        single.add_component(tz)
    for component in components:
        single.add_component(component)
    occurrences = recurring_ical_events.of(single).between(*window)
    if not occurrences:
        return
    series = (
        Event.objects.filter(source_organisation=organisation, source_uid__startswith=f"{uid}#")
        .exclude(series=None)
        .values_list("series", flat=True)
        .first()
    )
    if series is None:
        title = _text(components[0], "SUMMARY", 200) or uid
        series = Series.objects.create(title=title, kind=Series.Kind.IMPORTED).pk
    seen = set()
    for occurrence in occurrences:
        fields = _fields(occurrence, organisation)
        recurrence = occurrence.get("RECURRENCE-ID")
        original = recurrence.dt if recurrence is not None else occurrence.decoded("DTSTART")
        key = f"{uid}#{_key_time(original)}"[:500]
        seen.add(key)
        _upsert(organisation, key, fields, Series.objects.get(pk=series), report)
    # Occurrences the partner removed (EXDATE, a shorter RRULE) are cancelled, not deleted:
    # subscribers' calendars then drop them too.
    gone = Event.objects.filter(
        source_organisation=organisation,
        source_uid__startswith=f"{uid}#",
        starts_at__range=window,
    ).exclude(source_uid__in=seen)
    for event in gone.exclude(status=Event.Status.CANCELLED):
        services.event_cancel(by=None, event=event)
        report.updated += 1


def _key_time(value) -> str:
    """A stable text for an occurrence's original start, whatever form the file gave it in."""
    value = _aware(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")

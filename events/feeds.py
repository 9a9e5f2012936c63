"""iCal feeds of events, written with the shared writer in config/ical.py.

The ETag comes from one cheap aggregate (count and last change of exactly the events the feed
holds) plus the normalised filter, so a 304 needs one small query and renders nothing.
A feed is rendered from one query (organisers and themes come as JSON in the event rows), and
the rendered bytes are kept under their ETag in this process, so a warm request is the
aggregate and a memory lookup: 2–3 queries in all, cold or warm, whatever the feed's size.
"""

import functools
import threading
from collections import OrderedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _

from config import ical
from events.models import HELSINKI, Event, event_uid, localized_name, place_text

FEED_LIMIT = 1000  # a calendar app needs the coming months, not the whole archive

_STATUS = {
    Event.Status.PUBLISHED: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.DRAFT: "TENTATIVE",
}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


_PK_MARK = 987654321
_MARK = str(_PK_MARK)


@functools.lru_cache(maxsize=16)
def _event_path_template(prefix: str, urlconf) -> str:
    return reverse("events:event-detail", kwargs={"pk": _PK_MARK})


# What a feed entry shows, read with `values()`: no model instances, no search vectors, the
# organisers' and themes' names as text arrays (a feed of 1,000 events spent more time building
# model instances and decoding JSON than writing its VEVENTs).
FEED_FIELDS = (
    "id",
    "title",
    "description",
    "status",
    "status_note",
    "is_save_the_date",
    "starts_at",
    "ends_at",
    "is_all_day",
    "place_kind",
    "place_name",
    "street_address",
    "district_name",
    "online_url",
    "is_free",
    "price_text",
    "registration",
    "registration_url",
    "registration_email",
    "accessibility_notes",
    "sequence",
    "updated_at",
    "organiser_names",
    "theme_names",
)


def feed_queryset(queryset):
    """The (sliced) queryset as the dicts `feed_items` reads, in one query."""
    return queryset.with_names().values(*FEED_FIELDS)


def feed_items(values, *, show_online_link: bool = False) -> list[ical.CalendarEvent]:
    """CalendarEvents from `feed_queryset` dicts, in the active language."""
    texts = _Texts()
    path = _event_path_template(get_script_prefix(), get_urlconf())
    return [_item(v, texts, path, show_online_link) for v in values]


def calendar_event(event: Event, *, show_online_link: bool = False) -> ical.CalendarEvent:
    """The CalendarEvent of one Event instance (its own .ics): the same as in the feeds."""
    district = event.district if event.district_id else None
    values = {name: getattr(event, name, None) for name in FEED_FIELDS if "__" not in name}
    english = (translation.get_language() or "fi").startswith("en")
    values.update(
        id=event.pk,
        district_name=((district.name_en if english else "") or district.name_fi)
        if district
        else "",
        organiser_names=list(event.organisers.order_by("name").values_list("name", flat=True)),
        theme_names=[localized_name(t) for t in event.themes.all()],
    )
    return feed_items([values], show_online_link=show_online_link)[0]


class _Texts:
    """The feed's fixed phrases, translated once per feed rather than once per event."""

    def __init__(self):
        self.postponed = _("Postponed: %(title)s")
        self.cancelled = _("Cancelled: %(title)s")
        self.save_the_date = _("Save the date: %(title)s")
        self.organiser = _("Organiser: %(names)s")
        self.free = _("Free of charge")
        self.registration = _("Registration: %(where)s")
        self.online = _("Online: %(url)s")


def _item(v, texts: _Texts, path: str, show_online_link: bool):
    title, status = v["title"], v["status"]
    summary = title
    if status == Event.Status.POSTPONED:
        summary = texts.postponed % {"title": title}
    elif status == Event.Status.CANCELLED:
        summary = texts.cancelled % {"title": title}
    elif v["is_save_the_date"]:
        summary = texts.save_the_date % {"title": title}
    organisers = ", ".join(v["organiser_names"] or ())
    lines = [v["description"]]
    if v["status_note"]:
        lines.append(v["status_note"])
    facts = [
        texts.organiser % {"names": organisers} if organisers else "",
        texts.free if v["is_free"] else v["price_text"],
    ]
    registration = v["registration"]
    if registration == Event.Registration.LINK and v["registration_url"]:
        facts.append(texts.registration % {"where": v["registration_url"]})
    elif registration == Event.Registration.EMAIL and v["registration_email"]:
        facts.append(texts.registration % {"where": v["registration_email"]})
    is_online = v["place_kind"] in (Event.PlaceKind.ONLINE, Event.PlaceKind.HYBRID)
    if show_online_link and is_online and v["online_url"]:
        facts.append(texts.online % {"url": v["online_url"]})
    if v["accessibility_notes"]:
        facts.append(v["accessibility_notes"])
    lines.append("\n".join(f for f in facts if f))
    start, end = v["starts_at"], v["ends_at"]
    if v["is_all_day"]:
        start, end = start.astimezone(HELSINKI).date(), end.astimezone(HELSINKI).date()
    return ical.CalendarEvent(
        uid=event_uid(v["id"]),
        summary=summary,
        start=start,
        end=end,
        updated_at=v["updated_at"],
        sequence=v["sequence"],
        status="TENTATIVE" if v["is_save_the_date"] else _STATUS[status],
        description="\n\n".join(line for line in lines if line),
        location=place_text(
            v["place_kind"], v["place_name"], v["street_address"], v["district_name"]
        ),
        url=absolute(path.replace(_MARK, str(v["id"]))),
        categories=tuple(name for name in v["theme_names"] or () if name),
        organizer_name=organisers,
        transparent=v["is_save_the_date"],
    )


def feed_signature(queryset, *parts) -> tuple[str, object]:
    """(ETag, Last-Modified) from one aggregate query over exactly the feed's events.

    `queryset` is the uncapped, ordered selection; the aggregate runs over its first
    FEED_LIMIT rows (Django wraps a sliced queryset's aggregate in a subquery), so a feed of
    any size costs one query that reads at most FEED_LIMIT index entries.
    """
    summary = queryset.values("updated_at")[:FEED_LIMIT].aggregate(
        n=Count("updated_at"), last=Max("updated_at")
    )
    host = urlsplit(settings.SITE_URL).hostname
    etag = ical.feed_etag(
        "events", host, translation.get_language(), summary["n"], summary["last"], *parts
    )
    return etag, summary["last"]


def feed_response(
    request,
    queryset,
    *,
    name: str,
    params=(),
    filename: str = "tapahtumat.ics",
    show_online_link: bool = False,
    private: bool = False,
):
    """Serve the (capped) queryset as a feed with ETag/Last-Modified and 304s."""
    etag, last_modified = feed_signature(queryset, name, tuple(params), show_online_link)

    def render() -> bytes:
        values = feed_queryset(queryset[:FEED_LIMIT])
        return build_calendar(feed_items(values, show_online_link=show_online_link), name=name)

    return _calendar_response(
        request,
        etag=etag,
        last_modified=last_modified,
        render=render,
        filename=filename,
        private=private,
    )


# -- the calendar, from remembered VEVENTs ------------------------------------------------------

VEVENT_CACHE_SIZE = 50_000  # ~25 MB per process at ~500 bytes a VEVENT
_vevents: OrderedDict[ical.CalendarEvent, bytes] = OrderedDict()
_vevents_lock = threading.Lock()
_END = b"END:VCALENDAR\r\n"


def build_calendar(items: list[ical.CalendarEvent], *, name: str) -> bytes:
    """Exactly `config.ical.build_calendar(items, name=name)` (a test compares the bytes),
    with each VEVENT's bytes remembered under its CalendarEvent, a frozen value of everything
    the VEVENT shows. icalendar spends ~0.4 ms on a VEVENT; when an event changes, every feed
    it is in gets a new ETag and is rendered again, but only the changed VEVENT is new."""
    shell = ical.build_calendar([], name=name)
    parts = []
    missing = []
    with _vevents_lock:
        for item in items:
            body = _vevents.get(item)
            if body is None:
                missing.append(len(parts))
            else:
                _vevents.move_to_end(item)
            parts.append(body)
    for index in missing:
        parts[index] = ical.vevent(items[index])
    with _vevents_lock:
        for index in missing:
            _vevents[items[index]] = parts[index]
        while len(_vevents) > VEVENT_CACHE_SIZE:
            _vevents.popitem(last=False)
    if not shell.endswith(_END):  # not the layout this relies on: the plain, slower way
        return ical.build_calendar(items, name=name)
    return shell[: -len(_END)] + b"".join(parts) + _END


# -- rendered feeds, kept in this process --------------------------------------------------------

RENDERED_CACHE_BYTES = 48 * 1024 * 1024  # ~100 feeds of 1,000 events per worker
_rendered: OrderedDict[str, bytes] = OrderedDict()
_rendered_size = 0
_rendered_lock = threading.Lock()


def rendered(etag: str, render) -> bytes:
    """The feed's bytes for this ETag: from memory, or rendered and remembered (LRU).

    The ETag names the content exactly (events, their last change, filters, language), so a
    kept feed is never stale. In memory rather than in the database cache: a database cache
    hit is a query and a miss four (get, cull count, select, insert), which alone broke the
    feed's budget of four queries; a calendar app polls the same few feeds again and again.
    """
    global _rendered_size
    with _rendered_lock:
        body = _rendered.get(etag)
        if body is not None:
            _rendered.move_to_end(etag)
            return body
    body = render()
    with _rendered_lock:
        if etag not in _rendered:
            _rendered[etag] = body
            _rendered_size += len(body)
        while _rendered_size > RENDERED_CACHE_BYTES and len(_rendered) > 1:
            _old, dropped = _rendered.popitem(last=False)
            _rendered_size -= len(dropped)
    return body


def forget_rendered(*, vevents: bool = True) -> None:
    """Empty the rendered-feed memory (tests, and the benchmark's cold feed); with
    `vevents=False` the remembered VEVENTs stay (a feed after one of its events changed)."""
    global _rendered_size
    with _rendered_lock:
        _rendered.clear()
        _rendered_size = 0
    if vevents:
        with _vevents_lock:
            _vevents.clear()


def _calendar_response(
    request, *, etag, last_modified, render, filename, private, max_age: int = 300
) -> HttpResponse:
    """As `config.ical.calendar_response` (same headers, same 304 rules), with the bytes kept
    in this process (`rendered`) instead of the database cache."""
    quoted = quote_etag(etag)
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        fresh = quoted in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        fresh = bool(since and last_modified and int(last_modified.timestamp()) <= since)
    if fresh:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(rendered(etag, render), content_type=ical.CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = quoted
    response["Cache-Control"] = f"{'private' if private else 'public'}, max-age={max_age}"
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    if private:
        response["Referrer-Policy"] = "no-referrer"
    return response

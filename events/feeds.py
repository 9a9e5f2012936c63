"""iCal feeds of events, written with the shared writer in config/ical.py.

The ETag comes from one cheap aggregate (count and last change of exactly the events the feed
holds) plus the normalised filter, so a 304 needs one small query and renders nothing.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max
from django.utils import translation
from django.utils.translation import gettext as _

from config import ical
from events.models import Event

FEED_LIMIT = 1000  # a calendar app needs the coming months, not the whole archive

_STATUS = {
    Event.Status.PUBLISHED: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.DRAFT: "TENTATIVE",
}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def feed_queryset(queryset):
    """What a feed needs, without lazy loads: organisers, themes, district, umbrella."""
    return queryset.select_related("district", "umbrella").prefetch_related("organisers", "themes")


def calendar_event(event: Event, *, show_online_link: bool = False) -> ical.CalendarEvent:
    summary = event.title
    if event.status == Event.Status.POSTPONED:
        summary = _("Postponed: %(title)s") % {"title": event.title}
    elif event.status == Event.Status.CANCELLED:
        summary = _("Cancelled: %(title)s") % {"title": event.title}
    elif event.is_save_the_date:
        summary = _("Save the date: %(title)s") % {"title": event.title}
    organisers = ", ".join(o.name for o in event.organisers.all())
    lines = [event.description]
    if event.status_note:
        lines.append(event.status_note)
    facts = [
        _("Organiser: %(names)s") % {"names": organisers} if organisers else "",
        _("Free of charge") if event.is_free else event.price_text,
    ]
    if event.registration == Event.Registration.LINK and event.registration_url:
        facts.append(_("Registration: %(where)s") % {"where": event.registration_url})
    elif event.registration == Event.Registration.EMAIL and event.registration_email:
        facts.append(_("Registration: %(where)s") % {"where": event.registration_email})
    if show_online_link and event.is_online and event.online_url:
        facts.append(_("Online: %(url)s") % {"url": event.online_url})
    if event.accessibility_notes:
        facts.append(event.accessibility_notes)
    lines.append("\n".join(f for f in facts if f))
    if event.is_all_day:
        start, end = event.local_start.date(), event.local_end.date()
    else:
        start, end = event.starts_at, event.ends_at
    return ical.CalendarEvent(
        uid=event.uid,
        summary=summary,
        start=start,
        end=end,
        updated_at=event.updated_at,
        sequence=event.sequence,
        status="TENTATIVE" if event.is_save_the_date else _STATUS[event.status],
        description="\n\n".join(line for line in lines if line),
        location=event.location_text,
        url=absolute(event.get_absolute_url()),
        categories=tuple(t.name for t in event.themes.all()),
        organizer_name=organisers,
        transparent=event.is_save_the_date,
    )


def feed_signature(queryset, *parts) -> tuple[str, object]:
    """(ETag, Last-Modified) from one aggregate query over exactly the feed's events.

    `queryset` is the uncapped, ordered selection; only when it holds more than FEED_LIMIT
    events does the aggregate need the (slower) capped subquery.
    """
    summary = queryset.order_by().aggregate(n=Count("pk"), last=Max("updated_at"))
    if summary["n"] > FEED_LIMIT:
        ids = queryset[:FEED_LIMIT].values("pk")
        summary = Event.objects.filter(pk__in=ids).aggregate(n=Count("pk"), last=Max("updated_at"))
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
        events = feed_queryset(queryset[:FEED_LIMIT])
        return ical.build_calendar(
            [calendar_event(e, show_online_link=show_online_link) for e in events], name=name
        )

    return ical.calendar_response(
        request,
        etag=etag,
        last_modified=last_modified,
        render=render,
        filename=filename,
        private=private,
    )

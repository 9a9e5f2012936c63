"""Calendar feeds: a space's public busy times, and an association's own bookings (private).

Both follow the feed rules in DESIGN.md through config.ical: stable UIDs per booking, DTSTAMP and
SEQUENCE from the booking's last change, cancelled bookings kept as CANCELLED until they pass, and
an ETag from one aggregate query so an unchanged feed answers 304 without rendering.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from config.ical import CalendarEvent, build_calendar, feed_etag
from spaces.availability import public_label
from spaces.models import Booking, Space, SpaceUnitLink

PAST_DAYS = 30
FUTURE_DAYS = 400
ICAL_STATUS = {
    Booking.Status.REQUESTED: "TENTATIVE",
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.REJECTED: "CANCELLED",
    Booking.Status.CANCELLED: "CANCELLED",
}


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _window(queryset):
    """Recent and coming bookings; inactive ones only until they have passed."""
    now = timezone.now()
    return queryset.filter(
        during__endswith__gt=now - dt.timedelta(days=PAST_DAYS),
        during__startswith__lt=now + dt.timedelta(days=FUTURE_DAYS),
    ).filter(Q(status__in=("requested", "confirmed")) | Q(during__endswith__gt=now))


def space_feed_bookings(space: Space):
    """Every booking on any unit of the space: booking the whole hall makes each half busy."""
    units = SpaceUnitLink.objects.filter(space=space).values("unit")
    return _window(Booking.objects.filter(occupancy__unit__in=units)).distinct()


def organisation_feed_bookings(user, organisation):
    return _window(Booking.objects.visible_to(user).filter(organisation=organisation))


def etag_for(queryset, *parts) -> tuple[str, dt.datetime | None]:
    """(ETag, Last-Modified) from one aggregate query over exactly what the feed shows."""
    stats = Booking.objects.filter(pk__in=queryset.values("pk")).aggregate(
        count=Count("pk"), last=Max("updated_at")
    )
    etag = feed_etag(*parts, get_language(), timezone.localdate(), stats["count"], stats["last"])
    return etag, stats["last"]


def _location(booking: Booking) -> str:
    return f"{booking.space.full_name}, {booking.space.venue.address}"


def _uid(booking: Booking) -> str:
    return f"space-booking-{booking.pk}@{_host()}"


def render_space_feed(space: Space) -> bytes:
    bookings = space_feed_bookings(space).select_related("organisation", "space__venue")
    events = [
        CalendarEvent(
            uid=_uid(booking),
            summary=public_label(booking),
            start=booking.start,
            end=booking.end,
            updated_at=booking.updated_at,
            sequence=booking.sequence,
            status=ICAL_STATUS[booking.status],
            location=_location(booking),
            url=settings.SITE_URL + space.get_absolute_url(),
        )
        for booking in bookings.order_by("during", "pk")
    ]
    return build_calendar(
        events,
        name=_("%(space)s: booked times") % {"space": space.full_name},
        description=_("When the space is booked. Public events show their purpose."),
    )


def render_organisation_feed(user, organisation) -> bytes:
    bookings = organisation_feed_bookings(user, organisation).select_related(
        "space__venue", "booked_by"
    )
    events = []
    for booking in bookings.order_by("during", "pk"):
        lines = [
            _("Status: %(status)s") % {"status": booking.get_status_display()},
            _("People: %(n)d") % {"n": booking.expected_attendees},
        ]
        if booking.booked_by:
            lines.append(_("Booked by: %(name)s") % {"name": booking.booked_by.get_full_name()})
        if booking.rejection_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": booking.rejection_reason})
        events.append(
            CalendarEvent(
                uid=_uid(booking),
                summary=f"{booking.purpose} – {booking.space.name}",
                start=booking.start,
                end=booking.end,
                updated_at=booking.updated_at,
                sequence=booking.sequence,
                status=ICAL_STATUS[booking.status],
                description="\n".join(lines),
                location=_location(booking),
                url=settings.SITE_URL + booking.get_absolute_url(),
            )
        )
    return build_calendar(
        events,
        name=_("%(organisation)s: space bookings") % {"organisation": organisation.name},
    )

"""The association page's "Events" section: its coming events, its feed, a follow button."""

from django.conf import settings

from config import ical
from events import rows
from events.models import Event, OrganisationFollow

PANEL_SIZE = 5


def organisation_events(organisation, request) -> dict | None:
    if not organisation.is_public:
        return None
    events = rows.rows_of(
        Event.objects.listed().upcoming().filter(organisers=organisation)[: PANEL_SIZE + 1]
    )
    feed_url = settings.SITE_URL + f"/events/organisations/{organisation.slug}/feed.ics"
    user = request.user
    return {
        "organisation": organisation,
        "events": events[:PANEL_SIZE],
        "has_more": len(events) > PANEL_SIZE,
        "subscribe": {"links": ical.subscribe_links(feed_url, organisation.name)},
        "is_following": user.is_authenticated
        and OrganisationFollow.objects.filter(user=user, organisation=organisation).exists(),
    }

"""Machine-readable events: schema.org JSON-LD for search engines, rows for the open data."""

import json

from django.utils.safestring import mark_safe

from events.feeds import absolute
from events.models import Event, localized_name

_STATUS = {
    Event.Status.PUBLISHED: "https://schema.org/EventScheduled",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
    Event.Status.POSTPONED: "https://schema.org/EventPostponed",
    Event.Status.DRAFT: "https://schema.org/EventScheduled",
}
_MODE = {
    Event.PlaceKind.ADDRESS: "https://schema.org/OfflineEventAttendanceMode",
    Event.PlaceKind.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.PlaceKind.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _when(event: Event, which: str) -> str:
    if event.is_all_day:
        return (event.starts_on if which == "start" else event.last_day).isoformat()
    moment = event.local_start if which == "start" else event.local_end
    return moment.isoformat()  # with the offset in force that day: +02:00 or +03:00


def _place(event: Event) -> dict:
    address = {"@type": "PostalAddress", "addressLocality": "Kuopio", "addressCountry": "FI"}
    if event.street_address:
        address["streetAddress"] = event.street_address
    place = {"@type": "Place", "name": event.place_name or event.street_address, "address": address}
    return place


def event_json_ld(event: Event) -> str:
    """The script body for <script type="application/ld+json">, safe inside HTML."""
    url = absolute(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": _when(event, "start"),
        "endDate": _when(event, "end"),
        "eventStatus": _STATUS[event.status],
        "eventAttendanceMode": _MODE[event.place_kind],
        "url": url,
        "isAccessibleForFree": event.is_free,
        "organizer": [
            {"@type": "Organization", "name": o.name, "url": absolute(o.get_absolute_url())}
            for o in event.organisers.all()
        ],
    }
    if event.description:
        data["description"] = event.description[:5000]
    locations = []
    if event.has_address:
        locations.append(_place(event))
    if event.is_online:
        # The meeting link itself is only for signed-in people; the page tells how to join.
        locations.append({"@type": "VirtualLocation", "url": url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    offer = {"@type": "Offer", "url": url, "priceCurrency": "EUR"}
    if event.is_free:
        offer["price"] = 0
    else:
        offer["description"] = event.price_text
    data["offers"] = offer
    if event.image:
        data["image"] = absolute(event.image.url)
    if event.age_min is not None or event.age_max is not None:
        data["typicalAgeRange"] = f"{event.age_min or 0}-{event.age_max or ''}"
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # JSON with <, > and & escaped cannot end the script element.
    return mark_safe(text)  # noqa: S308  # nosec B308 B703


OPEN_DATA_FIELDS = [
    "id",
    "uid",
    "url",
    "title",
    "description",
    "status",
    "save_the_date",
    "start",
    "end",
    "all_day",
    "place",
    "street_address",
    "district",
    "online",
    "organisers",
    "themes",
    "target_groups",
    "areas",
    "age_min",
    "age_max",
    "free",
    "price",
    "registration",
    "accessible",
    "accessibility_notes",
    "umbrella",
    "updated_at",
]


def open_data_row(event: Event) -> dict:
    """One event for /opendata/ (needs `with_list_data(full=True)`); no online links."""
    return {
        "id": event.pk,
        "uid": event.uid,
        "url": absolute(event.get_absolute_url()),
        "title": event.title,
        "description": event.description,
        "status": event.status,
        "save_the_date": event.is_save_the_date,
        "start": _when(event, "start"),
        "end": _when(event, "end"),
        "all_day": event.is_all_day,
        "place": event.place_name if event.has_address else "",
        "street_address": event.street_address if event.has_address else "",
        "district": event.district.name_fi if event.district_id else "",
        "online": event.is_online,
        "organisers": [o["name"] for o in event.organiser_list or []],
        "themes": [t["slug"] for t in event.theme_list or []],
        "target_groups": [t["slug"] for t in event.group_list or []],
        "areas": [a["slug"] for a in event.area_list or []],
        "age_min": event.age_min,
        "age_max": event.age_max,
        "free": event.is_free,
        "price": event.price_text,
        "registration": event.registration,
        "accessible": event.is_accessible,
        "accessibility_notes": event.accessibility_notes,
        "umbrella": event.umbrella.name if event.umbrella_id else "",
        "updated_at": event.updated_at.isoformat(),
    }


def term_names(items) -> list[str]:
    return [localized_name(item) for item in items or []]

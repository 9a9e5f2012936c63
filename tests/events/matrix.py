"""The events app's rows for the project's permission matrix (tests/security/matrix.py).

tests/security/matrix.py merges them with `MATRIX.update(EVENTS_MATRIX)`;
tests/security/test_permission_matrix.py runs them for the whole cast.
"""

from datetime import timedelta

from django.utils import timezone

# The same helpers as tests/security/matrix.py, which imports this module at its end: importing
# them from there would be circular when this module is imported first.
LOGIN = "login"
CAST = [
    "anonymous",
    "resident",
    "member",
    "org_admin",
    "other_org_admin",
    "staff_without_mfa",
    "staff",
]


def everyone(status):
    return dict.fromkeys(CAST, status)


def signed_in(status):
    return {**everyone(status), "anonymous": LOGIN}


def no_kwargs(world):
    return {}


def _event(world):
    from events import services
    from events.models import Event

    if not hasattr(world, "_event"):
        start = timezone.now() + timedelta(days=7)
        world._event = services.event_create(
            by=None, organisers=[world.org_a], title="Matriisitapahtuma",
            starts_at=start, ends_at=start + timedelta(hours=2), status=Event.Status.PUBLISHED,
            place_name="Asukastupa",
        )  # fmt: skip
    return {"pk": world._event.pk}


def _umbrella(world):
    from events.models import Umbrella

    today = timezone.localdate()
    umbrella, _ = Umbrella.objects.get_or_create(
        slug="matriisifestivaali",
        defaults={"name": "Matriisifestivaali", "starts_on": today, "ends_on": today},
    )
    return {"slug": umbrella.slug}


def _organisation(world):
    return {"slug": world.org_a.slug}


def _unknown_token(world):
    return {"token": "tuntematon.avain"}


# The organisers of association A and staff may change its events; others see 403. Staff
# powers need two-step verification, as in every module.
ORGANISER = {
    "anonymous": LOGIN,
    "resident": 403,
    "member": 200,
    "org_admin": 200,
    "other_org_admin": 403,
    "staff_without_mfa": 403,
    "staff": 200,
}
# Adding an event needs an association (or staff).
CREATOR = {**ORGANISER, "other_org_admin": 200}
POST_ONLY = signed_in(405)

EVENTS_MATRIX = {
    "events:event-week": (no_kwargs, everyone(200)),
    "events:event-month": (no_kwargs, everyone(200)),
    "events:event-year": (no_kwargs, everyone(200)),
    "events:event-feed": (no_kwargs, everyone(200)),
    "events:event-create": (no_kwargs, CREATOR),
    "events:my-events": (no_kwargs, signed_in(200)),
    "events:personal-feed-renew": (no_kwargs, POST_ONLY),
    # Private feeds need no login: a wrong token is simply not found.
    "events:personal-feed": (_unknown_token, everyone(404)),
    "events:event-detail": (_event, everyone(200)),
    "events:event-ics": (_event, everyone(200)),
    "events:event-edit": (_event, ORGANISER),
    "events:event-copy": (_event, ORGANISER),
    "events:event-publish": (_event, ORGANISER),
    "events:event-cancel": (_event, ORGANISER),
    "events:event-postpone": (_event, ORGANISER),
    "events:event-save": (_event, POST_ONLY),
    "events:umbrella-list": (no_kwargs, everyone(200)),
    "events:umbrella-detail": (_umbrella, everyone(200)),
    "events:umbrella-feed": (_umbrella, everyone(200)),
    "events:organisation-feed": (_organisation, everyone(200)),
    "events:organisation-follow": (_organisation, POST_ONLY),
    "events:opendata-json": (no_kwargs, everyone(200)),
    "events:opendata-csv": (no_kwargs, everyone(200)),
}

"""Expected GET answers of every spaces URL for the whole cast, in the shape of
tests/security/matrix.py: `MATRIX.update(SPACES_MATRIX)` there covers the spaces URLs."""

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from spaces import services
from spaces.models import Booking
from tests.security.matrix import CAST, LOGIN, everyone, signed_in
from tests.spaces.conftest import local, make_space, make_venue, next_weekday


def _objects(world):
    """A space, a venue, a booking by A's member and a feed token, made once per test."""
    if not hasattr(world, "_spaces"):
        venue = make_venue("Matriisitalo", "matriisitalo")
        space = make_space(venue, "Matriisihuone", "matriisihuone")
        member = world.fixture("member")
        day = next_weekday(1)
        booking = Booking.objects.create(
            space=space,
            organisation=world.org_a,
            booked_by=member,
            purpose="Kokous",
            expected_attendees=5,
            status="confirmed",
            during=DateTimeTZRange(local(day, 10), local(day, 11), "[)"),
        )
        token = services.feed_token_create(user=member, organisation=world.org_a)
        world._spaces = {"venue": venue, "space": space, "booking": booking, "token": token}
    return world._spaces


def space_kwargs(world):
    return {"slug": _objects(world)["space"].slug}


def venue_kwargs(world):
    return {"slug": _objects(world)["venue"].slug}


def booking_kwargs(world):
    return {"pk": _objects(world)["booking"].pk}


def token_kwargs(world):
    return {"token": _objects(world)["token"]}


def roles(**statuses):
    assert set(statuses) == set(CAST), sorted(set(CAST) ^ set(statuses))
    return statuses


STAFF_ONLY = roles(
    anonymous=LOGIN,
    resident=403,
    member=403,
    org_admin=403,
    other_org_admin=403,
    staff_without_mfa=403,  # staff powers need two-step verification, as in the admin
    staff=200,
)
# The booker and the association's admins; nobody from another association.
BOOKING_OF_A = roles(
    anonymous=LOGIN,
    resident=404,
    member=200,
    org_admin=200,
    other_org_admin=404,
    staff_without_mfa=404,
    staff=200,
)

SPACES_MATRIX = {
    "spaces:space-list": (lambda world: {}, everyone(200)),
    "spaces:space-detail": (space_kwargs, everyone(200)),
    "spaces:space-week": (space_kwargs, everyone(200)),
    "spaces:space-calendar": (space_kwargs, everyone(200)),
    # Members of a verified association book; others get an explanation (403).
    "spaces:booking-create": (
        space_kwargs,
        roles(
            anonymous=LOGIN,
            resident=403,
            member=200,
            org_admin=200,
            other_org_admin=200,
            staff_without_mfa=403,
            staff=403,
        ),
    ),
    "spaces:booking-list": (lambda world: {}, signed_in(200)),
    "spaces:booking-detail": (booking_kwargs, BOOKING_OF_A),
    "spaces:booking-cancel": (booking_kwargs, BOOKING_OF_A),
    # POST only.
    "spaces:feed-token-create": (lambda world: {}, signed_in(405)),
    "spaces:feed-token-revoke": (lambda world: {}, signed_in(405)),
    # The private feed answers whoever holds the token (calendar apps have no session).
    "spaces:booking-feed": (token_kwargs, everyone(200)),
    "spaces:staff-agenda": (venue_kwargs, STAFF_ONLY),
    "spaces:staff-report": (lambda world: {}, STAFF_ONLY),
}

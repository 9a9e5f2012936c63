"""Who sees and cancels which bookings, and who opens the staff pages: the whole cast."""

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.test import Client

from directory.models import Membership
from spaces.models import Booking
from tests import factories
from tests.spaces.conftest import local, next_weekday

pytestmark = pytest.mark.django_db

CAST = [
    "anonymous",
    "resident",
    "member",
    "org_admin",
    "other_org_admin",
    "staff_without_mfa",
    "staff",
]


@pytest.fixture
def bookings(room, member, org_admin, other_org_admin, org_a, org_b):
    day = next_weekday(1)

    def make(organisation, user, hour):
        return Booking.objects.create(
            space=room,
            organisation=organisation,
            booked_by=user,
            purpose="Kokous",
            expected_attendees=5,
            status="confirmed",
            during=DateTimeTZRange(local(day, hour), local(day, hour + 1), "[)"),
        )

    colleague = factories.make_user("kollega@example.com", name="Kalle Kollega")
    factories.add_member(colleague, org_a, Membership.Role.EDITOR)
    return {
        "by_member": make(org_a, member, 9),
        "by_colleague": make(org_a, colleague, 11),
        "of_b": make(org_b, other_org_admin, 13),
    }


def client_for(role, request):
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


# What each role gets from a booking's page: the booker and the association's admins see it,
# a fellow member who did not make it does not, nor does anyone from another association. Staff
# need two-step verification for their powers, as in the admin.
EXPECTED = {
    "by_member": {
        "anonymous": 302,
        "resident": 404,
        "member": 200,
        "org_admin": 200,
        "other_org_admin": 404,
        "staff_without_mfa": 404,
        "staff": 200,
    },
    "by_colleague": {
        "anonymous": 302,
        "resident": 404,
        "member": 404,
        "org_admin": 200,
        "other_org_admin": 404,
        "staff_without_mfa": 404,
        "staff": 200,
    },
    "of_b": {
        "anonymous": 302,
        "resident": 404,
        "member": 404,
        "org_admin": 404,
        "other_org_admin": 200,
        "staff_without_mfa": 404,
        "staff": 200,
    },
}


@pytest.mark.parametrize("role", CAST)
def test_nobody_sees_another_associations_bookings(role, bookings, request):
    client = client_for(role, request)
    for key, booking in bookings.items():
        for url in (f"/spaces/bookings/{booking.pk}/", f"/spaces/bookings/{booking.pk}/cancel/"):
            assert client.get(url).status_code == EXPECTED[key][role], (role, key, url)


@pytest.mark.parametrize("role", ["resident", "member", "org_admin", "other_org_admin"])
def test_nobody_cancels_another_associations_bookings(role, bookings, request):
    client = client_for(role, request)
    for key, booking in bookings.items():
        response = client.post(f"/spaces/bookings/{booking.pk}/cancel/")
        booking.refresh_from_db()
        if EXPECTED[key][role] == 200:
            assert response.status_code == 302 and booking.status == "cancelled", (role, key)
        else:
            assert response.status_code == 404 and booking.status == "confirmed", (role, key)


def test_the_booking_list_shows_only_what_the_user_may_see(bookings, client_as):
    listed = {b.pk for b in client_as("member").get("/spaces/bookings/").context["bookings"]}
    assert listed == {bookings["by_member"].pk}


def test_an_org_admin_lists_all_of_the_associations_bookings(bookings, client_as):
    listed = {b.pk for b in client_as("org_admin").get("/spaces/bookings/").context["bookings"]}
    assert listed == {bookings["by_member"].pk, bookings["by_colleague"].pk}


def test_a_member_who_left_no_longer_sees_the_booking_they_made(bookings, member, client_as):
    member.memberships.all().delete()
    client = client_as("member")
    assert client.get(f"/spaces/bookings/{bookings['by_member'].pk}/").status_code == 404


def test_a_cancelled_booking_cannot_be_cancelled_again(bookings, client_as):
    booking = bookings["by_member"]
    Booking.objects.filter(pk=booking.pk).update(status="cancelled")
    assert client_as("member").post(f"/spaces/bookings/{booking.pk}/cancel/").status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("member", 403),
        ("org_admin", 403),
        ("other_org_admin", 403),
        ("staff_without_mfa", 403),
        ("staff", 200),
    ],
)
def test_only_city_staff_with_two_step_verification_open_the_staff_pages(
    role, status, room, request
):
    client = client_for(role, request)
    for url in (f"/spaces/staff/agenda/{room.venue.slug}/", "/spaces/staff/report/"):
        assert client.get(url).status_code == status, (role, url)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("resident", 200), ("member", 200), ("staff", 200)],
)
def test_the_own_bookings_page_needs_an_account(role, status, request):
    assert client_for(role, request).get("/spaces/bookings/").status_code == status

"""Calendar feeds: a space's public busy times, and an association's private bookings feed."""

import icalendar
import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from spaces import services
from spaces.models import Booking, FeedToken
from tests.spaces.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


def make_booking(space, organisation, day, start, end, **fields):
    fields.setdefault("purpose", "Salainen kokous")
    fields.setdefault("status", Booking.Status.CONFIRMED)
    return Booking.objects.create(
        space=space,
        organisation=organisation,
        expected_attendees=5,
        during=DateTimeTZRange(local(day, start), local(day, end), "[)"),
        **fields,
    )


def events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_public_feed_shows_busy_times_without_private_details(client, hall, org_a, org_b):
    day = next_weekday(1)
    private = make_booking(hall["whole"], org_a, day, 10, 12)
    public = make_booking(hall["a"], org_b, day, 14, 16, purpose="Avoimet tanssit", is_public=True)
    response = client.get("/spaces/liikuntasali-a/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert str(found[f"space-booking-{private.pk}@127.0.0.1"]["SUMMARY"]) == "Varattu"
    assert "Avoimet tanssit" in str(found[f"space-booking-{public.pk}@127.0.0.1"]["SUMMARY"])
    assert b"Salainen" not in response.content and org_a.name.encode() not in response.content


def test_the_feed_is_byte_identical_and_answers_304_when_nothing_changed(client, room, org_a):
    make_booking(room, org_a, next_weekday(1), 10, 12)
    first = client.get(f"/spaces/{room.slug}/calendar.ics")
    second = client.get(f"/spaces/{room.slug}/calendar.ics")
    assert first.content == second.content
    again = client.get(
        f"/spaces/{room.slug}/calendar.ics", headers={"If-None-Match": first["ETag"]}
    )
    assert again.status_code == 304


def test_a_cancelled_booking_stays_in_the_feed_as_cancelled_with_a_new_sequence(
    client, room, org_a, member
):
    day = next_weekday(1)
    booking = services.booking_create(
        space=room,
        organisation=org_a,
        user=member,
        start=local(day, 10),
        end=local(day, 12),
        purpose="Kokous",
        expected_attendees=5,
    )
    before = client.get(f"/spaces/{room.slug}/calendar.ics")
    services.booking_cancel(booking=booking, user=member)
    after = client.get(
        f"/spaces/{room.slug}/calendar.ics", headers={"If-None-Match": before["ETag"]}
    )
    assert after.status_code == 200
    event = events(after)[f"space-booking-{booking.pk}@127.0.0.1"]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_the_feed_of_an_unknown_space_is_404(client):
    assert client.get("/spaces/ei-ole/calendar.ics").status_code == 404


def test_a_private_feed_token_has_at_least_128_random_bits_and_only_its_hash_is_stored(
    member, org_a
):
    token = services.feed_token_create(user=member, organisation=org_a)
    assert len(token) >= 43  # 32 random bytes in URL-safe base64
    row = FeedToken.objects.get()
    assert token not in (row.digest, row.lookup) and row.lookup == token[:12]


def test_the_private_feed_shows_the_associations_bookings_to_the_token_holder(
    client, room, member, org_a, org_b
):
    day = next_weekday(1)
    mine = make_booking(room, org_a, day, 10, 12, booked_by=member, purpose="Hallituksen kokous")
    make_booking(room, org_b, day, 13, 15, purpose="Toisen yhdistyksen kokous")
    token = services.feed_token_create(user=member, organisation=org_a)
    response = client.get(f"/spaces/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    found = events(response)
    assert list(found) == [f"space-booking-{mine.pk}@127.0.0.1"]
    assert "Hallituksen kokous" in str(found[f"space-booking-{mine.pk}@127.0.0.1"]["SUMMARY"])


def test_a_wrong_token_is_404_even_with_the_right_lookup_prefix(client, member, org_a):
    token = services.feed_token_create(user=member, organisation=org_a)
    forged = token[:12] + ("A" if token[12] != "A" else "B") + token[13:]
    assert client.get(f"/spaces/calendar/{forged}.ics").status_code == 404
    assert client.get("/spaces/calendar/short.ics").status_code == 404


def test_a_revoked_token_stops_working_and_is_never_handed_out_again(client, member, org_a):
    old = services.feed_token_create(user=member, organisation=org_a)
    new = services.feed_token_create(user=member, organisation=org_a)  # replaces the old one
    assert new != old
    assert client.get(f"/spaces/calendar/{old}.ics").status_code == 410
    assert client.get(f"/spaces/calendar/{new}.ics").status_code == 200
    services.feed_token_revoke(user=member, organisation=org_a)
    assert client.get(f"/spaces/calendar/{new}.ics").status_code == 410
    assert FeedToken.objects.count() == 2, "revoked tokens are kept so they are never reused"


def test_a_member_who_leaves_loses_the_feed(client, member, org_a):
    token = services.feed_token_create(user=member, organisation=org_a)
    member.memberships.all().delete()
    assert client.get(f"/spaces/calendar/{token}.ics").status_code == 404


def test_making_and_turning_off_a_calendar_address_through_the_page(
    client_as, member, org_a, org_b
):
    client = client_as("member")
    response = client.post("/spaces/bookings/calendar/new/", {"organisation": org_a.pk})
    assert response.status_code == 302
    page = client.get("/spaces/bookings/").content.decode()
    assert "/spaces/calendar/" in page and "webcal://" in page
    assert "/spaces/calendar/" not in client.get("/spaces/bookings/").content.decode(), "shown once"
    assert (
        client.post("/spaces/bookings/calendar/new/", {"organisation": org_b.pk}).status_code == 404
    )
    client.post("/spaces/bookings/calendar/off/", {"organisation": org_a.pk})
    assert FeedToken.objects.live().count() == 0


def test_the_space_page_offers_webcal_google_and_outlook_links(client, room):
    html = client.get(f"/spaces/{room.slug}/").content.decode()
    assert "webcal://" in html and "calendar.google.com" in html and "outlook.live.com" in html


def test_feed_times_are_in_helsinki_time_with_the_fixed_timezone(client, room, org_a):
    make_booking(room, org_a, next_weekday(1), 18, 20)
    body = client.get(f"/spaces/{room.slug}/calendar.ics").content
    assert b"DTSTART;TZID=Europe/Helsinki:" in body and b"T180000" in body
    assert b"RRULE:FREQ=YEARLY" in body and b"METHOD" not in body

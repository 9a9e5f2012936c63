"""Weekly series: clashes and closures shown first and recorded as skipped, local time kept."""

import datetime as dt

import pytest
import time_machine
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from spaces import services
from spaces.models import Booking, BookingSeries, OpeningException, SkippedOccurrence
from tests.spaces.conftest import HELSINKI, local

pytestmark = pytest.mark.django_db

# Tuesdays from 2 March to 27 April 2027: the clocks go forward on Sunday 28 March.
SPRING = dt.datetime(2027, 2, 20, 12, tzinfo=dt.UTC)
FIRST, LAST = dt.date(2027, 3, 2), dt.date(2027, 4, 27)


def taken(space, organisation, day, start, end):
    return Booking.objects.create(
        space=space,
        organisation=organisation,
        purpose="Vuosikokous",
        expected_attendees=3,
        status="confirmed",
        during=DateTimeTZRange(local(day, start), local(day, end), "[)"),
    )


def series_form(organisation, **extra):
    data = {
        "organisation": organisation.pk,
        "date": FIRST.isoformat(),
        "starts_at": "18:00",
        "ends_at": "20:00",
        "repeat_until": LAST.isoformat(),
        "purpose": "Kuoroharjoitus",
        "expected_attendees": 20,
    }
    data.update(extra)
    return data


@time_machine.travel(SPRING)
def test_a_weekly_series_keeps_18_local_across_the_spring_clock_change(room, member, org_a):
    _series, created, skipped = services.series_create(
        space=room,
        organisation=org_a,
        user=member,
        first_on=FIRST,
        last_on=LAST,
        starts_at=dt.time(18),
        ends_at=dt.time(20),
        purpose="Kuoro",
        expected_attendees=20,
    )
    assert skipped == [] and len(created) == 9
    assert {b.local_start.time() for b in created} == {dt.time(18)}
    before = next(b for b in created if b.local_start.date() == dt.date(2027, 3, 23))
    after = next(b for b in created if b.local_start.date() == dt.date(2027, 3, 30))
    assert before.start == dt.datetime(2027, 3, 23, 16, tzinfo=dt.UTC)
    assert after.start == dt.datetime(2027, 3, 30, 15, tzinfo=dt.UTC)


@time_machine.travel(SPRING)
def test_clashes_and_closures_are_previewed_then_skipped_and_the_rest_booked(
    client_as, room, org_a, org_b
):
    taken(room, org_b, dt.date(2027, 3, 16), 17, 19)
    OpeningException.objects.create(
        venue=room.venue,
        starts_on=dt.date(2027, 3, 30),
        ends_on=dt.date(2027, 3, 30),
        reason="Remontti",
    )
    client = client_as("member")
    preview = client.post(f"/spaces/{room.slug}/book/", series_form(org_a))
    html = preview.content.decode()
    assert preview.status_code == 200 and "Tarkista päivät" in html
    assert "jo varattu 17.00–19.00" in html and "Remontti" in html
    assert Booking.objects.count() == 1, "nothing is written before confirming"

    response = client.post(f"/spaces/{room.slug}/book/", series_form(org_a, confirm="yes"))
    assert response.status_code == 302
    series = BookingSeries.objects.get()
    assert series.bookings.count() == 7
    skipped = {s.on: s.reason for s in SkippedOccurrence.objects.filter(series=series)}
    assert skipped == {dt.date(2027, 3, 16): "taken", dt.date(2027, 3, 30): "closed"}


@time_machine.travel(SPRING)
def test_a_date_taken_between_preview_and_confirmation_is_skipped_not_double_booked(
    room, member, org_a, org_b
):
    plan = services.series_plan(
        space=room,
        first_on=FIRST,
        last_on=LAST,
        starts_at=dt.time(18),
        ends_at=dt.time(20),
        expected_attendees=10,
    )
    assert all(o.ok for o in plan)
    taken(room, org_b, dt.date(2027, 4, 6), 18, 19)
    _series, created, skipped = services.series_create(
        space=room,
        organisation=org_a,
        user=member,
        first_on=FIRST,
        last_on=LAST,
        starts_at=dt.time(18),
        ends_at=dt.time(20),
        purpose="Kuoro",
        expected_attendees=10,
    )
    assert [s.on for s in skipped] == [dt.date(2027, 4, 6)]
    assert len(created) == 8


@time_machine.travel(SPRING)
def test_a_weekly_time_inside_the_spring_gap_is_skipped_that_night_only(room, member, org_a):
    room.venue.opening_hours.update(opens_at=dt.time(0), closes_at=dt.time(23, 59))
    sunday = dt.date(2027, 3, 21)
    _series, created, skipped = services.series_create(
        space=room,
        organisation=org_a,
        user=member,
        first_on=sunday,
        last_on=dt.date(2027, 4, 4),
        starts_at=dt.time(3, 30),
        ends_at=dt.time(5),
        purpose="Yölaulanta",
        expected_attendees=5,
    )
    assert [(s.on, s.reason) for s in skipped] == [(dt.date(2027, 3, 28), "no_such_time")]
    assert [b.local_start.time() for b in created] == [dt.time(3, 30), dt.time(3, 30)]


def test_the_autumn_overlap_resolves_to_the_first_instant_every_time():
    from spaces.times import is_ambiguous, local_datetime

    day = dt.date(2027, 10, 31)
    assert is_ambiguous(day, dt.time(3, 30))
    first = local_datetime(day, dt.time(3, 30))
    assert first == local_datetime(day, dt.time(3, 30))
    assert first.astimezone(dt.UTC) == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)
    assert first.utcoffset() == dt.timedelta(hours=3)
    assert local_datetime(day, dt.time(18)).astimezone(HELSINKI).utcoffset() == dt.timedelta(
        hours=2
    )


@time_machine.travel(SPRING)
def test_a_series_ending_before_it_starts_or_lasting_over_a_year_is_refused(client_as, room, org_a):
    client = client_as("member")
    short = client.post(f"/spaces/{room.slug}/book/", series_form(org_a, repeat_until="2027-03-03"))
    assert "vähintään viikon" in short.content.decode()
    long = client.post(f"/spaces/{room.slug}/book/", series_form(org_a, repeat_until="2028-06-01"))
    assert "enintään vuoden" in long.content.decode()
    assert BookingSeries.objects.count() == 0

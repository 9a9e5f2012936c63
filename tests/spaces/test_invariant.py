"""The database refuses double bookings, whoever writes them."""

import pytest
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from spaces.models import Booking, BookingOccupancy
from tests.spaces.conftest import local, make_space, next_weekday


def raw_booking(space, organisation, start, end, **fields):
    return Booking.objects.create(
        space=space,
        organisation=organisation,
        during=DateTimeTZRange(start, end, "[)"),
        purpose="Kokous",
        expected_attendees=10,
        **fields,
    )


def test_a_booking_occupies_every_physical_unit_of_its_space(hall, org_a):
    day = next_weekday(1)
    booking = raw_booking(hall["whole"], org_a, local(day, 10), local(day, 12))
    assert BookingOccupancy.objects.filter(booking=booking, is_active=True).count() == 2


def test_a_half_cannot_be_booked_over_the_whole_hall_even_by_raw_writes(hall, org_a, org_b):
    day = next_weekday(1)
    raw_booking(hall["whole"], org_a, local(day, 10), local(day, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_booking(hall["a"], org_b, local(day, 11), local(day, 13))


def test_the_two_halves_can_be_booked_at_the_same_time(hall, org_a, org_b):
    day = next_weekday(1)
    raw_booking(hall["a"], org_a, local(day, 10), local(day, 12))
    raw_booking(hall["b"], org_b, local(day, 10), local(day, 12))
    assert Booking.objects.count() == 2


def test_back_to_back_bookings_are_both_allowed(room, org_a, org_b):
    day = next_weekday(2)
    raw_booking(room, org_a, local(day, 10), local(day, 11))
    raw_booking(room, org_b, local(day, 11), local(day, 12))
    assert Booking.objects.active().count() == 2


def test_a_cancelled_booking_frees_its_time(room, org_a, org_b):
    day = next_weekday(2)
    first = raw_booking(room, org_a, local(day, 10), local(day, 12))
    first.status = Booking.Status.CANCELLED
    first.save()
    raw_booking(room, org_b, local(day, 10), local(day, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        first.status = Booking.Status.CONFIRMED
        first.save()


def test_changing_a_spaces_units_rewrites_future_occupancy_and_refuses_a_double_booking(
    hall, org_a, org_b
):
    from spaces.models import SpaceUnit, SpaceUnitLink

    day = next_weekday(1)
    stage = make_space(hall["whole"].venue, "Näyttämö", "nayttamo")
    raw_booking(hall["a"], org_a, local(day, 10), local(day, 12))
    on_stage = raw_booking(stage, org_b, local(day, 10), local(day, 12))
    # The stage becomes part of half A: its booking now overlaps A's booking on unit A.
    half_a = SpaceUnit.objects.get(name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpaceUnitLink.objects.create(space=stage, unit=half_a)
    on_stage.status = Booking.Status.CANCELLED
    on_stage.save()
    SpaceUnitLink.objects.create(space=stage, unit=half_a)
    assert BookingOccupancy.objects.filter(booking=on_stage, unit=half_a).exists()

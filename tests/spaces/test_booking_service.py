"""The booking service: the space's rules, clashes through divided halls, prices and mail."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from directory.models import Organisation
from spaces import services
from spaces.models import Booking, OpeningException, Price
from tests import factories
from tests.spaces.conftest import local, next_weekday


def book(space, user, organisation, start, end, **extra):
    fields = {"purpose": "Hallituksen kokous", "expected_attendees": 10}
    fields.update(extra)
    return services.booking_create(
        space=space, organisation=organisation, user=user, start=start, end=end, **fields
    )


def refused(code, space, user, organisation, start, end, **extra):
    with pytest.raises(ValidationError) as caught:
        book(space, user, organisation, start, end, **extra)
    assert caught.value.code == code, caught.value.messages
    return caught.value.messages[0]


def test_a_member_books_a_space_that_confirms_at_once(room, member, org_a):
    day = next_weekday(1)
    booking = book(room, member, org_a, local(day, 10), local(day, 12))
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.booked_by == member and booking.decided_at is not None


def test_a_space_that_needs_approval_gets_a_request(room, member, org_a):
    room.requires_approval = True
    room.save()
    booking = book(room, member, org_a, local(next_weekday(1), 10), local(next_weekday(1), 12))
    assert booking.status == Booking.Status.REQUESTED


def test_the_booking_stores_the_price_paid_and_the_full_price(room, member, org_a):
    day = next_weekday(1)
    booking = book(room, member, org_a, local(day, 10), local(day, 11, 30))
    assert booking.price_paid == Decimal("0.00")
    assert booking.full_price == Decimal("37.50")  # 1.5 h at 25 €


def test_a_later_price_change_does_not_change_old_bookings(room, member, org_a):
    day = next_weekday(1)
    booking = book(room, member, org_a, local(day, 10), local(day, 11))
    Price.objects.update(full_hourly_price=Decimal("99"))
    booking.refresh_from_db()
    assert booking.full_price == Decimal("25.00")


def test_back_to_back_bookings_are_both_allowed_by_the_service(room, member, org_a):
    day = next_weekday(2)
    book(room, member, org_a, local(day, 10), local(day, 11))
    book(room, member, org_a, local(day, 11), local(day, 12))
    assert Booking.objects.active().count() == 2


def test_an_overlapping_booking_gets_a_friendly_message(
    room, member, org_a, other_org_admin, org_b
):
    day = next_weekday(2)
    book(room, member, org_a, local(day, 10), local(day, 12))
    message = refused("taken", room, other_org_admin, org_b, local(day, 11), local(day, 13))
    assert "10.00–12.00" in message
    assert Booking.objects.count() == 1


def test_booking_half_a_hall_is_refused_when_the_whole_is_booked(
    hall, member, org_a, other_org_admin, org_b
):
    day = next_weekday(3)
    book(hall["whole"], member, org_a, local(day, 17), local(day, 19))
    refused("taken", hall["a"], other_org_admin, org_b, local(day, 18), local(day, 20))
    refused("taken", hall["b"], other_org_admin, org_b, local(day, 17), local(day, 18))


def test_booking_the_whole_hall_is_refused_when_a_half_is_booked(
    hall, member, org_a, other_org_admin, org_b
):
    day = next_weekday(3)
    book(hall["b"], member, org_a, local(day, 17), local(day, 19))
    refused("taken", hall["whole"], other_org_admin, org_b, local(day, 18), local(day, 20))
    book(hall["a"], other_org_admin, org_b, local(day, 17), local(day, 19))


def test_cleaning_time_between_bookings_is_checked_and_kept_on_the_booking(room, member, org_a):
    room.buffer = dt.timedelta(minutes=30)
    room.save()
    day = next_weekday(4)
    first = book(room, member, org_a, local(day, 10), local(day, 12))
    assert first.buffer == dt.timedelta(minutes=30)
    message = refused("taken", room, member, org_a, local(day, 12, 15), local(day, 13, 15))
    assert "30 min" in message
    book(room, member, org_a, local(day, 12, 30), local(day, 13, 30))


def test_the_old_booking_keeps_its_buffer_when_the_space_changes(room, member, org_a):
    room.buffer = dt.timedelta(minutes=30)
    room.save()
    day = next_weekday(4)
    book(room, member, org_a, local(day, 10), local(day, 12))
    room.buffer = dt.timedelta(0)
    room.save()
    refused("taken", room, member, org_a, local(day, 12, 15), local(day, 13, 15))


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("order", (10, 0), (9, 0)),
        ("order", (10, 0), (10, 0)),
        ("too_long", (8, 0), (13, 0)),
        ("too_short", (10, 0), (10, 30)),
        ("outside_hours", (7, 0), (9, 0)),
        ("outside_hours", (21, 0), (23, 0)),
    ],
)
def test_bad_times_are_refused_and_nothing_is_written(room, member, org_a, code, start, end):
    day = next_weekday(1)
    refused(code, room, member, org_a, local(day, *start), local(day, *end))
    assert Booking.objects.count() == 0


def test_a_time_in_the_past_is_refused(room, member, org_a):
    with time_machine.travel(local(next_weekday(1), 12)):
        day = next_weekday(1, weeks_ahead=0)
        refused("past", room, member, org_a, local(day, 9), local(day, 10))


def test_a_time_beyond_the_booking_horizon_is_refused(room, member, org_a):
    day = next_weekday(1, weeks_ahead=40)
    message = refused("too_far", room, member, org_a, local(day, 10), local(day, 11))
    assert "180" in message


def test_a_closed_day_is_refused_with_its_reason(room, member, org_a):
    day = next_weekday(1)
    OpeningException.objects.create(venue=room.venue, starts_on=day, ends_on=day, reason="Juhannus")
    message = refused("closed", room, member, org_a, local(day, 10), local(day, 11))
    assert "Juhannus" in message


def test_more_people_than_the_space_holds_is_refused(room, member, org_a):
    day = next_weekday(1)
    refused("capacity", room, member, org_a, local(day, 10), local(day, 11), expected_attendees=31)


def test_an_unverified_association_cannot_book(room, org_a):
    pending = factories.make_organisation("Uusi yhdistys ry", status=Organisation.Status.PENDING)
    user = factories.make_user("uusi@example.com")
    factories.add_member(user, pending)
    day = next_weekday(1)
    refused("unverified", room, user, pending, local(day, 10), local(day, 11))


def test_nobody_books_for_another_association(room, member, org_b):
    day = next_weekday(1)
    refused("not_member", room, member, org_b, local(day, 10), local(day, 11))
    assert Booking.objects.count() == 0


def test_the_booker_gets_one_email_after_the_commit(
    room, member, org_a, django_capture_on_commit_callbacks
):
    day = next_weekday(1)
    with django_capture_on_commit_callbacks(execute=True):
        book(room, member, org_a, local(day, 10), local(day, 11))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "Kokoussali" in mail.outbox[0].subject


def test_no_email_goes_out_when_the_booking_is_refused(
    room, member, org_a, django_capture_on_commit_callbacks
):
    day = next_weekday(1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        book(room, member, org_a, local(day, 10), local(day, 9))
    assert mail.outbox == []


def test_staff_approve_and_reject_with_an_email_each_time(
    room, member, org_a, staff, django_capture_on_commit_callbacks
):
    room.requires_approval = True
    room.save()
    day = next_weekday(1)
    first = book(room, member, org_a, local(day, 10), local(day, 11))
    second = book(room, member, org_a, local(day, 12), local(day, 13))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_approve(booking=first, user=staff)
        services.booking_reject(booking=second, user=staff, reason="Sali on remontissa.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "confirmed" and first.decided_by == staff and first.sequence == 1
    assert second.status == "rejected" and second.rejection_reason == "Sali on remontissa."
    assert [m.to for m in mail.outbox] == [[member.email], [member.email]]
    assert "Sali on remontissa." in mail.outbox[1].body


def test_a_rejection_needs_a_reason_and_a_decision_is_made_once(room, member, org_a, staff):
    room.requires_approval = True
    room.save()
    booking = book(room, member, org_a, local(next_weekday(1), 10), local(next_weekday(1), 11))
    with pytest.raises(ValidationError):
        services.booking_reject(booking=booking, user=staff, reason="  ")
    services.booking_approve(booking=booking, user=staff)
    with pytest.raises(ValidationError):
        services.booking_approve(booking=booking, user=staff)


def test_cancelling_before_the_deadline_frees_the_time(room, member, org_a, org_admin):
    day = next_weekday(1)
    booking = book(room, member, org_a, local(day, 10), local(day, 11))
    services.booking_cancel(booking=booking, user=member)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.sequence == 1
    book(room, org_admin, org_a, local(day, 10), local(day, 11))


def test_cancelling_after_the_deadline_is_refused_for_members_but_not_staff(
    room, member, org_a, staff
):
    day = next_weekday(1)
    booking = book(room, member, org_a, local(day, 10), local(day, 11))
    with time_machine.travel(local(day, 9)):  # 1 h before, the deadline is 24 h
        with pytest.raises(ValidationError) as caught:
            services.booking_cancel(booking=booking, user=member)
        assert caught.value.code == "deadline"
        services.booking_cancel(booking=booking, user=staff)

"""Staff tools: the approval queue in the admin, bookings made there, the yearly report."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from directory.panels import panels_for
from spaces import services
from spaces.models import Booking, Space
from spaces.reports import free_use_value, yearly_report
from tests.spaces.conftest import local, next_weekday

pytestmark = pytest.mark.django_db


def admin_form(room, org, day, start="10:00", end="12:00"):
    return {
        "organisation": org.pk,
        "space": room.pk,
        "day": day.isoformat(),
        "starts_at": start,
        "ends_at": end,
        "purpose": "Kaupungin tilaisuus",
        "expected_attendees": 10,
        "staff_note": "",
    }


def test_a_booking_made_in_the_admin_is_confirmed_and_priced(client_as, room, org_a):
    client = client_as("staff")
    day = next_weekday(1)
    response = client.post("/admin/spaces/booking/add/", admin_form(room, org_a, day))
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert booking.status == "confirmed" and booking.full_price == Decimal("50.00")


def test_an_overlapping_booking_made_in_the_admin_is_refused(client_as, hall, org_a, org_b, member):
    day = next_weekday(1)
    services.booking_create(
        space=hall["whole"],
        organisation=org_a,
        user=member,
        start=local(day, 10),
        end=local(day, 12),
        purpose="Sählyturnaus",
        expected_attendees=20,
    )
    client = client_as("staff")
    response = client.post(
        "/admin/spaces/booking/add/", admin_form(hall["a"], org_b, day, "11:00", "13:00")
    )
    assert response.status_code == 200
    assert "jo varattu 10.00–12.00" in response.content.decode()
    assert Booking.objects.count() == 1


def make_request(client_as, role):
    return client_as(role).get("/spaces/").wsgi_request


def test_the_queue_approves_and_rejects_with_a_reason_and_mails_the_booker(
    client_as, room, org_a, member, django_capture_on_commit_callbacks
):
    room.requires_approval = True
    room.save()
    day = next_weekday(1)
    first, second = (
        services.booking_create(
            space=room,
            organisation=org_a,
            user=member,
            start=local(day, h),
            end=local(day, h + 1),
            purpose="Kokous",
            expected_attendees=5,
        )
        for h in (10, 12)
    )
    mail.outbox.clear()
    client = client_as("staff")
    changelist = client.get("/admin/spaces/booking/?status__exact=requested")
    assert changelist.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/spaces/booking/", {"action": "approve", "_selected_action": [first.pk]})
        asked = client.post(
            "/admin/spaces/booking/", {"action": "reject", "_selected_action": [second.pk]}
        )
        assert "Syy (lähetetään yhdistykselle)" in asked.content.decode()
        client.post(
            "/admin/spaces/booking/",
            {
                "action": "reject",
                "_selected_action": [second.pk],
                "reason": "Tila on varattu kaupungille.",
            },
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "confirmed" and second.status == "rejected"
    assert second.rejection_reason == "Tila on varattu kaupungille."
    assert len(mail.outbox) == 2 and all(m.to == [member.email] for m in mail.outbox)


def confirmed(space, org, start, end, paid, full, status="confirmed"):
    return Booking.objects.create(
        space=space,
        organisation=org,
        purpose="Kokous",
        expected_attendees=5,
        status=status,
        during=DateTimeTZRange(start, end, "[)"),
        price_paid=Decimal(paid),
        full_price=Decimal(full),
    )


def test_the_value_of_free_use_counts_confirmed_bookings_of_the_year_in_helsinki_time(
    room, org_a, org_b
):
    confirmed(
        room, org_a, local(dt.date(2026, 3, 3), 10), local(dt.date(2026, 3, 3), 12), "0", "50"
    )
    confirmed(
        room, org_a, local(dt.date(2026, 5, 5), 10), local(dt.date(2026, 5, 5), 12), "10", "50"
    )
    confirmed(
        room,
        org_a,
        local(dt.date(2026, 6, 6), 10),
        local(dt.date(2026, 6, 6), 12),
        "0",
        "50",
        "cancelled",
    )
    confirmed(
        room, org_b, local(dt.date(2026, 7, 7), 10), local(dt.date(2026, 7, 7), 12), "0", "99"
    )
    # 00.30 on New Year's Day in Helsinki is still 31 December in UTC: it belongs to 2027.
    confirmed(
        room, org_a, local(dt.date(2027, 1, 1), 0, 30), local(dt.date(2027, 1, 1), 2), "0", "30"
    )
    assert free_use_value(org_a, 2026) == Decimal("90.00")
    assert free_use_value(org_a, 2027) == Decimal("30.00")
    assert free_use_value(org_a, 2025) == Decimal("0.00")
    rows = {row.organisation_name: row for row in yearly_report(2026)}
    assert rows[org_a.name].hours == Decimal("4.0") and rows[org_a.name].bookings == 2
    assert rows[org_a.name].free_use_value == Decimal("90.00")


def test_the_report_page_shows_hours_and_value_to_staff(client_as, room, org_a):
    confirmed(
        room, org_a, local(dt.date(2026, 3, 3), 10), local(dt.date(2026, 3, 3), 12), "0", "50"
    )
    html = client_as("staff").get("/spaces/staff/report/?year=2026").content.decode()
    assert org_a.name in html and "50,00" in html


def test_the_day_agenda_lists_the_venues_bookings_with_contacts(client_as, room, org_a, member):
    day = next_weekday(1)
    services.booking_create(
        space=room,
        organisation=org_a,
        user=member,
        start=local(day, 10),
        end=local(day, 12),
        purpose="Hallituksen kokous",
        expected_attendees=5,
    )
    html = (
        client_as("staff")
        .get(f"/spaces/staff/agenda/{room.venue.slug}/?date={day}")
        .content.decode()
    )
    assert "Hallituksen kokous" in html and member.email in html and "10.00–12.00" in html


def test_the_organisation_panel_shows_public_bookings_to_all_and_the_value_only_to_members(
    client_as, room, org_a, member
):
    day = next_weekday(1)
    services.booking_create(
        space=room,
        organisation=org_a,
        user=member,
        start=local(day, 10),
        end=local(day, 12),
        purpose="Avoin kahvila",
        expected_attendees=5,
        is_public=True,
    )
    outsider = dict(panels_for(org_a, make_request(client_as, "other_org_admin")))
    panel = next(context for p, context in outsider.items() if p.key == "spaces")
    assert [b.purpose for b in panel["bookings"]] == ["Avoin kahvila"]
    assert panel["show_value"] is False and panel["free_use_value"] is None
    inside = dict(panels_for(org_a, make_request(client_as, "member")))
    panel = next(context for p, context in inside.items() if p.key == "spaces")
    assert panel["show_value"] is True


def test_the_panel_is_left_out_when_there_is_nothing_to_show(client, org_b):
    request = client.get("/spaces/").wsgi_request
    assert [p.key for p, _context in panels_for(org_b, request) if p.key == "spaces"] == []


def test_every_spaces_admin_page_opens_for_staff(client_as, room, org_a, member):
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
    client = client_as("staff")
    for model in ("venue", "space", "pricecategory", "booking", "bookingseries", "feedtoken"):
        assert client.get(f"/admin/spaces/{model}/").status_code == 200, model
    for url in (
        "/admin/spaces/venue/add/",
        f"/admin/spaces/venue/{room.venue.pk}/change/",
        "/admin/spaces/space/add/",
        f"/admin/spaces/space/{room.pk}/change/",
        "/admin/spaces/booking/add/",
        f"/admin/spaces/booking/{booking.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url


def test_a_space_made_in_the_admin_without_units_gets_its_own(client_as, venue, price_category):
    client = client_as("staff")
    data = {
        "venue": venue.pk,
        "name": "Uusi kerhohuone",
        "slug": "uusi-kerhohuone",
        "type": "club_room",
        "capacity": 12,
        "equipment": "",
        "price_category": price_category.pk,
        "is_listed": "on",
        "is_bookable": "on",
        "min_duration": "01:00:00",
        "max_duration": "03:00:00",
        "booking_horizon_days": 90,
        "cancellation_hours": 24,
        "buffer": "00:00:00",
        "unit_links-TOTAL_FORMS": 0,
        "unit_links-INITIAL_FORMS": 0,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    response = client.post("/admin/spaces/space/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    space = Space.objects.get(slug="uusi-kerhohuone")
    assert [unit.name for unit in space.units.all()] == ["Uusi kerhohuone"]

"""The space list stays right and cheap: "free at" through the occupancy table's time index,
the page and its total in one query, rows prepared without model objects."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.test.utils import CaptureQueriesContext

from spaces.filters import open_during
from spaces.models import Booking, OpeningException, OpeningHours, Space, SpacePhoto, Venue
from tests.spaces.conftest import local, make_space, make_venue, next_weekday

pytestmark = pytest.mark.django_db


def book(space, organisation, start, end, status=Booking.Status.CONFIRMED):
    return Booking.objects.create(
        space=space,
        organisation=organisation,
        during=DateTimeTZRange(start, end, "[)"),
        expected_attendees=5,
        purpose="Harjoitukset",
        status=status,
    )


def free_slugs(client, day, start, end):
    url = f"/spaces/?free_on={day.isoformat()}&free_from={start}&free_until={end}"
    return [row["slug"] for row in client.get(url).context["page"]]


def plan(sql: str, params) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- Free at: who is free ------------------------------------------------------------------


def test_booking_one_half_of_the_hall_takes_the_whole_hall_but_not_the_other_half(
    client, room, hall, org_a
):
    day = next_weekday(2)
    book(hall["a"], org_a, local(day, 18), local(day, 20))
    assert free_slugs(client, day, "18:00", "20:00") == ["kokoussali", "liikuntasali-b"]


def test_booking_the_whole_hall_takes_both_halves(client, room, hall, org_a):
    day = next_weekday(2)
    book(hall["whole"], org_a, local(day, 18), local(day, 20))
    assert free_slugs(client, day, "18:00", "20:00") == ["kokoussali"]


def test_a_booking_that_ends_when_the_asked_time_starts_does_not_take_the_space(
    client, room, org_a
):
    day = next_weekday(2)
    book(room, org_a, local(day, 16), local(day, 18))
    book(room, org_a, local(day, 20), local(day, 22))
    assert free_slugs(client, day, "18:00", "20:00") == ["kokoussali"]
    assert free_slugs(client, day, "17:59", "20:00") == []
    assert free_slugs(client, day, "18:00", "20:01") == []


def test_cancelled_and_rejected_bookings_leave_the_space_free_and_waiting_ones_do_not(
    client, room, hall, org_a
):
    day = next_weekday(2)
    book(room, org_a, local(day, 18), local(day, 20), status=Booking.Status.CANCELLED)
    rejected = book(hall["a"], org_a, local(day, 18), local(day, 20))
    Booking.objects.filter(pk=rejected.pk).update(status="rejected", rejection_reason="Remontti")
    book(hall["b"], org_a, local(day, 18), local(day, 20), status=Booking.Status.REQUESTED)
    assert free_slugs(client, day, "18:00", "20:00") == ["kokoussali", "liikuntasali-a"]


def test_a_busy_space_in_another_week_or_venue_does_not_hide_a_free_one(client, room, hall, org_a):
    day = next_weekday(2)
    book(room, org_a, local(day + dt.timedelta(days=7), 18), local(day + dt.timedelta(days=7), 20))
    book(hall["whole"], org_a, local(day, 18), local(day, 20))
    assert free_slugs(client, day, "18:00", "20:00") == ["kokoussali"]


# --- Free at: who is open ------------------------------------------------------------------


def test_an_exception_that_opens_a_usually_closed_day_shows_the_venue(client, price_category):
    venue = make_venue("Kesäkahvila", "kesakahvila")
    make_space(venue, "Kahvio", "kahvio")
    day = next_weekday(6)
    OpeningHours.objects.filter(venue=venue, weekday=6).delete()
    assert free_slugs(client, day, "12:00", "14:00") == []
    OpeningException.objects.create(
        venue=venue,
        starts_on=day,
        ends_on=day,
        reason="Kesätapahtuma",
        opens_at=dt.time(10),
        closes_at=dt.time(16),
    )
    assert free_slugs(client, day, "12:00", "14:00") == ["kahvio"]
    assert free_slugs(client, day, "15:00", "17:00") == [], "closes at 16 that day"


def test_shorter_hours_on_an_exception_day_override_the_usual_ones(client, room):
    day = next_weekday(2)
    OpeningException.objects.create(
        venue=room.venue,
        starts_on=day - dt.timedelta(days=1),
        ends_on=day + dt.timedelta(days=1),
        reason="Aattoviikko",
        opens_at=dt.time(9),
        closes_at=dt.time(15),
    )
    assert free_slugs(client, day, "18:00", "20:00") == []
    assert free_slugs(client, day, "10:00", "12:00") == ["kokoussali"]
    after = day + dt.timedelta(days=7)
    assert free_slugs(client, after, "18:00", "20:00") == ["kokoussali"], "usual hours again"


def test_a_closure_of_one_venue_leaves_other_venues_open(client, room, hall):
    day = next_weekday(2)
    OpeningException.objects.create(venue=room.venue, starts_on=day, ends_on=day, reason="Remontti")
    assert free_slugs(client, day, "10:00", "11:00") == [
        "liikuntasali",
        "liikuntasali-a",
        "liikuntasali-b",
    ]


def test_open_until_midnight_means_the_whole_evening(client, price_category):
    venue = make_venue("Yökerho", "yokerho")
    make_space(venue, "Sali", "sali")
    OpeningHours.objects.filter(venue=venue).update(closes_at=dt.time(23, 59, 59, 999999))
    day = next_weekday(2)
    url = f"/spaces/?free_on={day.isoformat()}&free_from=20:00"
    assert [row["slug"] for row in client.get(url).context["page"]] == ["sali"]


# --- Free at: how it is found --------------------------------------------------------------


def test_free_at_finds_the_taken_units_through_the_time_index_of_the_occupancy_table(room):
    day = next_weekday(2)
    during = DateTimeTZRange(local(day, 18), local(day, 20), "[)")
    queryset = open_during(Space.objects.listed(), *during_bounds(during)).free_during(during)
    sql, params = queryset.query.sql_with_params()
    shown = plan(sql, params)
    assert "occupancy_active_during" in shown, shown
    assert "Seq Scan on spaces_bookingoccupancy" not in shown, shown


def during_bounds(during):
    return during.lower, during.upper


def test_free_at_asks_each_table_once_and_not_once_per_space(
    client, room, hall, org_a, django_assert_max_num_queries
):
    day = next_weekday(2)
    book(room, org_a, local(day, 18), local(day, 19))
    url = f"/spaces/?free_on={day.isoformat()}&free_from=18:00&free_until=20:00"
    with django_assert_max_num_queries(4) as captured:
        client.get(url)
    listing = [q["sql"] for q in captured.captured_queries if "spaces_bookingoccupancy" in q["sql"]]
    assert len(listing) == 1
    # The busy units and the open venues are sets read once: no subquery refers to the space
    # row (Django writes such a reference as = ("spaces_space"."...")).
    assert '= ("spaces_space".' not in listing[0], listing[0]
    assert "OVER ()" in listing[0], "the total comes with the page's rows"


# --- The page and its total ----------------------------------------------------------------


def test_the_page_and_the_total_come_from_one_query(client, room):
    for n in range(35):
        make_space(room.venue, f"Huone {n:02}", f"huone-{n:02}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/spaces/")
    # No separate COUNT: the only query that counts is the page's own, with the window.
    counting = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert len(counting) == 1 and "COUNT(*) OVER ()" in counting[0], counting
    assert len(response.context["page"]) == 30
    assert "36 tilaa" in response.content.decode()
    second = client.get("/spaces/?page=2")
    assert len(second.context["page"]) == 6 and "36 tilaa" in second.content.decode()
    assert "Sivu 2 / 2" in second.content.decode()


def test_a_page_past_the_end_shows_the_last_page_and_nonsense_the_first(client, room):
    for n in range(35):
        make_space(room.venue, f"Huone {n:02}", f"huone-{n:02}")
    assert client.get("/spaces/?page=9").context["page"].number == 2
    assert client.get("/spaces/?page=0").context["page"].number == 2
    assert client.get("/spaces/?page=x").context["page"].number == 1
    assert client.get("/spaces/?page=99999999999999999999999").context["page"].number == 2
    empty = client.get("/spaces/?type=storage")
    assert empty.context["page"].number == 1 and len(empty.context["page"]) == 0
    assert "Yksikään tila ei vastaa" in empty.content.decode()


# --- A row ---------------------------------------------------------------------------------


def test_a_row_shows_the_first_photo_facts_and_tags_in_the_visitors_language(client, room, hall):
    SpacePhoto.objects.create(space=room, image="spaces/2.jpg", alt_text="Toinen", position=2)
    SpacePhoto.objects.create(space=room, image="spaces/1.jpg", alt_text="Sali", position=1)
    room.venue.is_step_free = True
    room.venue.save()
    html = client.get("/spaces/").content.decode()
    assert '<a href="/spaces/kokoussali/">Kokoussali</a>' in html
    assert 'src="/media/spaces/1.jpg" alt="Sali"' in html and "spaces/2.jpg" not in html
    assert "Alavan palvelutalo" in html and "30 henkilöä" in html
    assert "<li>Maksuton yhdistyksille</li><li>portaaton sisäänkäynti</li>" in html
    assert "<li>vahvistuu heti</li>" in html
    client.cookies["django_language"] = "en"
    english = client.get("/spaces/", headers={"accept-language": "en"}).content.decode()
    assert "30 people" in english and "<li>Free</li><li>step-free entrance</li>" in english


def test_names_in_a_row_are_escaped(client, room):
    room.name = "<b>Sali</b>"
    room.save()
    html = client.get("/spaces/").content.decode()
    assert "&lt;b&gt;Sali&lt;/b&gt;" in html and "<b>Sali</b>" not in html


# --- The filter menus ----------------------------------------------------------------------


def test_the_district_menu_lists_districts_with_a_listed_space_and_follows_changes(
    client, room, price_category
):
    from directory.models import Area

    other = Area.objects.filter(kind="district").exclude(pk=room.venue.district_id).first()
    hidden = make_venue("Piilotalo", "piilotalo")
    Venue.objects.filter(pk=hidden.pk).update(district=other)
    make_space(hidden, "Varasto", "varasto", is_listed=False)
    html = client.get("/spaces/").content.decode()
    assert f'<option value="{room.venue.district.slug}">' in html
    assert f'<option value="{other.slug}">' not in html, "only an unlisted space there"
    Space.objects.filter(slug="varasto").update(is_listed=True)
    html = client.get("/spaces/").content.decode()
    assert f'<option value="{other.slug}">' in html
    assert f'<option value="{price_category.slug}">Maksuton yhdistyksille</option>' in html
    client.cookies["django_language"] = "en"
    english = client.get("/spaces/", headers={"accept-language": "en"}).content.decode()
    assert f'<option value="{price_category.slug}">Free</option>' in english


def test_a_chosen_district_stays_selected_and_filters(client, room, hall):
    slug = room.venue.district.slug
    response = client.get(f"/spaces/?district={slug}")
    assert f'<option value="{slug}" selected>' in response.content.decode()
    assert len(response.context["page"]) == 4


def test_asking_the_same_free_at_question_again_sees_bookings_made_in_between(
    client, room, hall, org_a
):
    day = next_weekday(2)
    assert free_slugs(client, day, "18:00", "20:00") == [
        "kokoussali",
        "liikuntasali",
        "liikuntasali-a",
        "liikuntasali-b",
    ]
    book(hall["b"], org_a, local(day, 19), local(day, 21))
    assert free_slugs(client, day, "18:00", "20:00") == ["kokoussali", "liikuntasali-a"]
    OpeningException.objects.create(venue=room.venue, starts_on=day, ends_on=day, reason="Remontti")
    assert free_slugs(client, day, "18:00", "20:00") == ["liikuntasali-a"]


def test_a_row_shows_changes_to_the_space_its_venue_and_photos_at_once(client, room):
    assert "Kokoussali" in client.get("/spaces/").content.decode()
    Space.objects.filter(pk=room.pk).update(name="Juhlasali", requires_approval=True)
    Venue.objects.filter(pk=room.venue_id).update(has_induction_loop=True)
    SpacePhoto.objects.create(space=room, image="spaces/uusi.jpg", alt_text="Juhlasali")
    html = client.get("/spaces/").content.decode()
    assert ">Juhlasali</a>" in html and ">Kokoussali</a>" not in html
    assert "<li>induktiosilmukka</li><li>henkilökunta vahvistaa varaukset</li>" in html
    assert 'src="/media/spaces/uusi.jpg" alt="Juhlasali"' in html

"""The pages: the filterable list, a space's page with its week, and the booking form."""

import datetime as dt

import pytest
import time_machine
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils.timezone import localtime

from spaces.models import Booking, OpeningException, Space, SpacePhoto
from tests.spaces.conftest import local, make_space, make_venue, next_weekday

pytestmark = pytest.mark.django_db


def form(organisation, day, start="10:00", end="12:00", **extra):
    data = {
        "organisation": organisation.pk,
        "date": day.isoformat(),
        "starts_at": start,
        "ends_at": end,
        "purpose": "Hallituksen kokous",
        "expected_attendees": 8,
    }
    data.update(extra)
    return data


def make_booking(space, organisation, start, end, **fields):
    fields.setdefault("purpose", "Salainen kokous")
    fields.setdefault("status", Booking.Status.CONFIRMED)
    return Booking.objects.create(
        space=space,
        organisation=organisation,
        during=DateTimeTZRange(start, end, "[)"),
        expected_attendees=5,
        **fields,
    )


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_listed_spaces_to_everyone(client, room, hall):
    hidden = make_space(room.venue, "Varasto", "varasto", is_listed=False)
    response = client.get("/spaces/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kokoussali" in html and "Liikuntasali A" in html
    assert hidden.name not in html


def test_the_list_filters_by_type_capacity_district_and_price(client, room, hall):
    assert [s["slug"] for s in client.get("/spaces/?type=hall").context["page"]] == [
        "liikuntasali",
        "liikuntasali-a",
        "liikuntasali-b",
    ]
    assert [s["slug"] for s in client.get("/spaces/?capacity=150").context["page"]] == [
        "liikuntasali",
        "liikuntasali-a",
        "liikuntasali-b",
    ]
    assert len(client.get("/spaces/?district=kuopio-nilsia").context["page"]) == 4
    assert len(client.get("/spaces/?price=maksuton").context["page"]) == 4


def test_the_list_filters_by_accessibility(client, room, price_category):
    other = make_venue("Esteetön talo", "esteeton-talo", is_step_free=True, has_induction_loop=True)
    make_space(other, "Kerhohuone", "kerhohuone")
    page = client.get("/spaces/?accessibility=step_free&accessibility=induction_loop").context
    assert [s["slug"] for s in page["page"]] == ["kerhohuone"]


def test_free_at_shows_only_spaces_free_and_open_then(client, room, hall, org_a):
    day = next_weekday(2)
    make_booking(hall["whole"], org_a, local(day, 17), local(day, 19))
    make_booking(room, org_a, local(day, 19), local(day, 21))  # after the asked time
    url = f"/spaces/?free_on={day.isoformat()}&free_from=18:00&free_until=19:00"
    assert [s["slug"] for s in client.get(url).context["page"]] == ["kokoussali"]
    early = f"/spaces/?free_on={day.isoformat()}&free_from=06:00&free_until=07:00"
    assert list(client.get(early).context["page"]) == [], "closed at 6"


def test_free_at_respects_closures(client, room):
    day = next_weekday(2)
    OpeningException.objects.create(venue=room.venue, starts_on=day, ends_on=day, reason="Remontti")
    url = f"/spaces/?free_on={day.isoformat()}&free_from=10:00&free_until=11:00"
    assert list(client.get(url).context["page"]) == []


def test_free_at_uses_the_occupancy_index_not_a_loop(
    client, room, hall, org_a, django_assert_max_num_queries
):
    day = next_weekday(2)
    for hour in range(8, 20, 2):
        make_booking(room, org_a, local(day, hour), local(day, hour + 1))
    url = f"/spaces/?free_on={day.isoformat()}&free_from=18:00&free_until=19:00"
    with django_assert_max_num_queries(5) as queries:
        client.get(url)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "spaces_bookingoccupancy" in sql and "&&" in sql


def test_the_list_takes_at_most_five_queries_however_many_spaces(
    client, room, hall, django_assert_max_num_queries
):
    for n in range(12):
        space = make_space(room.venue, f"Huone {n}", f"huone-{n}")
        SpacePhoto.objects.create(space=space, image=f"spaces/{n}.jpg", alt_text="Huone")
    with django_assert_max_num_queries(5):
        response = client.get("/spaces/?type=meeting_room&capacity=1&accessibility=parking")
    assert response.status_code == 200


def test_garbage_in_the_list_filters_gives_a_page_not_an_error(client, room):
    queries = [
        "free_on=2026-02-30",
        "free_on=2027-03-28&free_from=03:30",
        "capacity=-1",
        "q=%00",
        "district=nowhere",
        "free_on=2027-01-01&free_from=12:00&free_until=11:00",
        "page=999",
        "free_on=9999-12-31",
        "free_on=0001-01-01&free_from=00:00",
    ]
    for query in queries:
        assert client.get(f"/spaces/?{query}").status_code == 200, query


def test_a_free_at_time_in_the_spring_gap_gets_a_message(client, room):
    response = client.get("/spaces/?free_on=2027-03-28&free_from=03:30&free_until=05:00")
    assert "kellot siirtyvät" in response.content.decode()


# --- A space's page ------------------------------------------------------------------------


def test_the_page_shows_busy_blocks_without_private_details(client, room, org_a, org_b):
    day = next_weekday(1)
    make_booking(room, org_a, local(day, 10), local(day, 12), purpose="Salainen kokous")
    make_booking(
        room, org_b, local(day, 14), local(day, 16), purpose="Avoin kuoroilta", is_public=True
    )
    response = client.get(f"/spaces/{room.slug}/?week={day.isoformat()}")
    html = response.content.decode()
    assert "10.00–12.00 Varattu" in html
    assert "Salainen kokous" not in html and org_a.name not in html
    assert "Avoin kuoroilta" in html and org_b.name in html


def test_booking_the_whole_hall_shows_each_half_busy(client, hall, org_a):
    day = next_weekday(1)
    make_booking(hall["whole"], org_a, local(day, 10), local(day, 12))
    html = client.get(f"/spaces/liikuntasali-b/?week={day.isoformat()}").content.decode()
    assert "10.00–12.00 Varattu" in html


def test_the_week_view_takes_at_most_four_queries(
    client, room, org_a, django_assert_max_num_queries
):
    day = next_weekday(1)
    for hour in (8, 11, 14, 17):
        make_booking(room, org_a, local(day, hour), local(day, hour + 2))
    with django_assert_max_num_queries(4):
        response = client.get(f"/spaces/{room.slug}/week/?week={day.isoformat()}")
    assert response.content.decode().count("Varattu</li>") == 4


def test_the_space_page_stays_within_a_fixed_number_of_queries(
    client_as, room, org_a, django_assert_max_num_queries
):
    client = client_as("member")
    day = next_weekday(1)
    for hour in (8, 11, 14, 17):
        make_booking(room, org_a, local(day, hour), local(day, hour + 2))
    with django_assert_max_num_queries(10):
        assert client.get(f"/spaces/{room.slug}/?week={day.isoformat()}").status_code == 200


def test_the_week_links_go_back_and_forth_but_not_into_the_past_or_beyond_the_horizon(client, room):
    html = client.get(f"/spaces/{room.slug}/").content.decode()
    assert "Seuraava viikko" in html and "Edellinen viikko" not in html
    far = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    response = client.get(f"/spaces/{room.slug}/?week={far}")
    assert "Seuraava viikko" not in response.content.decode()


def test_the_week_shows_free_times_around_bookings(client, room, org_a):
    day = next_weekday(1)
    make_booking(room, org_a, local(day, 10), local(day, 12))
    days = client.get(f"/spaces/{room.slug}/?week={day.isoformat()}").context["days"]
    entry = next(d for d in days if d.day == day)
    hours = [(localtime(s).hour, localtime(e).hour) for s, e in entry.free]
    assert hours == [(8, 10), (12, 22)]


def test_an_unknown_or_hidden_space_is_404(client, room):
    room.is_listed = False
    room.save()
    assert client.get("/spaces/kokoussali/").status_code == 404
    assert client.get("/spaces/ei-ole/").status_code == 404


def test_members_see_the_booking_form_and_others_do_not(client_as, room):
    assert "Varaa tila" in client_as("member").get(f"/spaces/{room.slug}/").content.decode()


def test_residents_without_an_association_do_not_see_the_form(client_as, room):
    html = client_as("resident").get(f"/spaces/{room.slug}/").content.decode()
    assert 'name="purpose"' not in html


# --- Booking through the form ----------------------------------------------------------------


def test_a_member_books_through_the_form(client_as, room, org_a):
    client = client_as("member")
    day = next_weekday(1)
    response = client.post(f"/spaces/{room.slug}/book/", form(org_a, day))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/spaces/bookings/{booking.pk}/"
    assert booking.local_start == local(day, 10)
    assert booking.status == "confirmed"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": "09:00"}, "Loppuajan pitää olla alkuajan jälkeen."),
        ({"ends_at": "10:00"}, "Loppuajan pitää olla alkuajan jälkeen."),
        ({"ends_at": "16:00"}, "Pisin varaus"),
        ({"starts_at": "06:00", "ends_at": "07:00"}, "on auki"),
        ({"expected_attendees": "500"}, "enintään 30"),
        ({"purpose": ""}, "Tämä kenttä vaaditaan."),
        ({"date": "2026-02-30"}, "päivämäärä"),
        ({"starts_at": "25:00"}, "aika"),
        ({"date": "9999-12-31"}, "vuosien 2000 ja 2100"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_written(
    client_as, room, org_a, change, message
):
    client = client_as("member")
    response = client.post(f"/spaces/{room.slug}/book/", form(org_a, next_weekday(1), **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_day_in_the_past_is_refused_on_the_form(client_as, room, org_a):
    client = client_as("member")
    response = client.post(f"/spaces/{room.slug}/book/", form(org_a, dt.date(2020, 1, 7)))
    assert "Päivä on jo mennyt" in response.content.decode()
    assert Booking.objects.count() == 0


def test_an_already_booked_time_gets_a_friendly_message(client_as, room, org_a, org_b):
    day = next_weekday(1)
    make_booking(room, org_b, local(day, 11), local(day, 13))
    response = client_as("member").post(f"/spaces/{room.slug}/book/", form(org_a, day))
    assert "jo varattu 11.00–13.00" in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_foreign_association_in_the_form_is_refused(client_as, room, org_b):
    response = client_as("member").post(f"/spaces/{room.slug}/book/", form(org_b, next_weekday(1)))
    assert response.status_code == 200
    assert "vain yhdistykselle, jonka jäsen olet" in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_tampered_or_info_only_space_is_404_and_nothing_is_written(client_as, room, org_a):
    client = client_as("member")
    assert (
        client.post("/spaces/ei-ole-olemassa/book/", form(org_a, next_weekday(1))).status_code
        == 404
    )
    Space.objects.filter(pk=room.pk).update(is_bookable=False)
    assert (
        client.post(f"/spaces/{room.slug}/book/", form(org_a, next_weekday(1))).status_code == 404
    )
    assert Booking.objects.count() == 0


def test_a_resident_without_an_association_cannot_book(client_as, room, org_a):
    response = client_as("resident").post(
        f"/spaces/{room.slug}/book/", form(org_a, next_weekday(1))
    )
    assert response.status_code == 403
    assert Booking.objects.count() == 0


def test_anonymous_visitors_are_asked_to_sign_in_to_book(client, room):
    response = client.get(f"/spaces/{room.slug}/book/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- Daylight saving time --------------------------------------------------------------------


@time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC))
def test_a_start_inside_the_spring_forward_gap_is_refused(client_as, room, org_a):
    room.venue.opening_hours.update(opens_at=dt.time(0), closes_at=dt.time(23, 59))
    response = client_as("member").post(
        f"/spaces/{room.slug}/book/", form(org_a, dt.date(2027, 3, 28), start="03:30", end="05:00")
    )
    assert "kellot siirtyvät" in response.content.decode()
    assert Booking.objects.count() == 0


@time_machine.travel(dt.datetime(2027, 10, 1, 12, tzinfo=dt.UTC))
def test_an_ambiguous_autumn_time_is_resolved_to_the_first_one_every_time(client_as, room, org_a):
    room.venue.opening_hours.update(opens_at=dt.time(0), closes_at=dt.time(23, 59))
    client = client_as("member")
    client.post(
        f"/spaces/{room.slug}/book/", form(org_a, dt.date(2027, 10, 31), start="03:30", end="05:00")
    )
    booking = Booking.objects.get()
    assert booking.start == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)  # 03:30 summer time
    assert booking.duration == dt.timedelta(hours=2, minutes=30)


def test_a_free_time_in_the_week_links_to_a_prefilled_booking_form(client_as, room):
    client = client_as("member")
    day = next_weekday(1)
    html = client.get(f"/spaces/{room.slug}/?week={day.isoformat()}").content.decode()
    link = f"/spaces/{room.slug}/book/?date={day.isoformat()}&amp;starts_at=08:00&amp;ends_at=22:00"
    assert link in html
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'value="{day.isoformat()}"' in form and 'value="08:00"' in form


def test_impossible_dates_on_any_page_give_a_page_not_an_error(client_as, room):
    client = client_as("staff")
    for url in (
        f"/spaces/staff/agenda/{room.venue.slug}/?date=9999-12-31",
        "/spaces/staff/report/?year=99999",
        f"/spaces/{room.slug}/?week=9999-12-31",
        f"/spaces/{room.slug}/week/?week=0001-01-01",
        f"/spaces/{room.slug}/calendar.ics?week=x",
    ):
        assert client.get(url).status_code == 200, url


def test_free_at_takes_at_most_five_queries_and_the_remembered_form_keeps_each_visitors_values(
    client, room, hall, django_assert_max_num_queries
):
    from spaces.filters import _form_cache

    _form_cache.clear()
    url = "/spaces/?free_on=2027-03-10&free_from=18:00&free_until=20:00"
    for _ in range(2):  # rendered, then remembered
        with django_assert_max_num_queries(5):
            html = client.get(url).content.decode()
        assert 'value="18:00"' in html and 'value="2027-03-10"' in html
    other = client.get("/spaces/?free_on=2027-03-11&free_from=09:00").content.decode()
    assert 'value="09:00"' in other and 'value="18:00"' not in other

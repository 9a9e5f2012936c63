"""The space list reads its rows with one fixed statement and checks the query with a form
that copies nothing: the same spaces, the same messages and the same HTML as the filter set,
for a fraction of its Python."""

import datetime as dt
from unittest import mock

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.http import QueryDict
from django.utils import translation

from directory.models import Area
from spaces.filters import SpaceFilter, _form_cache, list_statement, query_form
from spaces.forms import IsoDateField, IsoTimeField
from spaces.models import Booking, OpeningException, OpeningHours, Space, SpacePhoto, Venue
from tests.spaces.conftest import local, make_space, make_venue, next_weekday
from tests.spaces.test_list_at_scale import book

pytestmark = pytest.mark.django_db


def orm_slugs(query: str) -> list[str]:
    """What the filter set's queryset finds: the reference for the fixed statement."""
    spaces = Space.objects.listed().order_by("venue__name", "name", "pk")
    filterset = SpaceFilter(QueryDict(query) or None, queryset=spaces)
    return list(filterset.qs.values_list("slug", flat=True))


def statement_slugs(query: str) -> list[str]:
    rows, total = list_statement(query_form(QueryDict(query) or None)).page(0, 1000)
    assert total == len(rows)
    return [row["slug"] for row in rows]


@pytest.fixture
def varied(room, hall, org_a):
    """Spaces that differ in every filtered column, some booked and some closed."""
    other_district = Area.objects.filter(kind="district").exclude(pk=room.venue.district_id)[0]
    open_house = make_venue(
        "Esteetön talo", "esteeton-talo", is_step_free=True, has_induction_loop=True
    )
    Venue.objects.filter(pk=open_house.pk).update(district=other_district)
    make_space(open_house, "Bändikämppä 50%", "bandikamppa", type=Space.Type.BAND_ROOM)
    make_space(
        open_house, "Kerho_huone", "kerhohuone", capacity=12, description="Piano ja kahvinkeitin"
    )
    make_space(open_house, "Varasto", "varasto", is_listed=False)
    cafe = make_venue("Kesäkahvila", "kesakahvila")
    make_space(cafe, "Kahvio", "kahvio", capacity=8)
    OpeningHours.objects.filter(venue=cafe).update(closes_at=dt.time(23, 59, 59, 999999))
    day = next_weekday(2)
    book(hall["a"], org_a, local(day, 18), local(day, 20))
    book(hall["b"], org_a, local(day, 17), local(day, 21), status=Booking.Status.CANCELLED)
    OpeningException.objects.create(venue=room.venue, starts_on=day, ends_on=day, reason="Remontti")
    return {"day": day.isoformat(), "district": other_district.slug}


def test_the_fixed_statement_finds_the_same_spaces_as_the_filter_set_for_every_filter(varied):
    day, district = varied["day"], varied["district"]
    queries = [
        "",
        "page=2",
        "q=sali",
        "q=PIANO",
        "q=50%25",
        "q=o_h",
        "q=%00",
        "q=+++",
        "type=hall",
        "type=bogus",
        f"district={district}",
        "district=nowhere",
        "capacity=150",
        "capacity=12.5",
        "capacity=0",
        "accessibility=step_free",
        "accessibility=step_free&accessibility=induction_loop",
        "accessibility=bogus",
        "price=maksuton",
        "price=nowhere",
        f"free_on={day}&free_from=18:00&free_until=20:00",
        f"free_on={day}&free_from=20:00",
        f"free_on={day}",
        f"free_on={day}&free_from=21:00&free_until=20:00",
        "free_on=2027-03-28&free_from=03:30",
        "free_on=2026-02-30&free_from=18:00",
        f"free_on={day}&free_from=18:00&free_until=20:00&type=hall&capacity=100&price=maksuton",
        f"q=huone&accessibility=step_free&district={district}&free_on={day}&free_from=10:00",
    ]
    answers = {}
    for query in queries:
        answers[query] = statement_slugs(query)
        assert answers[query] == orm_slugs(query), query
    assert len({tuple(found) for found in answers.values()}) >= 10, "the filters must differ"
    assert answers["q=50%25"] == ["bandikamppa"] and answers["q=o_h"] == ["kerhohuone"]
    assert answers[f"free_on={day}&free_from=20:00"] == ["kahvio"]


def test_free_at_takes_three_queries_the_page_its_photos_and_the_menus(
    client, room, hall, org_a, django_assert_max_num_queries
):
    day = next_weekday(2)
    book(room, org_a, local(day, 18), local(day, 19))
    SpacePhoto.objects.create(space=hall["a"], image="spaces/a.jpg", alt_text="Sali")
    url = f"/spaces/?free_on={day.isoformat()}&free_from=18:00&free_until=20:00"
    _form_cache.clear()
    for _ in range(2):  # the form rendered, then remembered
        with django_assert_max_num_queries(3):
            response = client.get(url)
        assert [row["slug"] for row in response.context["page"]] == [
            "liikuntasali",
            "liikuntasali-a",
            "liikuntasali-b",
        ]


def test_the_fixed_statement_finds_the_taken_units_through_the_time_index(room):
    day = next_weekday(2).isoformat()
    statement = list_statement(query_form(QueryDict(f"free_on={day}&free_from=18:00")))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement.sql, statement.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "occupancy_active_during" in plan, plan
    assert "Seq Scan on spaces_bookingoccupancy" not in plan, plan


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("free_on=2026-02-30", "free_on", "Syötä oikea päivämäärä."),
        ("free_on=1999-12-31", "free_on", "Valitse päivä vuosien 2000 ja 2100 väliltä."),
        ("free_on=2027-03-28&free_from=03:30", "free_from", "kellot siirtyvät"),
        ("free_on=2027-01-01&free_from=12:00&free_until=11:00", "free_until", "Loppuajan pitää"),
        ("free_on=2027-01-01&free_from=25:00", "free_from", "Syötä oikea kellonaika."),
        ("capacity=0", "capacity", "Tämän luvun on oltava vähintään 1."),
        ("type=bogus", "type", "Valitse oikea vaihtoehto."),
        ("district=nowhere", "district", "Valitse oikea vaihtoehto."),
    ],
)
def test_a_bad_value_gets_its_finnish_message_at_its_field_and_the_page_still_lists(
    client, room, query, field, message
):
    with translation.override("fi"):
        checked = query_form(QueryDict(query))
        assert not checked.is_valid()
        assert list(checked.errors) == [field]
        assert message in " ".join(checked.errors[field])
    response = client.get(f"/spaces/?{query}")
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert f'aria-describedby="id_{field}_error"' in html, "the message is tied to its field"
    assert f'id="id_{field}_error"' in html


def test_the_checking_form_copies_no_fields_and_the_rendered_form_changes_only_its_own(
    client, room
):
    first, second = query_form(QueryDict("free_on=2027-01-01")), query_form(None)
    assert first.fields is second.fields, "nothing is copied per request"
    _form_cache.clear()
    html = client.get("/spaces/?type=hall").content.decode()
    assert f'<option value="{room.venue.district.slug}">' in html
    # The page set its menus on its own copy of the fields, never on the shared ones.
    assert not isinstance(first.fields["district"].widget.choices, tuple)


DATES = ["2026-11-25", " 2026-11-25 ", "2026-1-5", "2026-02-30", "25.11.2026", "25.11.26"]
DATES += ["20261125", "2026-W48-3", "0001-01-01", "11/25/2026", "Nov 25 2026", "", "٢٠٢٦-١١-٢٥"]
TIMES = ["18:00", "18:00:00", "18.00", "18.00.00", "8:00", "24:00", "18:00:60", "1800"]
TIMES += ["T18:00", "18:00:00.5", " 18:00 ", "18:00Z", "", "١٨:٠٠"]


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_date_and_time_fields_read_every_value_as_djangos_own_fields_do(language):
    def read(field, value):
        try:
            return field.clean(value)
        except ValidationError as error:
            return error.messages

    with translation.override(language):
        for value in DATES:
            expected = read(forms.DateField(required=False), value)
            assert read(IsoDateField(required=False), value) == expected, value
        for value in TIMES:
            expected = read(forms.TimeField(required=False), value)
            assert read(IsoTimeField(required=False), value) == expected, value


def test_a_remembered_free_at_page_compiles_no_orm_query_and_copies_no_form_field(
    client, room, hall
):
    url = f"/spaces/?free_on={next_weekday(2).isoformat()}&free_from=18:00&free_until=20:00"
    client.get(url)  # the filter form rendered once
    compile_sql, copy_field = SQLCompiler.as_sql, forms.Field.__deepcopy__
    with (
        mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=compile_sql) as sql,
        mock.patch.object(
            forms.Field, "__deepcopy__", autospec=True, side_effect=copy_field
        ) as copy,
    ):
        response = client.get(url)
    assert len(response.context["page"]) == 4
    assert sql.call_count == 0, "the rows come from the fixed statement"
    assert copy.call_count == 0, "the query is checked by a form with shared fields"

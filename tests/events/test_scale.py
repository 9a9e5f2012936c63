"""What keeps the calendar fast at national scale (see `make bench`): each test fails if the fix
it guards is undone."""

import json
import re
from datetime import timedelta

import pytest
from django import forms
from django.db import connection
from django.utils import timezone

from config import ical, pagecache
from directory.models import Organisation
from events import calendars, feeds, rows, views
from events import filters as event_filters
from events.models import Event, Umbrella
from events.widgets import QuickCheckboxSelectMultiple, QuickSelect
from tests.events.conftest import at

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_upcoming_list_walks_the_start_index_from_the_earliest_running_event(make_event):
    make_event("Käynnissä", starts_at=timezone.now() - timedelta(hours=1))
    # As on the national scale: a long past and a long future, a page wanted from the middle.
    first = timezone.now() - timedelta(days=200)
    Event.objects.bulk_create(
        Event(title="Rivi", status="published", starts_at=first + timedelta(hours=2 * n),
              ends_at=first + timedelta(hours=2 * n + 1))
        for n in range(4000)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_event")
    plan = _plan(Event.objects.listed().upcoming().order_by("starts_at", "pk")[:30])
    # The floor comes from the GiST index of running events, and bounds the start index scan.
    assert "event_span" in plan
    assert re.search(r"Index (Only )?Scan (using|on) event_start_cover", plan)
    assert re.search(r"Index Cond: \(starts_at >= COALESCE", plan)


def test_an_event_that_began_long_ago_and_still_runs_is_listed_and_counted(client, make_event):
    make_event("Pitkä näyttely", starts_at=timezone.now() - timedelta(days=90), hours=24 * 120)
    make_event("Ohi mennyt", starts_at=timezone.now() - timedelta(days=3))
    make_event("Tuleva", starts_at=timezone.now() + timedelta(days=3))
    titles = list(Event.objects.listed().upcoming().values_list("title", flat=True))
    assert titles == ["Pitkä näyttely", "Tuleva"]
    html = client.get("/events/").content.decode()
    assert "Pitkä näyttely" in html and "Ohi mennyt" not in html


def test_the_month_grid_shows_four_events_a_day_and_counts_the_rest(client, make_event):
    day = at(2027, 3, 10, 9)
    for n in range(6):
        make_event(f"Päivän tapahtuma {n}", starts_at=day + timedelta(hours=n))
    # Three days, ending at midnight: on the 12th, 13th and 14th, not the 15th.
    make_event("Leiri", starts_at=at(2027, 3, 12, 0), ends_at=at(2027, 3, 15, 0), hours=0)
    # Over the spring DST change (29.3. at 03:00): on the 28th and 29th.
    make_event("Yön yli", starts_at=at(2027, 3, 28, 22), hours=5)
    grid = {
        d.day.day: d
        for d in calendars.month_grid(
            Event.objects.listed(), *calendars.month_range(day.date().replace(day=1)), month=3
        )
        if d.in_month
    }
    assert [e.title for e in grid[10].events] == [f"Päivän tapahtuma {n}" for n in range(4)]
    assert grid[10].count == 6 and grid[10].more == 2
    assert [d for d, cell in grid.items() if any(e.title == "Leiri" for e in cell.events)] == [
        12,
        13,
        14,
    ]
    assert [d for d, cell in grid.items() if any(e.title == "Yön yli" for e in cell.events)] == [
        28,
        29,
    ]
    html = client.get("/events/month/?month=2027-03").content.decode()
    assert "Päivän tapahtuma 3" in html and "Päivän tapahtuma 4" not in html
    assert "start=2027-03-10&amp;end=2027-03-10" in html


def test_the_month_view_reads_the_grid_in_one_query_and_the_menus_once_per_data_version(
    client, make_event, django_assert_max_num_queries
):
    for n in range(30):
        make_event(f"Tapahtuma {n}", starts_at=at(2027, 5, 3, 8) + timedelta(hours=n % 10))
    event_filters._choices_kept.clear()
    with django_assert_max_num_queries(4):  # the data version (twice), the menus, the grid
        response = client.get("/events/month/?month=2027-05")
    assert response.content.decode().count("Tapahtuma ") == 4
    pagecache.forget_pages()
    with django_assert_max_num_queries(3):  # the same data version: the menus are kept
        again = client.get("/events/month/?month=2027-05")
    assert again.content.decode().count("Tapahtuma ") == 4


def test_a_long_organiser_list_is_no_menu_but_a_chosen_organiser_still_filters(
    client, make_event, org_a, org_b, monkeypatch, django_assert_max_num_queries
):
    make_event("A:n ilta", organisers=[org_a])
    make_event("B:n ilta", organisers=[org_b])
    assert '<select name="organiser"' in client.get("/events/").content.decode()
    organisers = event_filters._ORGANISER_SQL.replace("LIMIT 151", "LIMIT 2")
    monkeypatch.setitem(event_filters._CHOICES_SQL, True, event_filters._TAXONOMY_SQL + organisers)
    monkeypatch.setattr(event_filters, "ORGANISER_MENU_LIMIT", 1)
    pagecache.forget_pages()  # the data is the same, only the menu limit changed
    event_filters._choices_kept.clear()
    with django_assert_max_num_queries(5):  # the data version (twice), menus, count, rows
        html = client.get("/events/").content.decode()
    assert 'name="organiser"' not in html and "A:n ilta" in html
    html = client.get(f"/events/?organiser={org_b.slug}").content.decode()
    assert "A:n ilta" not in html and "B:n ilta" in html
    assert f'type="radio" name="organiser" value="{org_b.slug}"' in html
    assert Organisation.objects.get(pk=org_b.pk).name in html


def test_the_quick_widgets_write_the_same_html_as_djangos_templates():
    choices = [("", "Kaikki"), ("kuopio", "Kuopio"), ("a&b", "Ä <b>")]
    for value in [None, "", "kuopio", "a&b"]:
        assert QuickSelect(choices=choices).render("area", value, {"id": "id_area"}) == (
            forms.Select(choices=choices).render("area", value, {"id": "id_area"})
        )
    boxes = [("kulttuuri", "Kulttuuri"), ('x"y', "X & Y")]
    for value in [None, [], ["kulttuuri"], ["kulttuuri", 'x"y']]:
        attrs = {"id": "id_theme", "aria-describedby": "help"}
        assert QuickCheckboxSelectMultiple(choices=boxes).render("theme", value, attrs) == (
            forms.CheckboxSelectMultiple(choices=boxes).render("theme", value, attrs)
        )


def test_the_cached_filter_form_shows_a_new_umbrella_and_the_visitors_own_values(client):
    event_filters._form_cache.clear()
    assert "Uusi festivaali" not in client.get("/events/").content.decode()
    today = timezone.localdate()
    Umbrella.objects.create(
        name="Uusi festivaali", slug="uusi", starts_on=today, ends_on=today + timedelta(days=3)
    )
    assert "Uusi festivaali" in client.get("/events/").content.decode()
    html = client.get("/events/?q=kuoro&free=on").content.decode()
    assert 'value="kuoro"' in html and re.search(r'name="free"[^>]* checked', html)
    assert 'value="kuoro"' not in client.get("/events/").content.decode()


def test_a_feed_takes_two_queries_cold_and_one_warm_or_conditional(
    client, make_event, django_assert_max_num_queries
):
    for n in range(5):
        make_event(f"Syötteen tapahtuma {n}", starts_at=timezone.now() + timedelta(days=n + 1))
    feeds.forget_rendered()
    with django_assert_max_num_queries(2):  # the ETag aggregate, the events (no menus)
        cold = client.get("/events/feed.ics")
    with django_assert_max_num_queries(1):
        warm = client.get("/events/feed.ics")
    with django_assert_max_num_queries(1):
        conditional = client.get("/events/feed.ics", headers={"If-None-Match": cold["ETag"]})
    assert cold.content == warm.content and cold.content.count(b"BEGIN:VEVENT") == 5
    assert conditional.status_code == 304
    # A filtered feed reads the menus too, to know the theme asked for.
    with django_assert_max_num_queries(3):
        themed = client.get("/events/feed.ics?theme=kulttuuri")
    assert themed.status_code == 200


def test_the_remembered_vevents_give_exactly_the_shared_writers_bytes(make_event, terms):
    make_event("Pitkä kuvaus", description="Äänestä ja kerro mielipiteesi; " * 20)
    make_event("Peruttu", status=Event.Status.CANCELLED, price_text="5 €, lapset 0 €")
    make_event(
        "Koko päivä", is_all_day=True, starts_at=at(2027, 6, 1, 0), ends_at=at(2027, 6, 3, 0)
    )
    values = feeds.feed_queryset(Event.objects.order_by("starts_at", "pk"))
    items = feeds.feed_items(values)
    feeds.forget_rendered()
    expected = ical.build_calendar(items, name="Kuopion tapahtumat")
    assert feeds.build_calendar(items, name="Kuopion tapahtumat") == expected  # rendered
    assert feeds.build_calendar(items, name="Kuopion tapahtumat") == expected  # remembered
    # The rows read with values() give the same entries as the model instances.
    plain = [feeds.calendar_event(e) for e in Event.objects.order_by("starts_at", "pk")]
    assert plain == items


def _bulk_events(count: int, *, start=None) -> None:
    start = start or timezone.now() + timedelta(days=1)
    Event.objects.bulk_create(
        Event(title=f"Rivi {n:03}", status="published", starts_at=start + timedelta(hours=n),
              ends_at=start + timedelta(hours=n, minutes=30))
        for n in range(count)
    )  # fmt: skip


def test_the_list_counts_at_most_to_the_cap_and_pages_on_past_it(client, monkeypatch):
    monkeypatch.setattr(rows, "COUNT_CAP", 10)
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    _bulk_events(25)
    html = client.get("/events/").content.decode()
    assert "Yli 10 tapahtumaa" in html
    assert "Sivu 1</span>" in html and 'rel="next"' in html  # no "of N" while uncounted
    # Past the cap the count grows with the page asked for, and the next page stays linked.
    html = client.get("/events/?page=4").content.decode()
    assert re.findall(r">(Rivi \d+)<", html) == ["Rivi 012", "Rivi 013", "Rivi 014", "Rivi 015"]
    assert "Yli 16 tapahtumaa" in html and 'rel="next"' in html
    # The last page is counted exactly.
    html = client.get("/events/?page=7").content.decode()
    assert "25 tapahtumaa" in html and "Sivu 7 / 7" in html and 'rel="next"' not in html
    assert re.findall(r">(Rivi \d+)<", html) == ["Rivi 024"]


def test_a_page_past_the_end_shows_the_last_page(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    _bulk_events(6)
    html = client.get("/events/?page=50").content.decode()
    assert re.findall(r">(Rivi \d+)<", html) == ["Rivi 004", "Rivi 005"]
    assert "6 tapahtumaa" in html and "Sivu 2 / 2" in html
    assert "Ei tapahtumia" not in client.get("/events/?page=x").content.decode()


def test_the_list_reads_its_rows_and_count_in_one_query_and_the_menus_once_per_version(
    client, django_assert_max_num_queries
):
    _bulk_events(40)
    client.get("/events/")  # the menus of this data version
    pagecache.forget_pages()
    with django_assert_max_num_queries(3):  # the data version (twice), rows with their count
        response = client.get("/events/")
    assert len(re.findall(r'<h3><a href="/events/\d+/">', response.content.decode())) == 30


def test_a_deep_page_computes_the_names_of_its_own_rows_only():
    """Past the first page the rows are chosen by id under the OFFSET (PostgreSQL computes
    every column of the skipped rows), so the organiser and theme subqueries run 30 times."""
    _bulk_events(200)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_event")
    queryset = Event.objects.listed().upcoming().order_by("starts_at", "pk")
    page = rows.row_values(rows._page_rows(queryset, 150, 30))[:30]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = json.dumps(cursor.fetchone()[0])
    loops = [int(n) for n in re.findall(r'"Actual Loops": (\d+)', plan)]
    assert max(loops) <= 30 and len(page) == 30


def test_the_count_and_the_month_grid_read_only_the_indexes():
    _bulk_events(3000, start=at(2027, 4, 1, 8))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_event")
    count = Event.objects.listed().upcoming().order_by().values("pk")[:1001]
    plan = _plan(count)
    assert re.search(r"Index Only Scan using event_start_cover", plan), plan
    # The grid: a GiST lookup of the events running at each midnight, an index-only range of
    # those starting that day; the table only for the events shown.
    first, last = calendars.month_range(at(2027, 5, 1).date())
    dates = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    sql, params = calendars.grid_statement(Event.objects.listed(), dates, 4)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "event_span" in plan and "Index Only Scan using event_start_cover" in plan, plan
    assert "Seq Scan on events_event" not in plan, plan


def test_an_exhibition_that_began_before_the_month_is_on_every_day_until_it_ends(make_event):
    make_event("Näyttely", starts_at=at(2027, 2, 1, 10), ends_at=at(2027, 3, 10, 0), hours=0)
    make_event("Iltakonsertti", starts_at=at(2027, 3, 5, 19))
    first, last = calendars.month_range(at(2027, 3, 1).date())
    days = calendars.month_grid(Event.objects.listed(), first, last, month=3)
    showing = [
        d.day.day for d in days if d.in_month and any(e.title == "Näyttely" for e in d.events)
    ]
    assert showing == list(range(1, 10))  # to the 9th: it ends at the midnight before the 10th
    fifth = next(d for d in days if d.day.month == 3 and d.day.day == 5)
    assert [e.title for e in fifth.events] == ["Näyttely", "Iltakonsertti"] and fifth.count == 2

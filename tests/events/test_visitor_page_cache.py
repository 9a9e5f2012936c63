"""Visitors without an account get the event calendar from each process's memory
(config/pagecache.py), and never a page older than the data."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from config import pagecache
from events.models import Event

CALENDAR_PAGES = ["/events/", "/events/week/", "/events/month/", "/events/year/"]


@pytest.mark.parametrize("path", CALENDAR_PAGES)
def test_a_visitor_gets_a_calendar_page_again_with_a_single_query(
    client, make_event, path, django_assert_num_queries
):
    make_event("Joululaulujen yhteislaulu")
    first = client.get(path)
    with django_assert_num_queries(1):  # the version of the public data
        again = client.get(path)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_change_made_without_django_signals_reaches_the_next_visitor(client, make_event):
    event = make_event("Joululaulujen yhteislaulu")
    assert "Joululaulujen yhteislaulu" in client.get("/events/").text
    # A bulk update (admin actions, imports, SQL) sends no signals; the trigger still sees it.
    Event.objects.filter(pk=event.pk).update(title="Joulukonsertti kirkossa")
    page = client.get("/events/").text
    assert "Joulukonsertti kirkossa" in page
    assert "Joululaulujen yhteislaulu" not in page


def test_a_renamed_organiser_shows_on_the_next_visitors_list(client, make_event, org_a):
    make_event("Joululaulujen yhteislaulu")
    client.get("/events/")
    org_a.name = "Männistön Laulajat ry"
    org_a.save()
    assert "Männistön Laulajat ry" in client.get("/events/").text


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_when_the_change_commits_not_before(make_event):
    event = make_event("Joululaulujen yhteislaulu")
    before = pagecache.current_version()
    with transaction.atomic():
        Event.objects.filter(pk=event.pk).update(title="Joulukonsertti kirkossa")
        # Until the commit other visitors still see the old rows, so the old pages are right.
        assert pagecache.current_version() == before
    assert pagecache.current_version() > before


def test_a_signed_in_member_never_gets_a_page_kept_for_visitors(client, make_event, member):
    make_event("Joululaulujen yhteislaulu")
    visitors_page = client.get("/events/")
    client.force_login(member)
    members_page = client.get("/events/")
    assert members_page.content != visitors_page.content
    assert member.get_short_name() in members_page.text
    assert "Kirjaudu ulos" in members_page.text


def test_pages_are_kept_per_language(client, make_event):
    make_event("Joululaulujen yhteislaulu")
    finnish = client.get("/events/", headers={"Accept-Language": "fi"})
    english = client.get("/events/", headers={"Accept-Language": "en"})
    assert finnish["Content-Language"] == "fi"
    assert english["Content-Language"] == "en"
    assert finnish.content != english.content


def test_pages_are_kept_per_query(client, make_event, terms):
    make_event("Joululaulujen yhteislaulu", themes=[terms["kulttuuri"]])
    everything = client.get("/events/").text
    sports = client.get("/events/?theme=liikunta-ja-urheilu").text
    assert "Joululaulujen yhteislaulu" in everything
    assert "Joululaulujen yhteislaulu" not in sports


def test_a_page_is_rendered_again_after_its_time(client, make_event, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_event("Joululaulujen yhteislaulu")
    client.get("/events/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/events/")
    assert len(queries) > 1


def test_every_table_the_calendar_shows_advances_the_version(db):
    tables = pagecache.source_tables()
    assert {"events_event", "events_event_organisers", "directory_organisation"} <= set(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = 'portal_public_changed'"
        )
        covered = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= covered


@pytest.mark.parametrize(
    ("body", "renders"),
    [
        (b"<p>Tapahtumat</p>", 1),
        (b'<form><input type="hidden" name="csrfmiddlewaretoken" value="abc"></form>', 2),
    ],
)
def test_a_page_holding_a_csrf_token_is_never_kept_for_other_visitors(rf, db, body, renders):
    from django.http import HttpResponse

    calls = []

    @pagecache.for_visitors
    def page(request):
        calls.append(request)
        return HttpResponse(body)

    for _ in range(2):
        request = rf.get("/lomake/")
        request.LANGUAGE_CODE = "fi"
        assert page(request).content == body
    assert len(calls) == renders

"""Events in a real browser: a volunteer publishes, gets a clash warning, a resident finds the
event by filters and downloads the filtered feed; axe checks the pages on the way."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
import recurring_ical_events
from django.utils import timezone

from tests.browser.conftest import assert_accessible, assert_no_csp_violations, login


@pytest.fixture
def terms(transactional_db):
    # Another transactional test may have emptied the tables the data migration filled.
    from django.apps import apps

    from directory import search, taxonomy_data

    taxonomy_data.load(apps)
    search.analyse("laulupiiri")  # loads Voikko's dictionary (2-10 s) before the clock runs


def publish_event(page, title: str, day: date, description: str) -> None:
    page.goto("/events/new/")
    page.get_by_label("Tapahtuman nimi").fill(title)
    page.get_by_label("Kuvaus:", exact=True).fill(description)
    page.get_by_label("Päivämäärä:", exact=True).fill(day.isoformat())
    page.get_by_label("Alkaa klo").fill("18:00")
    page.get_by_label("Päättyy klo").fill("20:00")
    page.get_by_label("Paikan nimi").fill("Männistön asukastupa")
    page.get_by_label("Alue:", exact=True).select_option(label="Männistö")
    page.get_by_role("group", name="Teemat").get_by_label("Kulttuuri", exact=True).check()
    page.get_by_role("group", name="Kohderyhmät").get_by_label("Ikääntyneet", exact=True).check()
    page.get_by_role("button", name="Julkaise").click()


def test_a_volunteer_publishes_sees_a_clash_and_a_resident_finds_and_subscribes(
    page, member, org_a, terms
):
    day = timezone.localdate() + timedelta(days=9)
    login(page, member)
    page.goto("/events/new/")
    assert_no_csp_violations(page)
    assert_accessible(page)

    publish_event(page, "Syystanssit", day, "Tanssia elävän musiikin tahdissa.")
    assert page.get_by_text("Tapahtuma on julkaistu.").is_visible()
    assert page.get_by_role("heading", name="Syystanssit", level=1).is_visible()
    assert_accessible(page)

    publish_event(page, "Laulupiiri", day, "Kahvia, laulua; ja\nyhdessä oloa.")
    assert page.get_by_role("heading", name="Muita tapahtumia samaan aikaan").is_visible()
    assert page.get_by_role("link", name="Syystanssit").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Julkaise silti").click()
    assert page.get_by_text("Tapahtuma on julkaistu.").is_visible()

    # A resident without an account finds it by filters.
    page.context.clear_cookies()
    page.goto("/events/")
    page.get_by_label("Hae").fill("laulu")
    page.get_by_text("Lisää rajauksia").click()
    page.get_by_role("group", name="Teema").get_by_label("Kulttuuri", exact=True).check()
    page.get_by_label("Alue").select_option(label="Männistö")
    page.get_by_role("button", name="Näytä tapahtumat").click()
    results = page.locator(".event-results h3")
    assert results.all_inner_texts() == ["Laulupiiri"]
    assert_no_csp_violations(page)
    assert_accessible(page)

    page.get_by_text("Tilaa tämä kalenteri").click()
    feed_link = page.get_by_role("link", name="Lataa tiedostona (.ics)").get_attribute("href")
    assert "theme=kulttuuri" in feed_link and "q=laulu" in feed_link
    address = urlsplit(feed_link)
    response = page.request.get(f"{address.path}?{address.query}")
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.body())
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Laulupiiri"]
    assert str(events[0]["DESCRIPTION"]).startswith("Kahvia, laulua; ja\nyhdessä oloa.")
    occurrences = recurring_ical_events.of(calendar).at(day)
    assert [o.decoded("DTSTART").hour for o in occurrences] == [18]

    page.get_by_role("link", name="Laulupiiri").click()
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert_no_csp_violations(page)
    assert_accessible(page)


def test_month_week_and_year_views_pass_axe(page, member, org_a, terms):
    from events import services

    start = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    services.event_create(
        by=None, organisers=[org_a], title="Kuoroilta", status="published",
        starts_at=start + timedelta(days=1), ends_at=start + timedelta(days=1, hours=2),
        place_name="Pääkirjasto",
    )  # fmt: skip
    for path in ("/events/month/", "/events/week/", "/events/year/"):
        page.goto(path)
        assert page.get_by_role("link", name="Kuoroilta").count() >= (0 if "year" in path else 1)
        assert_no_csp_violations(page)
        assert_accessible(page)

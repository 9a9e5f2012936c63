"""The public pages: list with filters, week, month, year wheel, event and umbrella pages."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event
from tests.events.conftest import at

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3><a href="/events/\d+/">([^<]+)</a></h3>', html)


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_the_list_page_uses_at_most_six_queries_for_any_page_size(
    client_as, make_event, django_assert_max_num_queries, role, org_b, terms
):
    client = client_as(role)
    make_event("Ensimmäinen")
    for query in ["", "q=kuoro&theme=kulttuuri&area=kuopio&free=on"]:
        with django_assert_max_num_queries(6):
            assert client.get(f"/events/?{query}").status_code == 200
    for n in range(35):
        make_event(f"Tapahtuma {n}", organisers=[org_b], areas=[terms["kuopio"]])
    for query in ["", "q=tapahtuma&theme=kulttuuri&area=kuopio&free=on", "page=2"]:
        with django_assert_max_num_queries(6):
            response = client.get(f"/events/?{query}")
        assert response.status_code == 200
        assert titles(response), query


def test_the_list_shows_upcoming_published_events_by_default_and_past_ones_on_request(
    client, make_event
):
    make_event("Tuleva")
    make_event("Luonnos", status=Event.Status.DRAFT)
    past = make_event("Mennyt", starts_at=timezone.now() - timedelta(days=2))
    old_cancelled = make_event("Peruttu mennyt", starts_at=timezone.now() - timedelta(days=3))
    services.event_cancel(by=None, event=old_cancelled)
    assert titles(client.get("/events/")) == ["Tuleva"]
    assert titles(client.get("/events/?when=past")) == ["Mennyt"]
    day = past.starts_on.isoformat()
    assert titles(client.get(f"/events/?start={day}&end={day}")) == ["Mennyt"]


def test_filters_by_theme_group_area_organiser_price_access_online_and_umbrella(
    client, make_event, terms, org_b, umbrella
):
    make_event("Kuoro", is_accessible=True)
    make_event(
        "Futis",
        themes=[terms["liikunta"]],
        target_groups=[terms["lapset"]],
        district=terms["neulamaki"],
        is_free=False,
        price_text="5 €",
        organisers=[org_b],
    )
    make_event(
        "Webinaari",
        place_kind=Event.PlaceKind.ONLINE,
        online_url="https://x.example/",
        umbrella=umbrella,
        district=None,
    )
    assert titles(client.get("/events/?theme=liikunta-ja-urheilu")) == ["Futis"]
    assert titles(client.get("/events/?group=lapset")) == ["Futis"]
    assert titles(client.get("/events/?area=kuopio-neulamaki")) == ["Futis"]
    assert sorted(titles(client.get("/events/?area=kuopio"))) == ["Futis", "Kuoro"]
    assert titles(client.get(f"/events/?organiser={org_b.slug}")) == ["Futis"]
    assert sorted(titles(client.get("/events/?free=on"))) == ["Kuoro", "Webinaari"]
    assert titles(client.get("/events/?accessible=on")) == ["Kuoro"]
    assert titles(client.get("/events/?online=on")) == ["Webinaari"]
    assert titles(client.get(f"/events/?umbrella={umbrella.slug}")) == ["Webinaari"]


def test_the_text_filter_understands_finnish_compounds_inflections_and_typos(client, make_event):
    make_event("Lastenkonsertti Männistössä")
    make_event("Jalkapalloseuran kevätturnaus")
    make_event("Palokunnan avoimet ovet")
    assert titles(client.get("/events/?q=konsertti")) == ["Lastenkonsertti Männistössä"]
    assert titles(client.get("/events/?q=lapsi")) == ["Lastenkonsertti Männistössä"]
    assert titles(client.get("/events/?q=jalkapallo")) == ["Jalkapalloseuran kevätturnaus"]
    assert titles(client.get("/events/?q=jalkapalo")) == ["Jalkapalloseuran kevätturnaus"]
    assert "Palokunnan avoimet ovet" not in titles(client.get("/events/?q=pallo"))
    assert titles(client.get("/events/?q=%00")) != []


def test_week_and_month_views_place_events_on_their_days(client, make_event):
    event = make_event("Viikon tapahtuma")
    day = event.starts_on
    week = client.get(f"/events/week/?week={day.isoformat()}")
    assert "Viikon tapahtuma" in week.content.decode()
    month = client.get(f"/events/month/?month={day:%Y-%m}")
    html = month.content.decode()
    assert '<th scope="col">' in html and "Viikon tapahtuma" in html
    for bad in ["week=2026-02-30", "month=13-2026", "month=x", "week=99999-01-01"]:
        assert client.get(f"/events/week/?{bad}").status_code == 200
        assert client.get(f"/events/month/?{bad}").status_code == 200


def test_month_view_uses_a_constant_number_of_queries(
    client, make_event, django_assert_max_num_queries
):
    for n in range(12):
        make_event(f"Tapahtuma {n}", starts_at=timezone.now() + timedelta(days=n % 5 + 1))
    with django_assert_max_num_queries(4):
        assert client.get("/events/month/").status_code == 200


def test_the_year_wheel_counts_events_by_month_and_theme_and_shows_umbrellas(
    client, make_event, umbrella
):
    make_event("Huhtikuun konsertti", starts_at=at(2027, 4, 14))
    make_event("Toinen", starts_at=at(2027, 4, 20))
    make_event("Päivämäärä varattu", starts_at=at(2027, 9, 1), is_save_the_date=True)
    response = client.get("/events/year/?year=2027")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html
    april = re.search(r"month=2027-04[^>]*>[^<]+</a></th>\s*((?:<td>\d+</td>)+)", html)
    assert "<td>2</td>" in april.group(1)  # kulttuuri in April
    assert "Päivämäärä varattu" in html
    assert client.get("/events/year/?year=abc").status_code == 200
    assert client.get("/events/year/?year=99999").status_code == 200


def test_the_event_page_has_schema_org_json_ld_with_offset_status_offer_and_organiser(
    client, make_event, org_a
):
    event = make_event("Kesäkonsertti", starts_at=at(2027, 6, 20, 18), is_free=True)
    response = client.get(f"/events/{event.pk}/")
    html = response.content.decode()
    nonce = re.search(r'<script type="application/ld\+json" nonce="([^"]+)">', html)
    assert nonce and nonce.group(1) in response["Content-Security-Policy"]
    data = json.loads(
        html.split('type="application/ld+json"', 1)[1].split(">", 1)[1].split("</script>")[0]
    )
    assert data["@type"] == "Event" and data["name"] == "Kesäkonsertti"
    assert data["startDate"] == "2027-06-20T18:00:00+03:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["offers"]["price"] == 0
    assert data["organizer"][0]["name"] == org_a.name
    assert data["location"]["name"] == "Männistön asukastupa"
    services.event_cancel(by=None, event=event)
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "https://schema.org/EventCancelled" in html and "Peruttu" in html


def test_json_ld_cannot_break_out_of_its_script_element(client, make_event):
    event = make_event("</script><script>alert(1)</script>")
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "<script>alert(1)" not in html


def test_the_online_link_is_shown_only_to_people_who_have_signed_in(client_as, make_event):
    event = make_event(
        "Etäluento", place_kind=Event.PlaceKind.ONLINE, online_url="https://meet.example/abc"
    )
    anonymous = client_as("anonymous").get(f"/events/{event.pk}/").content.decode()
    assert "https://meet.example/abc" not in anonymous
    signed_in = client_as("resident").get(f"/events/{event.pk}/").content.decode()
    assert "https://meet.example/abc" in signed_in


def test_drafts_are_seen_only_by_their_organisers_and_staff(client_as, make_event):
    draft = make_event("Luonnos", status=Event.Status.DRAFT)
    assert client_as("anonymous").get(f"/events/{draft.pk}/").status_code == 404
    assert client_as("other_org_admin").get(f"/events/{draft.pk}/").status_code == 404
    assert client_as("member").get(f"/events/{draft.pk}/").status_code == 200
    assert client_as("anonymous").get("/events/999999999999999999999/").status_code == 404


def test_umbrella_pages_list_their_events_and_link_their_feed(client, make_event, umbrella):
    make_event("Pihakonsertti", umbrella=umbrella)
    make_event("Muu tapahtuma")
    response = client.get(f"/events/umbrellas/{umbrella.slug}/")
    assert titles(response) == ["Pihakonsertti"]
    assert f"/events/umbrellas/{umbrella.slug}/feed.ics" in response.content.decode()
    assert "Meidän Kuopio" in client.get("/events/umbrellas/").content.decode()


def test_the_list_offers_webcal_google_and_outlook_links_for_the_current_filter(client, make_event):
    make_event("Kuoro")
    html = client.get("/events/?theme=kulttuuri&bogus=1").content.decode()
    assert "webcal://127.0.0.1:8000/events/feed.ics?theme=kulttuuri" in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F" in html
    assert "outlook.live.com/calendar/0/addfromweb?url=" in html


def test_the_organisation_panel_lists_coming_events_and_a_follow_button(
    rf, make_event, org_a, resident
):
    from directory.panels import panels_for

    make_event("Kuorolaulua")
    request = rf.get("/")
    request.user = resident
    panels = {panel.key: context for panel, context in panels_for(org_a, request)}
    assert [e.title for e in panels["events"]["events"]] == ["Kuorolaulua"]
    assert panels["events"]["is_following"] is False


def test_the_association_page_shows_its_coming_events_feed_and_follow_button(
    client_as, make_event, org_a
):
    make_event("Kuorolaulua")
    html = client_as("resident").get(org_a.get_absolute_url()).content.decode()
    assert "Tulevat tapahtumat" in html and "Kuorolaulua" in html
    assert f"/events/organisations/{org_a.slug}/feed.ics" in html
    assert f"/events/organisations/{org_a.slug}/follow/" in html


def test_the_sitemap_lists_event_pages_and_umbrellas_but_not_drafts(client, make_event, umbrella):
    published = make_event("Julkinen")
    draft = make_event("Luonnos", status=Event.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/events/{published.pk}/</loc>" in xml
    assert f"/events/{draft.pk}/</loc>" not in xml
    assert f"/events/umbrellas/{umbrella.slug}/</loc>" in xml
    assert "/events/year/</loc>" in xml


def test_the_pages_are_complete_in_english_on_request(client, make_event):
    event = make_event("Kuorolaulua")
    client.post("/i18n/setlang/", {"language": "en", "next": "/events/"})
    html = client.get("/events/").content.decode()
    assert '<html lang="en">' in html and "Subscribe to this calendar" in html
    assert "Culture" in html  # the theme names in English too
    detail = client.get(f"/events/{event.pk}/").content.decode()
    assert "Add to my calendar (.ics)" in detail and "Free of charge" in detail

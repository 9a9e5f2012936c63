"""The iCal feeds, parsed with icalendar and with recurring-ical-events as an independent reader."""

import re
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
import time_machine
from django.utils import timezone

from events import feeds, services
from events.models import Event
from tests.events.conftest import at

pytestmark = pytest.mark.django_db


def parse(body: bytes) -> list:
    """The VEVENTs of a feed, read by icalendar; recurring-ical-events must read it too."""
    calendar = icalendar.Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    expanded = recurring_ical_events.of(calendar).between(date(2000, 1, 1), date(2100, 1, 1))
    assert sorted(str(e["UID"]) for e in expanded) == sorted(str(e["UID"]) for e in events)
    return events


def by_title(events) -> dict:
    return {str(e["SUMMARY"]): e for e in events}


def test_an_evening_event_on_both_2026_dst_weekends_resolves_to_the_right_utc_instant(
    client, make_event
):
    make_event("Ennen kevään siirtoa", starts_at=at(2026, 3, 28))
    make_event("Kevään siirtopäivä", starts_at=at(2026, 3, 29))
    make_event("Syksyn siirtopäivä", starts_at=at(2026, 10, 25))
    make_event("Jälkeen syksyn siirron", starts_at=at(2026, 10, 26))
    body = client.get("/events/feed.ics?start=2026-03-01&end=2026-10-31").content
    events = by_title(parse(body))
    utc = {title: e.decoded("DTSTART").astimezone(UTC) for title, e in events.items()}
    assert utc["Ennen kevään siirtoa"] == datetime(2026, 3, 28, 16, 0, tzinfo=UTC)
    assert utc["Kevään siirtopäivä"] == datetime(2026, 3, 29, 15, 0, tzinfo=UTC)
    assert utc["Syksyn siirtopäivä"] == datetime(2026, 10, 25, 16, 0, tzinfo=UTC)
    assert utc["Jälkeen syksyn siirron"] == datetime(2026, 10, 26, 16, 0, tzinfo=UTC)
    # The independent reader agrees, and the times are written with the Helsinki TZID.
    calendar = icalendar.Calendar.from_ical(body)
    spring = recurring_ical_events.of(calendar).at(date(2026, 3, 29))
    assert [o.decoded("DTSTART").astimezone(UTC).hour for o in spring] == [15]
    assert b"DTSTART;TZID=Europe/Helsinki:20260329T180000" in body


def test_our_own_vtimezone_gives_the_same_instants_when_the_parser_cannot_use_its_database(
    client, make_event
):
    make_event("Kevään siirtopäivä", starts_at=at(2026, 3, 29))
    make_event("Syksyn siirtopäivä", starts_at=at(2026, 10, 25))
    body = client.get("/events/feed.ics?start=2026-03-01&end=2026-10-31").content
    renamed = body.replace(b"Europe/Helsinki", b"Portal-Helsinki")
    events = by_title(icalendar.Calendar.from_ical(renamed).walk("VEVENT"))
    assert events["Kevään siirtopäivä"].decoded("DTSTART").utcoffset() == timedelta(hours=3)
    assert events["Syksyn siirtopäivä"].decoded("DTSTART").utcoffset() == timedelta(hours=2)


def test_uids_are_stable_across_regeneration_and_edits_and_unique_in_a_feed(client, make_event):
    first = make_event("Kuorolaulua")
    second = make_event("Kielikahvila")
    body = client.get("/events/feed.ics").content
    uids = [str(e["UID"]) for e in parse(body)]
    assert len(uids) == len(set(uids)) == 2
    assert f"event-{first.pk}@127.0.0.1" in uids
    services.event_update(by=None, event=first, title="Kuorolaulua ja kahvia")
    again = [str(e["UID"]) for e in parse(client.get("/events/feed.ics").content)]
    assert sorted(again) == sorted(uids)
    single = parse(client.get(f"/events/{second.pk}/event.ics").content)
    assert [str(e["UID"]) for e in single] == [f"event-{second.pk}@127.0.0.1"]


def test_an_edit_bumps_sequence_and_dtstamp_but_saving_unchanged_data_does_not(client, make_event):
    event = make_event("Kuorolaulua")
    before = parse(client.get("/events/feed.ics").content)[0]
    assert before["SEQUENCE"] == 0
    assert services.event_update(by=None, event=event, title="Kuorolaulua") is False
    assert parse(client.get("/events/feed.ics").content)[0]["SEQUENCE"] == 0
    services.event_update(by=None, event=event, ends_at=event.ends_at + timedelta(hours=1))
    after = parse(client.get("/events/feed.ics").content)[0]
    assert after["SEQUENCE"] == 1
    assert after.decoded("DTSTAMP") >= before.decoded("DTSTAMP")
    services.event_postpone(by=None, event=event, note="Uusi aika kerrotaan myöhemmin")
    postponed = parse(client.get("/events/feed.ics").content)[0]
    assert postponed["SEQUENCE"] == 2 and postponed["STATUS"] == "TENTATIVE"


def test_a_cancelled_event_stays_with_status_cancelled_until_it_has_passed(client, make_event):
    event = make_event("Tanssiaiset")
    services.event_cancel(by=None, event=event, note="Sairastumisen vuoksi")
    cancelled = parse(client.get("/events/feed.ics").content)
    assert [str(e["STATUS"]) for e in cancelled] == ["CANCELLED"]
    assert cancelled[0]["SEQUENCE"] == 1
    assert "Sairastumisen vuoksi" in str(cancelled[0]["DESCRIPTION"])
    assert "Tanssiaiset" in client.get("/events/").content.decode()
    with time_machine.travel(event.ends_at + timedelta(minutes=1)):
        assert parse(client.get(f"/events/feed.ics?start={event.starts_on}").content) == []


def test_all_day_events_end_on_the_exclusive_next_day(client, make_event):
    start = timezone.localdate() + timedelta(days=10)
    event = make_event(
        "Kesäjuhlat",
        starts_at=at(start.year, start.month, start.day, 0),
        ends_at=at(start.year, start.month, start.day, 0) + timedelta(days=2),
        is_all_day=True,
    )
    body = client.get("/events/feed.ics").content
    vevent = parse(body)[0]
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTEND") == start + timedelta(days=2)  # two days: the 3rd is exclusive
    assert f"DTEND;VALUE=DATE:{(start + timedelta(days=2)):%Y%m%d}".encode() in body
    calendar = icalendar.Calendar.from_ical(body)
    on_last_day = recurring_ical_events.of(calendar).at(start + timedelta(days=1))
    after = recurring_ical_events.of(calendar).at(start + timedelta(days=2))
    assert len(on_last_day) == 1 and after == []
    assert event.last_day == start + timedelta(days=1)


def test_lines_are_crlf_and_folded_at_75_octets_without_splitting_a_letter(client, make_event):
    text = "Äänekäs öljyvärimaalauskurssi, jossa säästetään yöllä ääntä ja värejä. " * 8
    make_event("Öljyvärimaalausta", description=text)
    body = client.get("/events/feed.ics").content
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a split multibyte letter would raise here
    assert text.strip() in str(parse(body)[0]["DESCRIPTION"])


def test_finnish_text_with_commas_semicolons_and_newlines_round_trips(client, make_event):
    title = "Kahvia, pullaa; ja laulua"
    description = "Ensin kahvit, sitten laulua;\nlopuksi tanssia.\nTervetuloa!"
    make_event(title, description=description, place_name="Männistö, asukastupa; 2. krs")
    body = client.get("/events/feed.ics").content
    vevent = parse(body)[0]
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["DESCRIPTION"]).startswith(description)
    assert str(vevent["LOCATION"]).startswith("Männistö, asukastupa; 2. krs")
    expanded = recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(
        date(2000, 1, 1), date(2100, 1, 1)
    )
    assert str(expanded[0]["SUMMARY"]) == title


def _listed_ids(html: str) -> set[int]:
    results = html[html.index('class="results event-results"') :]
    return {int(pk) for pk in re.findall(r'<h3><a href="/events/(\d+)/">', results)}


def _feed_ids(body: bytes) -> set[int]:
    return {int(re.search(r"event-(\d+)@", str(e["UID"])).group(1)) for e in parse(body)}


def test_the_feed_holds_exactly_what_the_list_shows_for_the_same_parameters(
    client, make_event, terms, org_b, umbrella
):
    make_event("Kuorolaulua", is_accessible=True)
    make_event("Lasten futis", themes=[terms["liikunta"]], target_groups=[terms["lapset"]])
    make_event("Maksullinen kurssi", is_free=False, price_text="10 €", organisers=[org_b])
    make_event(
        "Verkkoluento", place_kind=Event.PlaceKind.ONLINE, online_url="https://meet.example/x"
    )
    make_event("Festivaalin konsertti", umbrella=umbrella, district=terms["neulamaki"])
    make_event("Luonnos", status=Event.Status.DRAFT)
    make_event("Mennyt", starts_at=timezone.now() - timedelta(days=3))
    queries = [
        "",
        "theme=kulttuuri",
        "theme=liikunta-ja-urheilu&group=lapset",
        "area=kuopio",
        "area=kuopio-neulamaki",
        "free=on",
        "accessible=on",
        "online=on",
        f"umbrella={umbrella.slug}",
        f"organiser={org_b.slug}",
        "q=kuoro",
        "when=past",
        "theme=nonsense&start=2026-02-30&free=maybe&page=x",
    ]
    for query in queries:
        listed = _listed_ids(client.get(f"/events/?{query}").content.decode())
        fed = _feed_ids(client.get(f"/events/feed.ics?{query}").content)
        assert listed == fed, query
    assert len(_feed_ids(client.get("/events/feed.ics?area=kuopio").content)) == 5


def test_unchanged_data_gives_identical_bytes_and_conditional_requests_get_304(client, make_event):
    event = make_event("Kuorolaulua")
    first = client.get("/events/feed.ics?theme=kulttuuri")
    second = client.get("/events/feed.ics?theme=kulttuuri")
    assert first.content == second.content
    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    assert first["ETag"] == second["ETag"]
    not_modified = client.get(
        "/events/feed.ics?theme=kulttuuri", headers={"If-None-Match": first["ETag"]}
    )
    assert not_modified.status_code == 304 and not_modified.content == b""
    since = client.get(
        "/events/feed.ics?theme=kulttuuri", headers={"If-Modified-Since": first["Last-Modified"]}
    )
    assert since.status_code == 304
    services.event_update(by=None, event=event, title="Kuorolaulua ja kahvia")
    changed = client.get(
        "/events/feed.ics?theme=kulttuuri", headers={"If-None-Match": first["ETag"]}
    )
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_conditional_request_answers_without_rendering(
    client, make_event, django_assert_max_num_queries, monkeypatch
):
    make_event("Kuorolaulua")
    etag = client.get("/events/feed.ics")["ETag"]
    monkeypatch.setattr(feeds, "feed_items", lambda *a, **k: pytest.fail("rendered"))
    with django_assert_max_num_queries(2):
        response = client.get("/events/feed.ics", headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_the_feed_is_capped(client, make_event, monkeypatch):
    for n in range(4):
        make_event(f"Tapahtuma {n}", starts_at=timezone.now() + timedelta(days=n + 1))
    monkeypatch.setattr(feeds, "FEED_LIMIT", 3)
    titles = [str(e["SUMMARY"]) for e in parse(client.get("/events/feed.ics").content)]
    assert titles == ["Tapahtuma 0", "Tapahtuma 1", "Tapahtuma 2"]


def test_the_public_feed_leaves_out_online_links_and_organiser_email_addresses(client, make_event):
    make_event(
        "Verkkoluento",
        place_kind=Event.PlaceKind.ONLINE,
        online_url="https://meet.example/salainen",
        registration=Event.Registration.EMAIL,
        registration_email="ilmo@example.com",
    )
    body = client.get("/events/feed.ics").content
    assert b"salainen" not in body
    assert b"\r\nORGANIZER" not in body  # an ORGANIZER needs a mailto: address


def test_organisation_and_umbrella_feeds_hold_their_own_events(
    client, make_event, org_a, org_b, umbrella
):
    make_event("A:n tapahtuma", umbrella=umbrella)
    make_event("B:n tapahtuma", organisers=[org_b])
    own = by_title(parse(client.get(f"/events/organisations/{org_a.slug}/feed.ics").content))
    assert list(own) == ["A:n tapahtuma"]
    festival = by_title(parse(client.get(f"/events/umbrellas/{umbrella.slug}/feed.ics").content))
    assert list(festival) == ["A:n tapahtuma"]
    assert client.get("/events/organisations/ei-ole/feed.ics").status_code == 404


def test_the_personal_feed_needs_no_cookie_and_stops_working_when_renewed(
    client, make_event, resident, org_b
):
    followed = make_event(
        "Seurattu",
        organisers=[org_b],
        place_kind=Event.PlaceKind.HYBRID,
        online_url="https://meet.example/jasenille",
    )
    saved = make_event("Tallennettu")
    make_event("Muu")
    services.organisation_follow_toggle(user=resident, organisation=org_b)
    services.event_save_toggle(user=resident, event=saved)
    feed = services.personal_feed_for(user=resident)
    assert len(feed.secret) >= 43  # 32 random bytes: 256 bits
    response = client.get(feed.get_absolute_url())  # no login, no cookie
    assert response.status_code == 200
    assert not response.cookies
    assert "private" in response["Cache-Control"]
    events = by_title(parse(response.content))
    assert set(events) == {"Seurattu", "Tallennettu"}
    assert "https://meet.example/jasenille" in str(events["Seurattu"]["DESCRIPTION"])
    assert followed.pk
    old_url = feed.get_absolute_url()
    renewed = services.personal_feed_renew(user=resident)
    assert client.get(old_url).status_code == 404
    assert client.get(renewed.get_absolute_url()).status_code == 200
    wrong = renewed.get_absolute_url().replace(renewed.secret, "x" * len(renewed.secret))
    assert client.get(wrong).status_code == 404
    assert client.get(f"/events/personal/{renewed.key}.ics").status_code == 404


def test_garbage_in_feed_parameters_is_ignored_never_a_500(client, make_event):
    make_event("Kuorolaulua")
    for query in [
        "q=%00",
        "q=jalkapallo+%26+!seura+|+(kuoro:*)",
        "start=2026-02-30&end=99999-01-01",
        "theme=<script>&area=../../etc",
        "free=NaN&online=[]&umbrella=%E2%80%AE",
        "organiser=" + "x" * 5000,
    ]:
        response = client.get(f"/events/feed.ics?{query}")
        assert response.status_code == 200, query
        parse(response.content)


def test_a_save_the_date_entry_is_tentative_and_shown_as_free_time(client, make_event):
    make_event("Seurafoorumi", is_save_the_date=True)
    vevent = parse(client.get("/events/feed.ics").content)[0]
    assert vevent["STATUS"] == "TENTATIVE" and vevent["TRANSP"] == "TRANSPARENT"
    assert str(vevent["SUMMARY"]) == "Varaa päivä: Seurafoorumi"

"""The shared feed writer: what every calendar app relies on."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.test import RequestFactory

from config import ical

HELSINKI = ZoneInfo("Europe/Helsinki")
EDITED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def make_event(uid="event-1@test", start=None, **fields):
    start = start or datetime(2026, 3, 28, 18, 0, tzinfo=HELSINKI)
    defaults = {"summary": "Kuorolaulua", "start": start, "end": start + timedelta(hours=2)}
    defaults.update(fields)
    return ical.CalendarEvent(uid=uid, updated_at=EDITED, **defaults)


def build(*events):
    return ical.build_calendar(list(events), name="Kuopion tapahtumat")


def test_same_events_give_identical_bytes():
    assert build(make_event()) == build(make_event())


def test_evening_events_on_both_dst_weekends_resolve_to_the_right_utc_instant():
    spring = make_event("a@test", start=datetime(2026, 3, 29, 18, 0, tzinfo=HELSINKI))
    autumn = make_event("b@test", start=datetime(2026, 10, 25, 18, 0, tzinfo=HELSINKI))
    before = make_event("c@test", start=datetime(2026, 3, 28, 18, 0, tzinfo=HELSINKI))
    parsed = icalendar.Calendar.from_ical(build(spring, autumn, before))
    starts = {e["UID"]: e.decoded("DTSTART").astimezone(UTC) for e in parsed.walk("VEVENT")}
    assert starts["a@test"] == datetime(2026, 3, 29, 15, 0, tzinfo=UTC)
    assert starts["b@test"] == datetime(2026, 10, 25, 16, 0, tzinfo=UTC)
    assert starts["c@test"] == datetime(2026, 3, 28, 16, 0, tzinfo=UTC)


def test_the_timezone_is_described_with_yearly_rules_not_fixed_dates():
    body = build(make_event()).decode()
    timezone = body[body.index("BEGIN:VTIMEZONE") : body.index("END:VTIMEZONE")]
    assert timezone.count("RRULE:FREQ=YEARLY") == 2
    assert "RDATE" not in timezone


def test_the_timezone_body_itself_gives_the_right_offsets():
    # Parsers trust their own database for known TZIDs; rename it to test our VTIMEZONE.
    body = build(make_event(start=datetime(2026, 7, 1, 18, 0, tzinfo=HELSINKI)))
    renamed = body.replace(b"Europe/Helsinki", b"Portal-Helsinki")
    parsed = icalendar.Calendar.from_ical(renamed)
    event = next(iter(parsed.walk("VEVENT")))
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=3)


def test_feed_has_no_method_crlf_lines_and_duration_refresh_interval():
    body = build(make_event())
    assert b"METHOD" not in body
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in body


def test_long_finnish_lines_fold_at_75_octets_without_splitting_a_letter():
    text = "Ääninen ölymäinen öljyä säästävä " * 10
    body = build(make_event(description=text))
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a split multibyte character would fail here
    parsed = icalendar.Calendar.from_ical(body)
    assert next(iter(parsed.walk("VEVENT")))["DESCRIPTION"] == text.strip()


def test_commas_semicolons_newlines_round_trip_and_control_characters_are_dropped():
    text = "Kahvia, pullaa; ja\nlaulua\x00\x1b"
    parsed = icalendar.Calendar.from_ical(build(make_event(summary=text)))
    assert next(iter(parsed.walk("VEVENT")))["SUMMARY"] == "Kahvia, pullaa; ja\nlaulua"


def test_empty_properties_are_left_out_and_dtstamp_is_the_last_change():
    body = build(make_event(location="", description=""))
    assert b"\r\nLOCATION" not in body and b"\r\nDESCRIPTION" not in body
    assert b"DTSTAMP:20261101T090000Z" in body


def test_all_day_events_end_on_the_exclusive_next_day():
    event = make_event(start=date(2026, 6, 20), end=date(2026, 6, 21))
    occurrences = recurring_ical_events.of(icalendar.Calendar.from_ical(build(event))).between(
        date(2026, 6, 19), date(2026, 6, 23)
    )
    assert [o.decoded("DTSTART") for o in occurrences] == [date(2026, 6, 20)]
    assert occurrences[0].decoded("DTEND") == date(2026, 6, 21)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        build(make_event(start=datetime(2026, 1, 1, 18, 0)))


@pytest.mark.django_db
def test_conditional_requests_get_304_without_rendering():
    rendered = []

    def render():
        rendered.append(1)
        return build(make_event())

    request = RequestFactory().get("/feed.ics")
    first = ical.calendar_response(request, etag="abc", last_modified=EDITED, render=render)
    assert first.status_code == 200
    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    again = RequestFactory().get("/feed.ics", headers={"If-None-Match": first["ETag"]})
    second = ical.calendar_response(again, etag="abc", last_modified=EDITED, render=render)
    assert second.status_code == 304
    assert rendered == [1]


def test_subscribe_links_offer_webcal_google_and_outlook():
    links = ical.subscribe_links(
        "https://jarjestot.kuopio.fi/events/feed.ics?theme=kulttuuri", "Kulttuuri"
    )
    assert links["webcal"] == "webcal://jarjestot.kuopio.fi/events/feed.ics?theme=kulttuuri"
    assert links["google"].startswith("https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F")
    assert "addfromweb?url=https%3A%2F%2Fjarjestot" in links["outlook"]

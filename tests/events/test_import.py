"""python manage.py import_events: partner calendars with RRULE series, TZID and all-day events."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from config.ical import HELSINKI
from events.models import Event

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=HELSINKI)

PARTNER = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Partner//FI\r
BEGIN:VTIMEZONE\r
TZID:Europe/Helsinki\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0300\r
DTSTART:19960331T030000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0300\r
TZOFFSETTO:+0200\r
DTSTART:19961027T040000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:kuoro-weekly@partner.example\r
DTSTAMP:20260201T000000Z\r
DTSTART;TZID=Europe/Helsinki:20260317T180000\r
DTEND;TZID=Europe/Helsinki:20260317T200000\r
RRULE:FREQ=WEEKLY;COUNT=4\r
EXDATE;TZID=Europe/Helsinki:20260331T180000\r
SUMMARY:Kuoroharjoitus\\, avoin kaikille\r
DESCRIPTION:Laulua\\; kahvia\\nja pullaa.\r
LOCATION:Kuopion pääkirjasto\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:kesajuhla@partner.example\r
DTSTAMP:20260201T000000Z\r
DTSTART;VALUE=DATE:20260620\r
DTEND;VALUE=DATE:20260622\r
SUMMARY:Kesäjuhlat\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:peruttu@partner.example\r
DTSTAMP:20260201T000000Z\r
DTSTART:20260410T150000Z\r
DTEND:20260410T170000Z\r
STATUS:CANCELLED\r
SUMMARY:Peruttu luento\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:rikki@partner.example\r
DTSTAMP:20260201T000000Z\r
SUMMARY:Ei alkamisaikaa\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTAMP:20260201T000000Z\r
DTSTART:20260501T100000Z\r
SUMMARY:Ei UIDia\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.fixture
def partner_file(tmp_path):
    path = tmp_path / "partner.ics"
    path.write_text(PARTNER, encoding="utf-8")
    return path


def run(path, org, capsys):
    call_command("import_events", str(path), organisation=org.slug)
    return capsys.readouterr()


@time_machine.travel(NOW, tick=False)
def test_import_expands_series_keeps_time_zones_and_all_day_events_and_reports_bad_ones(
    partner_file, org_a, capsys
):
    output = run(partner_file, org_a, capsys)
    assert "5 created" in output.out and "2 skipped" in output.out
    assert "rikki@partner.example" in output.err and "no UID" in output.err
    weekly = list(Event.objects.filter(title__startswith="Kuoroharjoitus").order_by("starts_at"))
    # COUNT=4 minus one EXDATE: 17.3., 24.3. and 7.4.; 18:00 local across the DST change.
    assert [e.starts_at.astimezone(UTC) for e in weekly] == [
        datetime(2026, 3, 17, 16, 0, tzinfo=UTC),
        datetime(2026, 3, 24, 16, 0, tzinfo=UTC),
        datetime(2026, 4, 7, 15, 0, tzinfo=UTC),
    ]
    assert len({e.series_id for e in weekly}) == 1 and weekly[0].series_id is not None
    assert weekly[0].title == "Kuoroharjoitus, avoin kaikille"
    assert weekly[0].description == "Laulua; kahvia\nja pullaa."
    summer = Event.objects.get(title="Kesäjuhlat")
    assert summer.is_all_day and summer.starts_on == date(2026, 6, 20)
    assert summer.last_day == date(2026, 6, 21)
    assert Event.objects.get(title="Peruttu luento").status == Event.Status.CANCELLED
    assert set(Event.objects.values_list("organisers", flat=True)) == {org_a.pk}


@time_machine.travel(NOW, tick=False)
def test_importing_again_changes_nothing_and_a_changed_event_is_updated_with_a_new_sequence(
    partner_file, org_a, capsys
):
    run(partner_file, org_a, capsys)
    stamps = dict(Event.objects.values_list("source_uid", "updated_at"))
    output = run(partner_file, org_a, capsys)
    assert "0 created, 0 updated" in output.out
    assert dict(Event.objects.values_list("source_uid", "updated_at")) == stamps
    partner_file.write_text(
        PARTNER.replace("SUMMARY:Kesäjuhlat", "SUMMARY:Kesäjuhlat ja tanssit"), encoding="utf-8"
    )
    output = run(partner_file, org_a, capsys)
    assert "0 created, 1 updated" in output.out
    summer = Event.objects.get(source_uid="kesajuhla@partner.example")
    assert summer.title == "Kesäjuhlat ja tanssit" and summer.sequence == 1


@time_machine.travel(NOW, tick=False)
def test_an_occurrence_removed_by_the_partner_is_cancelled_not_left_behind(
    partner_file, org_a, capsys
):
    run(partner_file, org_a, capsys)
    partner_file.write_text(PARTNER.replace("COUNT=4", "COUNT=2"), encoding="utf-8")
    run(partner_file, org_a, capsys)
    weekly = Event.objects.filter(title__startswith="Kuoroharjoitus").order_by("starts_at")
    assert [e.status for e in weekly] == ["published", "published", "cancelled"]


def test_only_files_and_http_addresses_are_read_and_bad_files_stop_cleanly(tmp_path, org_a, capsys):
    with pytest.raises(CommandError, match="Only http and https"):
        call_command("import_events", "ftp://example.com/x.ics", organisation=org_a.slug)
    with pytest.raises(CommandError, match="Only http and https"):
        call_command("import_events", "file:///etc/passwd", organisation=org_a.slug)
    with pytest.raises(CommandError, match="internal address"):
        call_command("import_events", "http://127.0.0.1:9/x.ics", organisation=org_a.slug)
    garbage = tmp_path / "garbage.ics"
    garbage.write_bytes(b"\x00\x01 not a calendar")
    with pytest.raises(CommandError):
        call_command("import_events", str(garbage), organisation=org_a.slug)
    with pytest.raises(CommandError, match="No association"):
        call_command("import_events", str(garbage), organisation="ei-ole")
    assert Event.objects.count() == 0


def test_a_redirect_to_an_internal_or_non_http_address_is_refused():
    from events.importer import ImportFailed, _CheckedRedirects

    handler = _CheckedRedirects()
    for target in ("http://127.0.0.1/admin", "http://10.0.0.5/x.ics", "file:///etc/passwd"):
        with pytest.raises(ImportFailed):
            handler.redirect_request(None, None, 302, "Found", {}, target)

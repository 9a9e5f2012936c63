"""Deadlines are exact moments, judged by the database clock inside the submit transaction.

The database's own clock cannot be moved, so these tests set the round's closing moment relative
to what PostgreSQL says the time is now (Now() = statement_timestamp()). The Python clock is moved
with time-machine to show that it does not decide.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from grants.forms import LocalDateTimeField
from grants.models import ApplicationVersion
from grants.services import GrantError
from grants.templatetags.grants_tags import countdown_text
from tests.grants import builders

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
SECOND = timedelta(seconds=1)


@pytest.fixture
def draft(member, org_a):
    round = builders.make_round()
    return builders.make_application(user=member, organisation=org_a, round=round)


def close_round_at(application, moment):
    round = application.round
    round.closes_at = moment
    round.opens_at = moment - timedelta(days=30)
    round.save()


def test_an_application_sent_one_second_before_the_deadline_is_accepted(draft, member):
    close_round_at(draft, builders.db_now() + SECOND)
    version = builders.submit(draft, member)
    assert version.number == 1
    assert version.created_at < draft.round.closes_at, "the database's moment is recorded"


def test_an_application_sent_at_the_deadline_is_refused(draft, member):
    close_round_at(draft, builders.db_now())
    with pytest.raises(GrantError, match="Hakuaika päättyi"):
        builders.submit(draft, member)
    assert not ApplicationVersion.objects.exists()


def test_an_application_whose_clock_reads_exactly_the_deadline_is_refused(
    draft, member, monkeypatch
):
    deadline = builders.db_now() + timedelta(hours=1)
    close_round_at(draft, deadline)
    # The one place the database clock is read; here it reads the deadline to the microsecond.
    monkeypatch.setattr(builders.services, "_database_now", lambda round_id: deadline)
    with pytest.raises(GrantError, match="Hakuaika päättyi"):
        builders.submit(draft, member)
    monkeypatch.setattr(builders.services, "_database_now", lambda round_id: deadline - SECOND)
    assert builders.submit(draft, member).number == 1


def test_an_application_sent_one_second_after_the_deadline_is_refused(draft, member):
    close_round_at(draft, builders.db_now() - SECOND)
    with pytest.raises(GrantError, match="Myöhästyneitä hakemuksia ei oteta vastaan"):
        builders.submit(draft, member)
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_draft_saved_before_the_deadline_cannot_be_sent_after_it_whatever_the_server_clock(
    draft, member
):
    deadline = builders.db_now() - SECOND
    close_round_at(draft, deadline)
    # The web server's clock is an hour slow: it still thinks the round is open.
    with time_machine.travel(deadline - timedelta(hours=1), tick=True):
        assert draft.round.is_open
        with pytest.raises(GrantError):
            builders.submit(draft, member)
    assert not ApplicationVersion.objects.exists()


def test_the_database_clock_decides_even_when_the_server_clock_runs_fast(draft, member):
    deadline = builders.db_now() + timedelta(minutes=5)
    close_round_at(draft, deadline)
    with time_machine.travel(deadline + timedelta(hours=1), tick=True):
        assert not draft.round.is_open
        assert builders.submit(draft, member).number == 1


def test_a_round_that_has_not_opened_refuses_applications(draft, member):
    round = draft.round
    round.opens_at = builders.db_now() + timedelta(hours=1)
    round.closes_at = round.opens_at + timedelta(days=10)
    round.save()
    with pytest.raises(GrantError, match="ei ole vielä auki"):
        builders.submit(draft, member)


def test_an_always_open_special_round_takes_applications_at_any_time(member, org_a):
    round = builders.make_round(always_open=True, kind="special")
    application = builders.make_application(user=member, organisation=org_a, round=round)
    assert builders.submit(application, member).number == 1
    _second, created = builders.services.application_start(
        user=member, round=round, organisation=org_a, group=builders.group()
    )
    assert created, "an always-open round takes several applications from one association"


def test_a_correction_is_accepted_until_one_second_before_its_deadline(draft, member, staff):
    builders.submit(draft, member)
    deadline = builders.db_now() + timedelta(days=3)
    builders.services.application_return(
        staff=staff, application_id=draft.pk, message="Liitä talousarvio.", deadline=deadline
    )
    draft.refresh_from_db()
    draft.correction_deadline = builders.db_now() + SECOND
    draft.save()
    assert builders.submit(draft, member).number == 2


def test_a_correction_at_or_after_its_deadline_is_refused(draft, member, staff):
    builders.submit(draft, member)
    builders.services.application_return(
        staff=staff,
        application_id=draft.pk,
        message="Liitä talousarvio.",
        deadline=builders.db_now() + timedelta(days=3),
    )
    for moment in (builders.db_now(), builders.db_now() - SECOND):
        draft.refresh_from_db()
        draft.correction_deadline = moment
        draft.save()
        with pytest.raises(GrantError, match="Korjauksen määräaika päättyi"):
            builders.submit(draft, member)
    assert draft.versions.count() == 1


# Daylight saving time --------------------------------------------------------------------------


def test_a_local_time_that_does_not_exist_in_the_spring_is_refused():
    field = LocalDateTimeField()
    with pytest.raises(Exception, match="Tätä kellonaikaa ei ole Suomessa"):
        field.clean("2027-03-28T03:30")


def test_a_local_time_that_happens_twice_in_the_autumn_is_read_the_same_way_every_time():
    field = LocalDateTimeField()
    first = field.clean("2026-10-25T03:30")
    again = field.clean("25.10.2026 03.30")
    assert first == again
    assert first.astimezone(HELSINKI).utcoffset() == timedelta(hours=3), "the summer-time 03.30"
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("UTC"))


def test_a_deadline_after_the_spring_change_is_stored_in_summer_time():
    closes_at = LocalDateTimeField().clean("29.3.2027 15.30")
    assert closes_at == datetime(2027, 3, 29, 12, 30, tzinfo=ZoneInfo("UTC"))


def test_the_countdown_across_the_spring_change_counts_23_hours_in_a_calendar_day():
    deadline = datetime(2027, 3, 28, 15, 30, tzinfo=HELSINKI)
    with time_machine.travel(datetime(2027, 3, 27, 15, 30, tzinfo=HELSINKI), tick=False):
        assert countdown_text(deadline) == "Aikaa jäljellä 23 tuntia"


def test_the_countdown_across_the_autumn_change_counts_25_hours_in_a_calendar_day():
    deadline = datetime(2026, 10, 25, 15, 30, tzinfo=HELSINKI)
    with time_machine.travel(datetime(2026, 10, 24, 15, 30, tzinfo=HELSINKI), tick=False):
        assert countdown_text(deadline) == "Aikaa jäljellä 1 päivä 1 tunti"


def test_a_round_is_open_one_second_before_and_closed_at_a_deadline_across_dst():
    round = builders.make_round(
        opens_at=datetime(2027, 3, 1, 8, 0, tzinfo=HELSINKI),
        closes_at=datetime(2027, 3, 29, 15, 30, tzinfo=HELSINKI),
    )
    with time_machine.travel(datetime(2027, 3, 29, 12, 29, 59, tzinfo=ZoneInfo("UTC")), tick=False):
        assert round.is_open
    with time_machine.travel(datetime(2027, 3, 29, 12, 30, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        assert not round.is_open
        assert countdown_text(round.closes_at) == "Hakuaika on päättynyt."


def test_the_page_shows_a_summer_deadline_in_finnish_summer_time(client):
    builders.make_round(
        name="Kevään erityisavustukset",
        opens_at=datetime(2027, 3, 1, 8, 0, tzinfo=HELSINKI),
        closes_at=datetime(2027, 3, 29, 12, 30, tzinfo=ZoneInfo("UTC")),
    )
    with time_machine.travel(datetime(2027, 3, 27, 12, 0, tzinfo=HELSINKI), tick=False):
        html = client.get("/grants/").content.decode()
    assert "29. maaliskuuta 2027 kello 15.30" in html
    assert 'datetime="2027-03-29T15:30:00+03:00"' in html
    assert "Aikaa jäljellä 2 päivää 2 tuntia" in html


def test_a_draft_in_a_closed_round_says_it_can_no_longer_be_sent(draft, member, client):
    close_round_at(draft, builders.db_now() - timedelta(days=1))
    client.force_login(member)
    html = client.get(f"/grants/applications/{draft.pk}/").content.decode()
    assert "Hakuaika on päättynyt, joten tätä luonnosta ei voi enää lähettää." in html
    assert "Lähetä hakemus</button>" not in html

"""Each meeting is also an event in the shared calendar and its iCal feeds."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from events.models import Event
from forums.models import Meeting
from forums.services import meeting_publish
from tests.forums.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def hybrid(forum, org_a, taxonomy):
    from directory.models import FieldOfActivity

    forum.organisers.add(org_a)
    forum.target_fields.add(FieldOfActivity.objects.get(slug="liikunta-ja-urheilu"))
    return make_meeting(
        forum,
        "hybridi",
        title="Syksyn seurafoorumi",
        format=Meeting.Format.HYBRID,
        place_name="QP Resort",
        online_platform="Teams",
        theme="Porinapöydät",
        invitation="Tervetuloa!",
    )


def test_publishing_a_meeting_puts_it_in_the_events_calendar(hybrid, staff, org_a):
    event = meeting_publish(meeting=hybrid, by=staff)
    hybrid.refresh_from_db()
    assert hybrid.event == event
    assert event.title == "Seurafoorumi: Syksyn seurafoorumi"
    assert (event.starts_at, event.ends_at) == (hybrid.starts_at, hybrid.ends_at)
    assert event.place_kind == Event.PlaceKind.HYBRID
    assert (event.place_name, event.street_address) == ("QP Resort", hybrid.address)
    assert event.online_url == "", "the joining link stays with the registered participants"
    assert event.registration == Event.Registration.LINK
    assert event.registration_url == settings.SITE_URL + hybrid.get_absolute_url()
    assert event.registration_deadline == hybrid.registration_closes_at
    assert event.status == Event.Status.PUBLISHED
    assert list(event.organisers.all()) == [org_a]
    assert [theme.slug for theme in event.themes.all()] == ["liikunta-ja-urheilu"]
    assert "Porinapöydät" in event.description and "Tervetuloa!" in event.description
    assert event in Event.objects.listed()


def test_changes_update_the_same_event_and_bump_its_revision(hybrid, staff):
    event = meeting_publish(meeting=hybrid, by=staff)
    Meeting.objects.filter(pk=hybrid.pk).update(
        starts_at=hybrid.starts_at + timedelta(hours=1),
        ends_at=hybrid.ends_at + timedelta(hours=1),
    )
    again = meeting_publish(meeting=hybrid, by=staff)
    assert again.pk == event.pk, "the same UID for the meeting's whole life"
    again.refresh_from_db()
    assert again.starts_at == hybrid.starts_at + timedelta(hours=1)
    assert again.sequence == event.sequence + 1
    meeting_publish(meeting=hybrid, by=staff)
    again.refresh_from_db()
    assert again.sequence == event.sequence + 1, "no change, no new revision"


def test_a_cancelled_meeting_stays_in_the_calendar_as_cancelled(hybrid, staff):
    meeting_publish(meeting=hybrid, by=staff)
    Meeting.objects.filter(pk=hybrid.pk).update(status=Meeting.Status.CANCELLED)
    event = meeting_publish(meeting=hybrid, by=staff)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event in Event.objects.listed(), "kept until it passes, with STATUS:CANCELLED"


def test_a_draft_stays_out_of_the_calendar_until_it_is_published(forum, staff):
    draft = make_meeting(forum, "luonnos", status=Meeting.Status.DRAFT)
    assert meeting_publish(meeting=draft, by=staff) is None
    assert not Event.objects.exists()
    Meeting.objects.filter(pk=draft.pk).update(status=Meeting.Status.PUBLISHED)
    assert meeting_publish(meeting=draft, by=staff).status == Event.Status.PUBLISHED


def test_the_meeting_is_in_the_events_ical_feed_and_linked_from_its_page(client, hybrid, staff):
    event = meeting_publish(meeting=hybrid, by=staff)
    feed = client.get(reverse("events:event-feed")).content.decode()
    assert "Seurafoorumi: Syksyn seurafoorumi" in feed
    assert f"event-{event.pk}@" in feed
    page = client.get(hybrid.get_absolute_url()).content.decode()
    assert event.get_absolute_url() in page


def test_staff_update_the_calendar_from_the_admin_list(client_as, hybrid):
    client = client_as("staff")
    response = client.post(
        reverse("admin:forums_meeting_changelist"),
        {"action": "publish_to_calendar", "_selected_action": [hybrid.pk], "index": 0},
    )
    assert response.status_code == 302
    hybrid.refresh_from_db()
    assert hybrid.event is not None


def admin_form(forum, **changes):
    data = {
        "forum": forum.pk,
        "title": "Kevään seurafoorumi",
        "slug": "kevat",
        "status": "published",
        "starts_at_0": "2027-04-20",
        "starts_at_1": "17:30",
        "ends_at_0": "2027-04-20",
        "ends_at_1": "20:00",
        "format": "in_person",
        "address": "Vehmersalmentie 735, Kuopio",
        "registration_closes_at_0": "2027-04-15",
        "registration_closes_at_1": "16:00",
        "has_waitlist": "on",
    }
    for prefix in ("agenda_items", "questions", "groups"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(changes)
    return data


def test_a_meeting_saved_in_the_admin_appears_in_the_calendar(client_as, forum):
    response = client_as("staff").post(reverse("admin:forums_meeting_add"), admin_form(forum))
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(slug="kevat")
    assert meeting.event is not None
    assert meeting.event.local_start.hour == 17 and meeting.event.local_start.minute == 30


def test_the_admin_refuses_a_time_that_does_not_exist_when_the_clocks_go_forward(client_as, forum):
    # 28.3.2027: the clocks jump from 03.00 to 04.00 in Helsinki.
    data = admin_form(
        forum,
        starts_at_0="2027-03-28",
        starts_at_1="03:30",
        ends_at_0="2027-03-28",
        ends_at_1="06:00",
        registration_closes_at_0="2027-03-20",
    )
    response = client_as("staff").post(reverse("admin:forums_meeting_add"), data)
    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert not Event.objects.exists()

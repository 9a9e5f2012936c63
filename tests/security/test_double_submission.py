"""Double submission (a double click, two tabs, a retry after a timeout) creates one record.

Each create flow gets the same POST twice from the same person, as a browser would send it, and
the record is counted. Flows kept single by a database constraint are here too, so a constraint
dropped later is noticed: bookings (exclusion constraint), forum registrations and votes, grant
applications in ordinary rounds and their submission (the version count the page showed).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from directory.models import Area, FieldOfActivity, TargetGroup

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def twice(client, url, data_or_factory) -> list[int]:
    statuses = []
    for _ in range(2):
        data = data_or_factory() if callable(data_or_factory) else data_or_factory
        response = client.post(url, data)
        assert response.status_code < 500, url
        statuses.append(response.status_code)
    return statuses


def test_an_event_sent_twice_is_created_once(member, org_a):
    from django.apps import apps

    from directory import taxonomy_data
    from events.models import Event

    taxonomy_data.load(apps)  # a transactional test before this one may have emptied them

    day = timezone.localdate() + timedelta(days=14)
    data = {
        "title": "Kaksoisklikkauskonsertti",
        "description": "Kuoro laulaa.",
        "organisers": [org_a.pk],
        "themes": [FieldOfActivity.objects.get(slug="kulttuuri").pk],
        "target_groups": [TargetGroup.objects.get(slug="ikaantyneet").pk],
        "starts_on": day.isoformat(),
        "starts_time": "18:00",
        "ends_time": "20:00",
        "repeat": "none",
        "place_kind": "address",
        "place_name": "Männistön asukastupa",
        "district": Area.objects.get(slug="kuopio-mannisto").pk,
        "is_free": "on",
        "registration": "none",
        "action": "publish",
    }
    client = signed_in(member)
    first = client.post("/events/new/", data)
    second = client.post("/events/new/", data)
    assert Event.objects.filter(title="Kaksoisklikkauskonsertti").count() == 1
    assert first["Location"] == second["Location"], "the second click lands on the same event"
    # Another date is another event.
    client.post("/events/new/", {**data, "starts_on": (day + timedelta(days=7)).isoformat()})
    assert Event.objects.filter(title="Kaksoisklikkauskonsertti").count() == 2


def test_an_idea_sent_twice_is_in_the_idea_bank_once(member, org_a):
    from forums.models import Idea
    from tests.forums.conftest import make_forum

    forum = make_forum("ideafoorumi", "Ideafoorumi")
    data = {
        "forum": forum.pk,
        "title": "Yhteinen järjestötalo Männistöön",
        "description": "Tila kaikille.",
        "organisation": org_a.pk,
    }
    twice(signed_in(member), "/forums/ideas/new/", data)
    assert Idea.objects.filter(title=data["title"]).count() == 1


def test_a_forum_registration_and_a_vote_sent_twice_count_once(member, org_a):
    from forums.models import Idea, Registration, Vote, VotingWindow
    from tests.forums.conftest import make_forum, make_meeting

    forum = make_forum("rekisterifoorumi", "Rekisterifoorumi")
    meeting = make_meeting(forum, "syys")
    client = signed_in(member)
    twice(client, f"/forums/{forum.slug}/{meeting.slug}/register/", {"organisation": org_a.pk})
    assert Registration.objects.filter(meeting=meeting, user=member).count() == 1

    idea = Idea.objects.create(forum=forum, title="Ilmainen sauna")
    window = VotingWindow.objects.create(
        forum=forum,
        title="Äänestys",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
        votes_per_person=3,
    )
    twice(client, f"/forums/ideas/{idea.pk}/vote/", {"window": window.pk})
    assert Vote.objects.filter(idea=idea, user=member).count() == 1


def test_a_booking_sent_twice_is_booked_once(member, org_a):
    from spaces.models import Booking
    from tests.spaces.conftest import make_space, make_venue, next_weekday

    space = make_space(make_venue("Tuplatalo", "tuplatalo"), "Tuplahuone", "tuplahuone")
    data = {
        "organisation": org_a.pk,
        "date": next_weekday(2).isoformat(),
        "starts_at": "10:00",
        "ends_at": "11:00",
        "purpose": "Hallituksen kokous",
        "expected_attendees": "6",
    }
    twice(signed_in(member), f"/spaces/{space.slug}/book/", data)
    assert Booking.objects.filter(space=space).count() == 1


def test_grant_applications_attachments_and_submissions_sent_twice_count_once(member, org_a):
    from grants.models import Application, ApplicationVersion, Attachment
    from tests.grants import builders

    client = signed_in(member)
    group = builders.group()
    # An always-open round allows several applications per association: still one per click.
    for always_open in (False, True):
        grant_round = builders.make_round(always_open=always_open, kind="special")
        twice(
            client,
            f"/grants/rounds/{grant_round.slug}/apply/",
            {"organisation": org_a.pk, "group": group.pk},
        )
        assert Application.objects.filter(round=grant_round).count() == 1, always_open

    application = Application.objects.filter(round=grant_round).get()
    pdf = builders.pdf("toimintasuunnitelma.pdf").read()

    def upload():
        return {
            "kind": "action_plan",
            "file": SimpleUploadedFile("toimintasuunnitelma.pdf", pdf, "application/pdf"),
        }

    twice(client, f"/grants/applications/{application.pk}/attachments/", upload)
    assert Attachment.objects.filter(application=application).count() == 1

    builders.services.application_save_draft(
        user=member,
        application_id=application.pk,
        group=group,
        purpose="Kesäretki",
        requested_amount=Decimal("500.00"),
        income=[],
        expenses=[("Bussi", Decimal("500.00"))],
    )
    twice(client, f"/grants/applications/{application.pk}/submit/", {"versions_seen": 0})
    assert ApplicationVersion.objects.filter(application=application).count() == 1


def test_a_registration_and_a_volunteer_task_sent_twice_are_created_once(
    resident, org_a, org_admin
):
    from directory.models import Organisation, VolunteerOpportunity

    data = {
        "name": "Tuplaklikkaajien Kerho ry",
        "short_description": "Kerho kokoontuu torstaisin.",
        "email": "kerho@example.com",
        "languages": ["fi"],
    }
    twice(signed_in(resident), "/organisations/register/", data)
    assert Organisation.objects.filter(name=data["name"]).count() == 1

    task = {
        "title": "Talkoolaisia kevätsiivoukseen",
        "description": "Haravointia ja kahvia.",
        "time_needed": "2 h",
        "contact": "talkoot@example.com",
        "open_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
    }
    twice(signed_in(org_admin), f"/organisations/{org_a.slug}/volunteering/new/", task)
    assert VolunteerOpportunity.objects.filter(title=task["title"]).count() == 1


def test_a_double_click_on_follow_or_save_does_not_undo_itself(resident, org_a):
    from events import services
    from events.models import Event, OrganisationFollow, SavedEvent

    start = timezone.now() + timedelta(days=5)
    event = services.event_create(
        by=None, organisers=[org_a], title="Tallennettava", starts_at=start,
        ends_at=start + timedelta(hours=1), status=Event.Status.PUBLISHED, place_name="Tupa",
    )  # fmt: skip
    client = signed_in(resident)
    page = client.get(f"/organisations/{org_a.slug}/").content.decode()
    assert 'name="state" value="1"' in page, "the follow button says what it asks for"
    twice(client, f"/events/organisations/{org_a.slug}/follow/", {"state": "1"})
    assert OrganisationFollow.objects.filter(user=resident, organisation=org_a).count() == 1
    twice(client, f"/events/{event.pk}/save/", {"state": "1"})
    assert SavedEvent.objects.filter(user=resident, event=event).count() == 1
    twice(client, f"/events/{event.pk}/save/", {"state": "0"})
    assert not SavedEvent.objects.filter(user=resident, event=event).exists()


def test_a_contact_person_and_a_booking_series_sent_twice_are_saved_once(org_a, org_admin, member):
    from directory.models import ContactPerson
    from spaces.models import Booking, BookingSeries
    from tests.spaces.conftest import make_space, make_venue, next_weekday

    contact = {
        "contact_persons-TOTAL_FORMS": "1",
        "contact_persons-INITIAL_FORMS": "0",
        "contact_persons-MIN_NUM_FORMS": "0",
        "contact_persons-MAX_NUM_FORMS": "20",
        "contact_persons-0-name": "Kaija Kaksoisklikkaaja",
        "contact_persons-0-title": "Sihteeri",
        "contact_persons-0-email": "kaija@example.com",
        "contact_persons-0-is_public": "on",
    }
    twice(signed_in(org_admin), f"/organisations/{org_a.slug}/contacts/", contact)
    assert ContactPerson.objects.filter(name="Kaija Kaksoisklikkaaja").count() == 1

    space = make_space(make_venue("Sarjatalo", "sarjatalo"), "Sarjahuone", "sarjahuone")
    first = next_weekday(3)
    weekly = {
        "organisation": org_a.pk,
        "date": first.isoformat(),
        "starts_at": "18:00",
        "ends_at": "19:00",
        "purpose": "Kuoroharjoitus",
        "expected_attendees": "12",
        "repeat_until": (first + timedelta(weeks=3)).isoformat(),
        "confirm": "yes",  # after the preview of the dates
    }
    twice(signed_in(member), f"/spaces/{space.slug}/book/", weekly)
    assert BookingSeries.objects.filter(space=space).count() == 1
    assert Booking.objects.filter(space=space).count() == 4

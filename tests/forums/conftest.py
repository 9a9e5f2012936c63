"""Forums, meetings and windows to test with, built from the fixed cast."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from forums.models import Forum, Idea, Meeting, VotingWindow, WorkshopGroup, WorkshopQuestion


def db_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]


def make_forum(slug="seurafoorumi", name="Seurafoorumi", **fields) -> Forum:
    return Forum.objects.create(slug=slug, name=name, **fields)


def make_meeting(forum, slug="syksy", *, starts_in=timedelta(days=10), **fields) -> Meeting:
    starts_at = timezone.now() + starts_in
    defaults = {
        "title": "Syksyn tapaaminen",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2, minutes=30),
        "registration_closes_at": starts_at - timedelta(days=5),
        "format": Meeting.Format.IN_PERSON,
        "place_name": "QP Resort",
        "address": "Vehmersalmentie 735, Kuopio",
        "status": Meeting.Status.PUBLISHED,
    }
    defaults.update(fields)
    if defaults["format"] != Meeting.Format.IN_PERSON and "online_url" not in fields:
        defaults["online_url"] = "https://teams.example/foorumi"
    return Meeting.objects.create(forum=forum, slug=slug, **defaults)


@pytest.fixture(autouse=True)
def finnish():
    """Finnish, the default language, even if an earlier test's request switched to English
    (the test client runs requests in this thread, and the active language outlives them)."""
    with translation.override("fi"):
        yield


@pytest.fixture
def taxonomy(db):
    """The directory's terms. Migrations load them, but a transactional test elsewhere may have
    flushed the tables, so load them again (idempotent)."""
    from django.apps import apps

    from directory import taxonomy_data

    taxonomy_data.load(apps)


@pytest.fixture
def forum(db):
    return make_forum()


@pytest.fixture
def meeting(forum):
    """Upcoming, in person, registration open, no seat limit."""
    return make_meeting(forum)


@pytest.fixture
def hybrid_meeting(forum):
    """Two seats in person, remote unlimited; asks mode, transport, diet and a free question."""
    return make_meeting(
        forum,
        "hybridi",
        format=Meeting.Format.HYBRID,
        capacity=2,
        asks_attendance_mode=True,
        asks_transport=True,
        transport_info="Bussi lähtee torilta klo 16.45.",
        asks_diet=True,
        asks_free_text=True,
        free_text_question="Nostoja seuroilta?",
    )


@pytest.fixture
def workshop(forum, member, other_org_admin):
    """A past meeting with two groups (the member is the secretary of the first) and two
    questions."""
    meeting = make_meeting(forum, "tyopaja", starts_in=-timedelta(days=3))
    groups = [
        WorkshopGroup.objects.create(
            meeting=meeting, name="Seniorit", position=0, secretary=member
        ),
        WorkshopGroup.objects.create(
            meeting=meeting, name="Sosiaali- ja terveys", position=1, secretary=other_org_admin
        ),
    ]
    questions = [
        WorkshopQuestion.objects.create(
            meeting=meeting, text="Mikä on kaupungin ja muiden toimijoiden yhteinen tavoite?"
        ),
        WorkshopQuestion.objects.create(
            meeting=meeting, text="Miten saada vapaaehtoisia mukaan?", position=1
        ),
    ]
    return meeting, groups, questions


@pytest.fixture
def ideas(forum):
    return [
        Idea.objects.create(forum=forum, title=title, created_at=timezone.now() - timedelta(days=n))
        for n, title in enumerate(["Järjestötalo", "Yhteinen kalenteri", "Tyhjät tilat", "Bussi"])
    ]


@pytest.fixture
def open_window(forum):
    now = db_now()
    return VotingWindow.objects.create(
        forum=forum,
        title="Tärkeimmät ideat",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        votes_per_person=2,
    )

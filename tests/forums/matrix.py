"""The forums app's rows for the project's permission matrix (tests/security/matrix.py).

The world: association A's member is the secretary of workshop group 1 and has registered for
the upcoming meeting; other_org_admin is the secretary of group 2. Staff pages need MFA.
"""

from datetime import timedelta

from django.utils import timezone

from tests.security.matrix import everyone, no_kwargs, signed_in


def _forum(world):
    if not hasattr(world, "_forum"):
        from tests.forums.conftest import make_forum

        world._forum = make_forum("matriisifoorumi", "Matriisifoorumi")
    return world._forum


def _meeting(world):
    if not hasattr(world, "_meeting"):
        from tests.forums.conftest import make_meeting

        world._meeting = make_meeting(_forum(world), "tuleva")
    return world._meeting


def _workshop(world):
    if not hasattr(world, "_workshop"):
        from forums.models import WorkshopGroup, WorkshopQuestion
        from tests.forums.conftest import make_meeting

        meeting = make_meeting(_forum(world), "tyopaja", starts_in=-timedelta(days=3))
        group = WorkshopGroup.objects.create(
            meeting=meeting, name="Seniorit", position=0, secretary=world.fixture("member")
        )
        WorkshopGroup.objects.create(
            meeting=meeting,
            name="Muut toimijat",
            position=1,
            secretary=world.fixture("other_org_admin"),
        )
        WorkshopQuestion.objects.create(meeting=meeting, text="Mikä on yhteinen tavoite?")
        world._workshop = (meeting, group)
    return world._workshop


def _idea(world):
    if not hasattr(world, "_idea"):
        from forums.models import Idea

        world._idea = Idea.objects.create(forum=_forum(world), title="Järjestötalo")
    return world._idea


def _window(world):
    if not hasattr(world, "_window"):
        from forums.models import VotingWindow

        now = timezone.now()
        world._window = VotingWindow.objects.create(
            forum=_forum(world),
            title="Tärkeimmät ideat",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
            votes_per_person=2,
        )
    return world._window


def _registration(world):
    if not hasattr(world, "_registration"):
        from forums import services

        meeting = _meeting(world)
        world.org_a  # noqa: B018 - the member belongs to association A
        world._registration = services.registration_create(
            meeting=meeting, user=world.fixture("member"), organisation=world.fixture("org_a")
        )
    return world._registration


def meeting_kwargs(world):
    meeting = _meeting(world)
    return {"forum": meeting.forum.slug, "meeting": meeting.slug}


def workshop_meeting_kwargs(world):
    meeting, _group = _workshop(world)
    return {"forum": meeting.forum.slug, "meeting": meeting.slug}


def workshop_group_kwargs(world):
    meeting, group = _workshop(world)
    return {"forum": meeting.forum.slug, "meeting": meeting.slug, "group": group.pk}


def staff_only(status=200):
    """Staff with MFA get `status`. The meeting itself is public, so others signed in are told
    they may not (403) rather than that it does not exist; anonymous visitors log in first."""
    return {**signed_in(403), "staff": status}


def post_only():
    """Actions answer GET with 405 Method Not Allowed, after the login check."""
    return signed_in(405)


FORUMS_MATRIX = {
    "forums:forum-detail": (lambda w: {"forum": _forum(w).slug}, everyone(200)),
    "forums:meeting-detail": (meeting_kwargs, everyone(200)),
    "forums:meeting-register": (meeting_kwargs, post_only()),
    "forums:meeting-summary": (workshop_meeting_kwargs, everyone(200)),
    "forums:meeting-attendees": (meeting_kwargs, staff_only()),
    "forums:meeting-attendees-csv": (meeting_kwargs, staff_only()),
    "forums:meeting-invite": (meeting_kwargs, staff_only()),
    "forums:workshop-answers": (
        workshop_group_kwargs,
        # The group's own secretary (the member) and staff; another group's secretary is told so.
        {**signed_in(403), "member": 200, "staff": 200},
    ),
    "forums:registration-cancel": (lambda w: {"pk": _registration(w).pk}, post_only()),
    "forums:idea-list": (no_kwargs, everyone(200)),
    "forums:idea-create": (no_kwargs, signed_in(200)),
    "forums:idea-detail": (lambda w: {"pk": _idea(w).pk}, everyone(200)),
    "forums:idea-respond": (lambda w: {"pk": _idea(w).pk}, post_only()),
    "forums:idea-vote": (lambda w: {"pk": _idea(w).pk}, post_only()),
    "forums:idea-unvote": (lambda w: {"pk": _idea(w).pk}, post_only()),
    "forums:voting-detail": (lambda w: {"pk": _window(w).pk}, everyone(200)),
}

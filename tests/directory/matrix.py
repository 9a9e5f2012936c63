"""Expected GET answers of every directory URL for the whole cast, in the shape of
tests/security/matrix.py: `MATRIX.update(DIRECTORY_MATRIX)` there covers the directory URLs.

Association A (the member's and org_admin's) is verified here; tests/directory/test_permissions.py
covers the pending case, where everyone outside A gets 404.
"""

from datetime import timedelta

from django.utils import timezone

from directory import services
from directory.models import Membership, VolunteerOpportunity
from tests.security.matrix import CAST, LOGIN, everyone, signed_in


def roles(**statuses):
    assert set(statuses) == set(CAST), sorted(set(CAST) ^ set(statuses))
    return statuses


def _objects(world):
    """An invitation, a request to join, a volunteer task and a membership of A, made once."""
    if not hasattr(world, "_directory"):
        organisation = world.org_a
        admin = world.fixture("org_admin")
        invitation = services.membership_invite(
            organisation=organisation, email="kutsuttu@example.com", role="editor", by=admin
        )
        join_request = services.join_request_create(
            organisation=organisation, user=world.fixture("resident")
        )
        task = VolunteerOpportunity.objects.create(
            organisation=organisation, title="Talkoot", description="Talkoot.",
            time_needed="2 h", contact="info@example.com",
            open_until=timezone.localdate() + timedelta(days=10),
        )  # fmt: skip
        world._directory = {
            "invitation": invitation,
            "join_request": join_request,
            "task": task,
            "membership": Membership.objects.get(user=world.fixture("member")),
        }
    return world._directory


def slug(world):
    return {"slug": world.org_a.slug}


def membership(world):
    return {"slug": world.org_a.slug, "pk": _objects(world)["membership"].pk}


def invitation(world):
    return {"slug": world.org_a.slug, "pk": _objects(world)["invitation"].pk}


def join_request(world):
    return {"slug": world.org_a.slug, "pk": _objects(world)["join_request"].pk}


def task(world):
    return {"pk": _objects(world)["task"].pk}


def freshness_token(world):
    return {"token": services.freshness_token(world.org_a)}


def invitation_token(world):
    return {"token": services.invitation_token(_objects(world)["invitation"])}


def no_kwargs(world):
    return {}


# A's members edit its page and tasks; staff need two-step verification for their powers.
MEMBERS_OF_A = roles(
    anonymous=LOGIN,
    resident=403,
    member=200,
    org_admin=200,
    other_org_admin=403,
    staff_without_mfa=403,
    staff=200,
)
ADMINS_OF_A = {**MEMBERS_OF_A, "member": 403}
POST_ONLY = signed_in(405)

DIRECTORY_MATRIX = {
    "directory:organisation-list": (no_kwargs, everyone(200)),
    "directory:organisation-register": (no_kwargs, everyone(200)),
    "directory:organisation-mine": (no_kwargs, signed_in(200)),
    "directory:organisation-detail": (slug, everyone(200)),
    "directory:organisation-edit": (slug, MEMBERS_OF_A),
    "directory:organisation-confirm": (slug, POST_ONLY),
    "directory:contact-persons-edit": (slug, ADMINS_OF_A),
    "directory:member-list": (slug, ADMINS_OF_A),
    "directory:member-invite": (slug, POST_ONLY),
    "directory:member-role": (membership, POST_ONLY),
    "directory:member-remove": (membership, POST_ONLY),
    "directory:member-hand-over": (membership, POST_ONLY),
    "directory:member-leave": (slug, POST_ONLY),
    "directory:invitation-cancel": (invitation, POST_ONLY),
    "directory:join-request-decide": (join_request, POST_ONLY),
    # Members are sent back to the page (302); everyone else signed in may ask.
    "directory:join-request": (
        slug,
        roles(
            anonymous=LOGIN,
            resident=200,
            member=302,
            org_admin=302,
            other_org_admin=200,
            staff_without_mfa=200,
            staff=200,
        ),
    ),
    # Anyone signed in sees the invitation; only its addressee can accept it (POST).
    "directory:invitation-accept": (invitation_token, signed_in(200)),
    # The signed link in the reminder works without signing in.
    "directory:freshness-confirm": (freshness_token, everyone(200)),
    "directory:volunteer-list": (no_kwargs, everyone(200)),
    "directory:volunteer-create": (slug, MEMBERS_OF_A),
    "directory:volunteer-edit": (task, MEMBERS_OF_A),
    "directory:volunteer-delete": (task, POST_ONLY),
    "directory:opendata-json": (no_kwargs, everyone(200)),
    "directory:opendata-csv": (no_kwargs, everyone(200)),
}

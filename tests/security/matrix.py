"""The permission matrix: expected GET answers for every URL and every member of the cast.

Roles: anonymous, resident (account, no association), member (editor of association A),
org_admin (admin of A), other_org_admin (admin of B), staff_without_mfa, staff (with MFA).
"""

from functools import cached_property

LOGIN = "login"
CAST = [
    "anonymous",
    "resident",
    "member",
    "org_admin",
    "other_org_admin",
    "staff_without_mfa",
    "staff",
]


def everyone(status):
    return dict.fromkeys(CAST, status)


def signed_in(status):
    """Anonymous visitors are sent to log in; everyone signed in gets `status`."""
    return {**everyone(status), "anonymous": LOGIN}


def no_kwargs(world):
    return {}


class World:
    """The objects the URLs are tried with, built on demand from the cast fixtures."""

    def __init__(self, request):
        self.request = request

    def fixture(self, name):
        return self.request.getfixturevalue(name)

    def user(self, role):
        return None if role == "anonymous" else self.fixture(role)

    @cached_property
    def org_a(self):
        for role in ("member", "org_admin"):  # the cast's members of A exist in every case
            self.fixture(role)
        return self.fixture("org_a")

    @cached_property
    def org_b(self):
        self.fixture("other_org_admin")
        return self.fixture("org_b")


MATRIX = {
    "home": (no_kwargs, everyone(200)),
    "accessibility": (no_kwargs, everyone(200)),
    "healthz": (no_kwargs, everyone(200)),
    "readyz": (no_kwargs, everyone(200)),
    "robots-txt": (no_kwargs, everyone(200)),
    "sitemap": (no_kwargs, everyone(200)),
    # The language switch answers GET by going back (it changes state only on POST).
    "set_language": (no_kwargs, everyone(302)),
    # Public lists: residents search without an account.
    "directory:organisation-list": (no_kwargs, everyone(200)),
    "spaces:space-list": (no_kwargs, everyone(200)),
    "events:event-list": (no_kwargs, everyone(200)),
    "grants:round-list": (no_kwargs, everyone(200)),
    "forums:forum-list": (no_kwargs, everyone(200)),
}


# Each module keeps its rows beside its own tests (imported last: they use the helpers above).
from tests.directory.matrix import DIRECTORY_MATRIX  # noqa: E402
from tests.events.matrix import EVENTS_MATRIX  # noqa: E402
from tests.forums.matrix import FORUMS_MATRIX  # noqa: E402
from tests.grants.matrix import GRANTS_MATRIX  # noqa: E402
from tests.spaces.matrix import SPACES_MATRIX  # noqa: E402

for _rows in (DIRECTORY_MATRIX, SPACES_MATRIX, EVENTS_MATRIX, GRANTS_MATRIX, FORUMS_MATRIX):
    MATRIX.update(_rows)

"""The fixed cast every test draws from.

- resident: an account, no association
- member: editor of association A
- org_admin: administrator of association A
- other_org_admin: administrator of association B
- staff: city staff with an authenticator app (MFA)
- staff_without_mfa: city staff who has not set up MFA yet
"""

import pytest
from django.conf import settings

from directory.models import Membership
from tests import factories


def pytest_configure(config):
    # One PBKDF2 hash costs ~0.5 s on this machine; tests need none of that strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org_a(db):
    return factories.make_organisation("Männistön Testiyhdistys ry")


@pytest.fixture
def org_b(db):
    return factories.make_organisation("Neulamäen Testiseura ry")


@pytest.fixture
def resident(db):
    return factories.make_user("asukas@example.com", name="Aino Asukas")


@pytest.fixture
def member(org_a):
    user = factories.make_user("jasen@example.com", name="Veikko Jäsen")
    factories.add_member(user, org_a, Membership.Role.EDITOR)
    return user


@pytest.fixture
def org_admin(org_a):
    user = factories.make_user("puheenjohtaja@example.com", name="Yrjö Puheenjohtaja")
    factories.add_member(user, org_a, Membership.Role.ADMIN)
    return user


@pytest.fixture
def other_org_admin(org_b):
    user = factories.make_user("toinen@example.com", name="Toini Toinen")
    factories.add_member(user, org_b, Membership.Role.ADMIN)
    return user


@pytest.fixture
def staff(db):
    user = factories.make_user("virkailija@example.com", name="Kaisa Kaupunki", is_staff=True)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    user.totp_secret = factories.enable_totp(user)
    return user


@pytest.fixture
def staff_without_mfa(db):
    user = factories.make_user("uusi.virkailija@example.com", name="Uuno Uusi", is_staff=True)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


CAST = ["anonymous", "resident", "member", "org_admin", "other_org_admin", "staff"]


@pytest.fixture
def client_as(client, request):
    """A test client logged in as one of the cast (by name); "anonymous" stays logged out."""

    def login(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put back the rows migrations load (taxonomies, grant applicant groups).

    A transactional test ends by emptying every table, so the transactional tests after it
    would otherwise start without them.
    """
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.core.cache import cache

    # The cache table is not emptied between tests: start without earlier tests' rate limits
    # and used one-time codes.
    cache.clear()

    from django.apps import apps

    from directory import taxonomy_data

    taxonomy_data.load(apps)
    importlib.import_module("grants.migrations.0002_applicant_groups_of_kuopio").add_groups(
        apps, None
    )


@pytest.fixture(autouse=True)
def _public_pages(request):
    """Start without pages an earlier test rendered (config/pagecache.py).

    The page version moves when a transaction commits, and a non-transactional test never
    commits: within such a test it moves at each statement instead.
    """
    from config.pagecache import forget_pages

    forget_pages()
    uses_db = "db" in request.fixturenames or request.node.get_closest_marker("django_db")
    if uses_db and not _is_transactional(request):
        request.getfixturevalue("db")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS portal_public_changed IMMEDIATE")

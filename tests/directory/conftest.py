"""Builders for the directory's tests: associations with terms, indexed for search."""

import pytest

from directory import services
from directory.models import Area, FieldOfActivity, Organisation, TargetGroup
from tests import factories


def build(
    name,
    short="",
    *,
    fields=(),
    groups=(),
    areas=(),
    languages=(),
    status=Organisation.Status.VERIFIED,
    **extra,
):
    """An association with terms by slug, indexed as the services index it."""
    organisation = factories.make_organisation(
        name, status=status, short_description=short or name, languages=list(languages), **extra
    )
    organisation.fields.set(FieldOfActivity.objects.filter(slug__in=fields))
    organisation.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
    organisation.areas.set(Area.objects.filter(slug__in=areas))
    services.organisation_index(organisation=organisation)
    return organisation


@pytest.fixture
def make_org(db):
    return build


@pytest.fixture(autouse=True)
def taxonomy_terms(request):
    """The terms migration 0002 loads. A transactional test earlier in the same run (or a
    reused test database) may have flushed them; put them back when they are missing."""
    names = set(request.fixturenames)
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif request.node.get_closest_marker("django_db") is None:
        return
    from django.apps import apps

    from directory import taxonomy_data

    if not FieldOfActivity.objects.exists():
        taxonomy_data.load(apps)

"""The demo spaces from the seed, with hours, prices and bookings; a second run changes nothing."""

import io

import pytest
from django.apps import apps

from config.audit import acting_as
from directory import demo as directory_demo
from directory import taxonomy_data
from directory.models import Membership
from spaces import demo
from spaces.models import Booking, BookingSeries, OpeningException, Price, Space, SpaceUnit, Venue
from tests import factories

pytestmark = pytest.mark.django_db


def counts():
    models = (Venue, Space, SpaceUnit, Price, OpeningException, Booking, BookingSeries)
    return [model.objects.count() for model in models]


@pytest.fixture
def demo_associations():
    """The directory demo's associations and people, without its slower search indexing."""
    taxonomy_data.load(apps)  # idempotent; a transactional test may have emptied the tables
    organisations = {
        row[0]: factories.make_organisation(row[0]) for row in directory_demo.ORGANISATIONS
    }
    for email, name, role, is_staff in directory_demo.DEMO_USERS:
        user = factories.make_user(email, name=name, is_staff=is_staff)
        if role:
            factories.add_member(user, organisations["Männistön Asukasyhdistys ry"], role)
    return organisations


def test_the_demo_has_the_seed_spaces_and_a_second_run_changes_nothing(demo_associations):
    with acting_as(None):
        demo.seed(stdout=io.StringIO())
        first = counts()
        demo.seed(stdout=io.StringIO())
    assert counts() == first
    names = set(Space.objects.values_list("name", flat=True))
    expected = {
        "Kokoussali",
        "Kerhohuone 1",
        "Kerhohuone 2",
        "Liikuntasali (koko sali)",
        "Näyttämö",
        "Katsomo",
        "Kahvio ja kokoustila",
        "Bänditila 1",
        "Kohtaamo",
        "Männistön asukastupa",
        "Rypysuon asukastila",
        "Karttulan asukastila",
    }
    assert expected <= names
    assert Space.objects.get(slug="alava-kokoussali").capacity == 150
    assert Space.objects.get(slug="manttu-liikuntasali").units.count() == 2
    assert BookingSeries.objects.count() == len(demo.SERIES)
    assert Booking.objects.filter(status="requested").exists(), "something waits in the queue"
    assert Booking.objects.filter(status="confirmed", full_price__gt=0).exists()
    assert Membership.objects.exists()

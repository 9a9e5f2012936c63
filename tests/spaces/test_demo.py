"""The demo spaces from the seed, with hours, prices and bookings; a second run changes nothing."""

import io

import pytest

from config.audit import acting_as
from directory import demo as directory_demo
from spaces import demo
from spaces.models import Booking, BookingSeries, OpeningException, Price, Space, SpaceUnit, Venue

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (Venue, Space, SpaceUnit, Price, OpeningException, Booking, BookingSeries)
    ]


def test_the_demo_has_the_seed_spaces_and_a_second_run_changes_nothing():
    with acting_as(None):
        directory_demo.seed(stdout=io.StringIO())
        demo.seed(stdout=io.StringIO())
        first = counts()
        demo.seed(stdout=io.StringIO())
    assert counts() == first
    names = set(Space.objects.values_list("name", flat=True))
    for name in (
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
    ):
        assert name in names
    assert Space.objects.get(slug="alava-kokoussali").capacity == 150
    whole = Space.objects.get(slug="manttu-liikuntasali")
    assert whole.units.count() == 2
    assert Booking.objects.filter(status="requested").exists(), "something waits in the queue"
    assert Booking.objects.filter(status="confirmed", full_price__gt=0).exists()

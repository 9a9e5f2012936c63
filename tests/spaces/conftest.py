"""Spaces for the tests: a meeting room, and a hall that divides into two halves."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from directory.models import Area
from spaces.models import (
    OpeningHours,
    Price,
    PriceCategory,
    Space,
    SpaceUnit,
    SpaceUnitLink,
    Venue,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


def next_weekday(weekday: int, weeks_ahead: int = 1) -> dt.date:
    """A date on `weekday` at least a week from today (inside every booking horizon)."""
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def make_venue(name="Alavan palvelutalo", slug="alavan-palvelutalo", **fields) -> Venue:
    district = Area.objects.filter(slug="kuopio-nilsia").first()
    venue = Venue.objects.create(
        name=name, slug=slug, street_address="Testikatu 1", district=district, **fields
    )
    for weekday in range(7):
        OpeningHours.objects.create(
            venue=venue, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(22)
        )
    return venue


def make_space(venue, name, slug, *, units=None, **fields) -> Space:
    defaults = {
        "type": Space.Type.MEETING_ROOM,
        "capacity": 30,
        "requires_approval": False,
        "max_duration": dt.timedelta(hours=4),
    }
    defaults.update(fields)
    space = Space.objects.create(venue=venue, name=name, slug=slug, **defaults)
    for unit in units or [SpaceUnit.objects.create(venue=venue, name=name)]:
        SpaceUnitLink.objects.create(space=space, unit=unit)
    return space


@pytest.fixture
def price_category(db):
    category = PriceCategory.objects.create(
        slug="maksuton", name_fi="Maksuton yhdistyksille", name_en="Free", kind="free"
    )
    Price.objects.create(
        category=category,
        valid_from=dt.date(2020, 1, 1),
        hourly_price=Decimal("0"),
        full_hourly_price=Decimal("25.00"),
    )
    return category


@pytest.fixture
def venue(db):
    return make_venue()


@pytest.fixture
def room(venue, price_category):
    return make_space(venue, "Kokoussali", "kokoussali", price_category=price_category)


@pytest.fixture
def hall(db, price_category):
    """Nilsiän Manttu liikuntasali: the whole hall and its halves A and B."""
    manttu = make_venue("Nilsiän Manttu", "nilsian-manttu")
    half_a = SpaceUnit.objects.create(venue=manttu, name="A")
    half_b = SpaceUnit.objects.create(venue=manttu, name="B")
    common = {"type": Space.Type.HALL, "capacity": 200, "price_category": price_category}
    whole = make_space(manttu, "Liikuntasali", "liikuntasali", units=[half_a, half_b], **common)
    a = make_space(manttu, "Liikuntasali A", "liikuntasali-a", units=[half_a], **common)
    b = make_space(manttu, "Liikuntasali B", "liikuntasali-b", units=[half_b], **common)
    return {"whole": whole, "a": a, "b": b}

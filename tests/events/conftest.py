"""Event fixtures: a few taxonomy terms and a builder for events (through the services)."""

from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from config.ical import HELSINKI
from directory import taxonomy_data
from directory.models import Area, FieldOfActivity, TargetGroup
from events import services
from events.models import Event, Umbrella


def at(year, month, day, hour=18, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def terms(db):
    # A transactional test (the browser tests) empties the tables the data migration filled.
    taxonomy_data.load(apps)
    return {
        "kulttuuri": FieldOfActivity.objects.get(slug="kulttuuri"),
        "liikunta": FieldOfActivity.objects.get(slug="liikunta-ja-urheilu"),
        "ikaantyneet": TargetGroup.objects.get(slug="ikaantyneet"),
        "lapset": TargetGroup.objects.get(slug="lapset"),
        "kaikki": TargetGroup.objects.get(slug="kaikki"),
        "kuopio": Area.objects.get(slug="kuopio"),
        "mannisto": Area.objects.get(slug="kuopio-mannisto"),
        "neulamaki": Area.objects.get(slug="kuopio-neulamaki"),
    }


@pytest.fixture
def make_event(org_a, terms):
    """Create an event through the services, published and a week ahead unless told otherwise."""

    def make(title="Kuorolaulua", *, organisers=None, starts_at=None, hours=2, **fields):
        starts_at = starts_at or timezone.localtime(timezone.now() + timedelta(days=7)).replace(
            hour=18, minute=0, second=0, microsecond=0
        )
        fields.setdefault("ends_at", starts_at + timedelta(hours=hours))
        fields.setdefault("status", Event.Status.PUBLISHED)
        fields.setdefault("place_name", "Männistön asukastupa")
        fields.setdefault("district", terms["mannisto"])
        relations = {
            "themes": fields.pop("themes", [terms["kulttuuri"]]),
            "target_groups": fields.pop("target_groups", [terms["ikaantyneet"]]),
            "areas": fields.pop("areas", []),
        }
        return services.event_create(
            by=None,
            organisers=organisers or [org_a],
            title=title,
            starts_at=starts_at,
            **relations,
            **fields,
        )

    return make


@pytest.fixture
def umbrella(db):
    today = timezone.localdate()
    return Umbrella.objects.create(
        name="Meidän Kuopio -festivaali",
        slug="meidan-kuopio",
        starts_on=today,
        ends_on=today + timedelta(days=60),
    )

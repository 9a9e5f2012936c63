import io
from decimal import Decimal

import pytest
from django.db.models import Sum

from config.audit import acting_as
from grants.models import Application, Decision, Round, UseReport

pytestmark = pytest.mark.django_db


def seed_all():
    from directory import demo as directory_demo
    from grants import demo

    with acting_as(None, reason="test"):
        directory_demo.seed(stdout=io.StringIO())
        demo.seed(stdout=io.StringIO())


def test_the_demo_has_next_years_open_round_and_last_years_published_decisions(client):
    from django.utils import timezone

    seed_all()
    year = timezone.localdate().year
    next_round = Round.objects.get(slug=f"yleisavustukset-{year + 1}")
    assert next_round.is_open
    assert next_round.pots.count() == 8
    assert next_round.budget == Decimal("2700000.00")
    assert abs(next_round.pots.aggregate(t=Sum("budget"))["t"] - next_round.budget) < 10
    states = set(next_round.applications.values_list("state", flat=True))
    assert states == {"draft", "submitted"}
    assert Decision.objects.filter(round__year=year - 1, is_public=True, amount__gt=0).count() >= 8
    assert UseReport.objects.to_reclaim().exists()
    html = client.get(f"/grants/decisions/{year - 1}/").content.decode()
    assert "Kuopion Jalkapalloseura ry" in html
    assert "Yleisavustukset" in client.get("/grants/").content.decode()


def test_the_demo_can_be_loaded_twice_without_changes():
    seed_all()
    counts = (Round.objects.count(), Application.objects.count(), Decision.objects.count())
    seed_all()
    assert (Round.objects.count(), Application.objects.count(), Decision.objects.count()) == counts

import io

import pytest
from django.utils import timezone

from directory import demo as directory_demo
from events import demo
from events.models import Event, Umbrella

pytestmark = pytest.mark.django_db


def test_demo_data_has_the_festival_the_tour_as_a_series_and_running_it_twice_changes_nothing(
    terms,
):
    directory_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    count = Event.objects.count()
    stamps = sorted(Event.objects.values_list("updated_at", flat=True))
    demo.seed(io.StringIO())
    assert Event.objects.count() == count
    assert sorted(Event.objects.values_list("updated_at", flat=True)) == stamps

    festival = Umbrella.objects.get(slug__startswith="meidan-kuopio-")
    assert festival.events.count() >= 36
    assert festival.events.values("organisers").distinct().count() >= 10
    tour = Event.objects.filter(umbrella__slug__startswith="lahiossa-").order_by("starts_at")
    assert tour.count() == 6 and len({e.series_id for e in tour}) == 1
    # Same weekdays and local times as the seed's 2022 tour: ma, ti, ti, ti, ma, ma at 10.
    assert [e.local_start.weekday() for e in tour] == [0, 1, 1, 1, 0, 0]
    assert {e.local_start.hour for e in tour} == {10}
    assert tour.first().starts_at > timezone.now()
    assert [e.district.name_fi for e in tour] == [
        "Saarijärvi", "Kelloniemi", "Saarijärvi", "Männistö", "Itkonniemi", "Linnanpelto"
    ]  # fmt: skip

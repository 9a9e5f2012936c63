import pytest

pytestmark = pytest.mark.django_db


def test_pages_answer(client, make_event, member):
    event = make_event()
    for path in [
        "/events/",
        "/events/week/",
        "/events/month/",
        "/events/year/",
        f"/events/{event.pk}/",
        "/events/feed.ics",
        f"/events/{event.pk}/event.ics",
        "/opendata/events.json",
        "/opendata/events.csv",
        "/events/umbrellas/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
    client.force_login(member)
    for path in [
        "/events/new/",
        f"/events/{event.pk}/edit/",
        "/events/mine/",
        f"/events/{event.pk}/copy/",
        f"/events/{event.pk}/publish/",
        f"/events/{event.pk}/cancel/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path

"""Every events URL for every member of the cast (rows for the project's permission matrix)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.events.matrix import EVENTS_MATRIX
from tests.security.matrix import CAST, LOGIN, World
from tests.security.urls import all_routes


def test_every_events_url_has_a_row():
    names = {r.name for r in all_routes() if r.name.startswith("events:")}
    assert names - {"events:event-list"} == set(EVENTS_MATRIX)


@pytest.mark.django_db
def test_each_role_gets_the_expected_answer_from_each_events_url(request):
    world = World(request)
    clients = {}
    for role in CAST:
        clients[role] = Client()
        user = world.user(role)
        if user is not None:
            clients[role].force_login(user)
    wrong = []
    for name, (kwargs_builder, expected) in sorted(EVENTS_MATRIX.items()):
        url = reverse(name, kwargs=kwargs_builder(world))
        for role in CAST:
            response = clients[role].get(url)
            want = expected[role]
            if want == LOGIN:
                location = response.headers.get("Location", "")
                if response.status_code != 302 or not location.startswith("/accounts/login/"):
                    wrong.append(f"{url} {role}: {response.status_code}, expected login")
            elif response.status_code != want:
                wrong.append(f"{url} {role}: {response.status_code}, expected {want}")
    assert not wrong, "; ".join(wrong)

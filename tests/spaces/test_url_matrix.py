"""Every spaces URL for every member of the cast (the shared matrix's rules, for this app)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.matrix import CAST, LOGIN, World
from tests.security.urls import all_routes
from tests.spaces.matrix import SPACES_MATRIX


def test_every_spaces_url_has_an_entry():
    names = {route.name for route in all_routes() if route.name.startswith("spaces:")}
    assert names == set(SPACES_MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SPACES_MATRIX))
def test_each_role_gets_the_expected_answer_from_each_spaces_url(name, request):
    world = World(request)
    kwargs_builder, expected = SPACES_MATRIX[name]
    url = reverse(name, kwargs=kwargs_builder(world))
    wrong = []
    for role in CAST:
        client = Client()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        want = expected[role]
        if want == LOGIN:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith("/accounts/login/"):
                wrong.append(f"{role}: {response.status_code} {location}, expected login")
        elif response.status_code != want:
            wrong.append(f"{role}: {response.status_code}, expected {want}")
    assert not wrong, f"{url}: " + "; ".join(wrong)

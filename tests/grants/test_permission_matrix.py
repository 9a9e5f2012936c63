"""Every grants URL, for every member of the cast: the same check as tests/security, with the
grants entries from tests/grants/matrix.py (until they are merged into the shared matrix)."""

import pytest
from django.test import Client
from django.urls import reverse

# isort: off
# The shared matrix first: it imports the modules' rows, which use its helpers.
from tests.security.matrix import CAST, LOGIN, MATRIX, World
from tests.grants.matrix import GRANTS_MATRIX
from tests.security.urls import all_routes

# isort: on


def test_every_grants_url_has_an_entry():
    names = {route.name for route in all_routes() if route.name.startswith("grants:")}
    covered = set(GRANTS_MATRIX) | {name for name in MATRIX if name.startswith("grants:")}
    assert names == covered


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(GRANTS_MATRIX))
def test_each_role_gets_the_expected_answer_from_each_grants_url(name, request):
    world = World(request)
    kwargs_builder, expected = GRANTS_MATRIX[name]
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

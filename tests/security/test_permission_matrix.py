"""Who may open which page: every URL pattern of the project, for every member of the cast.

Objects outside a user's scope answer 404, not 403, so their existence does not leak. A URL
added without an entry in MATRIX fails `test_every_url_has_an_entry_in_the_matrix`.

Each entry: URL name -> (kwargs builder, expected GET status per role). Statuses: a number, or
LOGIN for "redirected to the login page".
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.matrix import CAST, LOGIN, MATRIX, World
from tests.security.urls import all_routes


def test_every_url_has_an_entry_in_the_matrix():
    names = {route.name for route in all_routes()}
    unnamed = [route.path for route in all_routes() if not route.name]
    assert not unnamed, f"give these URL patterns a name: {unnamed}"
    missing = sorted(names - set(MATRIX))
    assert not missing, f"add these URLs to tests/security/matrix.py: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"these matrix entries name no URL: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_answer_from_each_url(name, request):
    world = World(request)
    kwargs_builder, expected = MATRIX[name]
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

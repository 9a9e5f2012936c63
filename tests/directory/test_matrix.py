"""The directory's rows of the project's permission matrix, checked here as well, so that a
change in who may open which page fails in the directory's own suite."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.directory.matrix import DIRECTORY_MATRIX
from tests.security.matrix import CAST, LOGIN, World
from tests.security.urls import all_routes


def test_every_directory_url_has_a_row():
    names = {r.name for r in all_routes() if r.name.startswith("directory:")}
    assert names == set(DIRECTORY_MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(DIRECTORY_MATRIX))
def test_each_role_gets_the_expected_answer(name, request):
    world = World(request)
    kwargs_builder, expected = DIRECTORY_MATRIX[name]
    url = reverse(name, kwargs=kwargs_builder(world))
    wrong = []
    for role in CAST:
        client = Client()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        location = response.headers.get("Location", "")
        got = (
            LOGIN
            if response.status_code == 302 and location.startswith("/accounts/login/")
            else response.status_code
        )
        if got != expected[role]:
            wrong.append(f"{role}: {got}, expected {expected[role]}")
    assert not wrong, f"{url}: " + "; ".join(wrong)

"""Any text in any query parameter of any public GET page gives a normal answer, never a 5xx."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.matrix import MATRIX, World
from tests.security.urls import all_routes, parameter_free_paths

pytestmark = pytest.mark.django_db

NASTY = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "'\"<>&|!:*()",
        "jalkapallo & !seura | (kuoro:*)",
        "x" * 5000,
        "2026-02-30",
        "2026-03-29T03:30",
        "-1",
        "99999999999999999999",
        "NaN",
        "../../etc/passwd",
        "%",
        "\u202e\ufeff",
        "[]",
        "Ääkköset öljyä",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=300))


def _query_names(html: str) -> list[str]:
    """The field names of the page's forms, where bad values are most likely to be handled."""
    return sorted(set(re.findall(r'name="([a-zA-Z_][\w\-]*)"', html)) - {"csrfmiddlewaretoken"})


def _public_pages():
    client = Client()
    pages = []
    for path in parameter_free_paths():
        response = client.get(path)
        if response.status_code == 200:
            html = response.content.decode("utf-8", "replace") if response.content else ""
            names = _query_names(html) if "html" in response["Content-Type"] else []
            pages.append((path, [*names, "page", "q", "format", "sort"]))
    return pages


def test_every_public_page_survives_garbage_in_its_query_parameters(db):
    pages = _public_pages()
    assert any(path == "/" for path, _names in pages)
    client = Client()

    for path, names in pages:
        _fuzz_page(client, path, names)


# Parameters the feeds and calendars read besides their pages' form fields.
COMMON_NAMES = ["page", "q", "format", "sort", "week", "month", "year", "date", "day", "start"]


def test_every_public_page_with_parameters_survives_garbage_in_its_query_parameters(request):
    """Detail pages, umbrella, association and space feeds, decision years and the rest: each
    opened with real objects (built as the permission matrix builds them)."""
    world = World(request)
    with_parameters = {route.name for route in all_routes() if route.has_parameters}
    client = Client()
    fuzzed = []
    for name in sorted(with_parameters & set(MATRIX)):
        builder, expected = MATRIX[name]
        if expected["anonymous"] != 200:
            continue
        path = reverse(name, kwargs=builder(world))
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode("utf-8", "replace") if not response.streaming else ""
        names = _query_names(html) if "html" in response["Content-Type"] else []
        _fuzz_page(client, path, [*names, *COMMON_NAMES], examples=8)
        fuzzed.append(name)
    for name in ("events:event-detail", "events:umbrella-feed", "grants:decision-list"):
        assert name in fuzzed


def _fuzz_page(client, path, names, examples=15):
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(params=st.dictionaries(st.sampled_from(names), TEXT, max_size=4))
    def fuzz(params):
        response = client.get(path, params)
        assert response.status_code < 500, (path, params)

    fuzz()

"""Any text in any query parameter of any public GET page gives a normal answer, never a 5xx."""

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.urls import parameter_free_paths

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


def _fuzz_page(client, path, names):
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(params=st.dictionaries(st.sampled_from(names), TEXT, max_size=4))
    def fuzz(params):
        response = client.get(path, params)
        assert response.status_code < 500, (path, params)

    fuzz()

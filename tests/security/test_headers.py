"""Every public page sends the security headers, whoever added it."""

import pytest

from tests.security.urls import parameter_free_paths

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", parameter_free_paths())
def test_every_parameter_free_page_sends_a_strict_csp_and_security_headers(client, path):
    response = client.get(path)
    assert response.status_code < 500
    if response.status_code in (301, 302, 304, 405):
        return
    csp = response.headers.get("Content-Security-Policy", "")
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp, f"{path}: {directive} missing"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")


def test_the_walk_covers_the_site_pages():
    paths = parameter_free_paths()
    for path in ("/", "/accessibility/", "/healthz", "/robots.txt", "/sitemap.xml"):
        assert path in paths

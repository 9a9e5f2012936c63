import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_page_is_in_finnish_by_default_and_links_every_module(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fi">' in html
    for path in ("/organisations/", "/spaces/", "/events/", "/grants/", "/forums/"):
        assert f'href="{path}"' in html
    assert 'href="#main"' in html, "skip link"
    assert 'href="/accessibility/"' in html


def test_a_resident_can_switch_the_site_to_english_without_javascript(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Associations" in html
    assert "Suomeksi" in html, "the way back to Finnish is offered"


def test_accessibility_statement_is_public_and_names_the_supervisory_authority(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "Traficom" in response.content.decode()


def test_unknown_address_gives_the_styled_not_found_page(client):
    response = client.get("/ei-ole-olemassa/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sivua ei löytynyt" in html
    assert 'class="site-header"' in html
    assert "Traceback" not in html


def test_server_error_page_is_styled_and_shows_no_traceback(rf):
    from config.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Jotain meni vikaan" in html
    assert "Traceback" not in html


def test_post_without_csrf_token_is_refused_with_a_friendly_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Lomake on vanhentunut" in response.content.decode()


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_ok_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_readyz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: " in body and body.strip().endswith("/sitemap.xml")


def test_sitemap_lists_the_public_site_pages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "/accessibility/</loc>" in response.content.decode()


def test_pages_send_a_strict_content_security_policy_and_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_that_need_an_account_send_anonymous_visitors_to_login(client):
    response = client.get("/accounts/email/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_the_language_switch_works_as_a_plain_link_and_sets_no_other_cookie(client):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "/events/"})
    assert response.status_code == 302
    assert response["Location"] == "/events/"
    assert set(response.cookies) == {"django_language"}
    assert '<html lang="en">' in client.get("/events/").text


def test_the_language_switch_never_sends_a_visitor_to_another_site(client):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_reading_a_public_page_sets_no_cookie(client):
    response = client.get("/events/")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text

import re
import time

import pytest
import time_machine
from django.core import mail

from directory.models import User
from tests.factories import PASSWORD, current_totp_code

pytestmark = pytest.mark.django_db


def _confirmation_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_new_volunteer_signs_up_verifies_the_email_and_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "liisa@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["liisa@example.com"]

    # Unverified: login is held at the verification step.
    client.logout()
    response = client.post("/accounts/login/", {"login": "liisa@example.com", "password": PASSWORD})
    assert response.headers["Location"] == "/accounts/confirm-email/"

    link = _confirmation_link(mail.outbox[-1])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    client.logout()

    response = client.post(
        "/accounts/login/", {"login": "liisa@example.com", "password": PASSWORD}, follow=True
    )
    assert response.context["user"].email == "liisa@example.com"
    assert "Kirjautuneena: liisa@example.com" in response.content.decode()


def test_signup_with_a_known_email_reveals_nothing_on_the_page(client, resident):
    response = client.post(
        "/accounts/signup/",
        {"email": resident.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    # Same answer as for a new address; the owner gets an email instead.
    assert response.status_code == 302
    assert User.objects.filter(email=resident.email).count() == 1


def test_password_reset_sends_a_link_to_a_known_address(client, resident):
    response = client.post("/accounts/password/reset/", {"email": resident.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, resident):
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": resident.email, "password": "väärä-salasana"}
        )
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 200, "even the right password waits until the lock ends"
    assert "Liian monta" in response.content.decode()


def test_rate_limits_are_kept_in_the_shared_database_cache(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_anonymous_admin_visitors_go_through_the_site_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    response = client.get("/admin/login/")
    assert response.headers["Location"].startswith("/accounts/login/")


def test_staff_without_mfa_are_sent_to_set_up_an_authenticator_before_the_admin(
    client, staff_without_mfa
):
    client.force_login(staff_without_mfa)
    response = client.get("/admin/", follow=True)
    visited = [url for url, _status in response.redirect_chain]
    assert "/accounts/2fa/totp/activate/" in visited
    # Adding an authenticator asks for the password again first.
    assert visited[-1].startswith("/accounts/reauthenticate/")
    assert client.get("/admin/directory/organisation/").status_code == 302


def test_staff_with_mfa_must_give_a_code_at_login_and_then_reach_the_admin(client, staff):
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response.headers["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302, "no admin before the code"

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    with time_machine.travel(time.time(), tick=False):
        code = current_totp_code(staff.totp_secret)
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_resident_cannot_open_the_admin(client, resident):
    client.force_login(resident)
    response = client.get("/admin/login/")
    assert response.status_code == 403

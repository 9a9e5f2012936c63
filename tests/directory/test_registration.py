"""Signing up and registering an association in one form; duplicates offer "ask to join"."""

import re

import pytest
from django.core import mail

from directory.models import JoinRequest, Membership, Organisation, User
from tests import factories

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "account-full_name": "Ville Vapaaehtoinen",
    "account-email": "ville@example.com",
    "account-password1": "Kallavesi-kesä-2026",
    "account-password2": "Kallavesi-kesä-2026",
}
ASSOCIATION = {
    "name": "Petosen Perhekerho ry",
    "short_description": "Perhekerho ja vertaistukea lapsiperheille Petosella.",
    "fields": [],
    "areas": [],
    "languages": ["fi"],
    "business_id": "",
}


def register(client, **overrides):
    data = {**ACCOUNT, **ASSOCIATION, **overrides}
    return client.post("/organisations/register/", data)


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", message.body).group(1)


def test_a_volunteer_signs_up_and_registers_in_one_form_and_finds_the_draft_after_verifying(
    client, staff, django_capture_on_commit_callbacks
):
    from directory.models import Area, FieldOfActivity

    with django_capture_on_commit_callbacks(execute=True):
        response = register(
            client,
            fields=[FieldOfActivity.objects.get(slug="nuoriso").pk],
            areas=[Area.objects.get(slug="kuopio-petonen").pk],
        )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="ville@example.com")
    assert user.full_name == "Ville Vapaaehtoinen"
    organisation = Organisation.objects.get(name="Petosen Perhekerho ry")
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.created_by == user
    assert organisation.memberships.get().role == Membership.Role.ADMIN
    assert [a.slug for a in organisation.areas.all()] == ["kuopio-petonen"]
    assert "kuopio" in organisation.search_terms_b.split(), "indexed for search"
    recipients = [m.to[0] for m in mail.outbox]
    assert "ville@example.com" in recipients and staff.email in recipients

    link = confirmation_link(next(m for m in mail.outbox if m.to == ["ville@example.com"]))
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Odottaa vahvistusta." in page
    assert "Muokkaa tietoja" in page


def test_a_signed_in_volunteer_registers_with_the_association_fields_only(client, resident):
    client.force_login(resident)
    form = client.get("/organisations/register/").content.decode()
    assert 'name="account-email"' not in form
    response = client.post("/organisations/register/", ASSOCIATION)
    organisation = Organisation.objects.get(name="Petosen Perhekerho ry")
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.memberships.get().user == resident
    assert organisation.status == Organisation.Status.PENDING


def test_the_form_explains_mistakes_next_to_the_fields_in_finnish(client):
    response = register(client, name="", business_id="2077474-1", **{"account-password2": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_name_error"' in html and 'aria-invalid="true"' in html
    assert "Y-tunnus ei ole kelvollinen" in html or "tarkista numerot" in html
    assert not Organisation.objects.exists()
    assert not User.objects.filter(email="ville@example.com").exists()


def test_the_business_id_is_stored_in_the_standard_form(client, resident):
    client.force_login(resident)
    client.post("/organisations/register/", {**ASSOCIATION, "business_id": "FI20774740"})
    assert Organisation.objects.get().business_id == "2077474-0"


def test_a_known_business_id_offers_to_ask_to_join_instead(client, org_a, resident):
    Organisation.objects.filter(pk=org_a.pk).update(business_id="2077474-0")
    client.force_login(resident)
    response = client.post("/organisations/register/", {**ASSOCIATION, "business_id": "2077474-0"})
    html = response.content.decode()
    assert "on jo portaalissa" in html
    assert f'name="join" value="{org_a.slug}"' in html
    assert Organisation.objects.count() == 1

    response = client.post(
        "/organisations/register/",
        {**ASSOCIATION, "business_id": "2077474-0", "join": org_a.slug},
    )
    assert response["Location"] == org_a.get_absolute_url()
    assert JoinRequest.objects.get().user == resident
    assert Organisation.objects.count() == 1


def test_the_same_name_in_other_letters_is_a_duplicate_too(client, org_a, resident):
    client.force_login(resident)
    response = client.post("/organisations/register/", {**ASSOCIATION, "name": org_a.name.upper()})
    assert "on jo portaalissa" in response.content.decode()


def test_a_new_volunteer_can_sign_up_and_ask_to_join_in_the_same_form(
    client, org_a, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, name=org_a.name, join=org_a.slug)
    assert response["Location"] == "/accounts/confirm-email/"
    join_request = JoinRequest.objects.get()
    assert join_request.user.email == "ville@example.com"
    assert join_request.organisation == org_a
    assert any(org_admin.email in m.to for m in mail.outbox), "the admin hears of it"


def test_a_pending_duplicate_is_not_offered_for_joining(client, resident):
    pending = factories.make_organisation("Salainen Seura ry", status=Organisation.Status.PENDING)
    client.force_login(resident)
    response = client.post("/organisations/register/", {**ASSOCIATION, "name": pending.name})
    html = response.content.decode()
    assert "odottaa kaupungin vahvistusta" in html
    assert 'name="join"' not in html
    response = client.post(
        "/organisations/register/", {**ASSOCIATION, "name": pending.name, "join": pending.slug}
    )
    assert not JoinRequest.objects.exists()


def test_an_email_that_already_has_an_account_creates_nothing_and_tells_its_owner(client, resident):
    response = register(client, **{"account-email": resident.email})
    assert response.status_code == 302
    assert not Organisation.objects.exists()
    assert User.objects.filter(email=resident.email).count() == 1
    assert any(resident.email in m.to for m in mail.outbox)


def test_a_name_that_looks_like_a_page_address_gets_another_slug(client, resident):
    client.force_login(resident)
    client.post("/organisations/register/", {**ASSOCIATION, "name": "Register"})
    client.post("/organisations/register/", {**ASSOCIATION, "name": "Mine"})
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "mine-ry",
        "register-ry",
    ]


def test_the_registration_page_is_public_and_in_finnish(client):
    html = client.get("/organisations/register/").content.decode()
    assert "<h1>Ilmoita yhdistys</h1>" in html
    assert "Yhdistyksen nimi" in html and "Nimesi" in html

"""Who may see and change what. A pending association is invisible (404) to everyone but its
members and staff; a member of one association cannot see or edit another's pending page."""

import pytest
from django.test import Client

from directory.models import ContactPerson, Membership, Organisation, VolunteerOpportunity
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "login"
CAST = ["anonymous", "resident", "member", "org_admin", "other_org_admin", "staff"]


@pytest.fixture
def pending_a(org_a, member, org_admin, other_org_admin):
    """Association A waits for verification; B (other_org_admin's) is public."""
    Organisation.objects.filter(pk=org_a.pk).update(status="pending", verified_at=None)
    org_a.refresh_from_db()
    return org_a


def answer(request, role, method, url, data=None):
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def check(request, method, url, expected, data=None):
    got = {role: answer(request, role, method, url, data) for role in CAST}
    assert got == dict(zip(CAST, expected, strict=True)), url


PENDING_PAGES = [
    # path under /organisations/<slug>/, method, anonymous, resident, member, org_admin,
    # other_org_admin, staff
    ("", "get", [404, 404, 200, 200, 404, 200]),
    ("edit/", "get", [LOGIN, 404, 200, 200, 404, 200]),
    ("contacts/", "get", [LOGIN, 404, 403, 200, 404, 200]),
    ("members/", "get", [LOGIN, 404, 403, 200, 404, 200]),
    ("volunteering/new/", "get", [LOGIN, 404, 200, 200, 404, 200]),
    ("join/", "get", [LOGIN, 404, 302, 302, 404, 200]),
]


@pytest.mark.parametrize(("path", "method", "expected"), PENDING_PAGES, ids=lambda v: str(v))
def test_a_pending_association_is_seen_only_by_its_members_and_staff(
    request, pending_a, path, method, expected
):
    check(request, method, f"/organisations/{pending_a.slug}/{path}", expected)


def test_a_member_of_another_association_cannot_edit_the_pending_page(
    client, pending_a, other_org_admin
):
    client.force_login(other_org_admin)
    response = client.post(
        f"/organisations/{pending_a.slug}/edit/",
        {"name": "Kaapattu ry", "short_description": "Kaapattu"},
    )
    assert response.status_code == 404
    pending_a.refresh_from_db()
    assert pending_a.name != "Kaapattu ry"
    for path in ("confirm/", "members/invite/", "leave/"):
        assert client.post(f"/organisations/{pending_a.slug}/{path}").status_code == 404


def test_a_verified_page_is_public_but_only_its_own_members_edit_it(request, org_b, org_a):
    check(request, "get", f"/organisations/{org_b.slug}/", [200] * 6)
    check(request, "get", f"/organisations/{org_b.slug}/edit/", [LOGIN, 403, 403, 403, 200, 200])
    check(request, "get", f"/organisations/{org_b.slug}/members/", [LOGIN, 403, 403, 403, 200, 200])


def test_an_archived_association_is_gone_for_everyone_but_in_the_admin(client, org_a, staff):
    Organisation.objects.filter(pk=org_a.pk).update(status="archived")
    assert client.get(org_a.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert client.get(org_a.get_absolute_url()).status_code == 404
    assert client.get(f"/admin/directory/organisation/{org_a.pk}/change/").status_code == 200


def test_an_editor_cannot_manage_members_or_contacts(client, org_a, member, org_admin):
    client.force_login(member)
    admin_membership = Membership.objects.get(user=org_admin)
    url = f"/organisations/{org_a.slug}/members/{admin_membership.pk}/role/"
    assert client.post(url, {"role": "editor"}).status_code == 403
    assert client.post(f"/organisations/{org_a.slug}/contacts/", {}).status_code == 403
    assert Membership.objects.get(user=org_admin).role == "admin"


def test_a_membership_of_another_association_is_not_found_through_ones_own(
    client, org_a, org_b, org_admin, other_org_admin
):
    other = Membership.objects.get(user=other_org_admin)
    client.force_login(org_admin)
    url = f"/organisations/{org_a.slug}/members/{other.pk}/remove/"
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_volunteer_tasks_of_another_association_cannot_be_edited(
    client, org_b, org_admin, other_org_admin
):
    from datetime import timedelta

    from django.utils import timezone

    task = VolunteerOpportunity.objects.create(
        organisation=org_b, title="Talkoot", description="x", time_needed="1 h", contact="x",
        open_until=timezone.localdate() + timedelta(days=5),
    )  # fmt: skip
    client.force_login(org_admin)
    assert client.get(f"/volunteering/{task.pk}/edit/").status_code == 403
    assert client.post(f"/volunteering/{task.pk}/delete/").status_code == 403
    assert VolunteerOpportunity.objects.filter(pk=task.pk).exists()
    Organisation.objects.filter(pk=org_b.pk).update(status="pending", verified_at=None)
    assert client.get(f"/volunteering/{task.pk}/edit/").status_code == 404


def test_an_org_admin_edits_contact_persons_and_they_show_at_once(client, org_a, org_admin):
    client.force_login(org_admin)
    data = {
        "contact_persons-TOTAL_FORMS": "1",
        "contact_persons-INITIAL_FORMS": "0",
        "contact_persons-MIN_NUM_FORMS": "0",
        "contact_persons-MAX_NUM_FORMS": "20",
        "contact_persons-0-name": "Sanni Sihteeri",
        "contact_persons-0-title": "sihteeri",
        "contact_persons-0-email": "sanni@example.com",
        "contact_persons-0-is_public": "on",
    }
    response = client.post(f"/organisations/{org_a.slug}/contacts/", data)
    assert response.status_code == 302
    assert ContactPerson.objects.get().audit_trail.count() == 1, "kept in the history"
    assert "Sanni Sihteeri" in Client().get(org_a.get_absolute_url()).content.decode()


def test_an_editor_edits_the_page_and_saving_confirms_the_details(client, org_a, member):
    from datetime import timedelta

    from django.utils import timezone

    Organisation.objects.filter(pk=org_a.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=900), is_outdated=True
    )
    client.force_login(member)
    page = client.get(f"/organisations/{org_a.slug}/edit/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        f"/organisations/{org_a.slug}/edit/",
        {
            "name": org_a.name,
            "short_description": "Uusi kuvaus: kirpputori ja asukastupa.",
            "social_links": "https://www.facebook.com/testi\n",
            "languages": ["fi", "sv"],
        },
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.short_description.startswith("Uusi kuvaus")
    assert org_a.social_links == ["https://www.facebook.com/testi"]
    assert not org_a.is_outdated and not org_a.is_possibly_outdated
    assert "kirpputori" in org_a.search_terms_b.split()
    event = org_a.audit_trail.order_by("-pgh_id").first()
    assert event.pgh_context.metadata["user"] == member.pk


def test_a_logo_must_be_a_small_real_image(client, org_a, org_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(org_admin)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(
        f"/organisations/{org_a.slug}/edit/",
        {"name": org_a.name, "short_description": "x", "logo": fake},
    )
    assert response.status_code == 200
    assert 'id="id_logo_error"' in response.content.decode()
    org_a.refresh_from_db()
    assert not org_a.logo


def test_every_cast_member_can_open_the_public_pages(request):
    for path in ("/organisations/", "/volunteering/", "/organisations/register/"):
        expected = [200] * 6
        check(request, "get", path, expected)
    check(request, "get", "/organisations/mine/", [LOGIN, 200, 200, 200, 200, 200])


def test_staff_without_mfa_are_not_treated_as_verified_staff_in_the_admin(client):
    user = factories.make_user("ei-mfa@example.com", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/directory/pendingorganisation/").status_code == 302


def test_staff_without_two_step_verification_have_no_staff_powers_on_pages(
    client, pending_a, staff_without_mfa
):
    client.force_login(staff_without_mfa)
    assert client.get(pending_a.get_absolute_url()).status_code == 404
    assert client.get(f"/organisations/{pending_a.slug}/edit/").status_code == 404

"""Members: invitations, roles, handing over, requests to join, and the rule that an association
always keeps at least one administrator (service, database, and under concurrency)."""

import re
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from directory import services
from directory.models import Invitation, JoinRequest, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def membership(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


# --- at least one admin ----------------------------------------------------------------------


def test_the_only_admin_cannot_step_down_to_editor(org_a, org_admin, member):
    with pytest.raises(ValidationError, match="ainakin yksi pääkäyttäjä"):
        services.membership_change_role(
            membership=membership(org_admin, org_a), role="editor", by=org_admin
        )
    assert membership(org_admin, org_a).role == "admin"


def test_the_only_admin_cannot_be_removed(org_a, org_admin):
    with pytest.raises(ValidationError):
        services.membership_remove(membership=membership(org_admin, org_a), by=org_admin)
    assert Membership.objects.filter(organisation=org_a, role="admin").count() == 1


def test_an_admin_can_step_down_once_there_is_another_admin(org_a, org_admin, member):
    services.membership_change_role(
        membership=membership(member, org_a), role="admin", by=org_admin
    )
    services.membership_change_role(
        membership=membership(org_admin, org_a), role="editor", by=org_admin
    )
    assert list(Membership.objects.admins().filter(organisation=org_a)) == [
        membership(member, org_a)
    ]


def test_handing_over_makes_the_other_member_admin_and_the_giver_an_editor(
    org_a, org_admin, member
):
    services.membership_hand_over(organisation=org_a, to=membership(member, org_a), by=org_admin)
    assert membership(member, org_a).role == "admin"
    assert membership(org_admin, org_a).role == "editor"


def test_the_database_refuses_to_leave_an_association_without_an_admin(org_a, org_admin, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(user=org_admin).update(role="editor")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_allows_removing_the_association_with_its_members(org_a, org_admin, member):
    with transaction.atomic():
        org_a.delete()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not Membership.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_stepping_down_at_the_same_time_leave_one_admin():
    organisation = factories.make_organisation("Kilpailuseura ry")
    first = factories.make_user("eka@example.com")
    second = factories.make_user("toka@example.com")
    factories.add_member(first, organisation, "admin")
    factories.add_member(second, organisation, "admin")
    barrier = threading.Barrier(2)
    outcomes = []

    def step_down(user):
        try:
            barrier.wait()
            services.membership_change_role(
                membership=membership(user, organisation), role="editor", by=user
            )
            outcomes.append("ok")
        except (ValidationError, IntegrityError):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(u,)) for u in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Membership.objects.admins().filter(organisation=organisation).count() == 1


def test_the_admin_inline_in_the_admin_refuses_removing_the_last_admin(
    client, staff, org_a, org_admin
):
    client.force_login(staff)
    url = f"/admin/directory/organisation/{org_a.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    admin_membership = membership(org_admin, org_a)
    data = {
        "name": org_a.name,
        "slug": org_a.slug,
        "short_description": org_a.short_description,
        "status": "verified",
        "last_confirmed_at_0": "1.1.2026",
        "last_confirmed_at_1": "12:00:00",
        "languages": "",
        "social_links": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": admin_membership.pk,
        "memberships-0-organisation": org_a.pk,
        "memberships-0-user": org_admin.pk,
        "memberships-0-role": "editor",
        "contact_persons-TOTAL_FORMS": "0",
        "contact_persons-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "vähintään yksi pääkäyttäjä" in response.content.decode() or (
        "ainakin yksi pääkäyttäjä" in response.content.decode()
    )
    assert membership(org_admin, org_a).role == "admin"


# --- the members page ------------------------------------------------------------------------


def test_an_admin_sees_the_members_and_changes_a_role_on_the_members_page(
    client, org_a, org_admin, member
):
    client.force_login(org_admin)
    page = client.get(f"/organisations/{org_a.slug}/members/").content.decode()
    assert member.email in page
    m = membership(member, org_a)
    response = client.post(f"/organisations/{org_a.slug}/members/{m.pk}/role/", {"role": "admin"})
    assert response.status_code == 302
    assert membership(member, org_a).role == "admin"


def test_the_last_admin_stepping_down_gets_a_message_not_an_error(client, org_a, org_admin):
    client.force_login(org_admin)
    m = membership(org_admin, org_a)
    response = client.post(
        f"/organisations/{org_a.slug}/members/{m.pk}/role/", {"role": "editor"}, follow=True
    )
    assert response.status_code == 200
    assert "ainakin yksi pääkäyttäjä" in response.content.decode()
    assert membership(org_admin, org_a).role == "admin"


def test_an_admin_hands_over_from_the_members_page(client, org_a, org_admin, member):
    client.force_login(org_admin)
    m = membership(member, org_a)
    response = client.post(f"/organisations/{org_a.slug}/members/{m.pk}/hand-over/")
    assert response["Location"] == org_a.get_absolute_url()
    assert membership(member, org_a).role == "admin"
    assert membership(org_admin, org_a).role == "editor"


def test_an_editor_leaves_but_the_last_admin_cannot(client, org_a, org_admin, member):
    client.force_login(member)
    client.post(f"/organisations/{org_a.slug}/leave/")
    assert not Membership.objects.filter(user=member).exists()
    client.force_login(org_admin)
    response = client.post(f"/organisations/{org_a.slug}/leave/", follow=True)
    assert "ainakin yksi pääkäyttäjä" in response.content.decode()
    assert Membership.objects.filter(user=org_admin).exists()


# --- invitations -----------------------------------------------------------------------------


def invite(client, organisation, email, role="editor"):
    return client.post(
        f"/organisations/{organisation.slug}/members/invite/", {"email": email, "role": role}
    )


def invitation_link(message):
    return re.search(r"https?://[^/\s]+(/organisations/invitations/[^\s]+)", message.body).group(1)


def test_an_admin_invites_by_email_and_the_invitee_accepts(
    client, org_a, org_admin, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, org_a, "Uusi.Jasen@example.com", "admin").status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["Uusi.Jasen@example.com"]
    assert org_a.name in message.subject
    link = invitation_link(message)

    newcomer = factories.make_user("uusi.jasen@example.com", name="Uusi Jäsen")
    client.force_login(newcomer)
    assert "Hyväksy kutsu" in client.get(link).content.decode()
    response = client.post(link)
    assert response["Location"] == org_a.get_absolute_url()
    assert membership(newcomer, org_a).role == "admin"
    assert Invitation.objects.get().accepted_by == newcomer
    assert client.post(link).status_code == 200, "a used link explains itself"


def test_an_invitation_cannot_be_used_by_another_account(client, org_a, org_admin, resident):
    invitation = services.membership_invite(
        organisation=org_a, email="joku@example.com", role="editor", by=org_admin
    )
    client.force_login(resident)
    response = client.post(f"/organisations/invitations/{services.invitation_token(invitation)}/")
    assert "toiseen sähköpostiosoitteeseen" in response.content.decode()
    assert not Membership.objects.filter(user=resident).exists()


def test_a_forged_or_cancelled_invitation_link_is_not_found(client, org_a, org_admin, resident):
    invitation = services.membership_invite(
        organisation=org_a, email=resident.email, role="editor", by=org_admin
    )
    token = services.invitation_token(invitation)
    client.force_login(resident)
    assert client.get("/organisations/invitations/forged:token/").status_code == 404
    client.force_login(org_admin)
    client.post(f"/organisations/{org_a.slug}/invitations/{invitation.pk}/cancel/")
    client.force_login(resident)
    assert client.get(f"/organisations/invitations/{token}/").status_code == 404


def test_an_expired_invitation_link_is_not_found(client, org_a, org_admin, resident):
    import time_machine
    from django.utils import timezone

    invitation = services.membership_invite(
        organisation=org_a, email=resident.email, role="editor", by=org_admin
    )
    token = services.invitation_token(invitation)
    client.force_login(resident)
    with time_machine.travel(timezone.now() + timezone.timedelta(days=15)):
        client.force_login(resident)
        assert client.get(f"/organisations/invitations/{token}/").status_code == 404


def test_inviting_a_member_again_is_refused_next_to_the_field(client, org_a, org_admin, member):
    client.force_login(org_admin)
    response = invite(client, org_a, member.email.upper())
    assert response.status_code == 200
    assert "on jo jäsen" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_the_same_address_twice_keeps_one_open_invitation(org_a, org_admin):
    for _ in range(2):
        services.membership_invite(
            organisation=org_a, email="kaksi@example.com", role="editor", by=org_admin
        )
    assert Invitation.objects.count() == 1


# --- requests to join ------------------------------------------------------------------------


def test_a_resident_asks_to_join_and_an_admin_approves(
    client, org_a, org_admin, resident, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/organisations/{org_a.slug}/join/", {"message": "Olen sihteeri."})
    assert org_admin.email in mail.outbox[-1].to
    join_request = JoinRequest.objects.get()
    assert "Olet pyytänyt pääsyä" in client.get(org_a.get_absolute_url()).content.decode()

    client.force_login(org_admin)
    page = client.get(f"/organisations/{org_a.slug}/members/").content.decode()
    assert "Olen sihteeri." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organisations/{org_a.slug}/requests/{join_request.pk}/", {"decision": "approve"}
        )
    assert membership(resident, org_a).role == "editor"
    assert resident.email in mail.outbox[-1].to


def test_an_admin_declines_a_request(client, org_a, org_admin, resident):
    join_request = services.join_request_create(organisation=org_a, user=resident)
    client.force_login(org_admin)
    client.post(f"/organisations/{org_a.slug}/requests/{join_request.pk}/", {"decision": "no"})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REJECTED
    assert not Membership.objects.filter(user=resident).exists()


def test_staff_approve_requests_in_the_admin(client, staff, org_a, resident):
    join_request = services.join_request_create(organisation=org_a, user=resident)
    client.force_login(staff)
    response = client.post(
        "/admin/directory/joinrequest/",
        {"action": "approve", "_selected_action": [join_request.pk]},
    )
    assert response.status_code == 302
    assert membership(resident, org_a).role == "editor"


def test_asking_twice_keeps_one_open_request(org_a, resident):
    first = services.join_request_create(organisation=org_a, user=resident)
    second = services.join_request_create(organisation=org_a, user=resident)
    assert first.pk == second.pk


def test_an_admin_of_another_association_cannot_decide_its_requests(
    client, org_a, org_b, other_org_admin, resident
):
    join_request = services.join_request_create(organisation=org_a, user=resident)
    client.force_login(other_org_admin)
    url = f"/organisations/{org_a.slug}/requests/{join_request.pk}/"
    assert client.post(url, {"decision": "approve"}).status_code == 403
    url = f"/organisations/{org_b.slug}/requests/{join_request.pk}/"
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert not Membership.objects.filter(user=resident).exists()

"""Keeping details current: yearly reminders with a signed link that confirms without a login,
and associations unconfirmed for two years marked as possibly outdated."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from directory import services
from directory.models import Organisation

pytestmark = pytest.mark.django_db


def age(organisation, days):
    Organisation.objects.filter(pk=organisation.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=days)
    )


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_freshness_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


def link_in(message):
    return re.search(r"https?://[^/\s]+(/organisations/confirm/[^\s]+)", message.body).group(1)


def test_admins_of_an_association_unconfirmed_for_a_year_get_a_link(
    org_a, org_admin, member, django_capture_on_commit_callbacks
):
    age(org_a, 366)
    run(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[org_admin.email]], "admins only"
    assert org_a.name in mail.outbox[0].subject
    assert "/organisations/confirm/" in mail.outbox[0].body


def test_recently_confirmed_associations_get_no_reminder(
    org_a, org_admin, django_capture_on_commit_callbacks
):
    age(org_a, 300)
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_daily_run_does_not_nag_every_day(org_a, org_admin, django_capture_on_commit_callbacks):
    age(org_a, 400)
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_opening_the_link_and_confirming_updates_only_the_confirmation_date(
    client, org_a, org_admin, django_capture_on_commit_callbacks
):
    age(org_a, 800)
    services.freshness_mark_outdated()
    run(django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    before = Organisation.objects.values().get(pk=org_a.pk)

    page = client.get(link)
    assert page.status_code == 200
    assert "Kyllä, tiedot ovat ajan tasalla" in page.content.decode()
    assert Organisation.objects.get(pk=org_a.pk).last_confirmed_at == before["last_confirmed_at"]

    response = client.post(link)
    assert response.status_code == 200
    after = Organisation.objects.values().get(pk=org_a.pk)
    assert after["last_confirmed_at"] > timezone.now() - timedelta(minutes=1)
    assert after["is_outdated"] is False
    changed = {k for k in before if before[k] != after[k]}
    assert changed <= {"last_confirmed_at", "is_outdated"}
    today = timezone.localdate().strftime("%-d.%-m.%Y")
    assert f"Tiedot tarkistettu {today}" in client.get(org_a.get_absolute_url()).content.decode()


def test_a_confirmation_is_recorded_in_the_history(client, org_a):
    token = services.freshness_token(org_a)
    client.post(f"/organisations/confirm/{token}/")
    event = org_a.audit_trail.order_by("-pgh_id").first()
    assert event.pgh_label == "update"
    assert event.pgh_context.metadata.get("reason") == "confirm details"


def test_an_expired_or_forged_link_does_not_confirm(client, org_a):
    age(org_a, 500)
    token = services.freshness_token(org_a)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client.post(f"/organisations/confirm/{token}/")
    assert response.status_code == 404
    assert "Linkki ei toimi" in response.content.decode()
    assert client.post(f"/organisations/confirm/{token}x/").status_code == 404
    assert client.post("/organisations/confirm/%00/").status_code == 404
    org_a.refresh_from_db()
    assert org_a.last_confirmed_at < timezone.now() - timedelta(days=400)


def test_a_link_for_one_association_confirms_only_that_one(client, org_a, org_b):
    age(org_a, 500)
    age(org_b, 500)
    client.post(f"/organisations/confirm/{services.freshness_token(org_a)}/")
    org_a.refresh_from_db()
    org_b.refresh_from_db()
    assert org_a.last_confirmed_at > timezone.now() - timedelta(minutes=1)
    assert org_b.last_confirmed_at < timezone.now() - timedelta(days=400)


def test_two_years_without_confirmation_marks_possibly_outdated_and_confirming_clears_it(
    client, org_a, member
):
    age(org_a, 731)
    call_command("send_freshness_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    org_a.refresh_from_db()
    assert org_a.is_outdated
    client.force_login(member)
    client.post(f"/organisations/{org_a.slug}/confirm/")
    org_a.refresh_from_db()
    assert not org_a.is_outdated

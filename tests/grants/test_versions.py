"""Every submission and correction is a frozen version; sending twice makes exactly one."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from grants import services
from grants.models import Application, ApplicationVersion, Attachment
from tests.grants import builders


@pytest.fixture
def sent(member, org_a):
    application = builders.make_application(
        user=member, organisation=org_a, round=builders.make_round()
    )
    builders.submit(application, member)
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_a_sent_version_cannot_be_changed_even_with_an_update_query(sent):
    version = sent.versions.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ApplicationVersion.objects.filter(pk=version.pk).update(requested_amount=Decimal("99999"))
    with pytest.raises(DatabaseError), transaction.atomic():
        version.snapshot["purpose"] = "Muutettu jälkikäteen"
        version.save()
    version.refresh_from_db()
    assert version.requested_amount == Decimal("1500.00")


@pytest.mark.django_db
def test_a_sent_version_cannot_be_deleted_even_with_raw_sql(sent):
    version = sent.versions.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM grants_applicationversion WHERE id = %s", [version.pk])
    assert ApplicationVersion.objects.filter(pk=version.pk).exists()


@pytest.mark.django_db
def test_a_sent_attachment_is_kept_for_its_version_when_removed_in_a_correction(
    sent, member, staff
):
    attachment = sent.attachments.get()
    assert attachment.frozen_at is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        Attachment.objects.filter(pk=attachment.pk).delete()
    services.application_return(
        staff=staff,
        application_id=sent.pk,
        message="Vaihda toimintasuunnitelma uuteen.",
        deadline=builders.db_now() + builders.timedelta(days=5),
    )
    services.attachment_remove(user=member, attachment_id=attachment.pk)
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    assert attachment.file.storage.exists(attachment.file.name)


@pytest.mark.django_db
def test_a_correction_is_a_new_version_and_the_first_one_stays_as_it_was(sent, member, staff):
    services.application_return(
        staff=staff,
        application_id=sent.pk,
        message="Haettu summa on liian suuri.",
        deadline=builders.db_now() + builders.timedelta(days=5),
    )
    services.application_save_draft(
        user=member,
        application_id=sent.pk,
        group=sent.group,
        purpose="Korjattu: pienempi kahvilailta",
        requested_amount=Decimal("900.00"),
        income=[],
        expenses=[("Tarvikkeet", Decimal("900.00"))],
    )
    sent.refresh_from_db()
    second = builders.submit(sent, member)
    first = sent.versions.get(number=1)
    assert second.number == 2 and second.kind == "correction"
    assert first.requested_amount == Decimal("1500.00")
    assert first.snapshot["purpose"].startswith("Asukastuvan")
    assert second.snapshot["purpose"].startswith("Korjattu")
    assert [line["description"] for line in first.snapshot["expenses"]] == [
        "Tilavuokra",
        "Tarvikkeet",
    ]


@pytest.mark.django_db
def test_a_sent_application_cannot_be_edited(sent, member, client):
    client.force_login(member)
    response = client.get(f"/grants/applications/{sent.pk}/edit/")
    assert response.status_code == 302
    with pytest.raises(services.GrantError, match="eikä sitä voi enää muuttaa"):
        services.application_save_draft(
            user=member,
            application_id=sent.pk,
            group=sent.group,
            purpose="x",
            requested_amount=Decimal(1),
            income=[],
            expenses=[],
        )


@pytest.mark.django_db
def test_a_double_click_or_a_second_tab_sends_exactly_one_version(
    member, org_a, client, django_capture_on_commit_callbacks
):
    application = builders.make_application(
        user=member, organisation=org_a, round=builders.make_round()
    )
    client.force_login(member)
    url = f"/grants/applications/{application.pk}/submit/"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url, {"versions_seen": "0"})
        second = client.post(url, {"versions_seen": "0"}, follow=True)
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert (
        "Hakemus on jo lähetetty. Mitään ei lähetetty kahteen kertaan." in second.content.decode()
    )
    assert len(callbacks) == 1, "one receipt email"


@pytest.mark.django_db(transaction=True)
def test_two_tabs_sending_at_the_same_moment_make_exactly_one_version(member, org_a):
    application = builders.make_application(
        user=member, organisation=org_a, round=builders.make_round()
    )

    def send():
        return services.application_submit(
            user=member, application_id=application.pk, versions_seen=0
        )

    results = builders.run_at_once(send, send, send)
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "error", "ok"], results
    assert all(isinstance(value, services.GrantError) for kind, value in results if kind == "error")
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert Application.objects.get(pk=application.pk).state == "submitted"

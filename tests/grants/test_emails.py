"""The association gets an email at each step, sent only once the step is committed."""

from decimal import Decimal

import pytest
from django.core import mail

from grants import services
from tests.grants import builders

pytestmark = pytest.mark.django_db


def test_each_step_mails_the_association_after_commit(
    member, org_admin, org_a, staff, django_capture_on_commit_callbacks
):
    round = builders.make_round(year=2026, budget=Decimal("9000"))
    subjects = []

    def step(function):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            result = function()
        assert mail.outbox == [], "nothing is sent before the commit"
        for callback in callbacks:
            callback()
        assert {member.email, org_admin.email} <= set(mail.outbox[-1].to)
        subjects.append(mail.outbox[-1].subject)
        return result

    application = step(
        lambda: builders.make_application(user=member, organisation=org_a, round=round)
    )
    step(lambda: builders.submit(application, member))
    step(
        lambda: services.application_return(
            staff=staff,
            application_id=application.pk,
            message="Tarkenna.",
            deadline=builders.db_now() + builders.timedelta(days=2),
        )
    )
    application.refresh_from_db()
    step(lambda: builders.submit(application, member))
    decision = step(lambda: builders.decide(application, staff, "1000"))
    report = step(
        lambda: services.report_submit(
            user=member, decision=decision, amount_used=Decimal("1000"), narrative="Retki"
        )
    )
    step(lambda: services.report_review(staff=staff, report_id=report.pk, outcome="accept"))
    assert [subject.split(":")[0] for subject in subjects] == [
        "Hakemus aloitettu",
        "Hakemus vastaanotettu",
        "Korjatkaa hakemustanne",
        "Korjaus vastaanotettu",
        "Päätös hakemukseenne",
        "Käyttöselvitys vastaanotettu",
        "Käyttöselvityksenne on käsitelty",
    ]


def test_a_refused_submission_sends_no_mail(member, org_a, django_capture_on_commit_callbacks):
    application = builders.make_application(
        user=member, organisation=org_a, round=builders.make_round(), complete=False
    )
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.GrantError),
    ):
        builders.submit(application, member)
    assert callbacks == []


def test_the_receipt_names_the_sender_the_version_and_the_finnish_time(
    member, org_a, django_capture_on_commit_callbacks
):
    application = builders.make_application(
        user=member, organisation=org_a, round=builders.make_round()
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = builders.submit(application, member)
    body = mail.outbox[-1].body
    assert "versio 1, lähettäjä Veikko Jäsen" in body
    assert f"/grants/applications/{application.pk}/" in body
    assert version.requested_amount == Decimal("1500.00")
    assert "1\xa0500,00\xa0€" in body

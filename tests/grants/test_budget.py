"""The decisions of a round and of each pot never exceed its budget, even all at once."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from grants import services
from grants.models import Decision
from tests.factories import add_member, make_organisation, make_user
from tests.grants import builders


def sent_applications(round, count, requested, slug="asukas-ja-kylayhdistykset"):
    applications = []
    for n in range(count):
        organisation = make_organisation(f"Budjettiyhdistys {round.pk}-{n} ry")
        user = make_user(f"hakija{round.pk}-{n}@example.com")
        add_member(user, organisation)
        application = builders.make_application(
            user=user, organisation=organisation, round=round, requested=requested, slug=slug
        )
        builders.submit(application, user)
        applications.append(application)
    return applications


def decide_in_thread(application, staff, amount):
    def run():
        return builders.decide(application, staff, amount)

    return run


@pytest.mark.django_db(transaction=True)
def test_staff_deciding_at_the_same_moment_never_exceed_the_round_budget(staff):
    round = builders.make_round(budget=Decimal("10000.00"), pots={})
    applications = sent_applications(round, 4, Decimal("4000.00"))
    results = builders.run_at_once(
        *[decide_in_thread(application, staff, "4000") for application in applications]
    )
    granted = [value for kind, value in results if kind == "ok"]
    refused = [value for kind, value in results if kind == "error"]
    assert len(granted) == 2, results
    assert all(isinstance(error, services.GrantError) for error in refused), refused
    total = Decision.objects.filter(round=round).aggregate(t=Sum("amount"))["t"]
    assert total == Decimal("8000.00")
    assert "budjettia on jäljellä vain 2\xa0000,00\xa0€" in refused[0].message


@pytest.mark.django_db(transaction=True)
def test_staff_deciding_at_the_same_moment_never_exceed_a_pot(staff):
    round = builders.make_round(
        budget=Decimal("100000.00"), pots={"asukas-ja-kylayhdistykset": Decimal("5000.00")}
    )
    applications = sent_applications(round, 2, Decimal("3000.00"))
    results = builders.run_at_once(
        *[decide_in_thread(application, staff, "3000") for application in applications]
    )
    assert sorted(kind for kind, _value in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert "määrärahaa on jäljellä vain 2\xa0000,00\xa0€" in error.message
    assert Decision.objects.filter(round=round).aggregate(t=Sum("amount"))["t"] == Decimal("3000")


@pytest.mark.django_db
def test_the_database_refuses_a_decision_over_budget_written_past_the_services(staff):
    round = builders.make_round(budget=Decimal("1000.00"), pots={})
    application = sent_applications(round, 1, Decimal("1500.00"))[0]
    version = application.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            application=application,
            version=version,
            round=round,
            group=version.group,
            organisation=application.organisation,
            requested_amount=version.requested_amount,
            amount=Decimal("1200.00"),
            decided_by=staff,
            decided_at=builders.db_now(),
        )


@pytest.mark.django_db
def test_a_decision_keeps_its_amount_and_only_its_publicity_can_change(staff):
    round = builders.make_round(budget=Decimal("5000.00"))
    application = sent_applications(round, 1, Decimal("1500.00"))[0]
    decision = builders.decide(application, staff, "1000")
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - any database refusal
        Decision.objects.filter(pk=decision.pk).update(amount=Decimal("1400.00"))
    services.decision_set_public(staff=staff, decision=decision, is_public=False)
    decision.refresh_from_db()
    assert decision.amount == Decimal("1000.00") and not decision.is_public


@pytest.mark.django_db
def test_a_grant_is_between_zero_and_the_amount_applied_for_and_a_rejection_has_a_reason(staff):
    round = builders.make_round(budget=Decimal("50000.00"))
    application = sent_applications(round, 1, Decimal("1500.00"))[0]
    with pytest.raises(services.GrantError):
        builders.decide(application, staff, "1500.01")
    with pytest.raises(services.GrantError, match="Kerro syy"):
        builders.decide(application, staff, "0")
    decision = builders.decide(application, staff, "0", reason="Toiminta ei ole kuopiolaista.")
    assert decision.is_rejection


@pytest.mark.django_db
def test_the_remaining_budget_is_read_live_for_the_staff_pages_and_the_admin(staff, client):
    round = builders.make_round(
        budget=Decimal("10000.00"), pots={"asukas-ja-kylayhdistykset": Decimal("4000.00")}
    )
    application = sent_applications(round, 1, Decimal("1500.00"))[0]
    client.force_login(staff)
    url = f"/grants/staff/rounds/{round.pk}/budget.json"
    assert client.get(url).json()["remaining"] == "10\xa0000,00\xa0€"
    builders.decide(application, staff, "1500")
    data = client.get(url).json()
    assert data["remaining"] == "8\xa0500,00\xa0€"
    assert next(iter(data["pots"].values()))["remaining"] == "2\xa0500,00\xa0€"
    admin_list = client.get("/admin/grants/round/").content.decode()
    assert "8\xa0500,00\xa0€" in admin_list
    change_form = client.get(f"/admin/grants/round/{round.pk}/change/").content.decode()
    assert f'data-budget-url="/grants/staff/rounds/{round.pk}/budget.json"' in change_form
    assert "grants/budget-live.js" in change_form

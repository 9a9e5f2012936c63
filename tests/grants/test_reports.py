"""Reports on use (käyttöselvitys): filed by the association, handled by staff; a missing or
rejected report blocks a new grant, and the unused amount is recorded for reclaim."""

from decimal import Decimal

import pytest
from django.core import mail

from grants import services
from grants.models import UseReport
from tests.grants import builders

pytestmark = pytest.mark.django_db
THIS_YEAR = 2027


def decided(user, organisation, staff, *, year, amount="1000"):
    round = builders.make_round(year=year, budget=Decimal("50000"))
    application = builders.make_application(
        user=user, organisation=organisation, round=round, requested=Decimal("1500")
    )
    builders.submit(application, user)
    builders.decide(application, staff, amount, reason="" if amount != "0" else "Ei tukikelpoinen")
    application.refresh_from_db()
    return application


@pytest.fixture
def last_year(member, org_a, staff):
    return decided(member, org_a, staff, year=THIS_YEAR - 1)


@pytest.fixture
def this_year(member, org_a):
    round = builders.make_round(year=THIS_YEAR, budget=Decimal("50000"))
    application = builders.make_application(user=member, organisation=org_a, round=round)
    builders.submit(application, member)
    return application


def report(application, user, used="800"):
    return services.report_submit(
        user=user,
        decision=application.decision,
        amount_used=Decimal(used),
        narrative="Pidimme 12 kahvilailtaa, joihin osallistui 240 asukasta.",
    )


def test_a_missing_report_blocks_a_new_grant_and_staff_see_why(last_year, this_year, staff, client):
    with pytest.raises(services.GrantError, match="käyttöselvitys puuttuu"):
        builders.decide(this_year, staff, "1000")
    client.force_login(staff)
    html = client.get(f"/grants/staff/applications/{this_year.pk}/").content.decode()
    assert "Käyttöselvitys estää uuden avustuksen" in html
    assert f"Vuoden {THIS_YEAR - 1} avustuksen" in html
    assert "käyttöselvitys puuttuu" in html


def test_a_rejection_can_still_be_decided_while_a_report_is_missing(last_year, this_year, staff):
    decision = builders.decide(this_year, staff, "0", reason="Käyttöselvitys puuttuu.")
    assert decision.amount == 0


def test_a_rejected_report_blocks_a_new_grant(last_year, this_year, member, staff):
    filed = report(last_year, member)
    services.report_review(
        staff=staff, report_id=filed.pk, outcome="reject", comment="Kuitit puuttuvat."
    )
    with pytest.raises(services.GrantError, match="käyttöselvitys hylättiin"):
        builders.decide(this_year, staff, "1000")


def test_an_unanswered_request_for_more_blocks_and_the_answer_lifts_the_block(
    last_year, this_year, member, staff
):
    filed = report(last_year, member)
    services.report_review(staff=staff, report_id=filed.pk, outcome="more", comment="Lisää kuitit.")
    with pytest.raises(services.GrantError, match="pyydettiin lisätietoja"):
        builders.decide(this_year, staff, "1000")
    report(last_year, member)  # the association answers: waiting for review again
    assert services.report_blocks(this_year.organisation, THIS_YEAR) == []
    assert builders.decide(this_year, staff, "1000").amount == Decimal("1000")


def test_an_accepted_report_records_the_unused_amount_for_reclaim(
    last_year, this_year, member, staff, django_capture_on_commit_callbacks
):
    filed = report(last_year, member, used="750")
    assert filed.unused_amount == Decimal("250.00")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_review(staff=staff, report_id=filed.pk, outcome="accept")
    assert list(UseReport.objects.to_reclaim()) == [filed]
    assert "Käyttämätön summa palautetaan: 250,00\xa0€" in mail.outbox[-1].body
    assert builders.decide(this_year, staff, "1000").amount == Decimal("1000")


def test_a_volunteer_files_the_report_on_use_through_the_page(
    last_year, member, client, django_capture_on_commit_callbacks
):
    client.force_login(member)
    url = f"/grants/applications/{last_year.pk}/report/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount_used": "-5", "narrative": "x"})
    assert "Summa ei voi olla negatiivinen." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "amount_used": "1000",
                "narrative": "Kaikki käytettiin kesäretkeen.",
                "file": builders.pdf("tilinpaatos.pdf"),
            },
        )
    assert response.status_code == 302
    filed = UseReport.objects.get()
    assert filed.unused_amount == 0 and filed.attachments.count() == 1
    assert "Käyttöselvitys vastaanotettu" in mail.outbox[-1].subject


def test_staff_handle_the_report_on_its_page(last_year, member, staff, client):
    filed = report(last_year, member)
    client.force_login(staff)
    url = f"/grants/staff/reports/{filed.pk}/"
    response = client.post(url, {"outcome": "more"})
    assert response.status_code == 400, "asking for more needs a comment"
    response = client.post(url, {"outcome": "more", "comment": "Lisää kuitit."})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == UseReport.Status.MORE_REQUESTED
    assert "lisätietoja pyydetty" in client.get("/grants/staff/reports/").content.decode()


def test_no_report_is_asked_for_a_rejection(member, org_a, staff, client):
    rejected = decided(member, org_a, staff, year=THIS_YEAR - 1, amount="0")
    client.force_login(member)
    assert client.get(f"/grants/applications/{rejected.pk}/report/").status_code == 404
    assert services.report_blocks(org_a, THIS_YEAR) == []

"""Scoring per criterion, conflicts of interest, returning for correction, deciding."""

from decimal import Decimal

import pytest

from directory.models import Membership
from grants import services
from grants.models import Review
from tests import factories
from tests.grants import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(member, org_a):
    application = builders.make_application(
        user=member, organisation=org_a, round=builders.make_round(budget=Decimal("50000"))
    )
    builders.submit(application, member)
    application.refresh_from_db()
    return application


@pytest.fixture
def colleague(db):
    """A second grants officer with MFA, who happens to sit on association A's board."""
    user = factories.make_user(
        "toinen.virkailija@example.com", name="Ville Virkailija", is_staff=True
    )
    factories.enable_totp(user)
    return user


def scores_for(application, score=4):
    return dict.fromkeys(application.round.criteria.all(), (score, "Selkeä suunnitelma."))


def test_staff_score_each_criterion_with_a_comment(sent, staff, client):
    client.force_login(staff)
    criteria = list(sent.round.criteria.all())
    data = {}
    for criterion in criteria:
        data[f"score_{criterion.pk}"] = "4"
        data[f"comment_{criterion.pk}"] = "Hyvä"
    response = client.post(f"/grants/staff/applications/{sent.pk}/scores/", data)
    assert response.status_code == 302
    assert Review.objects.filter(application=sent, reviewer=staff).count() == len(criteria)
    html = client.get(f"/grants/staff/applications/{sent.pk}/").content.decode()
    assert "4 / 5" in html


def test_a_score_outside_the_scale_is_refused(sent, staff, client):
    client.force_login(staff)
    criterion = sent.round.criteria.first()
    response = client.post(
        f"/grants/staff/applications/{sent.pk}/scores/", {f"score_{criterion.pk}": "9"}
    )
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_a_staff_member_of_the_applicant_cannot_see_scores_score_or_decide(
    sent, staff, colleague, client
):
    services.review_save(staff=staff, application=sent, scores=scores_for(sent, 5))
    Membership.objects.create(user=colleague, organisation=sent.organisation, role="editor")
    client.force_login(colleague)
    html = client.get(f"/grants/staff/applications/{sent.pk}/").content.decode()
    assert "Olet esteellinen tähän hakemukseen." in html
    assert "yhteisöjääviys" in html
    assert "5 / 5" not in html, "no scores for the disqualified"
    assert f"/grants/staff/applications/{sent.pk}/decide/" not in html
    with pytest.raises(services.GrantError, match="esteellinen"):
        services.review_save(staff=colleague, application=sent, scores=scores_for(sent))
    with pytest.raises(services.GrantError, match="esteellinen"):
        builders.decide(sent, colleague, "1000")
    version = sent.versions.get()
    response = client.post(
        f"/grants/staff/applications/{sent.pk}/decide/",
        {"version": version.pk, "amount": "1000", "is_public": "on"},
    )
    assert response.status_code == 409
    assert not hasattr(sent, "decision") or sent.decision is None
    round_page = client.get(f"/grants/staff/rounds/{sent.round_id}/").content.decode()
    assert "olet esteellinen" in round_page


def test_a_declared_conflict_hides_scores_and_the_decision_lists_the_disqualified(
    sent, staff, colleague, client
):
    services.review_save(staff=staff, application=sent, scores=scores_for(sent, 3))
    client.force_login(colleague)
    response = client.post(
        f"/grants/staff/applications/{sent.pk}/conflict/",
        {"reason": "Puoliso yhdistyksen hallituksessa"},
    )
    assert response.status_code == 302
    html = client.get(f"/grants/staff/applications/{sent.pk}/").content.decode()
    assert "Puoliso yhdistyksen hallituksessa" in html
    assert "3 / 5" not in html
    with pytest.raises(services.GrantError):
        builders.decide(sent, colleague, "1000")

    decision = builders.decide(sent, staff, "1000")
    assert decision.disqualified == [
        {
            "name": "Ville Virkailija",
            "kind": "declared",
            "reason": "Puoliso yhdistyksen hallituksessa",
        }
    ]
    client.force_login(staff)
    html = client.get(f"/grants/staff/applications/{sent.pk}/").content.decode()
    assert "Ville Virkailija (Puoliso yhdistyksen hallituksessa)" in html


def test_staff_who_are_members_are_listed_as_disqualified_in_the_decision(sent, staff, colleague):
    Membership.objects.create(user=colleague, organisation=sent.organisation, role="admin")
    decision = builders.decide(sent, staff, "1200")
    assert decision.disqualified == [{"name": "Ville Virkailija", "kind": "member", "reason": ""}]


def test_a_decision_refers_to_the_exact_version_and_a_newer_one_must_be_read_first(
    sent, member, staff, django_capture_on_commit_callbacks
):
    first = sent.versions.get()
    services.application_return(
        staff=staff,
        application_id=sent.pk,
        message="Tarkenna kohderyhmä.",
        deadline=builders.db_now() + builders.timedelta(days=3),
    )
    sent.refresh_from_db()
    second = builders.submit(sent, member)
    with pytest.raises(services.GrantError, match="uudempi versio"):
        services.decision_make(
            staff=staff, application_id=sent.pk, version_id=first.pk, amount=Decimal("100")
        )
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_make(
            staff=staff, application_id=sent.pk, version_id=second.pk, amount=Decimal("100")
        )
    assert decision.version == second
    from django.core import mail

    assert "Päätös hakemukseenne" in mail.outbox[-1].subject
    assert member.email in mail.outbox[-1].to


def test_returning_for_correction_needs_a_future_deadline_and_emails_the_association(
    sent, staff, member, client, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = f"/grants/staff/applications/{sent.pk}/return/"
    response = client.post(url, {"message": "Liitä tilinpäätös.", "deadline": "2000-01-01T12:00"})
    assert response.status_code == 400
    assert "Määräajan täytyy olla tulevaisuudessa" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"message": "Liitä tilinpäätös.", "deadline": "2099-12-01T12:00"}
        )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == "returned"
    from django.core import mail

    assert "Korjatkaa hakemustanne" in mail.outbox[-1].subject
    assert "Liitä tilinpäätös." in mail.outbox[-1].body

    client.force_login(member)
    html = client.get(f"/grants/applications/{sent.pk}/").content.decode()
    assert "Kaupunki pyytää korjaamaan hakemusta" in html
    assert "1. joulukuuta 2099 kello 12.00" in html


def test_staff_decide_through_the_page_and_the_applicant_sees_the_decision(
    sent, staff, member, client
):
    client.force_login(staff)
    version = sent.versions.get()
    response = client.post(
        f"/grants/staff/applications/{sent.pk}/decide/",
        {"version": version.pk, "amount": "1 200", "is_public": "on"},
    )
    assert response.status_code == 302
    client.force_login(member)
    html = client.get(f"/grants/applications/{sent.pk}/").content.decode()
    assert "Myönnetty: 1\xa0200,00\xa0€" in html
    assert "Tee käyttöselvitys" in html


def test_staff_without_two_step_verification_cannot_open_the_staff_pages(
    sent, staff_without_mfa, client
):
    client.force_login(staff_without_mfa)
    response = client.get(f"/grants/staff/applications/{sent.pk}/")
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"] == "/accounts/2fa/totp/activate/", "sent to set up MFA"
    assert (
        client.post(f"/grants/staff/applications/{sent.pk}/decide/", {"amount": "1"}).status_code
        == 302
    )
    assert not hasattr(sent, "decision")

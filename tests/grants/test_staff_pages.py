"""Staff pages and the admin: lists with bounded queries, free space use from spaces."""

import sys
import types
from decimal import Decimal

import pytest

from grants import integrations
from tests import factories
from tests.grants import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_with_applications(staff):
    round = builders.make_round(budget=Decimal("100000"), year=2026)
    applications = []
    for n in range(5):
        organisation = factories.make_organisation(f"Listayhdistys {n} ry")
        user = factories.make_user(f"lista{n}@example.com")
        factories.add_member(user, organisation)
        application = builders.make_application(user=user, organisation=organisation, round=round)
        builders.submit(application, user)
        applications.append(application)
    builders.decide(applications[0], staff, "1000")
    return round


def test_the_staff_round_page_lists_applications_in_a_fixed_number_of_queries(
    client, staff, round_with_applications, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        response = client.get(f"/grants/staff/rounds/{round_with_applications.pk}/")
    assert response.content.decode().count("Listayhdistys") == 5
    with django_assert_max_num_queries(5):
        assert client.get("/grants/staff/").status_code == 200


def test_public_and_applicant_lists_use_a_fixed_number_of_queries(
    client, round_with_applications, member, org_a, django_assert_max_num_queries
):
    for n in range(3):
        builders.make_round(name=f"Lisähaku {n}")
    builders.make_application(user=member, organisation=org_a, round=round_with_applications)
    with django_assert_max_num_queries(6):
        assert client.get("/grants/").status_code == 200
    client.force_login(member)
    with django_assert_max_num_queries(9):
        assert client.get("/grants/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/grants/applications/").status_code == 200


def test_the_review_page_shows_the_value_of_free_space_use_when_spaces_reports_it(
    client, staff, round_with_applications, monkeypatch
):
    application = round_with_applications.applications.exclude(state="decided").first()
    fake = types.ModuleType("spaces.reports")
    fake.free_use_value = lambda organisation, year: Decimal("1234.50")
    fake.__spec__ = types.SimpleNamespace(name="spaces.reports")
    monkeypatch.setitem(sys.modules, "spaces.reports", fake)
    monkeypatch.setattr(
        integrations.importlib.util, "find_spec", lambda name: fake.__spec__ if name else None
    )
    client.force_login(staff)
    html = client.get(f"/grants/staff/applications/{application.pk}/").content.decode()
    assert "Kaupungin tilojen maksuton käyttö vuonna 2025" in html
    assert "1\xa0234,50\xa0€" in html


def test_the_review_page_works_without_the_spaces_module(
    client, staff, round_with_applications, monkeypatch
):
    application = round_with_applications.applications.exclude(state="decided").first()
    monkeypatch.setattr(integrations.importlib.util, "find_spec", lambda name: None)
    client.force_login(staff)
    response = client.get(f"/grants/staff/applications/{application.pk}/")
    assert response.status_code == 200
    assert "tilojen maksuton käyttö" not in response.content.decode()
    assert integrations.free_space_use_value(application.organisation, 2025) is None


def test_the_admin_lists_rounds_applications_decisions_and_reports(
    client, staff, round_with_applications
):
    client.force_login(staff)
    for path in (
        "/admin/grants/round/",
        f"/admin/grants/round/{round_with_applications.pk}/change/",
        "/admin/grants/application/",
        "/admin/grants/decision/",
        "/admin/grants/usereport/?reclaim=open",
        "/admin/grants/applicationversion/",
        "/admin/grants/applicantgroup/",
        "/admin/grants/round/add/",
    ):
        assert client.get(path).status_code == 200, path


def test_the_round_admin_refuses_a_budget_below_what_is_decided(
    client, staff, round_with_applications
):
    client.force_login(staff)
    round = round_with_applications
    response = client.post(
        f"/admin/grants/round/{round.pk}/change/",
        {
            "name": round.name,
            "slug": round.slug,
            "kind": round.kind,
            "year": round.year,
            "is_published": "on",
            "opens_at": "2026-11-01T08:00",
            "closes_at": "2026-11-29T15:30",
            "budget": "500",
            "required_attachments": ["action_plan"],
            "pots-TOTAL_FORMS": "0",
            "pots-INITIAL_FORMS": "0",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Päätöksiä on jo tehty 1\xa0000,00\xa0€ edestä" in response.content.decode()

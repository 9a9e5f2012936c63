"""An association member applies through the pages: start, draft, attach, send, follow."""

from decimal import Decimal

import pytest
from django.core import mail

from grants.models import Application, ApplicationVersion, BudgetLine
from tests.grants import builders

pytestmark = pytest.mark.django_db


def test_the_grants_page_lists_open_and_coming_rounds_with_a_local_deadline(client):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    closes = datetime(2099, 11, 29, 15, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
    builders.make_round(name="Yleisavustukset 2100", closes_at=closes, year=2100)
    builders.make_round(
        name="Tulevat avustukset",
        opens_at=closes - timedelta(days=1),
        closes_at=closes,
    )
    html = client.get("/grants/").content.decode()
    assert "Yleisavustukset 2100" in html
    assert "29. marraskuuta 2099 kello 15.30" in html
    assert "jäljellä" in html, "a countdown text without JavaScript"
    assert "Tulevat avustukset" in html


def test_a_volunteer_starts_saves_attaches_and_sends_an_application(
    client, member, org_a, django_capture_on_commit_callbacks
):
    round = builders.make_round()
    client.force_login(member)
    response = client.post(
        f"/grants/rounds/{round.slug}/apply/",
        {"organisation": org_a.pk, "group": builders.group().pk},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/grants/applications/{application.pk}/edit/"

    response = client.get(f"/grants/applications/{application.pk}/edit/")
    assert response.status_code == 200
    response = client.post(
        f"/grants/applications/{application.pk}/edit/",
        {
            "group": builders.group().pk,
            "purpose": "Kesäretki ikäihmisille",
            "requested_amount": "1 200,50",
            "income-TOTAL_FORMS": "2",
            "income-INITIAL_FORMS": "0",
            "income-0-description": "Omavastuut",
            "income-0-amount": "100",
            "income-1-description": "",
            "income-1-amount": "",
            "expense-TOTAL_FORMS": "2",
            "expense-INITIAL_FORMS": "0",
            "expense-0-description": "Bussi",
            "expense-0-amount": "1300,50",
            "expense-1-description": "",
            "expense-1-amount": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    application.refresh_from_db()
    assert application.requested_amount == Decimal("1200.50")
    assert application.budget_lines.filter(kind=BudgetLine.Kind.EXPENSE).count() == 1

    detail = client.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "Liitä: toimintasuunnitelma" in detail

    response = client.post(
        f"/grants/applications/{application.pk}/attachments/",
        {"kind": "action_plan", "file": builders.pdf()},
    )
    assert response.status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/grants/applications/{application.pk}/submit/", {"versions_seen": "0"}, follow=True
        )
    html = response.content.decode()
    assert "Hakemus lähetettiin" in html
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    assert len(mail.outbox) == 1
    assert member.email in mail.outbox[0].to

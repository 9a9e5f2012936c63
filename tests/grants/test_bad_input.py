"""Bad input gets a clear Finnish message and nothing half-written; never a 500."""

from decimal import Decimal

import pytest

from grants import services
from grants.models import Application, BudgetLine
from tests.grants import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(member, org_a):
    return builders.make_application(
        user=member, organisation=org_a, round=builders.make_round(), complete=False
    )


def edit(client, application, requested="1000", expenses=(("Vuokra", "1000"),), income=()):
    data = {
        "group": builders.group().pk,
        "purpose": "Kahvila",
        "requested_amount": requested,
        "income-TOTAL_FORMS": str(len(income)),
        "income-INITIAL_FORMS": "0",
        "expense-TOTAL_FORMS": str(len(expenses)),
        "expense-INITIAL_FORMS": "0",
    }
    for prefix, lines in (("income", income), ("expense", expenses)):
        for n, (description, amount) in enumerate(lines):
            data[f"{prefix}-{n}-description"] = description
            data[f"{prefix}-{n}-amount"] = amount
    return client.post(f"/grants/applications/{application.pk}/edit/", data)


@pytest.mark.parametrize(
    ("requested", "message"),
    [
        ("-100", "Summa ei voi olla negatiivinen."),
        ("tuhat euroa", "Kirjoita summa euroina numeroilla"),
        ("1.000,50", "Kirjoita summa euroina numeroilla"),
        ("NaN", "Kirjoita summa euroina numeroilla"),
        ("1e5", "Kirjoita summa euroina numeroilla"),
        ("100,555", "2 desimaali"),
        ("99999999999999", "12"),
    ],
)
def test_a_negative_or_non_numeric_amount_is_refused_with_a_clear_message(
    draft, member, client, requested, message
):
    client.force_login(member)
    response = edit(client, draft, requested=requested)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    draft.refresh_from_db()
    assert draft.requested_amount == 0, "nothing was saved"


def test_a_negative_budget_line_is_refused_and_nothing_is_saved(draft, member, client):
    client.force_login(member)
    response = edit(client, draft, expenses=(("Vuokra", "500"), ("Hyvitys", "-200")))
    assert "Summa ei voi olla negatiivinen." in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_a_budget_line_needs_both_a_description_and_an_amount(draft, member, client):
    client.force_login(member)
    html = edit(client, draft, expenses=(("", "500"), ("Vuokra", ""))).content.decode()
    assert "Kerro, mistä tämä summa on." in html
    assert "Kirjoita tämän rivin summa." in html


def test_finnish_style_amounts_are_understood(draft, member, client):
    client.force_login(member)
    edit(client, draft, requested="1 234,50 €", expenses=(("Vuokra", "1\u00a0234,50"),))
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("1234.50")


def test_a_budget_that_does_not_add_up_cannot_be_sent_and_says_why(draft, member, client):
    client.force_login(member)
    edit(
        client,
        draft,
        requested="2000",
        expenses=(("Vuokra", "1500"),),
        income=(("Osallistumismaksut", "300"),),
    )
    builders.services.attachment_add(
        user=member,
        application_id=draft.pk,
        kind="action_plan",
        upload=builders.pdf(),
        file_type=builders.file_type(builders.pdf()),
    )
    response = client.post(
        f"/grants/applications/{draft.pk}/submit/", {"versions_seen": "0"}, follow=True
    )
    html = response.content.decode()
    assert "Hakemusta ei voi vielä lähettää." in html
    assert (
        "Talousarvio ei täsmää: menot 1\xa0500,00\xa0€ miinus muut tulot 300,00\xa0€ on "
        "1\xa0200,00\xa0€, mutta haette 2\xa0000,00\xa0€." in html
    )
    assert draft.versions.count() == 0


def test_an_empty_application_lists_everything_that_is_missing(draft, member):
    with pytest.raises(services.GrantError) as refusal:
        builders.submit(draft, member)
    problems = " ".join(refusal.value.problems)
    for text in (
        "Kerro, mihin avustusta haetaan.",
        "Kirjoita haettava summa.",
        "Lisää talousarvioon vähintään yksi meno.",
        "Liitä: toimintasuunnitelma.",
    ):
        assert text in problems


def test_a_tampered_submit_form_gives_a_message_not_an_error(draft, member, client):
    client.force_login(member)
    response = client.post(
        f"/grants/applications/{draft.pk}/submit/", {"versions_seen": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "Lataa sivu uudelleen" in response.content.decode()


def test_a_group_outside_the_round_is_refused(draft, member, client):
    client.force_login(member)
    response = client.post(
        f"/grants/applications/{draft.pk}/edit/",
        {
            "group": builders.group("taiteilijat").pk,
            "income-TOTAL_FORMS": "0",
            "income-INITIAL_FORMS": "0",
            "expense-TOTAL_FORMS": "0",
            "expense-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert Application.objects.get().group.slug == "asukas-ja-kylayhdistykset"


def test_an_association_cannot_start_a_second_application_in_the_same_round(
    draft, member, org_a, client
):
    client.force_login(member)
    response = client.post(
        f"/grants/rounds/{draft.round.slug}/apply/",
        {"organisation": org_a.pk, "group": builders.group().pk},
        follow=True,
    )
    assert "Yhdistykselläsi on jo hakemus tässä haussa." in response.content.decode()
    assert Application.objects.count() == 1


def test_a_volunteer_cannot_apply_for_another_association(member, org_b, client):
    round = builders.make_round()
    client.force_login(member)
    response = client.post(
        f"/grants/rounds/{round.slug}/apply/",
        {"organisation": org_b.pk, "group": builders.group().pk},
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_an_unverified_association_cannot_apply(resident, client):
    from tests import factories

    pending = factories.make_organisation("Odottava yhdistys ry", status="pending")
    factories.add_member(resident, pending)
    round = builders.make_round()
    with pytest.raises(services.GrantError, match="vahvistetulle"):
        services.application_start(
            user=resident, round=round, organisation=pending, group=builders.group()
        )

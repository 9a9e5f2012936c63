"""A volunteer applies for a grant in the browser and staff decide on it, under the strict CSP.

axe (WCAG 2.1 A/AA) runs on every applicant page and on the public decisions page.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import Application, Decision
from tests.browser.conftest import assert_accessible, assert_no_csp_violations, login
from tests.factories import current_totp_code
from tests.grants import builders


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def staff_login(page, user):
    login(page, user)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    code = current_totp_code(user.totp_secret)
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(lambda url: "/2fa/" not in url)


def sign_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Kirjaudu ulos").click()
    assert page.get_by_role("button", name="Kirjaudu ulos").count() == 0


def checked(page):
    assert_no_csp_violations(page)
    assert_accessible(page)


def test_a_volunteer_applies_and_staff_decide_and_the_decision_is_public(
    page, member, org_a, staff, tmp_path
):
    year = timezone.localdate().year + 1
    round = builders.make_round(
        name=f"Yleisavustukset {year}", year=year, budget=Decimal("20000"), pots=None
    )

    # The volunteer finds the round and starts an application.
    login(page, member)
    page.goto("/grants/")
    checked(page)
    page.get_by_role("link", name=round.name).click()
    checked(page)
    page.get_by_role("link", name="Aloita hakemus").click()
    checked(page)
    page.get_by_label("Hakijaryhmä").select_option(label="Asukas- ja kyläyhdistykset")
    page.get_by_role("button", name="Aloita").click()

    # The draft: a typo in the amount first, then the right one.
    page.wait_for_url("**/edit/")
    page.get_by_label("Mihin avustusta haetaan?").fill("Asukastuvan kahvilaillat ja kesäjuhla.")
    page.get_by_label("Menot, rivi 1: selite").fill("Tilavuokra")
    page.get_by_label("Menot, rivi 1: summa euroina").fill("1 600")
    page.get_by_label("Muut tulot, rivi 1: selite").fill("Osallistumismaksut")
    page.get_by_label("Muut tulot, rivi 1: summa euroina").fill("100")
    page.get_by_label("Haettava summa (euroa)").fill("tuhat")
    page.get_by_role("button", name="Tallenna luonnos").click()
    assert page.get_by_role("alert").is_visible()
    assert page.locator('[aria-invalid="true"]').count() == 1
    checked(page)
    page.get_by_label("Haettava summa (euroa)").fill("1 500")
    page.get_by_role("button", name="Tallenna luonnos").click()
    page.wait_for_url("**/applications/*/")
    assert page.get_by_text("Liitä: toimintasuunnitelma.").is_visible()
    checked(page)

    # The attachment, then send.
    plan = tmp_path / "toimintasuunnitelma.pdf"
    plan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("Liite:", exact=True).select_option("action_plan")
    page.get_by_label("Tiedosto").set_input_files(str(plan))
    page.get_by_role("button", name="Lisää liite").click()
    assert page.get_by_text("Liite lisättiin.").is_visible()
    page.get_by_role("button", name="Lähetä hakemus").click()
    assert page.get_by_text("Hakemus lähetettiin (versio 1)").is_visible()
    checked(page)
    application = Application.objects.get()
    assert application.state == "submitted"

    # Staff decide in their review page (behind the admin permission with MFA).
    sign_out(page)
    staff_login(page, staff)
    page.goto(f"/grants/staff/rounds/{round.pk}/")
    assert_no_csp_violations(page)
    page.get_by_role("link", name=org_a.name).click()
    checked(page)
    page.get_by_label("Myönnetty summa (euroa)").fill("1 200")
    page.get_by_role("button", name="Päätä versiosta 1").click()
    assert page.get_by_text("Päätös kirjattiin.").is_visible()
    assert_no_csp_violations(page)
    decision = Decision.objects.get()
    assert decision.amount == Decimal("1200.00")
    assert decision.version == application.versions.get()

    # Everyone sees the public list; the chart and tables pass axe.
    sign_out(page)
    page.goto(f"/grants/decisions/{year}/")
    assert page.get_by_role(
        "img", name=f"Myönnetyt avustukset {year} hakijaryhmittäin"
    ).is_visible()
    assert page.get_by_role("cell", name="1\xa0200,00\xa0€").first.is_visible()
    checked(page)

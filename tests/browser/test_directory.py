"""A new volunteer signs up and registers an association, city staff verify it, and a resident
finds it in the search, all in the browser under the strict CSP, with axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import Organisation
from tests.browser.conftest import CSPWatcher, assert_accessible, assert_no_csp_violations, login
from tests.factories import current_totp_code


@pytest.fixture(autouse=True)
def taxonomy_terms(transactional_db):
    """Live-server tests flush the database afterwards; the terms come back for each test."""
    from django.apps import apps

    from directory import taxonomy_data
    from directory.models import FieldOfActivity

    if not FieldOfActivity.objects.exists():
        taxonomy_data.load(apps)
    # allauth's rate limits live in the database cache, which a flush does not empty.
    from django.core.cache import cache

    cache.clear()


def new_page(browser, live_server):
    page = browser.new_context(base_url=live_server.url, locale="fi-FI").new_page()
    page.set_default_timeout(10_000)
    page.csp = CSPWatcher(page)
    return page


def checked(page):
    assert_no_csp_violations(page)
    assert_accessible(page)


def test_a_new_volunteer_registers_staff_verify_and_residents_find_it(
    page, browser, live_server, staff, mailoutbox
):
    # Sign up and register in one form.
    page.goto("/organisations/register/")
    expect(page.get_by_role("heading", level=1, name="Ilmoita yhdistys")).to_be_visible()
    checked(page)
    page.get_by_label("Nimesi").fill("Ville Vapaaehtoinen")
    page.locator("#id_account-email").fill("ville@example.com")
    page.locator("#id_account-password1").fill("Kallavesi-kesä-2026")
    page.locator("#id_account-password2").fill("Kallavesi-kesä-2026")
    page.get_by_label("Yhdistyksen nimi").fill("Petosen Perhekerho ry")
    page.get_by_label("Lyhyesti").fill("Perhekerho ja vertaistukea lapsiperheille.")
    page.get_by_label("Sosiaali- ja terveys").check()
    page.get_by_label("Lapsiperheet").check()
    page.get_by_label("Petonen (Kuopio)").check()
    page.get_by_label("suomi", exact=True).check()
    page.get_by_label("Y-tunnus").fill("2077474-1")  # a typo in the check digit
    page.get_by_role("button", name="Ilmoita", exact=True).click()
    expect(page.locator("#id_business_id_error")).to_be_visible()
    checked(page)  # the form with an error tied to its field
    page.get_by_label("Y-tunnus").fill("FI20774740")
    page.locator("#id_account-password1").fill("Kallavesi-kesä-2026")
    page.locator("#id_account-password2").fill("Kallavesi-kesä-2026")
    page.get_by_role("button", name="Ilmoita", exact=True).click()
    page.wait_for_url("**/accounts/confirm-email/")

    # Verify the email address with the link from the message.
    message = next(m for m in mailoutbox if m.to == ["ville@example.com"])
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Vahvista").click()
    organisation = Organisation.objects.get(name="Petosen Perhekerho ry")
    page.wait_for_url(f"**{organisation.get_absolute_url()}")
    expect(page.get_by_text("Odottaa vahvistusta.")).to_be_visible()
    assert organisation.business_id == "2077474-0"
    checked(page)  # the registrant sees the draft

    # Not yet public.
    anonymous = new_page(browser, live_server)
    response = anonymous.goto(organisation.get_absolute_url())
    assert response.status == 404

    # City staff verify it in the admin, after two-step sign-in.
    staff_page = new_page(browser, live_server)
    login(staff_page, staff)
    staff_page.wait_for_url("**/accounts/2fa/authenticate/")
    code = current_totp_code(staff.totp_secret)
    staff_page.locator("input[name=code]").fill(code)
    staff_page.get_by_role("button", name="Kirjaudu sisään").click()
    staff_page.wait_for_url(lambda url: "/2fa/" not in url)
    staff_page.goto("/admin/directory/pendingorganisation/")
    staff_page.locator(f'input[name="_selected_action"][value="{organisation.pk}"]').check()
    staff_page.locator('select[name="action"]').select_option("verify")
    staff_page.locator('button[name="index"]').click()
    expect(staff_page.get_by_text("1 yhdistys vahvistettu ja nyt julkinen.")).to_be_visible()
    organisation.refresh_from_db()
    assert organisation.status == "verified" and organisation.verified_by == staff

    # A resident finds it with an inflected word and a filter, and opens its page.
    anonymous.goto("/organisations/")
    checked(anonymous)
    anonymous.get_by_label("Hakusanat").fill("perhekerhoon")
    anonymous.get_by_label("Alue", exact=True).select_option(label="Petonen (Kuopio)")
    anonymous.get_by_role("button", name="Hae").click()
    expect(anonymous.get_by_role("heading", level=2, name="1 yhdistys")).to_be_visible()
    checked(anonymous)
    anonymous.get_by_role("link", name="Petosen Perhekerho ry").click()
    expect(anonymous.get_by_role("heading", level=1, name="Petosen Perhekerho ry")).to_be_visible()
    expect(anonymous.get_by_text(re.compile(r"Tiedot tarkistettu \d+\.\d+\.\d{4}"))).to_be_visible()
    json_ld = anonymous.locator('script[type="application/ld+json"]').text_content()
    assert '"@type": "Organization"' in json_ld
    checked(anonymous)


def test_the_list_and_a_page_work_on_a_phone_and_the_members_page_passes_axe(
    page, org_a, org_admin, member
):
    from directory import services

    services.organisation_index(organisation=org_a)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/organisations/?q=testiyhdistys")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.get_by_role("link", name=org_a.name)).to_be_visible()
    login(page, org_admin)
    page.goto(f"/organisations/{org_a.slug}/members/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jäsenet")
    checked(page)
    page.goto(f"/organisations/{org_a.slug}/edit/")
    checked(page)
    page.goto(f"/organisations/{org_a.slug}/contacts/")
    checked(page)
    page.goto("/volunteering/")
    checked(page)

"""A volunteer books a space in a real browser, and city staff approve it in the admin."""

import time

import time_machine
from playwright.sync_api import expect

from spaces.models import Booking
from tests.browser.conftest import assert_accessible, assert_no_csp_violations, login
from tests.factories import current_totp_code
from tests.spaces.conftest import make_space, make_venue, next_weekday


def sign_in(page, user):
    login(page, user)
    page.get_by_text("Kirjautuneena").wait_for()


def totp_code(secret: str) -> str:
    with time_machine.travel(time.time(), tick=False):
        return current_totp_code(secret)


def test_a_volunteer_books_a_space_and_staff_approve_it(page, member, org_a, staff):
    venue = make_venue("Alavan palvelutalo", "alavan-palvelutalo", is_step_free=True)
    make_space(venue, "Kokoussali", "kokoussali", capacity=150, requires_approval=True)
    day = next_weekday(1)

    page.goto("/spaces/")
    expect(page.get_by_role("heading", level=1, name="Tilat")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Kokoussali").click()
    expect(page.get_by_role("heading", level=2, name="Esteettömyys")).to_be_visible()
    assert_accessible(page)

    sign_in(page, member)
    page.goto("/spaces/kokoussali/")
    assert_accessible(page)  # the space page with the booking form
    page.get_by_label("Päivä", exact=True).fill(day.isoformat())
    page.get_by_label("Alkaa").fill("10:00")
    page.get_by_label("Päättyy").fill("09:00")
    page.get_by_label("Käyttötarkoitus").fill("Hallituksen kokous")
    page.get_by_label("Henkilömäärä").fill("12")
    page.get_by_role("button", name="Varaa", exact=True).click()
    expect(page.get_by_text("Loppuajan pitää olla alkuajan jälkeen.")).to_be_visible()
    assert_accessible(page)  # the booking page with an error on it
    page.get_by_label("Päättyy").fill("12:00")
    page.get_by_role("button", name="Varaa", exact=True).click()
    expect(page.get_by_text("Kiitos! Henkilökunta vahvistaa varauksen pian.")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.status == "requested" and booking.booked_by == member
    assert_accessible(page)
    assert_no_csp_violations(page)

    page.get_by_role("button", name="Kirjaudu ulos").click()
    login(page, staff)
    page.locator('input[name="code"]').fill(totp_code(staff.totp_secret))
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_text("Kirjautuneena").wait_for()
    page.goto("/admin/spaces/booking/?status__exact=requested")
    page.locator(f'input[name="_selected_action"][value="{booking.pk}"]').check()
    page.locator('select[name="action"]').select_option("approve")
    page.locator('button[name="index"]').click()
    expect(page.get_by_text("1 varaus vahvistettu.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.decided_by == staff


def test_the_booking_page_and_week_navigation_work_and_pass_axe(page, member, org_a):
    venue = make_venue("Nilsiän Manttu", "nilsian-manttu")
    make_space(venue, "Bänditila 1", "banditila-1", capacity=8)
    sign_in(page, member)
    page.goto("/spaces/banditila-1/book/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    heading = page.locator("#week-heading")
    before = heading.inner_text()
    page.get_by_role("link", name="Seuraava viikko").click()
    expect(heading).not_to_have_text(before)
    assert "week=" in page.url
    expect(page.get_by_role("link", name="Edellinen viikko")).to_be_visible()
    assert_no_csp_violations(page)

"""The strict Content-Security-Policy breaks nothing: the main pages and the admin load in a real
browser without a single CSP violation in the console."""

import time
from datetime import timedelta
from decimal import Decimal

import time_machine
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from tests.browser.conftest import assert_no_csp_violations, login
from tests.factories import current_totp_code


def totp_code(secret: str) -> str:
    with time_machine.travel(time.time(), tick=False):
        return current_totp_code(secret)


def _objects(member, org_a, staff):
    """One of each kind of page: an event, a space with a booking, a grant round, a meeting."""
    from events import services as event_services
    from events.models import Event
    from spaces.models import Booking
    from tests.forums.conftest import make_forum, make_meeting
    from tests.grants import builders
    from tests.spaces.conftest import local, make_space, make_venue, next_weekday

    start = timezone.now() + timedelta(days=9)
    event = event_services.event_create(
        by=member, organisers=[org_a], title="Selainkonsertti", starts_at=start,
        ends_at=start + timedelta(hours=2), status=Event.Status.PUBLISHED,
        place_name="Asukastupa",
    )  # fmt: skip
    space = make_space(make_venue("Selaintalo", "selaintalo"), "Selainsali", "selainsali")
    day = next_weekday(1)
    booking = Booking.objects.create(
        space=space,
        organisation=org_a,
        booked_by=member,
        purpose="Kuoro",
        expected_attendees=9,
        status="confirmed",
        is_public=True,
        during=DateTimeTZRange(local(day, 18), local(day, 20), "[)"),
    )
    grant_round = builders.make_round(budget=Decimal("5000"))
    meeting = make_meeting(make_forum("selainfoorumi", "Selainfoorumi"), "syksy")
    return {
        "public": [
            "/",
            "/organisations/",
            f"/organisations/{org_a.slug}/",
            "/spaces/",
            f"/spaces/{space.slug}/",
            "/events/",
            "/events/month/",
            f"/events/{event.pk}/",
            "/grants/",
            f"/grants/rounds/{grant_round.slug}/",
            "/forums/",
            f"/forums/{meeting.forum.slug}/{meeting.slug}/",
            "/forums/ideas/",
        ],
        "admin": [
            "/admin/",
            "/admin/directory/organisation/",
            f"/admin/directory/organisation/{org_a.pk}/change/",
            "/admin/spaces/booking/",
            f"/admin/spaces/booking/{booking.pk}/change/",
            f"/admin/spaces/booking/{booking.pk}/history/",
            f"/admin/events/event/{event.pk}/change/",
            f"/admin/grants/round/{grant_round.pk}/change/",
            f"/admin/forums/meeting/{meeting.pk}/change/",
            "/admin/forums/meeting/add/",
        ],
    }


def test_main_pages_and_the_admin_load_without_csp_violations(page, member, org_a, staff):
    urls = _objects(member, org_a, staff)
    for path in urls["public"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_no_csp_violations(page)

    login(page, staff)
    page.locator('input[name="code"]').fill(totp_code(staff.totp_secret))
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_text("Kirjautuneena").wait_for()
    for path in urls["admin"]:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert_no_csp_violations(page)

    # The watcher really hears violations: an inline script without the nonce is refused.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__csp_hole = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__csp_hole") is None
    assert page.csp.violations, "the CSP watcher heard nothing: the check above proves nothing"

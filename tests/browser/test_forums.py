"""Forums in a real browser: a volunteer registers, staff record workshop answers, axe checks."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from forums.models import AgendaItem, Idea, Registration, VotingWindow, WorkshopAnswer
from tests.browser.conftest import assert_accessible, assert_no_csp_violations, login
from tests.factories import current_totp_code
from tests.forums import conftest as forum_fixtures
from tests.forums.conftest import make_forum, make_meeting

# The forum test fixtures, shared with tests/forums.
forum = forum_fixtures.forum
ideas = forum_fixtures.ideas
workshop = forum_fixtures.workshop


def test_a_volunteer_finds_a_meeting_and_registers_with_the_form(page, member, org_a):
    series = make_forum(description="Urheiluseurojen yhteinen foorumi.")
    meeting = make_meeting(
        series,
        "syksyn-seurafoorumi",
        title="Syksyn seurafoorumi",
        format="hybrid",
        capacity=30,
        asks_attendance_mode=True,
        asks_transport=True,
        transport_info="Bussi lähtee torilta klo 16.45.",
        asks_diet=True,
        invitation="Tervetuloa porinapöytiin!",
        place_name="QP Resort, Kortejoki",
    )
    series.contact_email = "seurafoorumi@pohjois-savonliikunta.example"
    series.save()
    AgendaItem.objects.create(meeting=meeting, starts_at=meeting.starts_at, title="Esittäytymiset")
    Idea.objects.create(forum=series, title="Yhteinen bussi seuroille")

    page.goto("/forums/")
    assert_accessible(page)
    page.get_by_role("link", name="Seurafoorumi: Syksyn seurafoorumi").click()
    assert page.get_by_role("heading", level=1, name="Syksyn seurafoorumi").is_visible()
    assert page.get_by_role("link", name="Kirjaudu ilmoittautuaksesi").is_visible()
    assert_accessible(page)

    login(page, member)
    page.goto(meeting.get_absolute_url())
    page.get_by_label("Männistön Testiyhdistys ry").check()
    page.get_by_label("etänä").check()
    page.get_by_role("group", name="Tuletko yhteiskuljetuksella?").get_by_label("Ei").check()
    page.get_by_label("Erityisruokavalio tai allergiat").fill("gluteeniton")
    page.get_by_role("button", name="Ilmoittaudu").click()

    assert page.get_by_text("Olet ilmoittautunut. Vahvistus tulee sähköpostiisi.").is_visible()
    assert page.get_by_role("link", name="liity tapaamiseen").is_visible()
    registration = Registration.objects.get(user=member)
    assert (registration.attendance, registration.needs_transport) == ("remote", False)
    assert registration.diet == "gluteeniton"
    assert_no_csp_violations(page)
    assert_accessible(page)

    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scrolling"


def test_a_volunteer_sees_form_errors_tied_to_the_fields(page, member):
    meeting = make_meeting(make_forum(), "hybridi", format="hybrid", asks_attendance_mode=True)
    login(page, member)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("button", name="Ilmoittaudu").click()
    assert page.get_by_role("alert").is_visible()
    assert page.locator('[aria-invalid="true"]').count() >= 1
    assert not Registration.objects.exists()
    assert_accessible(page)


def staff_login(page, user):
    login(page, user)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    code = current_totp_code(user.totp_secret)
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(lambda url: "/2fa/" not in url)


def test_staff_record_workshop_answers_and_the_summary_and_idea_bank_pass_axe(
    page, staff, workshop, ideas, member
):
    meeting, groups, questions = workshop
    window = VotingWindow.objects.create(
        forum=meeting.forum,
        title="Tärkeimmät ideat",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=3),
    )
    staff_login(page, staff)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Kirjaa ryhmän Sosiaali- ja terveys vastaukset").click()
    assert_accessible(page)
    page.get_by_label(f"1. {questions[0].text}").fill("Asukkaiden hyvinvointi yhdessä")
    page.get_by_label(f"2. {questions[1].text}").fill("Yhteinen peruskoulutus")
    page.get_by_role("button", name="Tallenna vastaukset").click()

    assert page.get_by_text("Ryhmän Sosiaali- ja terveys vastaukset on tallennettu.").is_visible()
    assert page.get_by_role("heading", name=questions[0].text, exact=False).is_visible()
    assert page.get_by_text("Asukkaiden hyvinvointi yhdessä").is_visible()
    assert WorkshopAnswer.objects.filter(group=groups[1]).count() == 2
    assert_no_csp_violations(page)
    assert_accessible(page)

    page.goto(meeting.get_absolute_url())
    assert_accessible(page)
    page.goto("/forums/ideas/")
    assert page.get_by_role("heading", name="Ideapankki", level=1).is_visible()
    assert_accessible(page)
    page.goto(ideas[0].get_absolute_url())
    assert_accessible(page)

    # The rest of the forum pages, staff tools included, pass axe too.
    kwargs = meeting.url_kwargs()
    for path in [
        meeting.forum.get_absolute_url(),
        reverse("forums:meeting-attendees", kwargs=kwargs),
        reverse("forums:meeting-invite", kwargs=kwargs) + "?field=liikunta-ja-urheilu",
        reverse("forums:voting-detail", args=[window.pk]),
        reverse("forums:idea-create"),
    ]:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    assert_no_csp_violations(page)

"""The forum pages: what each member of the cast sees and may do, exports and invitations."""

import csv
import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory.models import Area, FieldOfActivity
from forums.models import (
    AgendaItem,
    Forum,
    Idea,
    Invitation,
    Meeting,
    Registration,
    WorkshopAnswer,
    WorkshopGroup,
    WorkshopQuestion,
)
from forums.services import registration_create
from tests import factories
from tests.conftest import CAST
from tests.forums.conftest import make_forum, make_meeting

pytestmark = pytest.mark.django_db


def meeting_url(meeting, name="meeting-detail"):
    return reverse(f"forums:{name}", kwargs=meeting.url_kwargs())


def text(response):
    return response.content.decode()


# --- Lists -----------------------------------------------------------------------------------


def test_the_forum_list_shows_series_and_upcoming_meetings_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, org_a
):
    forums = [make_forum(f"foorumi-{n}", f"Foorumi {n}") for n in range(3)]
    for forum in forums:
        forum.organisers.add(org_a)
        for n in range(3):
            make_meeting(forum, f"tapaaminen-{n}", starts_in=timedelta(days=5 + n), capacity=10)
        make_meeting(forum, "mennyt", starts_in=-timedelta(days=30), title="Mennyt kokous")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("forums:forum-list"))
    html = text(response)
    assert response.status_code == 200
    assert html.count('class="forum-meeting"') == 9
    assert "Mennyt kokous" not in html
    assert "10 paikkaa jäljellä" in html


def test_drafts_are_hidden_from_everyone_but_staff(client_as, forum):
    draft = make_meeting(forum, "luonnos", status=Meeting.Status.DRAFT, title="Luonnoskokous")
    for role in ("anonymous", "member", "staff_without_mfa"):
        client = client_as(role)
        assert "Luonnoskokous" not in text(client.get(reverse("forums:forum-list")))
        assert client.get(meeting_url(draft)).status_code == 404
        client.logout()
    staff = client_as("staff")
    assert "Luonnoskokous" in text(staff.get(reverse("forums:forum-list")))
    assert staff.get(meeting_url(draft)).status_code == 200


def test_the_forum_page_lists_its_meetings_and_open_ideas(client, forum, meeting):
    make_meeting(forum, "viime-kevat", starts_in=-timedelta(days=100), title="Kevään kokous")
    Idea.objects.create(forum=forum, title="Yhteinen bussi")
    Idea.objects.create(forum=forum, title="Tehty juttu", status=Idea.Status.DONE)
    html = text(client.get(forum.get_absolute_url()))
    assert meeting.title in html and "Kevään kokous" in html
    assert "Yhteinen bussi" in html and "Tehty juttu" not in html


def test_unknown_forums_and_meetings_are_not_found(client, forum):
    assert client.get("/forums/ei-ole/").status_code == 404
    assert client.get("/forums/seurafoorumi/ei-ole/").status_code == 404


# --- The meeting page and registration ---------------------------------------------------------


def test_the_meeting_page_shows_the_invitation_the_agenda_in_order_and_the_form(client_as, forum):
    meeting = make_meeting(forum, "kutsu", invitation="Tervetuloa porinapöytiin!")
    for hour, title in [(19, "Porinapöydät"), (17, "Esittäytymiset")]:
        AgendaItem.objects.create(
            meeting=meeting, title=title, starts_at=meeting.starts_at.replace(hour=hour, minute=0)
        )
    html = text(client_as("member").get(meeting_url(meeting)))
    assert "Tervetuloa porinapöytiin!" in html
    assert html.index("Esittäytymiset") < html.index("Porinapöydät")
    assert 'action="{}"'.format(meeting_url(meeting, "meeting-register")) in html
    assert "Männistön Testiyhdistys ry" in html
    assert '"@type": "Event"' in html


def test_anonymous_visitors_are_asked_to_sign_in_and_residents_are_told_who_may_come(
    client_as, meeting
):
    assert "Kirjaudu ilmoittautuaksesi" in text(client_as("anonymous").get(meeting_url(meeting)))
    html = text(client_as("resident").get(meeting_url(meeting)))
    assert "yhdistyksen edustajille" in html
    assert "meeting-register" not in html


def test_the_online_link_is_shown_only_to_registered_people(client, hybrid_meeting, member):
    client.force_login(member)
    assert hybrid_meeting.online_url not in text(client.get(meeting_url(hybrid_meeting)))
    registration_create(
        meeting=hybrid_meeting, user=member, organisation=member.memberships.get().organisation
    )
    assert hybrid_meeting.online_url in text(client.get(meeting_url(hybrid_meeting)))


def test_a_volunteer_registers_through_the_page_and_a_second_attempt_writes_nothing(
    client, hybrid_meeting, member, org_a
):
    client.force_login(member)
    form = {
        "organisation": str(org_a.pk),
        "attendance": "remote",
        "needs_transport": "no",
        "diet": "laktoositon",
        "answer": "Salivuorot",
    }
    url = meeting_url(hybrid_meeting, "meeting-register")
    response = client.post(url, form, follow=True)
    assert "Olet ilmoittautunut" in text(response)
    registration = Registration.objects.get()
    assert (registration.attendance, registration.needs_transport) == ("remote", False)
    assert (registration.diet, registration.answer) == ("laktoositon", "Salivuorot")

    again = client.post(url, form, follow=True)
    assert "Olet jo ilmoittautunut" in text(again)
    assert Registration.objects.count() == 1


def test_registering_after_the_deadline_shows_a_message_and_writes_nothing(
    client, meeting, member, org_a
):
    Meeting.objects.filter(pk=meeting.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(member)
    page = text(client.get(meeting_url(meeting)))
    assert "Ilmoittautuminen päättyi" in page
    response = client.post(
        meeting_url(meeting, "meeting-register"), {"organisation": org_a.pk}, follow=True
    )
    assert response.status_code == 200
    assert "Ilmoittautuminen on päättynyt" in text(response)
    assert not Registration.objects.exists()


def test_registering_for_a_full_meeting_puts_the_volunteer_on_the_waitlist_with_a_message(
    client, forum, member, org_a, org_admin
):
    meeting = make_meeting(forum, "taysi", capacity=1)
    registration_create(meeting=meeting, user=org_admin, organisation=org_a)
    client.force_login(member)
    assert "Kaikki paikat on varattu" in text(client.get(meeting_url(meeting)))
    response = client.post(
        meeting_url(meeting, "meeting-register"), {"organisation": org_a.pk}, follow=True
    )
    assert "olet jonossa" in text(response)
    assert "jonossa, sijalla 1" in text(response)
    assert Registration.objects.get(user=member).status == Registration.Status.WAITLISTED


def test_a_form_with_missing_answers_is_shown_again_with_errors_and_nothing_is_written(
    client, hybrid_meeting, member
):
    client.force_login(member)
    response = client.post(meeting_url(hybrid_meeting, "meeting-register"), {"diet": "x" * 300})
    assert response.status_code == 400
    html = text(response)
    assert 'aria-invalid="true"' in html
    assert "Tämä kenttä vaaditaan" in html
    assert not Registration.objects.exists()


def test_a_volunteer_cancels_through_the_page_and_the_next_in_line_gets_the_seat(
    client, forum, member, org_a, org_admin
):
    meeting = make_meeting(forum, "peru", capacity=1)
    seat = registration_create(meeting=meeting, user=member, organisation=org_a)
    waiting = registration_create(meeting=meeting, user=org_admin, organisation=org_a)
    client.force_login(member)
    response = client.post(reverse("forums:registration-cancel", args=[seat.pk]), follow=True)
    assert "Ilmoittautumisesi on peruttu" in text(response)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_nobody_cancels_someone_elses_registration(client, meeting, member, org_a, resident):
    seat = registration_create(meeting=meeting, user=member, organisation=org_a)
    client.force_login(resident)
    assert client.post(reverse("forums:registration-cancel", args=[seat.pk])).status_code == 404
    seat.refresh_from_db()
    assert seat.status == Registration.Status.CONFIRMED


def test_after_the_meeting_the_page_shows_the_summary_and_the_workshop_answers(client, workshop):
    meeting, groups, questions = workshop
    Meeting.objects.filter(pk=meeting.pk).update(summary="Kiitos kaikille osallistujille.")
    WorkshopAnswer.objects.create(group=groups[0], question=questions[0], text="Hyvinvointi")
    html = text(client.get(meeting_url(meeting)))
    assert "Kiitos kaikille osallistujille." in html
    assert questions[0].text in html and "Hyvinvointi" in html
    assert "meeting-register" not in html and 'id="registration"' not in html


# --- Staff tools: exports and invitations -------------------------------------------------------


def test_staff_export_attendees_as_csv_that_excel_opens_and_that_cannot_run_formulas(
    client_as, hybrid_meeting, member, org_a
):
    member.full_name = "=HYPERLINK(1)"
    member.save()
    registration_create(
        meeting=hybrid_meeting,
        user=member,
        organisation=org_a,
        attendance="in_person",
        needs_transport=True,
        diet="vegaani",
    )
    response = client_as("staff").get(meeting_url(hybrid_meeting, "meeting-attendees-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Nimi", "Sähköposti", "Yhdistys"]
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][2:7] == ["Männistön Testiyhdistys ry", "paikan päällä", "ilmoittautunut",
                            "kyllä", "vegaani"]  # fmt: skip


def test_staff_get_a_printable_attendee_list_with_the_waitlist(client_as, forum, org_a, member):
    meeting = make_meeting(forum, "tuloste", capacity=1)
    registration_create(meeting=meeting, user=member, organisation=org_a)
    waiting = factories.make_user(name="Jonottaja Jussi")
    factories.add_member(waiting, org_a)
    registration_create(meeting=meeting, user=waiting, organisation=org_a)
    html = text(client_as("staff").get(meeting_url(meeting, "meeting-attendees")))
    assert "Veikko Jäsen" in html
    assert html.index("Veikko Jäsen") < html.index("Jonottaja Jussi")
    assert '<th scope="col">' in html


@pytest.mark.parametrize("name", ["meeting-attendees", "meeting-attendees-csv", "meeting-invite"])
@pytest.mark.parametrize("role", [*CAST, "staff_without_mfa"])
def test_staff_tools_are_for_city_staff_with_two_step_verification(client_as, meeting, name, role):
    response = client_as(role).get(meeting_url(meeting, name))
    expected = {"anonymous": 302, "staff": 200}.get(role, 403)
    assert response.status_code == expected


@pytest.fixture
def sports_clubs(taxonomy):
    sports = FieldOfActivity.objects.get(slug="liikunta-ja-urheilu")
    culture = FieldOfActivity.objects.get(slug="kulttuuri")
    kuopio_district = Area.objects.get(slug="kuopio-neulamaki")
    iisalmi = Area.objects.get(slug="iisalmi")
    clubs = {}
    for name, field, area, email in [
        ("Kuopion Palloseura ry", sports, kuopio_district, "pallo@example.com"),
        ("Kuopion Hiihtäjät ry", sports, Area.objects.get(slug="kuopio"), ""),
        ("Iisalmen Urheilijat ry", sports, iisalmi, "iu@example.com"),
        ("Kuopion Kuoro ry", culture, kuopio_district, "kuoro@example.com"),
    ]:
        organisation = factories.make_organisation(name, email=email)
        organisation.fields.add(field)
        organisation.areas.add(area)
        clubs[name] = organisation
    return clubs


def test_staff_invite_all_sports_clubs_in_kuopio_including_its_districts(
    client_as, meeting, sports_clubs, django_capture_on_commit_callbacks
):
    client = client_as("staff")
    criteria = {"field": "liikunta-ja-urheilu", "area": "kuopio"}
    preview = text(client.get(meeting_url(meeting, "meeting-invite"), criteria))
    assert "Kuopion Palloseura ry" in preview and "Kuopion Hiihtäjät ry" in preview
    assert "Iisalmen Urheilijat ry" not in preview and "Kuopion Kuoro ry" not in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            meeting_url(meeting, "meeting-invite"), {**criteria, "confirm": "yes"}, follow=True
        )
    assert [m.to for m in mail.outbox] == [["pallo@example.com"]]
    assert meeting.title in mail.outbox[0].subject
    assert meeting_url(meeting) in mail.outbox[0].body
    assert "Kuopion Hiihtäjät ry" in text(response), "reported as having no email address"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(meeting_url(meeting, "meeting-invite"), {**criteria, "confirm": "yes"})
    assert len(mail.outbox) == 1, "nobody is invited twice"
    assert Invitation.objects.count() == 1


def test_bad_invitation_filters_are_harmless(client_as, meeting):
    response = client_as("staff").get(
        meeting_url(meeting, "meeting-invite"), {"field": "ei-ole", "area": "\x00"}
    )
    assert response.status_code == 200


# --- Idea bank -----------------------------------------------------------------------------


def test_the_idea_bank_filters_by_forum_status_and_text_in_a_fixed_number_of_queries(
    client, forum, django_assert_max_num_queries, org_a
):
    other = make_forum("kulttuurifoorumi", "Kulttuurifoorumi")
    for n in range(12):
        Idea.objects.create(
            forum=forum if n % 2 else other,
            title=f"Idea numero {n}",
            status=Idea.Status.DONE if n % 3 == 0 else Idea.Status.NEW,
            organisation=org_a,
        )
    Idea.objects.create(forum=forum, title="Salainen", is_hidden=True)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("forums:idea-list"))
    assert text(response).count('class="idea"') == 12
    assert "Salainen" not in text(response)
    filtered = text(client.get(reverse("forums:idea-list"), {"forum": "seurafoorumi",
                                                             "status": "done"}))  # fmt: skip
    assert filtered.count('class="idea"') == 2  # numbers 3 and 9
    assert (
        text(client.get(reverse("forums:idea-list"), {"q": "numero 11"})).count('class="idea"') == 1
    )
    assert client.get(reverse("forums:idea-list"), {"q": "\x00", "status": "x"}).status_code == 200


def test_a_member_proposes_an_idea_for_their_association(client, forum, member, org_a):
    client.force_login(member)
    response = client.post(
        reverse("forums:idea-create"),
        {"forum": forum.pk, "title": "Yhteinen varasto", "organisation": org_a.pk},
        follow=True,
    )
    idea = Idea.objects.get()
    assert (idea.title, idea.organisation, idea.proposed_by) == ("Yhteinen varasto", org_a, member)
    assert idea.status == Idea.Status.NEW
    assert "Kiitos" in text(response)


def test_a_resident_without_an_association_is_told_how_ideas_are_proposed(client, forum, resident):
    client.force_login(resident)
    response = client.post(reverse("forums:idea-create"), {"forum": forum.pk, "title": "Idea"})
    assert response.status_code == 200
    assert "yhdistyksen puolesta" in text(response)
    assert not Idea.objects.exists()


def test_staff_respond_to_an_idea_and_everyone_sees_the_response(client_as, forum):
    idea = Idea.objects.create(forum=forum, title="Järjestötalo")
    staff = client_as("staff")
    staff.post(
        reverse("forums:idea-respond", args=[idea.pk]),
        {"status": "under_consideration", "staff_response": "Selvitämme tiloja."},
    )
    idea.refresh_from_db()
    assert idea.status == Idea.Status.UNDER_CONSIDERATION
    assert idea.responded_at is not None
    staff.logout()
    html = text(client_as("anonymous").get(idea.get_absolute_url()))
    assert "Selvitämme tiloja." in html and "harkittavana" in html


@pytest.mark.parametrize("role", ["anonymous", "member", "staff_without_mfa"])
def test_only_staff_respond_to_ideas(client_as, forum, role):
    idea = Idea.objects.create(forum=forum, title="Järjestötalo")
    response = client_as(role).post(
        reverse("forums:idea-respond", args=[idea.pk]),
        {"status": "done", "staff_response": "Valmis"},
    )
    assert response.status_code in (302, 403)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.NEW


def test_ideas_carry_over_to_the_next_meeting_of_the_forum(client, forum, workshop, meeting):
    past, _groups, _questions = workshop
    Idea.objects.create(forum=forum, meeting=past, title="Vapaaehtoisten peruskoulutus")
    Idea.objects.create(forum=forum, meeting=past, title="Jo tehty", status=Idea.Status.DONE)
    html = text(client.get(meeting_url(meeting)))
    assert "Vapaaehtoisten peruskoulutus" in html
    assert "Jo tehty" not in html


# --- Permission matrix, sitemap, language, demo -------------------------------------------------


@pytest.mark.parametrize("role", CAST)
def test_public_forum_pages_answer_every_member_of_the_cast(client_as, role, workshop, ideas):
    past, _groups, _questions = workshop
    client = client_as(role)
    for url in [
        reverse("forums:forum-list"),
        reverse("forums:idea-list"),
        past.forum.get_absolute_url(),
        meeting_url(past),
        meeting_url(past, "meeting-summary"),
        ideas[0].get_absolute_url(),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_sitemap_lists_published_meetings_but_not_drafts(client, forum, meeting):
    draft = make_meeting(forum, "luonnos", status=Meeting.Status.DRAFT)
    xml = text(client.get("/sitemap.xml"))
    assert meeting_url(meeting) in xml
    assert meeting_url(draft) not in xml


def test_the_meeting_page_is_complete_in_english(client, hybrid_meeting):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = text(client.get(meeting_url(hybrid_meeting)))
    assert "Register by" in html and "Sign in to register" in html
    assert "Ilmoittaudu" not in html


def test_the_demo_builds_the_three_forums_and_running_it_again_changes_nothing(taxonomy):
    from directory import demo as directory_demo
    from forums import demo

    directory_demo.seed(StringIO())
    demo.seed(StringIO())
    counts = [
        model.objects.count()
        for model in (Forum, Meeting, Idea, WorkshopGroup, WorkshopQuestion, WorkshopAnswer)
    ]
    demo.seed(StringIO())
    assert counts == [
        model.objects.count()
        for model in (Forum, Meeting, Idea, WorkshopGroup, WorkshopQuestion, WorkshopAnswer)
    ]
    assert set(Forum.objects.values_list("slug", flat=True)) == {
        "seurafoorumi", "kulttuurifoorumi", "kumppanuusfoorumi",
    }  # fmt: skip
    workshop = Meeting.objects.get(forum__slug="kumppanuusfoorumi", slug="tyopaja")
    assert workshop.groups.count() == 5 and workshop.questions.count() == 5
    assert workshop.is_past() and WorkshopAnswer.objects.filter(group__meeting=workshop).exists()
    now = timezone.now()
    assert Meeting.objects.published().filter(registration_closes_at__gt=now).count() >= 3
    assert Idea.objects.filter(meeting__slug="jarjestoilta").count() >= 5


@pytest.mark.parametrize("role", ["anonymous", "resident", "org_admin", "staff_without_mfa"])
def test_only_staff_and_a_groups_secretary_see_the_organiser_tools(client_as, workshop, role):
    meeting, _groups, _questions = workshop
    WorkshopGroup.objects.create(meeting=meeting, name="Muut toimijat", position=2)
    html = text(client_as(role).get(meeting_url(meeting)))
    assert "Järjestäjän työkalut" not in html
    assert "workshop" not in html.split('id="main"')[1].split("Yhteenveto")[0]


def test_a_secretary_sees_a_link_to_their_own_group_only(client_as, workshop):
    meeting, _groups, _questions = workshop
    html = text(client_as("member").get(meeting_url(meeting)))
    assert "Kirjaa ryhmän Seniorit vastaukset" in html
    assert "Kirjaa ryhmän Sosiaali- ja terveys vastaukset" not in html


def test_the_association_page_shows_its_forums_ideas_and_to_members_its_registrations(
    client_as, forum, meeting, org_a, member
):
    forum.organisers.add(org_a)
    Idea.objects.create(forum=forum, title="Yhteinen varasto", organisation=org_a)
    registration_create(meeting=meeting, user=member, organisation=org_a)
    url = org_a.get_absolute_url()
    public = text(client_as("anonymous").get(url))
    assert "Yhteinen varasto" in public and forum.name in public
    assert "Ilmoittautuneet tuleviin tapaamisiin" not in public
    members_view = text(client_as("member").get(url))
    assert "Ilmoittautuneet tuleviin tapaamisiin" in members_view
    assert "Veikko Jäsen" in members_view


def test_meeting_pages_take_a_fixed_number_of_queries_however_big_the_workshop(
    client_as, workshop, django_assert_max_num_queries, org_a
):
    meeting, _groups, questions = workshop
    meeting.forum.organisers.add(org_a)
    for n in range(6):
        group = WorkshopGroup.objects.create(meeting=meeting, name=f"Ryhmä {n}", position=5 + n)
        for question in questions:
            WorkshopAnswer.objects.create(group=group, question=question, text=f"Vastaus {n}")
        AgendaItem.objects.create(meeting=meeting, starts_at=meeting.starts_at, title=f"Kohta {n}")
        Idea.objects.create(forum=meeting.forum, meeting=meeting, title=f"Idea {n}")
    client = client_as("staff")
    client.get(meeting_url(meeting))  # warm the session
    with django_assert_max_num_queries(13):
        response = client.get(meeting_url(meeting))
    assert text(response).count("Vastaus 5") == len(questions)
    with django_assert_max_num_queries(8):
        client.get(meeting_url(meeting, "meeting-summary"))


def test_junk_and_nul_bytes_in_addresses_and_forms_never_cause_a_server_error(
    client_as, meeting, member, org_a
):
    client = client_as("staff")
    junk = {"forum": "\x00", "status": "\x00", "order": "x", "page": "-1"}
    assert client.get(reverse("forums:idea-list"), junk).status_code == 200
    junk = {"field": "\x00", "target_group": "\x00", "q": "\x00"}
    assert client.get(meeting_url(meeting, "meeting-invite"), junk).status_code == 200
    client.force_login(member)
    response = client.post(
        meeting_url(meeting, "meeting-register"), {"organisation": "\x00", "diet": "\x00"}
    )
    assert response.status_code == 400
    response = client.post(reverse("forums:idea-create"), {"forum": "\x00", "title": "a\x00b"})
    assert response.status_code == 200
    assert not Registration.objects.exists() and not Idea.objects.exists()

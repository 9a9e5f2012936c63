"""Workshop answers: staff record any group's, a secretary only their own; the summary rolls up."""

import pytest
from django.urls import reverse

from forums.models import Idea, WorkshopAnswer
from forums.services import ForumError, ideas_from_answers, workshop_answers_save

pytestmark = pytest.mark.django_db


def answers_url(meeting, group):
    return reverse(
        "forums:workshop-answers",
        kwargs={"forum": meeting.forum.slug, "meeting": meeting.slug, "group": group.pk},
    )


def summary_url(meeting):
    return reverse("forums:meeting-summary", kwargs=meeting.url_kwargs())


def test_staff_record_a_groups_answers_and_the_summary_rolls_them_up_per_question(
    client_as, workshop
):
    meeting, groups, questions = workshop
    client = client_as("staff")
    texts_by_group = [("Hyvinvointi", "Lyhyet tehtävät"), ("Terveys", "")]
    for group, texts in zip(groups, texts_by_group, strict=True):
        response = client.post(
            answers_url(meeting, group),
            {f"question_{q.pk}": text for q, text in zip(questions, texts, strict=False)},
        )
        assert response.status_code == 302
    assert WorkshopAnswer.objects.count() == 3

    html = client_as("anonymous").get(summary_url(meeting)).content.decode()
    first_question = html.index(questions[0].text)
    second_question = html.index(questions[1].text)
    assert first_question < html.index("Hyvinvointi") < html.index("Terveys") < second_question
    assert second_question < html.index("Lyhyet tehtävät")


def test_a_secretary_records_the_answers_of_their_own_group(client, workshop, member):
    meeting, groups, questions = workshop
    client.force_login(member)
    page = client.get(answers_url(meeting, groups[0]))
    assert page.status_code == 200
    assert questions[0].text in page.content.decode()
    client.post(answers_url(meeting, groups[0]), {f"question_{questions[0].pk}": "Yhdessä"})
    answer = WorkshopAnswer.objects.get()
    assert (answer.group, answer.text, answer.recorded_by) == (groups[0], "Yhdessä", member)


def test_a_secretary_cannot_edit_another_groups_answers_and_nothing_is_written(
    client, workshop, member
):
    meeting, groups, questions = workshop
    WorkshopAnswer.objects.create(group=groups[1], question=questions[0], text="Alkuperäinen")
    client.force_login(member)
    assert client.get(answers_url(meeting, groups[1])).status_code == 403
    response = client.post(
        answers_url(meeting, groups[1]), {f"question_{questions[0].pk}": "Muutettu"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Voit kirjata vastauksia vain omalle ryhmällesi" in html
    assert "Seniorit" in html, "a link to the secretary's own group"
    assert WorkshopAnswer.objects.get().text == "Alkuperäinen"


def test_the_service_also_refuses_another_groups_secretary(workshop, member):
    _meeting, groups, questions = workshop
    with pytest.raises(ForumError):
        workshop_answers_save(group=groups[1], answers={questions[0].pk: "Hei"}, by=member)
    assert not WorkshopAnswer.objects.exists()


@pytest.mark.parametrize("role", ["resident", "org_admin", "staff_without_mfa"])
def test_others_cannot_record_answers(client, workshop, role, request):
    meeting, groups, questions = workshop
    client.force_login(request.getfixturevalue(role))
    response = client.post(answers_url(meeting, groups[0]), {f"question_{questions[0].pk}": "X"})
    assert response.status_code == 403
    assert not WorkshopAnswer.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, workshop):
    meeting, groups, _questions = workshop
    response = client.get(answers_url(meeting, groups[0]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


def test_an_emptied_box_removes_the_earlier_answer(workshop, staff):
    _meeting, groups, questions = workshop
    workshop_answers_save(group=groups[0], answers={questions[0].pk: "Vanha"}, by=staff)
    workshop_answers_save(group=groups[0], answers={questions[0].pk: "  "}, by=staff)
    assert not WorkshopAnswer.objects.exists()


def test_a_group_of_another_meeting_is_not_found(client_as, workshop, meeting):
    _past, groups, _questions = workshop
    assert client_as("staff").get(answers_url(meeting, groups[0])).status_code == 404


def test_staff_lift_answers_into_the_idea_bank_once(workshop, staff):
    meeting, groups, questions = workshop
    workshop_answers_save(
        group=groups[0], answers={questions[1].pk: "- Yhteinen peruskoulutus\n- Kiitos"}, by=staff
    )
    created = ideas_from_answers(answers=WorkshopAnswer.objects.all(), by=staff)
    assert [idea.title for idea in created] == ["Yhteinen peruskoulutus"]
    assert created[0].meeting == meeting and created[0].forum == meeting.forum
    assert ideas_from_answers(answers=WorkshopAnswer.objects.all(), by=staff) == []
    assert Idea.objects.count() == 1

"""Voting windows: N votes per eligible person, one per idea, none outside the window."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from forums.models import Idea, Vote, VotingWindow
from forums.services import VoteError, vote_cast, vote_withdraw
from tests.forums.conftest import db_now, make_forum

pytestmark = pytest.mark.django_db


def close(window):
    """Move the window into the past (votes already cast stay)."""
    now = db_now()
    VotingWindow.objects.filter(pk=window.pk).update(
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(seconds=1)
    )
    window.refresh_from_db()


def test_a_member_votes_for_an_idea_in_an_open_window(open_window, ideas, member):
    vote = vote_cast(window=open_window, idea=ideas[0], user=member)
    assert (vote.idea, vote.user, vote.slot) == (ideas[0], member, 1)


def test_one_vote_per_idea_a_second_is_refused_and_nothing_written(open_window, ideas, member):
    vote_cast(window=open_window, idea=ideas[0], user=member)
    with pytest.raises(VoteError) as refused:
        vote_cast(window=open_window, idea=ideas[0], user=member)
    assert refused.value.code == "twice"
    assert Vote.objects.count() == 1


def test_no_more_than_n_votes_per_person_per_window(open_window, ideas, member):
    vote_cast(window=open_window, idea=ideas[0], user=member)
    vote_cast(window=open_window, idea=ideas[1], user=member)
    with pytest.raises(VoteError) as refused:
        vote_cast(window=open_window, idea=ideas[2], user=member)
    assert refused.value.code == "limit"
    assert Vote.objects.filter(user=member).count() == open_window.votes_per_person == 2


def test_taking_a_vote_back_frees_it_for_another_idea(open_window, ideas, member):
    vote_cast(window=open_window, idea=ideas[0], user=member)
    vote_cast(window=open_window, idea=ideas[1], user=member)
    vote_withdraw(window=open_window, idea=ideas[0], user=member)
    vote = vote_cast(window=open_window, idea=ideas[2], user=member)
    assert vote.slot == 1
    assert set(Vote.objects.values_list("idea", flat=True)) == {ideas[1].pk, ideas[2].pk}


def test_no_votes_after_the_window_closes_and_none_before_it_opens(open_window, ideas, member):
    close(open_window)
    with pytest.raises(VoteError) as refused:
        vote_cast(window=open_window, idea=ideas[0], user=member)
    assert refused.value.code == "closed"
    now = db_now()
    VotingWindow.objects.filter(pk=open_window.pk).update(
        opens_at=now + timedelta(seconds=1), closes_at=now + timedelta(days=1)
    )
    open_window.refresh_from_db()
    with pytest.raises(VoteError) as refused:
        vote_cast(window=open_window, idea=ideas[0], user=member)
    assert refused.value.code == "not_open"
    assert not Vote.objects.exists()


def test_votes_cannot_be_taken_back_after_the_window_closes(open_window, ideas, member):
    vote_cast(window=open_window, idea=ideas[0], user=member)
    close(open_window)
    with pytest.raises(VoteError):
        vote_withdraw(window=open_window, idea=ideas[0], user=member)
    assert Vote.objects.count() == 1


def test_only_people_acting_for_an_association_vote_unless_residents_are_allowed(
    open_window, ideas, resident
):
    with pytest.raises(VoteError) as refused:
        vote_cast(window=open_window, idea=ideas[0], user=resident)
    assert refused.value.code == "not_eligible"
    VotingWindow.objects.filter(pk=open_window.pk).update(allows_residents=True)
    open_window.refresh_from_db()
    assert vote_cast(window=open_window, idea=ideas[0], user=resident).slot == 1


def test_hidden_finished_and_other_forums_ideas_are_not_in_the_vote(open_window, ideas, member):
    hidden = Idea.objects.create(forum=open_window.forum, title="Piilotettu", is_hidden=True)
    done = Idea.objects.create(forum=open_window.forum, title="Valmis", status=Idea.Status.DONE)
    elsewhere = Idea.objects.create(forum=make_forum("kulttuuri", "Kulttuuri"), title="Muualla")
    for idea in (hidden, done, elsewhere):
        with pytest.raises(VoteError):
            vote_cast(window=open_window, idea=idea, user=member)
    assert not Vote.objects.exists()


@pytest.mark.parametrize("rule", ["closed", "over_limit", "other_forum", "same_slot"])
def test_the_database_refuses_votes_that_bypass_the_service(open_window, ideas, member, rule):
    vote_cast(window=open_window, idea=ideas[0], user=member)
    row = {"window": open_window, "idea": ideas[1], "user": member, "slot": 2}
    if rule == "closed":
        close(open_window)
    elif rule == "over_limit":
        row["slot"] = open_window.votes_per_person + 1
    elif rule == "other_forum":
        row["idea"] = Idea.objects.create(forum=make_forum("toinen", "Toinen"), title="Muu")
    elif rule == "same_slot":
        row["slot"] = 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(**row)
    assert Vote.objects.count() == 1


def test_a_forum_has_one_voting_window_at_a_time(open_window):
    with pytest.raises(IntegrityError), transaction.atomic():
        VotingWindow.objects.create(
            forum=open_window.forum,
            title="Päällekkäinen",
            opens_at=open_window.closes_at - timedelta(hours=1),
            closes_at=open_window.closes_at + timedelta(days=1),
        )


def test_the_ranking_is_by_votes_with_ties_in_the_order_ideas_were_added(
    open_window, ideas, member, org_admin, other_org_admin
):
    # ideas[0] is the newest (created today), ideas[3] the oldest.
    for user, chosen in [
        (member, [ideas[0], ideas[1]]),
        (org_admin, [ideas[0], ideas[2]]),
        (other_org_admin, [ideas[1], ideas[3]]),
    ]:
        for idea in chosen:
            vote_cast(window=open_window, idea=idea, user=user)
    close(open_window)
    ranking = list(Idea.objects.ranked_for(open_window))
    assert [(i.title, i.vote_count) for i in ranking] == [
        ("Yhteinen kalenteri", 2),  # 2 votes, older than ideas[0]
        ("Järjestötalo", 2),
        ("Bussi", 1),  # the oldest of the single-vote ideas
        ("Tyhjät tilat", 1),
    ]


def test_the_published_ranking_is_identical_on_every_render(client, open_window, ideas, member):
    for idea in ideas[:2]:
        vote_cast(window=open_window, idea=idea, user=member)
    url = reverse("forums:voting-detail", args=[open_window.pk])
    assert 'class="ranking"' not in client.get(url).content.decode(), "no results while voting"
    close(open_window)
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    table = first[first.index('<table class="ranking">') : first.index("</table>")]
    assert table in second
    assert table.index("Yhteinen kalenteri") < table.index("Järjestötalo") < table.index("Bussi")


def test_voting_through_the_page_after_the_window_closes_shows_a_message_and_writes_nothing(
    client, open_window, ideas, member
):
    close(open_window)
    client.force_login(member)
    response = client.post(
        reverse("forums:idea-vote", args=[ideas[0].pk]),
        {"window": open_window.pk, "next": reverse("forums:idea-list")},
        follow=True,
    )
    assert response.status_code == 200
    assert "Äänestys on päättynyt" in response.content.decode()
    assert not Vote.objects.exists()


def test_voting_over_the_limit_through_the_page_shows_a_message(client, open_window, ideas, member):
    client.force_login(member)
    url = reverse("forums:idea-vote", args=[ideas[2].pk])
    for idea in ideas[:2]:
        vote_cast(window=open_window, idea=idea, user=member)
    response = client.post(url, {"window": open_window.pk}, follow=True)
    assert "Olet käyttänyt kaikki äänesi" in response.content.decode()
    assert Vote.objects.count() == 2


def test_a_made_up_window_is_a_message_not_an_error(client, ideas, member):
    client.force_login(member)
    for window in ["", "abc", "999999"]:
        response = client.post(
            reverse("forums:idea-vote", args=[ideas[0].pk]), {"window": window}, follow=True
        )
        assert response.status_code == 200
    assert not Vote.objects.exists()

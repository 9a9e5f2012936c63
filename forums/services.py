"""Writes that span rows, must hold under concurrency, or send mail.

Registration and voting lock a parent row (the meeting, the voting window) with
SELECT ... FOR UPDATE, so two requests for the last seat or the last vote are served one after
the other. Deadlines and windows are compared with the database clock inside the transaction.
The database has the last word: constraints and a trigger refuse what slips past these checks.
"""

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.audit import acting_as
from directory.models import Organisation
from directory.permissions import organisations_user_acts_for
from events.models import Event
from events.services import event_create, event_update
from forums import emails
from forums.models import (
    Idea,
    Invitation,
    Meeting,
    Registration,
    Vote,
    VotingWindow,
    WorkshopAnswer,
    WorkshopGroup,
)
from forums.permissions import can_record_answers, is_forum_staff


class ForumError(Exception):
    """A refusal the user can act on; `message` is shown as it is."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


class RegistrationError(ForumError):
    pass


class VoteError(ForumError):
    pass


def db_now() -> datetime:
    """The database's clock: the one deadline every server agrees on."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]


# --- Registrations --------------------------------------------------------------------------


def registration_create(
    *,
    meeting: Meeting,
    user,
    organisation: Organisation | None,
    attendance: str | None = None,
    needs_transport: bool | None = None,
    diet: str = "",
    answer: str = "",
) -> Registration:
    """Register `user` for the meeting: a seat, a place on the waitlist, or a refusal."""
    with transaction.atomic(), acting_as(user):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        # Read after the lock is granted: a request that waited past the deadline is late.
        now = db_now()
        if meeting.status != Meeting.Status.PUBLISHED:
            raise RegistrationError(_("This meeting is not open for registration."), "closed")
        if now >= meeting.registration_closes_at:
            raise RegistrationError(
                _("Registration closed at the deadline. Ask the organisers if there is room."),
                "deadline",
            )
        if organisation is None:
            if not meeting.allows_residents:
                raise RegistrationError(
                    _("Register on behalf of your association: this meeting is for associations."),
                    "organisation",
                )
        elif not organisations_user_acts_for(user).filter(pk=organisation.pk).exists():
            raise RegistrationError(
                _("You can only register on behalf of an association you belong to."),
                "organisation",
            )
        if Registration.objects.active().filter(meeting=meeting, user=user).exists():
            raise RegistrationError(_("You have already registered for this meeting."), "twice")

        attendance = meeting.attendance_for(attendance)
        status = Registration.Status.CONFIRMED
        if attendance == Registration.Attendance.IN_PERSON and meeting.capacity is not None:
            taken = Registration.objects.filter(meeting=meeting).confirmed().in_person().count()
            if taken >= meeting.capacity:
                if not meeting.has_waitlist:
                    raise RegistrationError(_("The meeting is full."), "full")
                status = Registration.Status.WAITLISTED
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    meeting=meeting,
                    user=user,
                    organisation=organisation,
                    attendance=attendance,
                    status=status,
                    needs_transport=needs_transport if meeting.asks_transport else None,
                    diet=diet if meeting.asks_diet else "",
                    answer=answer if meeting.asks_free_text else "",
                    language=translation.get_language() or "fi",
                    created_at=now,
                )
        except IntegrityError:
            # Only reachable if a write bypassed the lock; the constraint still holds.
            raise RegistrationError(
                _("You have already registered for this meeting."), "twice"
            ) from None
        transaction.on_commit(lambda: emails.send_registration_received(registration.pk))
    return registration


def registration_cancel(*, registration: Registration, by) -> list[Registration]:
    """Cancel and give the freed seat to the first on the waitlist. Returns those promoted."""
    with transaction.atomic(), acting_as(by):
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        now = db_now()
        if registration.user_id != by.pk and not is_forum_staff(by):
            raise RegistrationError(_("You can only cancel your own registration."), "forbidden")
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationError(_("This registration is already cancelled."), "cancelled")
        if meeting.starts_at <= now and not is_forum_staff(by):
            raise RegistrationError(
                _("The meeting has already started, so the registration stays."), "started"
            )
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        promoted = _fill_free_seats(meeting, now)
        transaction.on_commit(lambda: emails.send_registration_cancelled(registration.pk))
    return promoted


def meeting_fill_seats(*, meeting: Meeting, by) -> list[Registration]:
    """After staff add seats: move people off the waitlist in order."""
    with transaction.atomic(), acting_as(by):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        return _fill_free_seats(meeting, db_now())


def _fill_free_seats(meeting: Meeting, now: datetime) -> list[Registration]:
    """Promote waitlisted people in registration order while seats are free. Caller holds the
    meeting's lock."""
    if meeting.starts_at <= now:
        return []
    waiting = Registration.objects.filter(meeting=meeting).waitlisted().select_for_update()
    if meeting.capacity is not None:
        taken = Registration.objects.filter(meeting=meeting).confirmed().in_person().count()
        waiting = waiting[: max(meeting.capacity - taken, 0)]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        transaction.on_commit(lambda pk=registration.pk: emails.send_registration_promoted(pk))
    return promoted


# --- The shared events calendar -------------------------------------------------------------

EVENT_PLACE_KINDS = {
    Meeting.Format.IN_PERSON: Event.PlaceKind.ADDRESS,
    Meeting.Format.ONLINE: Event.PlaceKind.ONLINE,
    Meeting.Format.HYBRID: Event.PlaceKind.HYBRID,
}
EVENT_STATUSES = {
    Meeting.Status.DRAFT: Event.Status.DRAFT,
    Meeting.Status.PUBLISHED: Event.Status.PUBLISHED,
    Meeting.Status.CANCELLED: Event.Status.CANCELLED,
}


def _event_fields(meeting: Meeting) -> dict:
    forum = meeting.forum
    url = f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    # The calendar speaks the portal's default language, like the meeting texts themselves.
    with translation.override(settings.LANGUAGE_CODE):
        convened = ", ".join([forum.city_organiser, *(o.name for o in forum.organisers.all())])
        parts = [
            meeting.theme,
            meeting.invitation,
            gettext("Convened by: %(names)s.") % {"names": convened},
            gettext("Register on the meeting page: %(url)s") % {"url": url},
        ]
    return {
        "title": f"{forum.name}: {meeting.title}"[:200],
        "description": "\n\n".join(part for part in parts if part),
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place_kind": EVENT_PLACE_KINDS[meeting.format],
        "place_name": meeting.place_name if meeting.has_place else "",
        "street_address": meeting.address if meeting.has_place else "",
        # The joining link is for registered participants only: the meeting page gives it.
        "online_url": "",
        "registration": Event.Registration.LINK,
        "registration_url": url,
        "registration_email": "",
        "registration_deadline": meeting.registration_closes_at,
        "is_free": True,
        "status": EVENT_STATUSES[meeting.status],
    }


def meeting_publish(*, meeting: Meeting, by) -> Event | None:
    """Create or update the meeting's event in the shared calendar (and so in its iCal feeds).

    A draft that never was in the calendar stays out of it. The event keeps its id, and so its
    iCal UID, for the meeting's whole life; events.services bumps SEQUENCE on each change.
    """
    with transaction.atomic(), acting_as(by):
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("forum", "event")
            .get(pk=meeting.pk)
        )
        forum = meeting.forum
        relations = {
            "organisers": list(forum.organisers.all()),
            "themes": list(forum.target_fields.all()),
            "target_groups": list(forum.target_groups.all()),
        }
        fields = _event_fields(meeting)
        if meeting.event is not None:
            event_update(by=by, event=meeting.event, **relations, **fields)
            return meeting.event
        if meeting.status == Meeting.Status.DRAFT:
            return None
        event = event_create(by=by, **relations, **fields)
        meeting.event = event
        meeting.save(update_fields=["event", "updated_at"])
        return event


# --- Workshop -------------------------------------------------------------------------------


def workshop_answers_save(*, group: WorkshopGroup, answers: dict[int, str], by) -> int:
    """Record a group's answers, keyed by question id. An empty answer removes the old one.
    Returns how many answers changed."""
    if not can_record_answers(by, group):
        raise ForumError(_("You can record answers only for your own group."), "forbidden")
    questions = {question.pk: question for question in group.meeting.questions.all()}
    if set(answers) - set(questions):
        raise ForumError(_("The answers do not match this workshop's questions."), "mismatch")
    changed = 0
    with transaction.atomic(), acting_as(by):
        existing = {a.question_id: a for a in group.answers.select_for_update()}
        for question_id, text in answers.items():
            text = text.strip()
            current = existing.get(question_id)
            if not text:
                if current is not None:
                    current.delete()
                    changed += 1
                continue
            if current is None:
                WorkshopAnswer.objects.create(
                    group=group, question=questions[question_id], text=text, recorded_by=by
                )
                changed += 1
            elif current.text != text:
                current.text = text
                current.recorded_by = by
                current.save(update_fields=["text", "recorded_by", "updated_at"])
                changed += 1
    return changed


# --- Idea bank ------------------------------------------------------------------------------


# The same idea sent again this soon by the same person is the one already in the bank.
RESUBMISSION_WINDOW = timedelta(minutes=10)
_IDEA_LOCK = zlib.crc32(b"forums.idea_propose") & 0x7FFFFFFF


def idea_propose(
    *, forum, title: str, description: str, by, organisation: Organisation | None
) -> Idea:
    if organisation is not None and not (
        organisations_user_acts_for(by).filter(pk=organisation.pk).exists()
    ):
        raise ForumError(_("You can only propose on behalf of your own association."))
    if organisation is None and not is_forum_staff(by):
        raise ForumError(_("Propose the idea on behalf of your association."))
    with transaction.atomic(), acting_as(by):
        # A second identical send (double click, second tab, retry) waits for the first here
        # and gets its idea back instead of a copy.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_IDEA_LOCK, by.pk % 2**31])
        existing = (
            Idea.objects.filter(
                forum=forum,
                title=title.strip(),
                proposed_by=by,
                organisation=organisation,
                created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
        return Idea.objects.create(
            forum=forum,
            title=title.strip(),
            description=description.strip(),
            proposed_by=by,
            organisation=organisation,
        )


def ideas_from_answers(*, answers: QuerySet[WorkshopAnswer], by) -> list[Idea]:
    """Staff lift workshop answers into the idea bank; an answer gives at most one idea."""
    created = []
    with transaction.atomic(), acting_as(by):
        for answer in answers.select_related("group__meeting__forum", "question"):
            if Idea.objects.filter(source_answer=answer).exists():
                continue
            first_line = answer.text.strip().splitlines()[0].lstrip("-• ").strip()
            created.append(
                Idea.objects.create(
                    forum=answer.group.meeting.forum,
                    meeting=answer.group.meeting,
                    source_answer=answer,
                    title=first_line[:200],
                    description=f"{answer.question.text}\n\n{answer.group.name}: {answer.text}",
                )
            )
    return created


def idea_respond(*, idea: Idea, status: str, response: str, by) -> Idea:
    if not is_forum_staff(by):
        raise ForumError(_("Only city staff respond to ideas."), "forbidden")
    with transaction.atomic(), acting_as(by):
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        idea.status = status
        if response.strip() != idea.staff_response:
            idea.staff_response = response.strip()
            idea.responded_at = timezone.now()
        idea.save()
    return idea


def is_eligible_voter(user, window: VotingWindow) -> bool:
    if not user.is_authenticated:
        return False
    return window.allows_residents or organisations_user_acts_for(user).exists()


def vote_cast(*, window: VotingWindow, idea: Idea, user) -> Vote:
    with transaction.atomic(), acting_as(user):
        window = VotingWindow.objects.select_for_update().get(pk=window.pk)
        now = db_now()
        if now < window.opens_at:
            raise VoteError(_("Voting has not opened yet."), "not_open")
        if now >= window.closes_at:
            raise VoteError(_("Voting has closed. The results are published."), "closed")
        if not is_eligible_voter(user, window):
            raise VoteError(
                _("Only people acting for a verified association can vote."), "not_eligible"
            )
        if idea.forum_id != window.forum_id or idea.is_hidden or not idea.is_open:
            raise VoteError(_("This idea is not part of the vote."), "idea")
        used = set(Vote.objects.filter(window=window, user=user).values_list("idea_id", "slot"))
        if any(idea_id == idea.pk for idea_id, _slot in used):
            raise VoteError(_("You have already voted for this idea."), "twice")
        taken_slots = {slot for _idea_id, slot in used}
        free_slots = [n for n in range(1, window.votes_per_person + 1) if n not in taken_slots]
        if not free_slots:
            raise VoteError(
                _("You have used all your votes. Take one back to vote for this idea."), "limit"
            )
        try:
            with transaction.atomic():
                return Vote.objects.create(
                    window=window, idea=idea, user=user, slot=free_slots[0], created_at=now
                )
        except IntegrityError:
            raise VoteError(_("The vote could not be saved. Reload the page."), "db") from None


def vote_withdraw(*, window: VotingWindow, idea: Idea, user) -> None:
    with transaction.atomic(), acting_as(user):
        window = VotingWindow.objects.select_for_update().get(pk=window.pk)
        if not window.opens_at <= db_now() < window.closes_at:
            raise VoteError(_("Voting has closed: votes can no longer be changed."), "closed")
        deleted, _rows = Vote.objects.filter(window=window, idea=idea, user=user).delete()
        if not deleted:
            raise VoteError(_("You had not voted for this idea."), "missing")


# --- Invitations ----------------------------------------------------------------------------


@dataclass
class InvitationResult:
    sent: list[Organisation]
    already_invited: list[Organisation]
    without_email: list[Organisation]


def invitations_send(
    *, meeting: Meeting, organisations: QuerySet[Organisation], by
) -> InvitationResult:
    """Email the invitation to each association once; the mails leave after the commit."""
    if not is_forum_staff(by):
        raise ForumError(_("Only city staff send invitations."), "forbidden")
    result = InvitationResult(sent=[], already_invited=[], without_email=[])
    with transaction.atomic(), acting_as(by):
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        invited = set(meeting.invitations.values_list("organisation_id", flat=True))
        new = []
        for organisation in organisations.public().order_by("name"):
            if organisation.pk in invited:
                result.already_invited.append(organisation)
            elif not organisation.email:
                result.without_email.append(organisation)
            else:
                new.append(
                    Invitation(
                        meeting=meeting,
                        organisation=organisation,
                        email=organisation.email,
                        sent_by=by,
                    )
                )
                result.sent.append(organisation)
        created = Invitation.objects.bulk_create(new)
        ids = [invitation.pk for invitation in created]
        transaction.on_commit(lambda: emails.send_invitations(ids))
    return result

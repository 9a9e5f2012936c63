"""Mails the forums send. Called from `transaction.on_commit`, so they read committed rows."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from forums.models import Invitation, Registration


def _site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _registration(pk: int) -> Registration:
    return Registration.objects.select_related("meeting__forum", "user", "organisation").get(pk=pk)


def _send_to_registrant(registration: Registration, template: str, subject: str) -> None:
    meeting = registration.meeting
    context = {
        "registration": registration,
        "meeting": meeting,
        "meeting_url": _site_link(meeting.get_absolute_url()),
    }
    body = render_to_string(f"forums/email/{template}.txt", context)
    EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        to=[registration.user.email],
        reply_to=[meeting.forum.contact_email] if meeting.forum.contact_email else None,
    ).send()


def send_registration_received(pk: int) -> None:
    registration = _registration(pk)
    with translation.override(registration.language):
        if registration.status == Registration.Status.WAITLISTED:
            subject = _("You are on the waitlist: %(meeting)s")
        else:
            subject = _("You are registered: %(meeting)s")
        subject %= {"meeting": registration.meeting.title}
        _send_to_registrant(registration, "registration_received", subject)


def send_registration_promoted(pk: int) -> None:
    registration = _registration(pk)
    with translation.override(registration.language):
        subject = _("A seat is free for you: %(meeting)s") % {"meeting": registration.meeting.title}
        _send_to_registrant(registration, "registration_promoted", subject)


def send_registration_cancelled(pk: int) -> None:
    registration = _registration(pk)
    with translation.override(registration.language):
        subject = _("Registration cancelled: %(meeting)s") % {"meeting": registration.meeting.title}
        _send_to_registrant(registration, "registration_cancelled", subject)


def send_invitations(invitation_ids: list[int]) -> None:
    """One mail per association, in Finnish (the associations' working language here)."""
    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related(
        "meeting__forum", "organisation"
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for invitation in invitations:
            meeting = invitation.meeting
            context = {
                "invitation": invitation,
                "meeting": meeting,
                "meeting_url": _site_link(meeting.get_absolute_url()),
            }
            messages.append(
                EmailMessage(
                    subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
                    + _("Invitation: %(meeting)s") % {"meeting": meeting.title},
                    body=render_to_string("forums/email/invitation.txt", context),
                    to=[invitation.email],
                    reply_to=[meeting.forum.contact_email] if meeting.forum.contact_email else None,
                )
            )
    if messages:
        mailers.default.send_messages(messages)  # one connection for the whole batch

"""Emails to the applicant association, sent only after the transaction commits."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from directory.models import Membership

logger = logging.getLogger(__name__)


def recipients_for(organisation) -> list[str]:
    """Everyone who acts for the association in the portal (its admins and editors)."""
    emails = Membership.objects.filter(organisation=organisation, user__is_active=True).values_list(
        "user__email", flat=True
    )
    return sorted({email for email in emails if email})


def notify_organisation(organisation, template: str, context: dict) -> None:
    """Send templates/grants/email/<template>_{subject,body}.txt once the writes are committed."""
    recipients = recipients_for(organisation)
    if not recipients:
        return
    context = {**context, "organisation": organisation, "site_url": settings.SITE_URL}

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(f"grants/email/{template}_subject.txt", context)
            body = render_to_string(f"grants/email/{template}_body.txt", context)
        send_mail(" ".join(subject.split()), body, None, recipients)

    # robust: a mail server that is down must not turn a saved application into an error page.
    transaction.on_commit(send, robust=True)

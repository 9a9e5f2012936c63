"""Attendee lists for staff: a CSV for spreadsheets and a printable page."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.spreadsheet import safe_cell
from forums.formatting import moment
from forums.models import Meeting, Registration


def attendee_rows(meeting: Meeting) -> list[Registration]:
    """Active registrations: seated first by association and name, then the waitlist in order."""
    registrations = (
        meeting.registrations.active().select_related("user", "organisation").order_by("pk")
    )
    confirmed = sorted(
        (r for r in registrations if r.status == Registration.Status.CONFIRMED),
        key=lambda r: (
            r.organisation.name if r.organisation else "~",
            r.user.get_full_name().casefold(),
            r.pk,
        ),
    )
    waitlisted = sorted(
        (r for r in registrations if r.status == Registration.Status.WAITLISTED),
        key=lambda r: (r.created_at, r.pk),
    )
    return confirmed + waitlisted


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def attendees_csv_response(meeting: Meeting) -> HttpResponse:
    """UTF-8 with a byte order mark and semicolons: what Finnish Excel opens without a wizard."""
    filename = f"{slugify(meeting.forum.name)}-{meeting.slug}-{_('attendees')}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename[:-4])}.csv"'
    response["Cache-Control"] = "no-store"  # names, emails and diets: never kept in a cache
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Association"),
            _("Taking part"),
            _("Status"),
            _("Shared transport"),
            _("Special diet"),
            meeting.free_text_question or _("Answer"),
            _("Registered"),
        ]
    )
    for registration in attendee_rows(meeting):
        writer.writerow(
            safe_cell(value)
            for value in [
                registration.user.get_full_name(),
                registration.user.email,
                registration.organisation.name if registration.organisation else _("resident"),
                registration.get_attendance_display(),
                registration.get_status_display(),
                _yes_no(registration.needs_transport),
                registration.diet,
                registration.answer,
                moment(timezone.localtime(registration.created_at)),
            ]
        )
    return response

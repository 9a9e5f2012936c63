"""Who may see and change grant applications, attachments and reports.

- An application is seen by the members of its association (any role) and by grants staff.
- It is edited only by members of a verified association the user acts for.
- Grants staff are city staff with two-step verification (the admin's own permission).
- A staff member is disqualified from an application when they declared a conflict of
  interest or are a member of the applicant association; then they see no scores and may not
  score or decide it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from directory.models import Membership, is_city_staff
from directory.permissions import organisations_user_acts_for
from grants.models import Application, Attachment, ConflictDeclaration, UseReport

# "Yhteisöjääviys": the reviewer is a member of the applicant association.
MEMBER_OF_APPLICANT = _("member of the applicant association (yhteisöjääviys)")


# Staff powers need two-step verification, as in the admin (one rule for every module).
is_grants_staff = is_city_staff


def is_member_of(user, organisation) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def get_application_for_user(user, pk: int, need: str = "view") -> Application:
    """The application, if the user may `need` it: view or edit (as the applicant).

    404 when the user is neither a member of the applicant nor grants staff, 403 when a
    member may see it but may not act for the association (not verified).
    """
    if need not in {"view", "edit"}:
        raise ValueError(f"Unknown need {need!r}")
    try:
        application = Application.objects.select_related("round", "organisation", "group").get(
            pk=pk
        )
    except Application.DoesNotExist:
        raise Http404 from None
    member = is_member_of(user, application.organisation)
    if need == "view":
        # A draft is the association's own until it is sent.
        staff_may_see = is_grants_staff(user) and application.state != Application.State.DRAFT
        if member or staff_may_see:
            return application
        raise Http404
    if not member:
        raise Http404
    if not organisations_user_acts_for(user).filter(pk=application.organisation_id).exists():
        raise PermissionDenied
    return application


def get_attachment_for_user(user, pk: int) -> Attachment:
    """An attachment may be read by the applicant's members and by grants staff only."""
    try:
        attachment = Attachment.objects.select_related(
            "application__organisation", "report__decision__organisation"
        ).get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    if attachment.application_id:
        organisation = attachment.application.organisation
        sent = attachment.application.state != Application.State.DRAFT
    else:
        organisation = attachment.report.decision.organisation
        sent = True
    if is_member_of(user, organisation) or (sent and is_grants_staff(user)):
        return attachment
    raise Http404


def get_report_for_user(user, pk: int) -> UseReport:
    try:
        report = UseReport.objects.select_related("decision__organisation").get(pk=pk)
    except UseReport.DoesNotExist:
        raise Http404 from None
    if is_member_of(user, report.decision.organisation) or is_grants_staff(user):
        return report
    raise Http404


def conflict_of(user, application: Application) -> str | None:
    """Why the user is disqualified from the application, or None."""
    declaration = ConflictDeclaration.objects.filter(application=application, user=user).first()
    if declaration is not None:
        return declaration.reason
    if is_member_of(user, application.organisation):
        return str(MEMBER_OF_APPLICANT)
    return None


def disqualified_people(application: Application) -> list[dict]:
    """Everyone disqualified from the application: declared conflicts and staff members of it."""
    people = {}
    for declaration in ConflictDeclaration.objects.filter(application=application).select_related(
        "user"
    ):
        people[declaration.user_id] = {
            "name": declaration.user.get_full_name(),
            "kind": "declared",
            "reason": declaration.reason,
        }
    staff_members = Membership.objects.filter(
        organisation=application.organisation, user__is_staff=True
    ).select_related("user")
    for membership in staff_members:
        people.setdefault(
            membership.user_id,
            {"name": membership.user.get_full_name(), "kind": "member", "reason": ""},
        )
    return sorted(people.values(), key=lambda person: person["name"])


def require_not_disqualified(user, application: Application) -> None:
    if conflict_of(user, application) is not None:
        raise PermissionDenied

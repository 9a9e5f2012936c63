"""Every write of the grants module: typed, keyword-only, atomic, audited, mail on commit.

Deadlines are judged by the database clock (``Now()``) inside the writing transaction, and the
same moment is recorded as the submission time. Budgets are guarded by locking the round and
pot rows (``SELECT … FOR UPDATE``) before summing; a trigger in PostgreSQL checks them again.
"""

import zlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from config.audit import acting_as
from directory.permissions import organisations_user_acts_for
from grants import emails
from grants.files import FileType, clean_file_name, sha256_of
from grants.models import (
    ZERO,
    Application,
    ApplicationVersion,
    Attachment,
    AttachmentKind,
    BudgetLine,
    ConflictDeclaration,
    Decision,
    Pot,
    Review,
    Round,
    UseReport,
)
from grants.money import euros
from grants.permissions import conflict_of, disqualified_people, is_grants_staff


class GrantError(Exception):
    """A refusal to show the person as it is: already translated, friendly."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _database_now(round_id: int):
    """PostgreSQL's clock (``Now()``: the current statement's time), not this server's."""
    return (
        Round.objects.filter(pk=round_id)
        .annotate(db_now=Now())
        .values_list("db_now", flat=True)
        .get()
    )


# Applicants ----------------------------------------------------------------------------------


def application_start(*, user, round: Round, organisation, group) -> tuple[Application, bool]:
    """A draft for the association, or its existing application in this round."""
    if not organisations_user_acts_for(user).filter(pk=organisation.pk).exists():
        raise GrantError(_("You can apply only for a verified association you are a member of."))
    if not round.is_always_open:
        existing = Application.objects.filter(round=round, organisation=organisation).first()
        if existing is not None:
            return existing, False
    if not round.is_open:
        raise GrantError(_("This round is not open for applications."))
    try:
        with transaction.atomic(), acting_as(user):
            if round.is_always_open:
                # Several applications per association are allowed here, but not one per click:
                # the draft this person started a moment ago is the one they meant.
                existing = _just_started(user=user, round=round, organisation=organisation)
                if existing is not None:
                    return existing, False
            application = Application.objects.create(
                round=round,
                organisation=organisation,
                group=group,
                created_by=user,
                unique_per_round=not round.is_always_open,
            )
            emails.notify_organisation(
                organisation, "application_started", {"application": application, "user": user}
            )
    except IntegrityError:
        # Two members started at the same moment: the other's draft is the association's one.
        return Application.objects.get(round=round, organisation=organisation), False
    return application, True


RESUBMISSION_WINDOW = timedelta(minutes=10)
_START_LOCK = zlib.crc32(b"grants.application_start") & 0x7FFFFFFF


def _just_started(*, user, round: Round, organisation) -> Application | None:
    """The untouched draft `user` started in this round a moment ago, waiting for a concurrent
    identical request to finish first (a double click, a second tab, a retry)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_START_LOCK, user.pk % 2**31])
    return (
        Application.objects.filter(
            round=round,
            organisation=organisation,
            created_by=user,
            state=Application.State.DRAFT,
            purpose="",
            created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
        )
        .order_by("pk")
        .first()
    )


def _lock_editable(application_id: int) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "organisation")
        .get(pk=application_id)
    )
    if not application.is_editable:
        raise GrantError(_("This application has already been sent and can no longer be changed."))
    return application


def application_save_draft(
    *,
    user,
    application_id: int,
    group,
    purpose: str,
    requested_amount: Decimal,
    income: list[tuple[str, Decimal]],
    expenses: list[tuple[str, Decimal]],
) -> Application:
    with transaction.atomic(), acting_as(user):
        application = _lock_editable(application_id)
        application.group = group
        application.purpose = purpose.strip()
        application.requested_amount = requested_amount
        application.save(update_fields=["group", "purpose", "requested_amount", "updated_at"])
        application.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    application=application,
                    kind=kind,
                    description=description,
                    amount=amount,
                    position=position,
                )
                for kind, lines in (
                    (BudgetLine.Kind.INCOME, income),
                    (BudgetLine.Kind.EXPENSE, expenses),
                )
                for position, (description, amount) in enumerate(lines)
            ]
        )
    return application


def attachment_add(
    *, user, application_id: int, kind: str, upload, file_type: FileType
) -> Attachment:
    with transaction.atomic(), acting_as(user):
        application = _lock_editable(application_id)
        # The same file sent again (double click, retry) is the attachment already there.
        same = application.attachments.filter(
            kind=kind, sha256=sha256_of(upload), removed_at__isnull=True
        ).first()
        if same is not None:
            return same
        return _store_attachment(
            user=user, upload=upload, file_type=file_type, kind=kind, application=application
        )


def _store_attachment(*, user, upload, file_type: FileType, kind: str, **owner) -> Attachment:
    attachment = Attachment(
        kind=kind,
        original_name=clean_file_name(upload.name),
        content_type=file_type.content_type,
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=user,
        **owner,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def attachment_remove(*, user, attachment_id: int) -> None:
    with transaction.atomic(), acting_as(user):
        attachment = Attachment.objects.get(pk=attachment_id)
        if attachment.application_id is None:
            raise GrantError(_("This file cannot be removed."))
        _lock_editable(attachment.application_id)
        if attachment.frozen_at is not None:
            # Part of a sent version: it stays for that version, only leaves the application.
            attachment.removed_at = timezone.now()
            attachment.save(update_fields=["removed_at"])
            return
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def submission_problems(application: Application) -> list[str]:
    """What still stops the application from being sent, in words the applicant understands."""
    problems = []
    if not application.purpose.strip():
        problems.append(_("Tell what the grant is for."))
    if application.requested_amount <= 0:
        problems.append(_("Enter the amount you apply for."))
    if not application.expense_lines:
        problems.append(_("Add at least one expense to the budget."))
    elif application.requested_amount > application.funding_gap:
        problems.append(
            _(
                "The budget does not add up: expenses %(expenses)s minus other income "
                "%(income)s leave %(gap)s, but you apply for %(requested)s. Check the amounts."
            )
            % {
                "expenses": euros(application.total_expenses),
                "income": euros(application.total_income),
                "gap": euros(max(application.funding_gap, ZERO)),
                "requested": euros(application.requested_amount),
            }
        )
    pots = list(application.round.pots.all())
    if pots and application.group_id not in {pot.group_id for pot in pots}:
        problems.append(_("Choose one of the applicant groups of this round."))
    attached = {a.kind for a in application.attachments.all() if a.removed_at is None}
    labels = dict(AttachmentKind.choices)
    missing = [str(labels[k]) for k in application.round.required_attachments if k not in attached]
    if missing:
        problems.append(_("Attach: %(missing)s.") % {"missing": ", ".join(missing)})
    return problems


def snapshot_of(application: Application) -> dict:
    return {
        "organisation": application.organisation.name,
        "round": application.round.name,
        "group": application.group.name_fi,
        "purpose": application.purpose,
        "requested_amount": str(application.requested_amount),
        "income": [
            {"description": line.description, "amount": str(line.amount)}
            for line in application.income_lines
        ],
        "expenses": [
            {"description": line.description, "amount": str(line.amount)}
            for line in application.expense_lines
        ],
        "total_income": str(application.total_income),
        "total_expenses": str(application.total_expenses),
        "attachments": [
            {
                "id": attachment.pk,
                "kind": attachment.kind,
                "name": attachment.original_name,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
            for attachment in application.attachments.all()
            if attachment.removed_at is None
        ],
    }


def application_submit(*, user, application_id: int, versions_seen: int) -> ApplicationVersion:
    """Send the application (or its correction): exactly one new frozen version, or a refusal."""
    with transaction.atomic(), acting_as(user):
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "organisation", "group")
            .get(pk=application_id)
        )
        count = application.versions.count()
        if count != versions_seen or not application.is_editable:
            raise GrantError(_("This application has already been sent. Nothing was sent twice."))
        # The database clock, read inside this transaction, decides; and is recorded.
        db_now = _database_now(application.round_id)
        round = application.round
        if application.state == Application.State.DRAFT:
            kind = ApplicationVersion.Kind.SUBMISSION
            if db_now < round.opens_at:
                raise GrantError(_("This round is not open yet."))
            if not round.is_always_open and db_now >= round.closes_at:
                raise GrantError(
                    _(
                        "The application period ended at %(deadline)s. "
                        "Late applications are not accepted."
                    )
                    % {"deadline": local(round.closes_at)}
                )
        else:
            kind = ApplicationVersion.Kind.CORRECTION
            if db_now >= application.correction_deadline:
                raise GrantError(
                    _(
                        "The correction deadline ended at %(deadline)s. "
                        "Contact the city's grants staff."
                    )
                    % {"deadline": local(application.correction_deadline)}
                )
        problems = submission_problems(application)
        if problems:
            raise GrantError(_("The application cannot be sent yet."), problems)
        version = ApplicationVersion.objects.create(
            application=application,
            number=count + 1,
            kind=kind,
            group=application.group,
            requested_amount=application.requested_amount,
            snapshot=snapshot_of(application),
            created_at=db_now,
            created_by=user,
        )
        application.attachments.filter(frozen_at__isnull=True).update(frozen_at=db_now)
        application.state = Application.State.SUBMITTED
        application.submitted_at = db_now
        application.correction_deadline = None
        application.save(
            update_fields=["state", "submitted_at", "correction_deadline", "updated_at"]
        )
        emails.notify_organisation(
            application.organisation,
            "application_submitted",
            {"application": application, "version": version, "user": user},
        )
    return version


# Staff -----------------------------------------------------------------------------------------


def _require_staff(user) -> None:
    if not is_grants_staff(user):
        raise GrantError(_("Only the city's grants staff can do this."))


def _require_not_disqualified(user, application) -> None:
    reason = conflict_of(user, application)
    if reason is not None:
        raise GrantError(
            _("You are disqualified from this application (%(reason)s).") % {"reason": reason}
        )


def application_return(*, staff, application_id: int, message: str, deadline) -> Application:
    _require_staff(staff)
    with transaction.atomic(), acting_as(staff):
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=application_id)
        )
        _require_not_disqualified(staff, application)
        if application.state != Application.State.SUBMITTED:
            raise GrantError(_("Only a sent application that has no decision can be returned."))
        application.state = Application.State.RETURNED
        application.correction_request = message.strip()
        application.correction_deadline = deadline
        application.save(
            update_fields=["state", "correction_request", "correction_deadline", "updated_at"]
        )
        emails.notify_organisation(
            application.organisation, "application_returned", {"application": application}
        )
    return application


def conflict_declare(*, staff, application: Application, reason: str) -> ConflictDeclaration:
    _require_staff(staff)
    with transaction.atomic(), acting_as(staff):
        declaration, _created = ConflictDeclaration.objects.get_or_create(
            application=application, user=staff, defaults={"reason": reason.strip()}
        )
    return declaration


def review_save(*, staff, application: Application, scores: dict) -> list[Review]:
    """scores: {criterion: (score, comment)} for the latest version."""
    _require_staff(staff)
    with transaction.atomic(), acting_as(staff):
        _require_not_disqualified(staff, application)
        if application.state != Application.State.SUBMITTED:
            raise GrantError(_("Only a sent application waiting for a decision can be scored."))
        version = application.versions.order_by("-number").first()
        saved = []
        for criterion, (score, comment) in scores.items():
            if criterion.round_id != application.round_id or not 0 <= score <= criterion.max_score:
                raise GrantError(_("A score is outside the criterion's scale."))
            review, _created = Review.objects.update_or_create(
                application=application,
                criterion=criterion,
                reviewer=staff,
                defaults={"score": score, "comment": comment.strip(), "version": version},
            )
            saved.append(review)
    return saved


@dataclass(frozen=True)
class ReportBlock:
    decision: Decision
    reason: str


def report_blocks(organisation, year: int) -> list[ReportBlock]:
    """Earlier grants whose report on use is missing, rejected or unanswered.

    Any of them blocks a new positive decision for the association in a round of `year`.
    """
    blocks = []
    earlier = (
        Decision.objects.filter(organisation=organisation, amount__gt=0, round__year__lt=year)
        .select_related("round", "report")
        .order_by("round__year", "pk")
    )
    for decision in earlier:
        report = getattr(decision, "report", None)
        if report is None:
            reason = _("the report on use of the %(year)s grant (%(round)s) is missing")
        elif report.status == UseReport.Status.REJECTED:
            reason = _("the report on use of the %(year)s grant (%(round)s) was rejected")
        elif report.status == UseReport.Status.MORE_REQUESTED:
            reason = _(
                "more information was asked on the report on use of the %(year)s grant "
                "(%(round)s) and has not been given"
            )
        else:
            continue
        blocks.append(
            ReportBlock(decision, reason % {"year": decision.round.year, "round": decision.round})
        )
    return blocks


def budget_use(round: Round) -> dict:
    """Decided and remaining amounts of the round and of each pot, read now."""
    decided = Decision.objects.filter(round=round).aggregate(total=Sum("amount"))["total"] or ZERO
    by_group = dict(
        Decision.objects.filter(round=round)
        .values("group")
        .annotate(total=Sum("amount"))
        .values_list("group", "total")
    )
    pots = [
        {
            "pot": pot,
            "decided": by_group.get(pot.group_id, ZERO),
            "remaining": pot.budget - by_group.get(pot.group_id, ZERO),
        }
        for pot in round.pots.select_related("group")
    ]
    return {
        "budget": round.budget,
        "decided": decided,
        "remaining": round.budget - decided,
        "pots": pots,
    }


def decision_make(
    *,
    staff,
    application_id: int,
    version_id: int,
    amount: Decimal,
    rejection_reason: str = "",
    is_public: bool = True,
) -> Decision:
    _require_staff(staff)
    rejection_reason = rejection_reason.strip()
    with transaction.atomic(), acting_as(staff):
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation", "round")
            .get(pk=application_id)
        )
        _require_not_disqualified(staff, application)
        if application.state == Application.State.DECIDED:
            raise GrantError(_("This application has already been decided."))
        if application.state != Application.State.SUBMITTED:
            raise GrantError(_("Only a sent application can be decided."))
        version = application.versions.order_by("-number").first()
        if version.pk != version_id:
            raise GrantError(
                _("A newer version of the application has arrived. Read it before deciding.")
            )
        if amount < 0 or amount > version.requested_amount:
            raise GrantError(
                _("The amount must be between 0 and the amount applied for, %(requested)s.")
                % {"requested": euros(version.requested_amount)}
            )
        if amount == 0 and not rejection_reason:
            raise GrantError(_("Give the reason when nothing is granted."))
        if amount > 0:
            blocks = report_blocks(application.organisation, application.round.year)
            if blocks:
                raise GrantError(
                    _("Nothing can be granted yet: %(reasons)s.")
                    % {"reasons": "; ".join(block.reason for block in blocks)}
                )
        # Lock the round, then the pot: every decision in the round waits here in turn.
        round = Round.objects.select_for_update().get(pk=application.round_id)
        pot = Pot.objects.select_for_update().filter(round=round, group=version.group_id).first()
        round_used = Decision.objects.filter(round=round).aggregate(t=Sum("amount"))["t"] or ZERO
        if round_used + amount > round.budget:
            raise GrantError(
                _("The round's budget has only %(left)s left.")
                % {"left": euros(round.budget - round_used)}
            )
        if pot is not None:
            pot_used = (
                Decision.objects.filter(round=round, group=version.group_id).aggregate(
                    t=Sum("amount")
                )["t"]
                or ZERO
            )
            if pot_used + amount > pot.budget:
                raise GrantError(
                    _("The pot of %(group)s has only %(left)s left.")
                    % {"group": pot.group, "left": euros(pot.budget - pot_used)}
                )
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    application=application,
                    version=version,
                    round=round,
                    group_id=version.group_id,
                    organisation=application.organisation,
                    requested_amount=version.requested_amount,
                    amount=amount,
                    rejection_reason=rejection_reason,
                    is_public=is_public,
                    disqualified=disqualified_people(application),
                    decided_by=staff,
                    decided_at=_database_now(round.pk),
                )
        except IntegrityError:
            # The database's own budget check: only reached if someone bypassed the locks above.
            raise GrantError(_("The decision would exceed the budget.")) from None
        application.state = Application.State.DECIDED
        application.save(update_fields=["state", "updated_at"])
        emails.notify_organisation(
            application.organisation,
            "application_decided",
            {"application": application, "decision": decision},
        )
    return decision


def decision_set_public(*, staff, decision: Decision, is_public: bool) -> Decision:
    _require_staff(staff)
    with transaction.atomic(), acting_as(staff):
        decision.is_public = is_public
        decision.save(update_fields=["is_public"])
    return decision


# Reports on use ------------------------------------------------------------------------------


def report_submit(
    *,
    user,
    decision: Decision,
    amount_used: Decimal,
    narrative: str,
    upload=None,
    file_type: FileType | None = None,
) -> UseReport:
    if not organisations_user_acts_for(user).filter(pk=decision.organisation_id).exists():
        raise GrantError(_("You can report only for a verified association you are a member of."))
    if decision.amount <= 0:
        raise GrantError(_("A report on use is needed only for a granted amount."))
    with transaction.atomic(), acting_as(user):
        report = UseReport.objects.select_for_update().filter(decision=decision).first()
        if report is not None and not report.is_editable:
            raise GrantError(
                _("This report has already been handled and can no longer be changed.")
            )
        unused = max(decision.amount - amount_used, ZERO)
        if report is None:
            report = UseReport(decision=decision)
        report.status = UseReport.Status.SUBMITTED
        report.amount_used = amount_used
        report.narrative = narrative.strip()
        report.unused_amount = unused
        report.submitted_by = user
        report.submitted_at = timezone.now()
        report.save()
        if upload is not None:
            _store_attachment(
                user=user,
                upload=upload,
                file_type=file_type,
                kind=AttachmentKind.OTHER,
                report=report,
            )
        emails.notify_organisation(
            decision.organisation, "report_submitted", {"report": report, "decision": decision}
        )
    return report


def report_review(*, staff, report_id: int, outcome: str, comment: str = "") -> UseReport:
    _require_staff(staff)
    statuses = {
        "accept": UseReport.Status.ACCEPTED,
        "more": UseReport.Status.MORE_REQUESTED,
        "reject": UseReport.Status.REJECTED,
    }
    with transaction.atomic(), acting_as(staff):
        report = (
            UseReport.objects.select_for_update(of=("self",))
            .select_related("decision__organisation")
            .get(pk=report_id)
        )
        if report.status != UseReport.Status.SUBMITTED:
            raise GrantError(_("This report is not waiting for review."))
        report.status = statuses[outcome]
        report.staff_comment = comment.strip()
        report.reviewed_by = staff
        report.reviewed_at = timezone.now()
        # Recorded at acceptance too, so the reclaim list never depends on later edits.
        report.unused_amount = max(report.decision.amount - report.amount_used, ZERO)
        report.save()
        emails.notify_organisation(
            report.decision.organisation,
            "report_reviewed",
            {"report": report, "decision": report.decision},
        )
    return report

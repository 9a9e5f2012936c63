"""Grant rounds, applications with their frozen versions, reviews, decisions and reports on use.

The rules that must hold whatever path writes the rows live in PostgreSQL:
- a submitted version can never be changed or deleted (trigger);
- the decisions of a round and of each pot never exceed its budget (a trigger that locks the
  round and pot rows, so two staff deciding at the same moment are serialised);
- a decision keeps its amount, version and decider; only its publicity may change (trigger);
- amounts are never negative, a decision is between 0 and the requested amount, and a
  rejection has a reason (check constraints).
"""

import os
import uuid
from decimal import Decimal
from pathlib import PurePath

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from config.audit import track
from directory.models import Organisation, TaxonomyTerm

ZERO = Decimal("0.00")
MONEY = {"max_digits": 12, "decimal_places": 2}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, read at use (tests move it); no public URL."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(settings.PRIVATE_MEDIA_ROOT)

    @property
    def base_url(self):
        return None  # url() raises: the files are served only through the permission-checked view

    def url(self, name):
        raise ValueError("Private files have no public address.")


private_storage = PrivateStorage()


def private_upload_to(instance, filename):
    """A random name: the user's file name is kept in the database, never in the path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"grants/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ApplicantGroup(TaxonomyTerm):
    """The groups Kuopio's general grants are split into (liikuntaseurat, nuorisojärjestöt …)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("applicant group")
        verbose_name_plural = _("applicant groups")


class GrantKind(models.TextChoices):
    GENERAL = "general", _("general grant")
    SPECIAL = "special", _("special grant")
    EVENT_PRODUCTION = "event_production", _("event production support")
    WORKSPACE = "workspace", _("artists' workspace grant")
    COOPERATION = "cooperation", _("cooperation agreement")


class AttachmentKind(models.TextChoices):
    ACTION_PLAN = "action_plan", _("action plan")
    BUDGET = "budget", _("budget")
    FINANCIAL_STATEMENTS = "financial_statements", _("financial statements")
    ANNUAL_REPORT = "annual_report", _("annual report")
    AUDITORS_REPORT = "auditors_report", _("auditor's report")
    OTHER = "other", _("other attachment")


class RoundQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_at(self, moment):
        return self.filter(opens_at__lte=moment).filter(
            Q(is_always_open=True) | Q(closes_at__gt=moment)
        )

    def upcoming_at(self, moment):
        return self.filter(opens_at__gt=moment)

    def with_budget_use(self):
        decided = (
            Decision.objects.filter(round=models.OuterRef("pk"))
            .values("round")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(
            decided_total=Coalesce(
                models.Subquery(decided), ZERO, output_field=models.DecimalField(**MONEY)
            )
        ).annotate(remaining=models.F("budget") - models.F("decided_total"))


@track()
class Round(models.Model):
    """A call for applications: one grant type, one year, exact opening and closing moments."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    kind = models.CharField(_("grant type"), max_length=20, choices=GrantKind.choices)
    year = models.PositiveSmallIntegerField(_("grant year"))
    instructions = models.TextField(_("instructions"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(
        _("closes"),
        null=True,
        blank=True,
        help_text=_("An exact moment in Finnish time. Applications are refused from this moment."),
    )
    is_always_open = models.BooleanField(
        _("always open"),
        default=False,
        help_text=_("Special grants can be applied for at any time; then there is no closing."),
    )
    budget = models.DecimalField(_("budget (EUR)"), **MONEY)
    required_attachments = ArrayField(
        models.CharField(max_length=30, choices=AttachmentKind.choices),
        verbose_name=_("required attachments"),
        default=list,
        blank=True,
    )
    report_due_on = models.DateField(_("report on use due"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")
        ordering = ["-year", "opens_at", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="round_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(is_always_open=True, closes_at__isnull=True)
                | Q(is_always_open=False, closes_at__gt=models.F("opens_at")),
                name="round_closes_after_opening_unless_always_open",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="round_year_sensible"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grants:round-detail", kwargs={"slug": self.slug})

    def is_open_at(self, moment) -> bool:
        if moment < self.opens_at:
            return False
        return self.is_always_open or moment < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    def get_required_attachments_display(self) -> list[str]:
        labels = dict(AttachmentKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.required_attachments]


@track()
class Pot(models.Model):
    """The share of a round's budget reserved for one applicant group."""

    round = models.ForeignKey(
        Round, verbose_name=_("grant round"), on_delete=models.CASCADE, related_name="pots"
    )
    group = models.ForeignKey(
        ApplicantGroup, verbose_name=_("applicant group"), on_delete=models.PROTECT
    )
    budget = models.DecimalField(_("budget (EUR)"), **MONEY)

    class Meta:
        verbose_name = _("pot")
        verbose_name_plural = _("pots")
        ordering = ["group__position", "group__name_fi"]
        constraints = [
            models.UniqueConstraint(fields=["round", "group"], name="pot_one_per_group"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="pot_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.round} – {self.group}"


@track()
class Criterion(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("grant round"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=1, max_score__lte=10), name="criterion_max_score_1_10"
            ),
        ]

    def __str__(self):
        return self.name


class ApplicationQuerySet(models.QuerySet):
    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def submitted(self):
        return self.exclude(state=Application.State.DRAFT)


@track()
class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        DECIDED = "decided", _("decided")

    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    round = models.ForeignKey(
        Round, verbose_name=_("grant round"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    group = models.ForeignKey(
        ApplicantGroup, verbose_name=_("applicant group"), on_delete=models.PROTECT
    )
    purpose = models.TextField(
        _("purpose"),
        blank=True,
        help_text=_("What will the grant be used for, and who will benefit?"),
    )
    requested_amount = models.DecimalField(_("amount applied for (EUR)"), default=ZERO, **MONEY)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    correction_request = models.TextField(_("what to correct"), blank=True)
    correction_deadline = models.DateTimeField(_("correction deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Copied from the round: one application per association, except in always-open rounds.
    unique_per_round = models.BooleanField(default=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="application_requested_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | Q(correction_deadline__isnull=False),
                name="application_returned_has_deadline",
            ),
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=Q(unique_per_round=True),
                name="application_one_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.round}"

    def get_absolute_url(self):
        return reverse("grants:application-detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @cached_property
    def income_lines(self):
        return [line for line in self.budget_lines.all() if line.kind == BudgetLine.Kind.INCOME]

    @cached_property
    def expense_lines(self):
        return [line for line in self.budget_lines.all() if line.kind == BudgetLine.Kind.EXPENSE]

    @property
    def total_income(self) -> Decimal:
        return sum((line.amount for line in self.income_lines), ZERO)

    @property
    def total_expenses(self) -> Decimal:
        return sum((line.amount for line in self.expense_lines), ZERO)

    @property
    def funding_gap(self) -> Decimal:
        """What the other income leaves uncovered: the most the grant can sensibly be."""
        return self.total_expenses - self.total_income


@track()
class BudgetLine(models.Model):
    class Kind(models.TextChoices):
        INCOME = "income", _("income")
        EXPENSE = "expense", _("expense")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["kind", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budget_line_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.description}: {self.amount}"


class ApplicationVersion(models.Model):
    """What the applicant sent, frozen: every submission and correction adds one."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("submission")
        CORRECTION = "correction", _("correction")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    group = models.ForeignKey(
        ApplicantGroup, verbose_name=_("applicant group"), on_delete=models.PROTECT
    )
    requested_amount = models.DecimalField(_("amount applied for (EUR)"), **MONEY)
    snapshot = models.JSONField(_("contents"))
    created_at = models.DateTimeField(_("submitted"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("application version")
        verbose_name_plural = _("application versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="application_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="version_requested_not_negative"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="version_is_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self):
        return f"{self.application} v{self.number}"


@track()
class Attachment(models.Model):
    """A file of an application or of a report on use, checked by content, stored privately."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    report = models.ForeignKey(
        "UseReport",
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=private_upload_to, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Set when the file becomes part of a submitted version; from then on it is never deleted.
    frozen_at = models.DateTimeField(null=True, blank=True)
    # A frozen file taken out of the application during a correction stays for the old version.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False, report__isnull=True)
                | Q(application__isnull=True, report__isnull=False),
                name="attachment_belongs_to_one_owner",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="frozen_attachment_kept",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Q(old__frozen_at__isnull=False),
            ),
            pgtrigger.Protect(
                name="frozen_attachment_unchanged",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(
                    "OLD.frozen_at IS NOT NULL AND ("
                    "OLD.file IS DISTINCT FROM NEW.file"
                    " OR OLD.sha256 IS DISTINCT FROM NEW.sha256"
                    " OR OLD.size IS DISTINCT FROM NEW.size"
                    " OR OLD.original_name IS DISTINCT FROM NEW.original_name"
                    " OR OLD.application_id IS DISTINCT FROM NEW.application_id"
                    " OR NEW.frozen_at IS NULL)"
                ),
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_download_url(self):
        return reverse("grants:attachment-download", kwargs={"pk": self.pk})


@track()
class ConflictDeclaration(models.Model):
    """A staff member's own declaration that they are disqualified (esteellinen)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="conflicts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["application", "user"], name="conflict_once"),
        ]

    def __str__(self):
        return f"{self.user}: {self.reason}"


@track()
class Review(models.Model):
    """One reviewer's score and comment on one criterion of one application."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(
        ApplicationVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["criterion__position", "criterion_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "reviewer"], name="review_once_per_criterion"
            ),
            models.CheckConstraint(condition=Q(score__lte=10), name="review_score_at_most_10"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class DecisionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def granted(self):
        return self.filter(amount__gt=0)


BUDGET_TRIGGER_SQL = """
SELECT budget INTO round_budget FROM grants_round WHERE id = NEW.round_id FOR UPDATE;
SELECT COALESCE(SUM(amount), 0) INTO used FROM grants_decision
    WHERE round_id = NEW.round_id AND id IS DISTINCT FROM NEW.id;
IF used + NEW.amount > round_budget THEN
    RAISE EXCEPTION 'grant decisions would exceed the budget of round %', NEW.round_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'decision_within_round_budget';
END IF;
SELECT budget INTO pot_budget FROM grants_pot
    WHERE round_id = NEW.round_id AND group_id = NEW.group_id FOR UPDATE;
IF FOUND THEN
    SELECT COALESCE(SUM(amount), 0) INTO used FROM grants_decision
        WHERE round_id = NEW.round_id AND group_id = NEW.group_id AND id IS DISTINCT FROM NEW.id;
    IF used + NEW.amount > pot_budget THEN
        RAISE EXCEPTION 'grant decisions would exceed the pot of group % in round %',
            NEW.group_id, NEW.round_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'decision_within_pot_budget';
    END IF;
END IF;
RETURN NEW;
"""


@track()
class Decision(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    version = models.OneToOneField(
        ApplicationVersion,
        verbose_name=_("decided version"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    # Copied from the application so budget sums and public lists need no joins.
    round = models.ForeignKey(
        Round, verbose_name=_("grant round"), on_delete=models.PROTECT, related_name="decisions"
    )
    group = models.ForeignKey(
        ApplicantGroup, verbose_name=_("applicant group"), on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="grant_decisions",
    )
    requested_amount = models.DecimalField(_("amount applied for (EUR)"), **MONEY)
    amount = models.DecimalField(_("amount granted (EUR)"), **MONEY)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    # Names and reasons as they were at the decision ("Esteelliset: …").
    disqualified = models.JSONField(_("disqualified"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"))

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="decision_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount__lte=models.F("requested_amount")),
                name="decision_at_most_requested",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) | ~Q(rejection_reason=""),
                name="decision_rejection_has_reason",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="decision_within_budget",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("amount", "round_id", "group_id"),
                declare=[
                    ("round_budget", "numeric"),
                    ("pot_budget", "numeric"),
                    ("used", "numeric"),
                ],
                func=BUDGET_TRIGGER_SQL,
            ),
            pgtrigger.Protect(name="decision_not_deleted", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="decision_only_publicity_changes",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["is_public"]),
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.amount} €"

    @property
    def is_rejection(self) -> bool:
        return self.amount == 0


class UseReportQuerySet(models.QuerySet):
    def to_reclaim(self):
        return self.filter(status=UseReport.Status.ACCEPTED, unused_amount__gt=0)


@track()
class UseReport(models.Model):
    """Käyttöselvitys: how the granted money was used."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for review")
        MORE_REQUESTED = "more_requested", _("more information asked")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="report")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    amount_used = models.DecimalField(_("amount used (EUR)"), **MONEY)
    narrative = models.TextField(_("how the grant was used"))
    # Granted minus used, when positive: the city invoices it back.
    unused_amount = models.DecimalField(_("unused amount (EUR)"), **MONEY)
    reclaimed_on = models.DateField(_("reclaimed on"), null=True, blank=True)
    staff_comment = models.TextField(_("comment from the city"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = UseReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report on use")
        verbose_name_plural = _("reports on use")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_used__gte=0), name="report_amount_used_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(unused_amount__gte=0), name="report_unused_not_negative"
            ),
        ]

    def __str__(self):
        return str(self.decision)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.MORE_REQUESTED)

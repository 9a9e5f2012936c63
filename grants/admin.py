"""Grants in the admin: rounds with their pots and criteria, and read-only records.

Applications, decisions and reports change only through the staff pages and services (which
lock, check deadlines and budgets, and send mail); the admin shows them and links there.
"""

from django import forms as django_forms
from django.contrib import admin
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from directory.audit_admin import AuditTrailMixin
from grants import forms, services
from grants.models import (
    ZERO,
    ApplicantGroup,
    Application,
    ApplicationVersion,
    AttachmentKind,
    Criterion,
    Decision,
    Pot,
    Round,
    UseReport,
)
from grants.money import euros


class RoundAdminForm(django_forms.ModelForm):
    opens_at = forms.LocalDateTimeField(label=_("Opens"))
    closes_at = forms.LocalDateTimeField(
        label=_("Closes"),
        required=False,
        help_text=_("An exact moment in Finnish time. Applications are refused from this moment."),
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "slug",
            "kind",
            "year",
            "is_published",
            "instructions",
            "opens_at",
            "closes_at",
            "is_always_open",
            "report_due_on",
            "budget",
            "required_attachments",
        ]

    def clean(self):
        cleaned = super().clean()
        always_open, closes_at = cleaned.get("is_always_open"), cleaned.get("closes_at")
        opens_at = cleaned.get("opens_at")
        if always_open and closes_at:
            self.add_error("closes_at", _("An always-open round has no closing moment."))
        if not always_open and not closes_at and "closes_at" not in self.errors:
            self.add_error(
                "closes_at", _("Give the closing moment, or make the round always open.")
            )
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The round must close after it opens."))
        budget = cleaned.get("budget")
        if self.instance.pk and budget is not None:
            decided = self.instance.decisions.aggregate(t=Sum("amount"))["t"] or ZERO
            if budget < decided:
                self.add_error(
                    "budget",
                    _("Already %(decided)s has been decided; the budget cannot be smaller.")
                    % {"decided": euros(decided)},
                )
        return cleaned


class PotForm(django_forms.ModelForm):
    class Meta:
        model = Pot
        fields = ["group", "budget"]

    def clean(self):
        cleaned = super().clean()
        budget, group = cleaned.get("budget"), cleaned.get("group")
        if self.instance.pk and budget is not None and group is not None:
            decided = (
                Decision.objects.filter(round=self.instance.round_id, group=group).aggregate(
                    t=Sum("amount")
                )["t"]
                or ZERO
            )
            if budget < decided:
                self.add_error(
                    "budget",
                    _("Already %(decided)s has been decided; the budget cannot be smaller.")
                    % {"decided": euros(decided)},
                )
        return cleaned


class PotInline(admin.TabularInline):
    model = Pot
    form = PotForm
    extra = 0
    fields = ["group", "budget", "decided_so_far"]
    readonly_fields = ["decided_so_far"]

    @admin.display(description=_("decided"))
    def decided_so_far(self, pot):
        if not pot.pk:
            return "–"
        total = (
            Decision.objects.filter(round=pot.round_id, group=pot.group_id).aggregate(
                t=Sum("amount")
            )["t"]
            or ZERO
        )
        return euros(total)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "name", "description", "max_score"]


@admin.register(Round)
class RoundAdmin(AuditTrailMixin, admin.ModelAdmin):
    form = RoundAdminForm
    list_display = [
        "name",
        "kind",
        "year",
        "opens_at",
        "closes_at",
        "budget_display",
        "remaining_display",
        "is_published",
        "staff_link",
    ]
    list_filter = ["kind", "year", "is_published"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PotInline, CriterionInline]
    readonly_fields = ["budget_status"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "year", "is_published", "instructions"]}),
        (_("Schedule"), {"fields": ["opens_at", "closes_at", "is_always_open", "report_due_on"]}),
        (_("Budget"), {"fields": ["budget", "budget_status"]}),
        (_("Application"), {"fields": ["required_attachments"]}),
    ]

    class Media:
        js = ["grants/budget-live.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "required_attachments":
            return django_forms.TypedMultipleChoiceField(
                choices=AttachmentKind.choices,
                widget=django_forms.CheckboxSelectMultiple,
                required=False,
                label=db_field.verbose_name,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).with_budget_use()

    @admin.display(description=_("budget (EUR)"), ordering="budget")
    def budget_display(self, round):
        return euros(round.budget)

    @admin.display(description=_("remaining"), ordering="remaining")
    def remaining_display(self, round):
        return euros(round.remaining)

    @admin.display(description=_("applications"))
    def staff_link(self, round):
        url = reverse("grants:staff-round-detail", args=[round.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review and decide"))

    @admin.display(description=_("remaining budget now"))
    def budget_status(self, round):
        if not round.pk:
            return "–"
        use = services.budget_use(round)
        return format_html(
            '<span data-budget-url="{}">{} <strong data-budget="remaining">{}</strong> '
            '({} <span data-budget="decided">{}</span>)</span>',
            reverse("grants:staff-round-budget", args=[round.pk]),
            _("Remaining:"),
            euros(use["remaining"]),
            _("decided"),
            euros(use["decided"]),
        )


@admin.register(ApplicantGroup)
class ApplicantGroupAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["name_fi", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_fi"]}


class ReadOnlyAdmin(AuditTrailMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "organisation",
        "round",
        "group",
        "state",
        "requested_amount",
        "submitted_at",
        "review_link",
    ]
    list_filter = ["state", "round", "group"]
    search_fields = ["organisation__name", "purpose"]
    list_select_related = ["organisation", "round", "group"]

    @admin.display(description=_("review"))
    def review_link(self, application):
        if application.state == Application.State.DRAFT:
            return "–"
        url = reverse("grants:staff-application-review", args=[application.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review and decide"))


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(ReadOnlyAdmin):
    list_display = ["application", "number", "kind", "requested_amount", "created_at"]
    list_select_related = ["application__organisation", "application__round"]
    list_filter = ["kind"]


@admin.register(Decision)
class DecisionAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["organisation", "round", "group", "amount", "is_public", "decided_at"]
    list_filter = ["round", "is_public", "group"]
    list_select_related = ["organisation", "round", "group"]
    search_fields = ["organisation__name"]
    readonly_fields = [
        "application",
        "version",
        "round",
        "group",
        "organisation",
        "requested_amount",
        "amount",
        "rejection_reason",
        "disqualified",
        "decided_by",
        "decided_at",
    ]
    fields = [*readonly_fields, "is_public"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReclaimFilter(admin.SimpleListFilter):
    title = _("unused amount")
    parameter_name = "reclaim"

    def lookups(self, request, model_admin):
        return [("open", _("to reclaim")), ("done", _("reclaimed"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.to_reclaim().filter(reclaimed_on__isnull=True)
        if self.value() == "done":
            return queryset.filter(reclaimed_on__isnull=False)
        return queryset


@admin.register(UseReport)
class UseReportAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = [
        "decision",
        "status",
        "amount_used",
        "unused_amount",
        "reclaimed_on",
        "submitted_at",
    ]
    list_filter = ["status", ReclaimFilter]
    list_select_related = ["decision__organisation", "decision__round"]
    readonly_fields = [
        "decision",
        "status",
        "amount_used",
        "narrative",
        "unused_amount",
        "staff_comment",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
    ]
    fields = [*readonly_fields, "reclaimed_on"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

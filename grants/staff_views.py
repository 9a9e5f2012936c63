"""The grants staff's review and decision pages, behind the admin's own permission (staff + MFA).

They complete the admin: scoring per criterion, conflicts of interest, returning an application
for correction, deciding within the budget, and reviewing reports on use.
"""

from django.contrib import admin, messages
from django.db.models import Avg, Count, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from grants import forms, services
from grants.integrations import free_space_use_value
from grants.models import (
    Application,
    Attachment,
    ConflictDeclaration,
    Decision,
    Review,
    Round,
    UseReport,
)
from grants.money import euros
from grants.permissions import conflict_of, disqualified_people


def staff_view(view):
    """Only for the admin's users: active staff with two-step verification (else to login/MFA)."""
    return admin.site.admin_view(view)


def _disqualified_application_ids(user) -> set[int]:
    declared = ConflictDeclaration.objects.filter(user=user).values_list("application", flat=True)
    member = Application.objects.filter(organisation__memberships__user=user).values_list(
        "pk", flat=True
    )
    return set(declared) | set(member)


@staff_view
@require_safe
def round_list(request):
    rounds = (
        Round.objects.with_budget_use()
        .annotate(
            sent=Count("applications", filter=~Q(applications__state="draft")),
            decided=Count("applications", filter=Q(applications__state="decided")),
        )
        .order_by("-year", "-opens_at")
    )
    return render(request, "grants/staff/round_list.html", {"rounds": rounds})


@staff_view
@require_safe
def round_detail(request, pk):
    round = get_object_or_404(Round, pk=pk)
    applications = (
        round.applications.exclude(state=Application.State.DRAFT)
        .select_related("organisation", "group", "decision")
        .annotate(average_score=Avg("reviews__score"))
        .order_by("group__position", "organisation__name")
    )
    context = {
        "round": round,
        "budget": services.budget_use(round),
        "applications": applications,
        "disqualified_ids": _disqualified_application_ids(request.user),
    }
    return render(request, "grants/staff/round_detail.html", context)


@staff_view
@require_safe
def round_budget(request, pk):
    """The remaining budget now, for the live figures on the staff pages and in the admin."""
    round = get_object_or_404(Round, pk=pk)
    use = services.budget_use(round)
    return JsonResponse(
        {
            "budget": euros(use["budget"]),
            "decided": euros(use["decided"]),
            "remaining": euros(use["remaining"]),
            "pots": {
                str(row["pot"].pk): {
                    "decided": euros(row["decided"]),
                    "remaining": euros(row["remaining"]),
                }
                for row in use["pots"]
            },
        },
        headers={"Cache-Control": "no-store"},
    )


def _application_for_staff(pk) -> Application:
    queryset = Application.objects.exclude(state=Application.State.DRAFT).select_related(
        "round", "organisation", "group"
    )
    return get_object_or_404(queryset, pk=pk)


def _review_context(request, application, **forms_given) -> dict:
    versions = list(application.versions.order_by("number").select_related("created_by"))
    latest = versions[-1]
    conflict = conflict_of(request.user, application)
    decision = Decision.objects.filter(application=application).select_related("decided_by").first()
    criteria = list(application.round.criteria.all())
    my_reviews = Review.objects.filter(application=application, reviewer=request.user)
    context = {
        "application": application,
        "versions": versions,
        "latest": latest,
        "attachments": Attachment.objects.in_bulk(
            [item["id"] for item in latest.snapshot.get("attachments", [])]
        ),
        "conflict": conflict,
        "decision": decision,
        "report": UseReport.objects.filter(decision=decision).first() if decision else None,
        "budget": services.budget_use(application.round),
        "blocks": services.report_blocks(application.organisation, application.round.year),
        "previous_decisions": Decision.objects.filter(organisation=application.organisation)
        .exclude(application=application)
        .select_related("round", "report")
        .order_by("-round__year"),
        "free_space_year": application.round.year - 1,
        "free_space_value": free_space_use_value(
            application.organisation, application.round.year - 1
        ),
        "disqualified": disqualified_people(application),
        "is_open_for_decision": application.state == Application.State.SUBMITTED,
    }
    if conflict is None:
        context["reviews"] = (
            Review.objects.filter(application=application)
            .select_related("criterion", "reviewer")
            .order_by("criterion__position", "criterion_id", "reviewer__full_name")
        )
        context["review_form"] = forms_given.get("review_form") or forms.ReviewForm(
            criteria=criteria, reviews=my_reviews
        )
        context["return_form"] = forms_given.get("return_form") or forms.ReturnForm()
        context["decision_form"] = forms_given.get("decision_form") or forms.DecisionForm(
            requested=latest.requested_amount,
            initial={"version": latest.pk, "amount": latest.requested_amount, "is_public": True},
        )
        context["conflict_form"] = forms_given.get("conflict_form") or forms.ConflictForm()
    return context


def _render_review(request, application, status=200, **forms_given):
    context = _review_context(request, application, **forms_given)
    return render(request, "grants/staff/application_review.html", context, status=status)


@staff_view
@require_safe
def application_review(request, pk):
    return _render_review(request, _application_for_staff(pk))


@staff_view
@require_POST
def application_scores(request, pk):
    application = _application_for_staff(pk)
    form = forms.ReviewForm(
        request.POST,
        criteria=application.round.criteria.all(),
        reviews=Review.objects.none(),
    )
    if not form.is_valid():
        return _render_review(request, application, status=400, review_form=form)
    try:
        services.review_save(staff=request.user, application=application, scores=form.scores())
    except services.GrantError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your scores were saved."))
    return redirect("grants:staff-application-review", pk=pk)


@staff_view
@require_POST
def application_conflict(request, pk):
    application = _application_for_staff(pk)
    form = forms.ConflictForm(request.POST)
    if not form.is_valid():
        return _render_review(request, application, status=400, conflict_form=form)
    services.conflict_declare(
        staff=request.user, application=application, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Your conflict of interest was recorded."))
    return redirect("grants:staff-application-review", pk=pk)


@staff_view
@require_POST
def application_return(request, pk):
    application = _application_for_staff(pk)
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        return _render_review(request, application, status=400, return_form=form)
    try:
        services.application_return(
            staff=request.user,
            application_id=application.pk,
            message=form.cleaned_data["message"],
            deadline=form.cleaned_data["deadline"],
        )
    except services.GrantError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application was returned for correction."))
    return redirect("grants:staff-application-review", pk=pk)


@staff_view
@require_POST
def application_decide(request, pk):
    application = _application_for_staff(pk)
    latest = application.versions.order_by("-number").first()
    form = forms.DecisionForm(request.POST, requested=latest.requested_amount)
    if not form.is_valid():
        return _render_review(request, application, status=400, decision_form=form)
    try:
        services.decision_make(
            staff=request.user,
            application_id=application.pk,
            version_id=form.cleaned_data["version"],
            amount=form.cleaned_data["amount"],
            rejection_reason=form.cleaned_data["rejection_reason"],
            is_public=form.cleaned_data["is_public"],
        )
    except services.GrantError as error:
        form.add_error(None, error.message)
        return _render_review(request, application, status=409, decision_form=form)
    messages.success(request, _("The decision was recorded."))
    return redirect("grants:staff-application-review", pk=pk)


@staff_view
@require_POST
def decision_publicity(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    services.decision_set_public(
        staff=request.user, decision=decision, is_public=request.POST.get("is_public") == "1"
    )
    messages.success(request, _("The decision's publicity was changed."))
    return redirect("grants:staff-application-review", pk=decision.application_id)


@staff_view
@require_safe
def report_list(request):
    reports = UseReport.objects.select_related(
        "decision__organisation", "decision__round"
    ).order_by("status", "-submitted_at")
    return render(request, "grants/staff/report_list.html", {"reports": reports})


@staff_view
@require_http_methods(["GET", "POST"])
def report_review(request, pk):
    report = get_object_or_404(
        UseReport.objects.select_related(
            "decision__organisation", "decision__round"
        ).prefetch_related(Prefetch("attachments", Attachment.objects.order_by("uploaded_at"))),
        pk=pk,
    )
    form = forms.ReportReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_review(staff=request.user, report_id=report.pk, **form.cleaned_data)
        except services.GrantError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The report was handled."))
        return redirect("grants:staff-report-review", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "grants/staff/report_review.html", {"report": report, "form": form}, status=status
    )

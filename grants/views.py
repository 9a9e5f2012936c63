"""Public and applicant pages: rounds, applying, attachments, reports on use, public decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.permissions import organisations_user_acts_for
from grants import forms, services
from grants.models import (
    Application,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    Decision,
    Round,
    UseReport,
)
from grants.permissions import get_application_for_user, get_attachment_for_user
from grants.public import decision_tables_html, decisions_csv


@login_not_required
@require_safe
def round_list(request):
    now = timezone.now()
    rounds = Round.objects.published().prefetch_related("pots__group")
    context = {
        "open_rounds": rounds.open_at(now).order_by("closes_at", "name"),
        "upcoming_rounds": rounds.upcoming_at(now).order_by("opens_at"),
        "my_applications": Application.objects.of_member(request.user)
        .select_related("round", "organisation", "group", "decision")
        .order_by("-round__year", "-created_at")[:20],
        "decision_years": Decision.objects.public()
        .granted()
        .values_list("round__year", flat=True)
        .distinct()
        .order_by("-round__year"),
    }
    return render(request, "grants/round_list.html", context)


@login_not_required
@require_safe
def round_detail(request, slug):
    round = get_object_or_404(
        Round.objects.published().prefetch_related("pots__group", "criteria"), slug=slug
    )
    return render(request, "grants/round_detail.html", {"round": round, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def application_start(request, slug):
    round = get_object_or_404(Round.objects.published(), slug=slug)
    organisations = organisations_user_acts_for(request.user)
    form = forms.ApplicationStartForm(
        request.POST or None, organisations=organisations, round=round
    )
    if request.method == "POST" and form.is_valid():
        try:
            application, created = services.application_start(
                user=request.user, round=round, **form.cleaned_data
            )
        except services.GrantError as error:
            messages.error(request, error.message)
        else:
            if not created:
                messages.info(request, _("Your association already has an application here."))
            return redirect("grants:application-edit", pk=application.pk)
    context = {"round": round, "form": form, "has_organisations": organisations.exists()}
    return render(request, "grants/application_start.html", context)


@require_safe
def application_list(request):
    applications = (
        Application.objects.of_member(request.user)
        .select_related("round", "organisation", "group", "decision__report")
        .order_by("-round__year", "-created_at")
    )
    return render(request, "grants/application_list.html", {"applications": applications})


def _application_context(request, application):
    application = (
        Application.objects.select_related(
            "round", "organisation", "group", "decision__report", "decision__version"
        )
        .prefetch_related(
            "budget_lines",
            Prefetch("attachments", Attachment.objects.filter(removed_at__isnull=True)),
            "round__pots",
            Prefetch("versions", ApplicationVersion.objects.order_by("number")),
        )
        .get(pk=application.pk)
    )
    versions = list(application.versions.all())
    decision = getattr(application, "decision", None)
    return {
        "application": application,
        "versions": versions,
        "problems": services.submission_problems(application) if application.is_editable else [],
        "previous_decisions": Decision.objects.filter(organisation=application.organisation)
        .exclude(application=application)
        .select_related("round")
        .order_by("-round__year"),
        "round_closed": application.state == Application.State.DRAFT
        and not application.round.is_open,
        "decision": decision,
        "report": getattr(decision, "report", None) if decision else None,
        "submit_form": forms.SubmitForm(initial={"versions_seen": len(versions)}),
        "attachment_form": forms.AttachmentForm(),
        "can_edit": application.is_editable
        and organisations_user_acts_for(request.user)
        .filter(pk=application.organisation_id)
        .exists(),
    }


@require_safe
def application_detail(request, pk):
    application = get_application_for_user(request.user, pk)
    return render(
        request, "grants/application_detail.html", _application_context(request, application)
    )


def _budget_formsets(data, application):
    def initial(kind):
        return [
            {"description": line.description, "amount": line.amount}
            for line in application.budget_lines.all()
            if line.kind == kind
        ]

    return (
        forms.BudgetLineFormSet(data, prefix="income", initial=initial(BudgetLine.Kind.INCOME)),
        forms.BudgetLineFormSet(data, prefix="expense", initial=initial(BudgetLine.Kind.EXPENSE)),
    )


@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = get_application_for_user(request.user, pk, need="edit")
    if not application.is_editable:
        messages.info(request, _("This application has been sent and can no longer be changed."))
        return redirect(application)
    data = request.POST if request.method == "POST" else None
    form = forms.ApplicationForm(
        data,
        round=application.round,
        initial={
            "group": application.group,
            "purpose": application.purpose,
            "requested_amount": application.requested_amount or None,
        },
    )
    income, expenses = _budget_formsets(data, application)
    if data is not None and form.is_valid() and income.is_valid() and expenses.is_valid():
        try:
            services.application_save_draft(
                user=request.user,
                application_id=application.pk,
                income=forms.budget_lines_of(income),
                expenses=forms.budget_lines_of(expenses),
                **form.cleaned_data,
            )
        except services.GrantError as error:
            messages.error(request, error.message)
            return redirect(application)
        messages.success(request, _("Draft saved. You can continue later."))
        return redirect(application)
    context = {"form": form, "income": income, "expenses": expenses, "application": application}
    return render(request, "grants/application_form.html", context)


@require_POST
def attachment_upload(request, pk):
    application = get_application_for_user(request.user, pk, need="edit")
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                user=request.user,
                application_id=application.pk,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                file_type=form.file_type,
            )
        except services.GrantError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The attachment was added."))
        return redirect(application)
    context = _application_context(request, application)
    context["attachment_form"] = form
    return render(request, "grants/application_detail.html", context, status=400)


@require_POST
def attachment_remove(request, pk):
    attachment = get_attachment_for_user(request.user, pk)
    if attachment.application_id is None:
        raise Http404
    application = get_application_for_user(request.user, attachment.application_id, need="edit")
    try:
        services.attachment_remove(user=request.user, attachment_id=attachment.pk)
    except services.GrantError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The attachment was removed."))
    return redirect(application)


@require_safe
def attachment_download(request, pk):
    attachment = get_attachment_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def application_submit(request, pk):
    application = get_application_for_user(request.user, pk, need="edit")
    if request.method == "GET":
        return redirect(application)
    form = forms.SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect(application)
    try:
        version = services.application_submit(
            user=request.user,
            application_id=application.pk,
            versions_seen=form.cleaned_data["versions_seen"],
        )
    except services.GrantError as error:
        messages.error(request, error.message)
        for problem in error.problems:
            messages.warning(request, problem)
    else:
        messages.success(
            request,
            _("The application was sent (version %(number)s). A receipt was sent by email.")
            % {"number": version.number},
        )
    return redirect(application)


@require_safe
def version_detail(request, pk, number):
    application = get_application_for_user(request.user, pk)
    version = get_object_or_404(application.versions, number=number)
    attachments = Attachment.objects.in_bulk(
        [item["id"] for item in version.snapshot.get("attachments", [])]
    )
    context = {"application": application, "version": version, "attachments": attachments}
    return render(request, "grants/version_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    application = get_application_for_user(request.user, pk, need="edit")
    decision = Decision.objects.filter(application=application, amount__gt=0).first()
    if decision is None:
        raise Http404
    report = UseReport.objects.filter(decision=decision).first()
    if report is not None and not report.is_editable:
        messages.info(request, _("The report on use has already been handled."))
        return redirect(application)
    initial = {"amount_used": report.amount_used, "narrative": report.narrative} if report else {}
    form = forms.ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                user=request.user,
                decision=decision,
                amount_used=form.cleaned_data["amount_used"],
                narrative=form.cleaned_data["narrative"],
                upload=form.cleaned_data.get("file"),
                file_type=getattr(form, "file_type", None),
            )
        except services.GrantError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you! The report on use was sent to the city."))
        return redirect(application)
    context = {"application": application, "decision": decision, "report": report, "form": form}
    return render(request, "grants/report_form.html", context)


@login_not_required
@require_safe
def decision_index(request):
    latest = (
        Decision.objects.public()
        .granted()
        .order_by("-round__year")
        .values_list("round__year", flat=True)
        .first()
    )
    return redirect("grants:decision-list", year=latest or timezone.localdate().year)


@login_not_required
@require_safe
def decision_list(request, year):
    if not 2000 <= year <= 2100:
        raise Http404
    context = {"year": year, "tables": decision_tables_html(year)}
    return render(request, "grants/decision_list.html", context)


@login_not_required
@require_safe
def decision_csv(request, year):
    if not 2000 <= year <= 2100:
        raise Http404
    return decisions_csv(year)

"""Pages of the directory. Thin: authorise, parse, call a service, render."""

import datetime
import functools

from allauth.account import app_settings as allauth_settings
from allauth.account.forms import SignupForm
from allauth.account.internal.flows.signup import complete_signup
from allauth.decorators import rate_limit
from allauth.utils import get_form_class
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory import exports, services
from directory.filters import OrganisationFilter, VolunteerOpportunityFilter, filter_form_html
from directory.forms import (
    ContactPersonFormSet,
    InvitationForm,
    JoinRequestForm,
    OrganisationForm,
    OrganisationRegistrationForm,
    RoleForm,
    VolunteerOpportunityForm,
)
from directory.models import (
    ContactPerson,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    VolunteerOpportunity,
    is_city_staff,
)
from directory.panels import panels_for
from directory.permissions import (
    get_membership_for_user,
    get_organisation_for_user,
    get_volunteer_opportunity_for_user,
    membership_of,
)

PER_PAGE = 20
OPENDATA_PER_PAGE = 100
OPENDATA_MAX_PER_PAGE = 500
_BOTS = ("bot", "crawl", "spider", "slurp", "preview")


def _query_string(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


# --- public pages ----------------------------------------------------------------------------


@login_not_required
@require_safe
def organisation_list(request):
    filterset = OrganisationFilter(request.GET)
    page = filterset.paginate(request.GET.get("page"), PER_PAGE)
    query = _query_string(request)
    return render(
        request,
        "directory/organisation_list.html",
        {
            "filter": filterset,
            "filter_form": filter_form_html(request, filterset),
            "page": page,
            "query_string": query,
            "opendata_query": query,
            "links": _list_links(get_script_prefix()),
        },
    )


@functools.lru_cache(maxsize=8)
def _list_links(script_prefix: str) -> dict[str, str]:
    """The list page's fixed links, reversed once (per script prefix)."""
    names = {
        "register": "directory:organisation-register",
        "json": "directory:opendata-json",
        "csv": "directory:opendata-csv",
        "volunteer": "directory:volunteer-list",
    }
    return {key: reverse(name) for key, name in names.items()}


@login_not_required
@require_safe
def organisation_detail(request, slug):
    organisation = get_organisation_for_user(request.user, slug)
    membership = membership_of(request.user, organisation)
    staff = is_city_staff(request.user)
    if organisation.is_public and membership is None and not staff:
        agent = request.headers.get("User-Agent", "").lower()
        if not any(bot in agent for bot in _BOTS):
            services.page_view_record(organisation=organisation)
    contacts = list(organisation.contact_persons.shown())
    fields = list(organisation.fields.all())
    areas = list(organisation.areas.select_related("parent"))
    opportunities = list(
        organisation.volunteer_opportunities.open().select_related("area", "area__parent")
    )
    panels = [
        render_to_string(panel.template_name, {"organisation": organisation, **ctx}, request)
        for panel, ctx in panels_for(organisation, request)
    ]
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "fields": fields,
            "target_groups": list(organisation.target_groups.all()),
            "areas": areas,
            "contacts": contacts,
            "opportunities": opportunities,
            "panels": panels,
            "membership": membership,
            "can_edit": membership is not None or staff,
            "is_city_staff": staff,
            "json_ld": exports.json_ld(organisation, contacts, fields=fields, areas=areas)
            if organisation.is_public
            else "",
            "has_open_request": request.user.is_authenticated
            and JoinRequest.objects.open()
            .filter(organisation=organisation, user=request.user)
            .exists(),
        },
    )


def _opendata_page(request):
    filterset = OrganisationFilter(request.GET)
    try:
        per_page = int(request.GET.get("per_page") or OPENDATA_PER_PAGE)
    except ValueError:
        per_page = OPENDATA_PER_PAGE
    per_page = max(1, min(per_page, OPENDATA_MAX_PER_PAGE))
    page = filterset.paginate(request.GET.get("page"), per_page, exact_count=True)
    return page, [exports.organisation_record(org) for org in page.object_list], per_page


def _page_link(request, name, page_number):
    return request.build_absolute_uri(
        reverse(name) + "?" + _query_string(request, page=str(page_number))
    )


@login_not_required
@require_safe
def opendata_json(request):
    page, records, per_page = _opendata_page(request)
    name = "directory:opendata-json"
    data = {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "per_page": per_page,
        "next": _page_link(request, name, page.next_page_number()) if page.has_next() else None,
        "previous": _page_link(request, name, page.previous_page_number())
        if page.has_previous()
        else None,
        "results": records,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_safe
def opendata_csv(request):
    page, records, _per_page = _opendata_page(request)
    response = HttpResponse(
        exports.organisations_csv(records), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="organisations.csv"'
    response["X-Total-Count"] = str(page.paginator.count)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "X-Total-Count, Link"
    if page.has_next():
        next_url = _page_link(request, "directory:opendata-csv", page.next_page_number())
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


@login_not_required
@require_safe
def volunteer_list(request):
    queryset = (
        VolunteerOpportunity.objects.open()
        .public()
        .select_related("organisation", "area", "area__parent")
        .order_by("open_until", "title", "id")
    )
    filterset = VolunteerOpportunityFilter(request.GET, queryset=queryset)
    page = _paginate(filterset.filtered(), request.GET.get("page"))
    return render(
        request,
        "directory/volunteeropportunity_list.html",
        {"filter": filterset, "page": page, "query_string": _query_string(request)},
    )


def _paginate(queryset, page_number):
    return Paginator(queryset, PER_PAGE).get_page(page_number)


# --- registration ----------------------------------------------------------------------------


class AccountNameForm(forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=150,
        help_text=gettext_lazy("Shown to the other members of the association."),
    )


@login_not_required
@rate_limit(action="signup")
@require_http_methods(["GET", "POST"])
def organisation_register(request):
    """Sign up and register an association in one form (or ask to join one that exists)."""
    anonymous = not request.user.is_authenticated
    data = request.POST if request.method == "POST" else None
    signup_class = get_form_class(allauth_settings.FORMS, "signup", SignupForm)
    account_form = signup_class(data, prefix="account") if anonymous else None
    name_form = AccountNameForm(data, prefix="account") if anonymous else None
    form = OrganisationRegistrationForm(data)
    join = _joinable(request.POST.get("join")) if data else None
    account_ok = anonymous is False or (account_form.is_valid() & name_form.is_valid())
    if data and account_ok and (join or form.is_valid()):
        with transaction.atomic():
            user, response = account_form.try_save(request) if anonymous else (request.user, None)
            if response is not None:
                return response  # the address has an account: allauth mails its owner
            if anonymous:
                user.full_name = name_form.cleaned_data["full_name"]
                user.save(update_fields=["full_name"])
            if join:
                services.join_request_create(organisation=join, user=user)
                target = join.get_absolute_url()
            else:
                organisation = services.organisation_register(
                    organisation=form.instance,
                    user=user,
                    fields=form.cleaned_data["fields"],
                    target_groups=form.cleaned_data["target_groups"],
                    areas=form.cleaned_data["areas"],
                )
                target = organisation.get_absolute_url()
        if anonymous:
            return complete_signup(request, user=user, redirect_url=target)
        if join:
            messages.success(request, _("Thank you! The association gets your request."))
        else:
            messages.success(request, _("Thank you! City staff will verify it soon."))
        return redirect(target)
    return render(
        request,
        "directory/organisation_register.html",
        {"form": form, "account_form": account_form, "name_form": name_form},
    )


def _joinable(slug):
    if not slug:
        return None
    return Organisation.objects.public().filter(slug=slug[:220]).first()


# --- freshness -------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def freshness_confirm(request, token):
    """The link in the yearly reminder: confirm the details are current, no login needed."""
    organisation = services.organisation_from_freshness_token(token)
    if organisation is None:
        return render(request, "directory/freshness_invalid.html", status=404)
    if request.method == "POST":
        services.organisation_confirm(organisation=organisation, by=None)
        return render(request, "directory/freshness_done.html", {"organisation": organisation})
    return render(request, "directory/freshness_confirm.html", {"organisation": organisation})


@require_POST
def organisation_confirm(request, slug):
    organisation = get_organisation_for_user(request.user, slug, need="edit")
    services.organisation_confirm(organisation=organisation, by=request.user)
    messages.success(request, _("Thank you! The details are marked as checked today."))
    return redirect(organisation)


# --- members' pages --------------------------------------------------------------------------


@require_safe
def organisation_mine(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    invitations = Invitation.objects.open().filter(email__iexact=request.user.email)
    requests = JoinRequest.objects.open().filter(user=request.user).select_related("organisation")
    return render(
        request,
        "directory/organisation_mine.html",
        {
            "memberships": memberships,
            "invitations": invitations.select_related("organisation"),
            "join_requests": requests,
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = get_organisation_for_user(request.user, slug, need="edit")
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=form.instance,
            by=request.user,
            fields=form.cleaned_data["fields"],
            target_groups=form.cleaned_data["target_groups"],
            areas=form.cleaned_data["areas"],
        )
        messages.success(request, _("The changes are saved and shown on the page."))
        return redirect(organisation)
    return render(
        request, "directory/organisation_form.html", {"form": form, "organisation": organisation}
    )


@require_http_methods(["GET", "POST"])
def contact_persons_edit(request, slug):
    organisation = get_organisation_for_user(request.user, slug, need="admin")
    formset = ContactPersonFormSet(
        request.POST or None,
        instance=organisation,
        queryset=ContactPerson.objects.filter(organisation=organisation),
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("The contact persons are saved and shown on the page."))
        return redirect(organisation)
    return render(
        request,
        "directory/contactperson_form.html",
        {"formset": formset, "organisation": organisation},
    )


@require_safe
def member_list(request, slug):
    organisation = get_organisation_for_user(request.user, slug, need="admin")
    return _members_page(request, organisation, InvitationForm())


def _members_page(request, organisation, invite_form):
    return render(
        request,
        "directory/membership_list.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user").order_by(
                "role", "user__full_name", "user__email"
            ),
            "invitations": organisation.invitations.open().select_related("invited_by"),
            "join_requests": organisation.join_requests.open().select_related("user"),
            "invite_form": invite_form,
            "roles": Membership.Role.choices,
        },
    )


def _members_action(request, slug, action):
    """Run a membership action; a rule it breaks becomes a message, never an error page."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("directory:member-list", slug=slug)


@require_POST
def member_invite(request, slug):
    organisation = get_organisation_for_user(request.user, slug, need="admin")
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _members_page(request, organisation, form)
    try:
        services.membership_invite(
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
    except ValidationError as error:
        form.add_error("email", error)
        return _members_page(request, organisation, form)
    messages.success(request, _("The invitation is on its way."))
    return redirect("directory:member-list", slug=slug)


@require_POST
def member_role(request, slug, pk):
    membership = get_membership_for_user(request.user, slug, pk)
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else ""

    def change():
        services.membership_change_role(membership=membership, role=role, by=request.user)
        messages.success(request, _("The role is changed."))

    return _members_action(request, slug, change)


@require_POST
def member_remove(request, slug, pk):
    membership = get_membership_for_user(request.user, slug, pk)

    def remove():
        services.membership_remove(membership=membership, by=request.user)
        messages.success(request, _("The member is removed."))

    return _members_action(request, slug, remove)


@require_POST
def member_hand_over(request, slug, pk):
    membership = get_membership_for_user(request.user, slug, pk)

    def hand_over():
        services.membership_hand_over(
            organisation=membership.organisation, to=membership, by=request.user
        )
        messages.success(request, _("Administration is handed over. You are now an editor."))

    response = _members_action(request, slug, hand_over)
    mine = membership_of(request.user, membership.organisation)
    if is_city_staff(request.user) or (mine and mine.role == Membership.Role.ADMIN):
        return response
    return redirect(membership.organisation)


@require_POST
def member_leave(request, slug):
    organisation = get_organisation_for_user(request.user, slug, need="edit")
    membership = membership_of(request.user, organisation)
    if membership is None:
        raise Http404
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(organisation)
    messages.success(request, _("You have left the association."))
    return redirect("directory:organisation-mine")


@require_POST
def invitation_cancel(request, slug, pk):
    organisation = get_organisation_for_user(request.user, slug, need="admin")
    invitation = get_object_or_404(Invitation.objects.open(), pk=pk, organisation=organisation)
    services.invitation_cancel(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation is cancelled."))
    return redirect("directory:member-list", slug=slug)


@require_POST
def join_request_decide(request, slug, pk):
    organisation = get_organisation_for_user(request.user, slug, need="admin")
    join_request = get_object_or_404(JoinRequest.objects.open(), pk=pk, organisation=organisation)
    approve = request.POST.get("decision") == "approve"
    services.join_request_decide(join_request=join_request, approve=approve, by=request.user)
    messages.success(
        request, _("The request is approved.") if approve else _("The request is declined.")
    )
    return redirect("directory:member-list", slug=slug)


@require_http_methods(["GET", "POST"])
def join_request_create(request, slug):
    organisation = get_organisation_for_user(request.user, slug)
    if membership_of(request.user, organisation):
        return redirect(organisation)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.join_request_create(
            organisation=organisation, user=request.user, message=form.cleaned_data["message"]
        )
        messages.success(
            request, _("Your request is sent. You will get an email when it is answered.")
        )
        return redirect(organisation)
    return render(
        request, "directory/joinrequest_form.html", {"form": form, "organisation": organisation}
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "directory/invitation_invalid.html", status=404)
    error = None
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Welcome! You are now a member of the association."))
            return redirect(invitation.organisation)
    return render(
        request,
        "directory/invitation_accept.html",
        {"invitation": invitation, "error": error},
    )


# --- volunteer tasks -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def volunteer_create(request, slug):
    organisation = get_organisation_for_user(request.user, slug, need="edit")
    form = VolunteerOpportunityForm(
        request.POST or None,
        instance=VolunteerOpportunity(organisation=organisation),
        initial={"open_until": timezone.localdate() + datetime.timedelta(days=60)},
    )
    return _volunteer_form(request, form, organisation)


@require_http_methods(["GET", "POST"])
def volunteer_edit(request, pk):
    opportunity = get_volunteer_opportunity_for_user(request.user, pk, need="edit")
    form = VolunteerOpportunityForm(request.POST or None, instance=opportunity)
    return _volunteer_form(request, form, opportunity.organisation)


def _volunteer_form(request, form, organisation):
    if request.method == "POST" and form.is_valid():
        services.volunteer_opportunity_save(opportunity=form.instance, by=request.user)
        messages.success(request, _("The volunteer task is saved."))
        return redirect(organisation)
    return render(
        request,
        "directory/volunteeropportunity_form.html",
        {"form": form, "organisation": organisation},
    )


@require_POST
def volunteer_delete(request, pk):
    opportunity = get_volunteer_opportunity_for_user(request.user, pk, need="edit")
    services.volunteer_opportunity_delete(opportunity=opportunity, by=request.user)
    messages.success(request, _("The volunteer task is removed."))
    return redirect(opportunity.organisation)

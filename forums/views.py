"""Forum pages. Thin views: authorise, parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.models import Organisation
from directory.permissions import organisations_user_acts_for
from forums import exports, pages, services
from forums.filters import IdeaFilter, InvitationFilter
from forums.forms import IdeaForm, IdeaResponseForm, RegistrationForm, WorkshopAnswersForm
from forums.models import Forum, Idea, Meeting, Registration, VotingWindow
from forums.permissions import (
    get_idea_for_user,
    get_meeting_for_user,
    get_registration_for_user,
    get_voting_window_for_user,
    get_workshop_group_for_user,
    is_forum_staff,
)


@login_not_required
@require_safe
def forum_list(request):
    now = timezone.now()
    forums = Forum.objects.filter(is_active=True).prefetch_related("organisers", "target_fields")
    upcoming = list(
        Meeting.objects.visible_to(request.user)
        .upcoming(now)
        .select_related("forum")
        .with_seat_counts()
    )
    pages.mark_my_registrations(request.user, upcoming)
    context = {"forums": forums, "upcoming": upcoming, "now": now}
    return render(request, "forums/forum_list.html", context)


@login_not_required
@require_safe
def forum_detail(request, forum):
    forum = pages.get_forum(forum)
    now = timezone.now()
    meetings = Meeting.objects.visible_to(request.user).filter(forum=forum)
    context = {
        "forum": forum,
        "upcoming": pages.mark_my_registrations(
            request.user, list(meetings.upcoming(now).select_related("forum").with_seat_counts())
        ),
        "past": meetings.past(now).select_related("forum"),
        "open_ideas": forum.ideas.shown().open().order_by("created_at", "pk")[:10],
        "now": now,
    }
    return render(request, "forums/forum_detail.html", context)


@login_not_required
@require_safe
def meeting_detail(request, forum, meeting):
    meeting = get_meeting_for_user(request.user, forum, meeting)
    return render(request, "forums/meeting_detail.html", pages.meeting_context(request, meeting))


@require_POST
def meeting_register(request, forum, meeting):
    meeting = get_meeting_for_user(request.user, forum, meeting)
    organisations = list(organisations_user_acts_for(request.user))
    form = RegistrationForm(request.POST, meeting=meeting, organisations=organisations)
    if not form.is_valid():
        context = pages.meeting_context(request, meeting, form=form)
        return render(request, "forums/meeting_detail.html", context, status=400)
    try:
        registration = services.registration_create(
            meeting=meeting, user=request.user, **form.service_arguments()
        )
    except services.RegistrationError as error:
        messages.error(request, error.message)
        return redirect(f"{meeting.get_absolute_url()}#registration")
    if registration.status == Registration.Status.WAITLISTED:
        messages.warning(
            request,
            _("The seats are taken, so you are on the waitlist. We will email you if a seat "
              "becomes free."),
        )  # fmt: skip
    else:
        messages.success(request, _("You are registered. A confirmation is on its way by email."))
    return redirect(f"{meeting.get_absolute_url()}#registration")


@require_POST
def registration_cancel(request, pk):
    registration = get_registration_for_user(request.user, pk, need="cancel")
    meeting = registration.meeting
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    if is_forum_staff(request.user) and registration.user_id != request.user.pk:
        return redirect("forums:meeting-attendees", **meeting.url_kwargs())
    return redirect(f"{meeting.get_absolute_url()}#registration")


@login_not_required
@require_safe
def meeting_summary(request, forum, meeting):
    meeting = get_meeting_for_user(request.user, forum, meeting)
    context = {
        "meeting": meeting,
        "rollup": pages.workshop_rollup(meeting),
        "ideas": meeting.ideas.shown().order_by("created_at", "pk"),
        "is_staff": is_forum_staff(request.user),
    }
    return render(request, "forums/meeting_summary.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_answers(request, forum, meeting, group):
    meeting = get_meeting_for_user(request.user, forum, meeting)
    try:
        group = get_workshop_group_for_user(request.user, group, meeting, need="record")
    except PermissionDenied:
        context = {"meeting": meeting, "own_groups": meeting.groups.filter(secretary=request.user)}
        return render(request, "forums/workshop_forbidden.html", context, status=403)
    questions = list(meeting.questions.all())
    answers = {answer.question_id: answer.text for answer in group.answers.all()}
    form = WorkshopAnswersForm(
        request.POST or None, group=group, questions=questions, answers=answers
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_answers_save(group=group, answers=form.answers(), by=request.user)
        except services.ForumError as error:
            raise PermissionDenied(error.message) from None
        messages.success(request, _("The answers of %(group)s are saved.") % {"group": group})
        return redirect("forums:meeting-summary", **meeting.url_kwargs())
    context = {"meeting": meeting, "group": group, "form": form}
    return render(request, "forums/workshop_answers_form.html", context)


@require_safe
def meeting_attendees(request, forum, meeting):
    meeting = get_meeting_for_user(request.user, forum, meeting, need="manage")
    registrations = exports.attendee_rows(meeting)
    context = {
        "meeting": meeting,
        "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
        "waitlisted": [r for r in registrations if r.status == Registration.Status.WAITLISTED],
    }
    return render(request, "forums/meeting_attendees.html", context)


@require_safe
def meeting_attendees_csv(request, forum, meeting):
    meeting = get_meeting_for_user(request.user, forum, meeting, need="manage")
    return exports.attendees_csv_response(meeting)


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_invite(request, forum, meeting):
    meeting = get_meeting_for_user(request.user, forum, meeting, need="manage")
    data = request.POST if request.method == "POST" else request.GET
    filterset = InvitationFilter(data, queryset=Organisation.objects.public())
    if request.method == "POST" and filterset.is_valid() and data.get("confirm") == "yes":
        result = services.invitations_send(
            meeting=meeting, organisations=filterset.qs, by=request.user
        )
        messages.success(request, pages.invitation_report(result))
        return redirect("forums:meeting-invite", **meeting.url_kwargs())
    context = {
        "meeting": meeting,
        "filter": filterset,
        "has_criteria": any(data.get(name) for name in filterset.filters),
        "invited_ids": set(meeting.invitations.values_list("organisation_id", flat=True)),
        "invitations": meeting.invitations.select_related("organisation")[:200],
    }
    if context["has_criteria"] and filterset.is_valid():
        context["matches"] = list(filterset.qs)
    return render(request, "forums/meeting_invite.html", context)


@login_not_required
@require_safe
def idea_list(request):
    queryset = Idea.objects.shown().select_related("forum", "organisation", "meeting")
    filterset = IdeaFilter(request.GET or None, queryset=queryset)
    ideas = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    page = Paginator(ideas.order_by(*pages.idea_order(filterset)), 30).get_page(
        request.GET.get("page")
    )
    context = {"filter": filterset, "page": page, **pages.voting_context(request.user, page)}
    return render(request, "forums/idea_list.html", context)


@login_not_required
@require_safe
def idea_detail(request, pk):
    idea = get_idea_for_user(request.user, pk)
    context = {
        "idea": idea,
        "response_form": IdeaResponseForm(instance=idea) if is_forum_staff(request.user) else None,
        **pages.voting_context(request.user, [idea]),
    }
    return render(request, "forums/idea_detail.html", context)


@require_POST
def idea_respond(request, pk):
    idea = get_idea_for_user(request.user, pk, need="respond")
    form = IdeaResponseForm(request.POST, instance=Idea.objects.get(pk=idea.pk))
    if not form.is_valid():
        context = {"idea": idea, "response_form": form, **pages.voting_context(request.user, [])}
        return render(request, "forums/idea_detail.html", context, status=400)
    services.idea_respond(
        idea=idea,
        status=form.cleaned_data["status"],
        response=form.cleaned_data["staff_response"],
        by=request.user,
    )
    messages.success(request, _("The response is saved and shown in the idea bank."))
    return redirect(idea)


@require_http_methods(["GET", "HEAD", "POST"])
def idea_create(request):
    organisations = list(organisations_user_acts_for(request.user))
    may_propose = bool(organisations) or is_forum_staff(request.user)
    form = IdeaForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and may_propose and form.is_valid():
        try:
            idea = services.idea_propose(by=request.user, **form.service_arguments())
        except services.ForumError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you! Your idea is now in the idea bank."))
            return redirect(idea)
    context = {"form": form, "may_propose": may_propose}
    return render(request, "forums/idea_form.html", context)


@require_POST
def idea_vote(request, pk, withdraw=False):
    idea = get_idea_for_user(request.user, pk)
    try:
        window = VotingWindow.objects.get(pk=int(request.POST.get("window", "")))
    except (ValueError, VotingWindow.DoesNotExist):
        messages.error(request, _("Choose a vote that is open."))
        return redirect(idea)
    action = services.vote_withdraw if withdraw else services.vote_cast
    try:
        action(window=window, idea=idea, user=request.user)
    except services.VoteError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your vote is taken back.") if withdraw else _("Voted."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect(idea)


@login_not_required
@require_safe
def voting_detail(request, pk):
    window = get_voting_window_for_user(request.user, pk)
    now = timezone.now()
    context = {"window": window, "now": now, "is_closed": window.is_closed(now)}
    if context["is_closed"]:
        context["ranking"] = list(
            Idea.objects.ranked_for(window).select_related("organisation", "meeting")
        )
    return render(request, "forums/voting_detail.html", context)

"""What the forum pages show, assembled in a fixed number of queries (no queries in templates)."""

import json
from collections import defaultdict

from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.permissions import organisations_user_acts_for
from forums.forms import RegistrationForm
from forums.models import Forum, Idea, Meeting, Registration, Vote, VotingWindow, WorkshopAnswer
from forums.permissions import is_forum_staff
from forums.services import InvitationResult

JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def get_forum(slug: str) -> Forum:
    try:
        return Forum.objects.prefetch_related("organisers", "target_fields", "target_groups").get(
            slug=slug
        )
    except Forum.DoesNotExist:
        raise Http404 from None


def mark_my_registrations(user, meetings: list[Meeting]) -> list[Meeting]:
    """Set `my_registration` on each meeting: the user's active registration or None."""
    mine = {}
    if user.is_authenticated and meetings:
        registrations = Registration.objects.active().filter(user=user, meeting__in=meetings)
        mine = {registration.meeting_id: registration for registration in registrations}
    for meeting in meetings:
        meeting.my_registration = mine.get(meeting.pk)
    return meetings


def _count_seats(meeting: Meeting) -> None:
    counts = meeting.registrations.aggregate(
        seats_taken=Count(
            "pk",
            filter=Q(
                status=Registration.Status.CONFIRMED,
                attendance=Registration.Attendance.IN_PERSON,
            ),
        ),
        waitlist_length=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    meeting.seats_taken = counts["seats_taken"]
    meeting.waitlist_length = counts["waitlist_length"]


def _waitlist_position(registration: Registration) -> int:
    ahead = Registration.objects.filter(meeting_id=registration.meeting_id).waitlisted()
    ahead = ahead.filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def meeting_context(request, meeting: Meeting, form=None) -> dict:
    user = request.user
    now = timezone.now()
    prefetch_related_objects([meeting.forum], "organisers")
    _count_seats(meeting)
    is_staff = is_forum_staff(user)
    my_registration = None
    organisations = []
    if user.is_authenticated:
        my_registration = (
            meeting.registrations.active().filter(user=user).select_related("organisation").first()
        )
        organisations = list(organisations_user_acts_for(user))
    may_register = bool(organisations) or meeting.allows_residents
    can_register = bool(
        meeting.registration_is_open(now)
        and user.is_authenticated
        and my_registration is None
        and may_register
    )
    if can_register and form is None:
        form = RegistrationForm(meeting=meeting, organisations=organisations)
    is_past = meeting.is_past(now)
    groups = list(meeting.groups.select_related("secretary"))
    context = {
        "meeting": meeting,
        "forum": meeting.forum,
        "now": now,
        "agenda": list(meeting.agenda_items.all()),
        "form": form if can_register or form is not None else None,
        "can_register": can_register,
        "may_register": may_register,
        "my_registration": my_registration,
        "waitlist_position": _waitlist_position(my_registration)
        if my_registration and my_registration.status == Registration.Status.WAITLISTED
        else None,
        "can_cancel": my_registration is not None and not meeting.has_started(now),
        "show_online_link": is_staff or my_registration is not None,
        "is_staff": is_staff,
        "is_past": is_past,
        "recordable_groups": [
            group
            for group in groups
            if is_staff or (user.is_authenticated and group.secretary_id == user.pk)
        ],
        "jsonld": meeting_jsonld(request, meeting),
    }
    if is_past:
        context["rollup"] = workshop_rollup(meeting, groups=groups)
        context["ideas"] = list(meeting.ideas.shown().order_by("created_at", "pk"))
    else:
        # The idea bank carries over: open ideas from earlier meetings come to this one.
        context["carried_ideas"] = list(
            meeting.forum.ideas.shown()
            .open()
            .exclude(meeting=meeting)
            .order_by("created_at", "pk")[:8]
        )
    return context


def workshop_rollup(meeting: Meeting, groups=None) -> list[dict]:
    """Each question with every group's answer, in the groups' order."""
    questions = list(meeting.questions.all())
    if not questions:
        return []
    groups = groups if groups is not None else list(meeting.groups.all())
    answers = defaultdict(dict)
    for answer in WorkshopAnswer.objects.filter(question__meeting=meeting):
        answers[answer.question_id][answer.group_id] = answer
    return [
        {
            "question": question,
            "number": number,
            "answers": [
                (group, answers[question.pk][group.pk])
                for group in groups
                if group.pk in answers[question.pk]
            ],
        }
        for number, question in enumerate(questions, start=1)
    ]


def meeting_jsonld(request, meeting: Meeting) -> str:
    """schema.org Event data for search engines, safe inside a <script> element."""
    modes = {
        Meeting.Format.IN_PERSON: "OfflineEventAttendanceMode",
        Meeting.Format.ONLINE: "OnlineEventAttendanceMode",
        Meeting.Format.HYBRID: "MixedEventAttendanceMode",
    }
    locations = []
    if meeting.has_place:
        locations.append(
            {"@type": "Place", "name": meeting.place_name or meeting.address,
             "address": meeting.address}
        )  # fmt: skip
    if meeting.is_online:
        locations.append({"@type": "VirtualLocation", "name": meeting.online_platform or "online"})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{meeting.forum.name}: {meeting.title}",
        "startDate": timezone.localtime(meeting.starts_at).isoformat(),
        "endDate": timezone.localtime(meeting.ends_at).isoformat(),
        "eventAttendanceMode": f"https://schema.org/{modes[meeting.format]}",
        "eventStatus": "https://schema.org/EventCancelled"
        if meeting.is_cancelled
        else "https://schema.org/EventScheduled",
        "location": locations,
        "organizer": {"@type": "Organization", "name": meeting.forum.city_organiser},
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
    }
    if meeting.invitation:
        data["description"] = meeting.invitation[:500]
    return json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)


def invitation_report(result: InvitationResult) -> str:
    parts = [
        ngettext(
            "Invitation sent to %(count)d association.",
            "Invitations sent to %(count)d associations.",
            len(result.sent),
        )
        % {"count": len(result.sent)}
    ]
    if result.already_invited:
        parts.append(
            ngettext(
                "%(count)d was invited earlier and got no second mail.",
                "%(count)d were invited earlier and got no second mail.",
                len(result.already_invited),
            )
            % {"count": len(result.already_invited)}
        )
    if result.without_email:
        parts.append(
            _("No email address: %(names)s.")
            % {"names": ", ".join(org.name for org in result.without_email)}
        )
    return " ".join(parts)


IDEA_ORDERS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "status": ("status", "-created_at", "-pk"),
}


def idea_order(filterset) -> tuple[str, ...]:
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    return IDEA_ORDERS.get(data.get("order") or "newest", IDEA_ORDERS["newest"])


def voting_context(user, ideas) -> dict:
    """Open windows with the user's votes left, marked on each idea for the vote buttons."""
    now = timezone.now()
    windows = list(VotingWindow.objects.open_at(now).select_related("forum"))
    closed = list(
        VotingWindow.objects.closed_at(now).select_related("forum").order_by("-closes_at")[:5]
    )
    by_forum = {window.forum_id: window for window in windows}
    my_votes = set()
    acts_for_association = False
    if user.is_authenticated and windows:
        my_votes = set(
            Vote.objects.filter(user=user, window__in=windows).values_list("window_id", "idea_id")
        )
        acts_for_association = organisations_user_acts_for(user).exists()
    for window in windows:
        window.eligible = user.is_authenticated and (
            acts_for_association or window.allows_residents
        )
        used = sum(1 for window_id, _idea in my_votes if window_id == window.pk)
        window.votes_left = max(window.votes_per_person - used, 0)
    for idea in ideas:
        window = by_forum.get(idea.forum_id)
        votable = window is not None and idea.status in Idea.OPEN_STATUSES
        idea.vote_window = window if votable else None
        idea.has_my_vote = votable and (window.pk, idea.pk) in my_votes
    return {"open_windows": windows, "closed_windows": closed, "now": now}

"""Who may see and do what in the forums. One access helper per object type.

404 when the user may not even see the object, 403 when they see it but may not do what they
asked. City staff means `is_staff` with an authenticator app (MFA), as in the admin.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from directory.models import is_city_staff
from forums.models import Idea, Meeting, Registration, VotingWindow, WorkshopGroup


def is_forum_staff(user) -> bool:
    return user is not None and is_city_staff(user)


def get_meeting_for_user(user, forum_slug: str, meeting_slug: str, need: str = "view") -> Meeting:
    """view: published or cancelled meetings (drafts for staff); manage: city staff only."""
    if need not in {"view", "manage"}:
        raise ValueError(f"Unknown need {need!r}")
    try:
        meeting = (
            Meeting.objects.visible_to(user)
            .select_related("forum", "event")
            .get(forum__slug=forum_slug, slug=meeting_slug)
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
    if meeting.status == Meeting.Status.DRAFT and not is_forum_staff(user):
        raise Http404
    if need == "manage" and not is_forum_staff(user):
        raise PermissionDenied
    return meeting


def get_registration_for_user(user, pk: int, need: str = "cancel") -> Registration:
    """The person's own registration; staff reach everyone's."""
    if need != "cancel":
        raise ValueError(f"Unknown need {need!r}")
    queryset = Registration.objects.select_related("meeting__forum")
    if not is_forum_staff(user):
        queryset = queryset.filter(user=user) if user.is_authenticated else queryset.none()
    try:
        return queryset.get(pk=pk)
    except Registration.DoesNotExist:
        raise Http404 from None


def can_record_answers(user, group: WorkshopGroup) -> bool:
    if is_forum_staff(user):
        return True
    return bool(user.is_authenticated and group.secretary_id == user.pk)


def get_workshop_group_for_user(user, pk: int, meeting: Meeting, need="record") -> WorkshopGroup:
    """A group of the meeting; recording its answers is for staff and the group's secretary."""
    if need != "record":
        raise ValueError(f"Unknown need {need!r}")
    try:
        group = meeting.groups.select_related("secretary").get(pk=pk)
    except WorkshopGroup.DoesNotExist:
        raise Http404 from None
    group.meeting = meeting
    if not can_record_answers(user, group):
        raise PermissionDenied
    return group


def get_idea_for_user(user, pk: int, need: str = "view") -> Idea:
    if need not in {"view", "respond"}:
        raise ValueError(f"Unknown need {need!r}")
    queryset = Idea.objects.select_related(
        "forum", "meeting__forum", "organisation", "source_answer__group", "source_answer__question"
    )
    if not is_forum_staff(user):
        queryset = queryset.shown()
    try:
        idea = queryset.get(pk=pk)
    except Idea.DoesNotExist:
        raise Http404 from None
    if need == "respond" and not is_forum_staff(user):
        raise PermissionDenied
    return idea


def get_voting_window_for_user(user, pk: int, need: str = "view") -> VotingWindow:
    if need != "view":
        raise ValueError(f"Unknown need {need!r}")
    try:
        return VotingWindow.objects.select_related("forum").get(pk=pk)
    except VotingWindow.DoesNotExist:
        raise Http404 from None

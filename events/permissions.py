"""Who may see and change an event. One access helper per object type."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from directory.models import Membership, Organisation, is_city_staff
from events.models import Event


def can_edit_event(user, event: Event, organiser_ids=None) -> bool:
    """City staff (with two-step verification, as everywhere), and members of a verified
    organiser association."""
    if not user.is_authenticated:
        return False
    if is_city_staff(user):
        return True
    if organiser_ids is None:
        organiser_ids = [o.pk for o in event.organisers.all()]
    return Membership.objects.filter(
        user=user,
        organisation_id__in=organiser_ids,
        organisation__status=Organisation.Status.VERIFIED,
    ).exists()


def get_event_for_user(user, pk, need: str = "view") -> Event:
    """The event if the user may `need` it: view or edit.

    404 for drafts outside the user's associations (so their existence does not leak), 403
    when the user sees the event but may not change it.
    """
    if need not in {"view", "edit"}:
        raise ValueError(f"Unknown need {need!r}")
    try:
        event = (
            Event.objects.visible_to(user)
            .select_related("district", "umbrella", "series", "created_by", "space")
            .prefetch_related("organisers", "themes", "target_groups", "areas__parent")
            .get(pk=pk)
        )
    except (Event.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    if need == "edit" and not can_edit_event(user, event):
        raise PermissionDenied
    return event

"""The association page's "Forums" section: forums it convenes, its ideas, and (for its own
members) who is registered for coming meetings."""

from django.utils import timezone

from directory.permissions import membership_of
from forums.models import Forum, Idea, Registration
from forums.permissions import is_forum_staff

PANEL_SIZE = 5


def organisation_forums(organisation, request) -> dict | None:
    if not organisation.is_public:
        return None
    user = request.user
    forums = list(Forum.objects.filter(organisers=organisation, is_active=True))
    ideas = list(
        Idea.objects.shown()
        .filter(organisation=organisation)
        .select_related("forum")
        .order_by("-created_at", "-pk")[:PANEL_SIZE]
    )
    registrations = []
    if is_forum_staff(user) or membership_of(user, organisation) is not None:
        registrations = list(
            Registration.objects.active()
            .filter(organisation=organisation, meeting__ends_at__gt=timezone.now())
            .select_related("user", "meeting__forum")
            .order_by("meeting__starts_at", "created_at", "pk")
        )
    if not (forums or ideas or registrations):
        return None
    return {"forums": forums, "ideas": ideas, "registrations": registrations}

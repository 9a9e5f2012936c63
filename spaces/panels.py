"""The association page's spaces section.

Everyone sees where the association meets: its coming *public* bookings (a resident looking for
the choir finds Tuesday evenings at Alava). The value of the city's free space use is shown only
to the association's members and city staff: it is internal grant information, and a public
euro figure invites comparisons the associations have not asked for.
"""

from django.utils import timezone

from directory.models import Membership
from spaces.models import Booking, is_city_staff
from spaces.reports import free_use_value

SHOWN = 5


def organisation_panel_context(organisation, request) -> dict | None:
    bookings = list(
        Booking.objects.confirmed()
        .filter(organisation=organisation, is_public=True)
        .not_ended()
        .select_related("space", "space__venue")
        .order_by("during")[:SHOWN]
    )
    user = request.user
    show_value = user.is_authenticated and (
        is_city_staff(user)
        or Membership.objects.filter(user=user, organisation=organisation).exists()
    )
    if not bookings and not show_value:
        return None
    year = timezone.localdate().year
    return {
        "bookings": bookings,
        "show_value": show_value,
        "year": year,
        "free_use_value": free_use_value(organisation, year) if show_value else None,
    }

"""Who may see and change spaces and bookings. One access helper per object type."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from directory.permissions import organisations_user_acts_for
from spaces.models import Booking, Space
from spaces.models import is_city_staff as staff_with_mfa


def get_space_for_user(user, slug: str, need: str = "view") -> Space:
    """A listed space by slug; `need="book"` also requires that it is bookable on the site.

    Unknown, hidden and (for booking) info-only spaces answer 404.
    """
    if need not in {"view", "book"}:
        raise ValueError(f"Unknown need {need!r}")
    spaces = Space.objects.listed().with_list_data()
    if need == "book":
        spaces = spaces.filter(is_bookable=True)
    try:
        return spaces.get(slug=slug)
    except Space.DoesNotExist:
        raise Http404 from None


def get_booking_for_user(user, pk: int, need: str = "view") -> Booking:
    """A booking the user may see: staff any; the booker and the association's admins theirs.

    404 outside that scope (so other associations' bookings do not leak); `need="cancel"` gives
    403 when the booking is visible but no longer active.
    """
    if need not in {"view", "cancel"}:
        raise ValueError(f"Unknown need {need!r}")
    try:
        booking = (
            Booking.objects.visible_to(user)
            .select_related("space", "space__venue", "organisation", "booked_by", "series")
            .get(pk=pk)
        )
    except Booking.DoesNotExist:
        raise Http404 from None
    if need == "cancel" and not booking.is_active:
        raise PermissionDenied
    return booking


def can_book(user) -> bool:
    """Members of a verified association see the booking form."""
    return user.is_authenticated and organisations_user_acts_for(user).exists()


def is_city_staff(request) -> bool:
    """The same test as the admin: active staff with two-step verification."""
    return staff_with_mfa(request.user)

"""Who may see and change an association. One access helper per object type."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from directory.models import Membership, Organisation, is_city_staff


def membership_of(user, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def get_organisation_for_user(user, slug: str, need: str = "view") -> Organisation:
    """The association by slug, if the user may `need` it: view, edit or admin.

    404 when the user may not even see it (so its existence does not leak), 403 when the
    user sees it but may not do what they asked.
    """
    if need not in {"view", "edit", "admin"}:
        raise ValueError(f"Unknown need {need!r}")
    try:
        organisation = Organisation.objects.visible_to(user).get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    if need == "view":
        return organisation
    if is_city_staff(user):
        return organisation
    membership = membership_of(user, organisation)
    if membership is None:
        raise PermissionDenied
    if need == "admin" and membership.role != Membership.Role.ADMIN:
        raise PermissionDenied
    return organisation


def organisations_user_acts_for(user):
    """Verified associations the user belongs to: those they may book, apply and publish for."""
    return Organisation.objects.public().of_member(user)


def can_edit(user, organisation: Organisation) -> bool:
    """Staff and every member may edit the association's page and volunteer tasks."""
    if not user.is_authenticated:
        return False
    return is_city_staff(user) or membership_of(user, organisation) is not None


def get_volunteer_opportunity_for_user(user, pk: int, need: str = "view"):
    """A volunteer task: public ones for everyone, any of their association's for its members."""
    from directory.models import VolunteerOpportunity

    if need not in {"view", "edit"}:
        raise ValueError(f"Unknown need {need!r}")
    try:
        opportunity = VolunteerOpportunity.objects.select_related("organisation").get(pk=pk)
    except VolunteerOpportunity.DoesNotExist:
        raise Http404 from None
    get_organisation_for_user(user, opportunity.organisation.slug, need=need)
    return opportunity


def get_membership_for_user(user, slug: str, pk: int) -> Membership:
    """A membership of an association the user administers (404 for another association's)."""
    organisation = get_organisation_for_user(user, slug, need="admin")
    try:
        return Membership.objects.select_related("user", "organisation").get(
            pk=pk, organisation=organisation
        )
    except Membership.DoesNotExist:
        raise Http404 from None

"""The city staff's admin: reached only through the normal login, and only with MFA."""

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

MFA_REQUIRED_MESSAGE = _(
    "City staff need two-step verification. Set up an authenticator app to continue."
)


def user_has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class PortalAdminSite(admin.AdminSite):
    site_header = _("Portal administration")
    site_title = _("Portal administration")
    index_title = _("City staff tools")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and user_has_mfa(user))

    def login(self, request, extra_context=None):
        """Send everyone through the site's login, which has rate limits and MFA."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = resolve_url("admin:index")
        user = request.user
        if not user.is_authenticated:
            login_url = resolve_url("account_login")
            return redirect(f"{login_url}?{REDIRECT_FIELD_NAME}={next_url}")
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not user_has_mfa(user):
            messages.info(request, MFA_REQUIRED_MESSAGE)
            return redirect("mfa_activate_totp")
        return redirect(next_url)

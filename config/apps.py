from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Site-wide pages, the admin site, demo data and shared template tags."""

    name = "config"
    verbose_name = _("Portal")

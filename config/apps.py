from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Site-wide pages, the admin site, demo data and shared template tags."""

    name = "config"
    verbose_name = _("Portal")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from config import pagecache

        # Sent once per app that has models (this one has none), after every migration ran.
        post_migrate.connect(pagecache.install_triggers, sender=apps.get_app_config("events"))

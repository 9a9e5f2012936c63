from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from directory.panels import OrganisationPanel, register
        from grants.panels import organisation_grants

        register(
            OrganisationPanel(
                key="grants",
                template_name="grants/organisation_panel.html",
                get_context=organisation_grants,
                order=40,
            )
        )

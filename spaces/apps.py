from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "spaces"
    verbose_name = _("Spaces")

    def ready(self):
        from directory.panels import OrganisationPanel, register
        from spaces.panels import organisation_panel_context

        register(
            OrganisationPanel(
                key="spaces",
                template_name="spaces/organisation_panel.html",
                get_context=organisation_panel_context,
                order=20,
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from directory.panels import OrganisationPanel, register
        from forums.panels import organisation_forums

        register(
            OrganisationPanel(
                key="forums",
                template_name="forums/organisation_panel.html",
                get_context=organisation_forums,
                order=50,
            )
        )

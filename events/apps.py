from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from directory.panels import OrganisationPanel, register
        from events.panels import organisation_events

        register(
            OrganisationPanel(
                key="events",
                template_name="events/organisation_panel.html",
                get_context=organisation_events,
                order=10,
            )
        )

"""Sections that other modules add to an association's public page.

`directory` must not import the modules built on it (events, spaces, grants), so they register a
panel here from their AppConfig.ready(); the organisation page renders every panel that has
something to show:

    from directory.panels import OrganisationPanel, register

    register(OrganisationPanel(
        key="events",
        template_name="events/organisation_panel.html",
        get_context=lambda organisation, request: {"events": ...} or None,
        order=10,
    ))
"""

from collections.abc import Callable
from dataclasses import dataclass

_panels: dict[str, "OrganisationPanel"] = {}


@dataclass(frozen=True)
class OrganisationPanel:
    key: str
    template_name: str
    # Returns the template context, or None when the panel has nothing to show.
    get_context: Callable[..., dict | None]
    order: int = 100


def register(panel: OrganisationPanel) -> None:
    _panels[panel.key] = panel  # by key, so a repeated ready() does not add it twice


def panels_for(organisation, request) -> list[tuple[OrganisationPanel, dict]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.get_context(organisation, request)
        if context is not None:
            shown.append((panel, context))
    return shown

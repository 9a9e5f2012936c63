"""Every URL pattern of the project, for tests that must cover all of them."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Third-party URL trees tested by their own projects; the portal's wrappers around them are
# covered by the account tests.
SKIPPED_PREFIXES = ("admin/", "accounts/", "static/", "media/")


@dataclass(frozen=True)
class Route:
    path: str  # the route with <converters>, e.g. "organisations/<slug:slug>/"
    name: str  # "namespace:name"
    has_parameters: bool


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            path = prefix + str(entry.pattern)
            yield Route(
                path=path,
                name=f"{namespace}{entry.name}" if entry.name else "",
                has_parameters="<" in path or "(?P" in path,
            )


def all_routes() -> list[Route]:
    return [
        route
        for route in _walk(get_resolver().url_patterns)
        if not route.path.lstrip("^").startswith(SKIPPED_PREFIXES)
    ]


def parameter_free_paths() -> list[str]:
    paths = []
    for route in all_routes():
        if route.has_parameters:
            continue
        path = "/" + route.path.lstrip("^").rstrip("$")
        paths.append(path.replace("\\", ""))
    return sorted(set(paths))

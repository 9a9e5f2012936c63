import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# The addresses every page's header and footer link to.
_FRAME_URLS = {
    "home": "home",
    "organisations": "directory:organisation-list",
    "spaces": "spaces:space-list",
    "events": "events:event-list",
    "grants": "grants:round-list",
    "forums": "forums:forum-list",
    "login": "account_login",
    "signup": "account_signup",
    "logout": "account_logout",
    "language": "set_language",
    "admin": "admin:index",
    "accessibility": "accessibility",
    "sitemap": "sitemap",
}


@functools.lru_cache(maxsize=8)
def _frame_urls(prefix: str, urlconf) -> dict[str, str]:
    """Reversed once per process (and URL prefix), not ten times on every page."""
    return {key: reverse(name) for key, name in _FRAME_URLS.items()}


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "frame_urls": _frame_urls(get_script_prefix(), get_urlconf()),
    }

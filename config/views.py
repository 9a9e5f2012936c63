"""Site-wide pages: home, accessibility statement, health checks, robots.txt and error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe


@login_not_required
@require_safe
def home(request):
    return render(request, "config/home.html")


@login_not_required
@require_safe
def accessibility(request):
    return render(request, "config/accessibility.html")


@login_not_required
@never_cache
def healthz(request):
    """The process is alive. Touches no database, so a database outage does not restart it."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def readyz(request):
    """The process can serve: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /i18n/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@login_not_required
@require_http_methods(["GET", "POST"])
def choose_language(request):
    """Switch the site's language and go back to the page the visitor was on.

    The switch in every page's header is a GET form, so pages carry no CSRF token and no
    cookie is set for merely reading them (which also lets config/pagecache.py keep them).
    Choosing a language changes nothing but the language cookie; POST works as in Django's
    own `set_language`, CSRF check included.
    """
    data = request.POST if request.method == "POST" else request.GET
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = data.get("language")
    if language and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response

"""Site-wide pages: home, accessibility statement, health checks, robots.txt and error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe


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

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import set_language

from config import views
from config.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        login_not_required(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("organisations/", include("directory.urls")),
    path("spaces/", include("spaces.urls")),
    path("events/", include("events.urls")),
    path("grants/", include("grants.urls")),
    path("forums/", include("forums.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

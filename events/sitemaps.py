from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Umbrella


class EventPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "events:event-list",
            "events:event-month",
            "events:event-year",
            "events:umbrella-list",
        ]

    def location(self, item):
        return reverse(item)


class EventSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        since = timezone.now() - timezone.timedelta(days=60)
        return (
            Event.objects.public().filter(ends_at__gt=since).order_by("pk").only("pk", "updated_at")
        )

    def lastmod(self, item):
        return item.updated_at


class UmbrellaSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Umbrella.objects.order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"event-pages": EventPagesSitemap, "events": EventSitemap, "umbrellas": UmbrellaSitemap}

from django.contrib.sitemaps import Sitemap

from spaces.models import Space


class SpaceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Space.objects.listed().order_by("pk")

    def lastmod(self, space):
        return space.updated_at


SITEMAPS = {"spaces": SpaceSitemap}

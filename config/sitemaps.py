"""The sitemap: site-wide pages here, each module adds its own section in SITEMAPS."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["home", "accessibility"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": StaticPagesSitemap}

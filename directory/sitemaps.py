"""Sitemap sections of the directory: every public association page and the volunteer list."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from directory.models import Organisation


class OrganisationSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Organisation.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, organisation):
        return organisation.updated_at


class DirectoryPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["directory:organisation-list", "directory:volunteer-list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"directory": DirectoryPagesSitemap, "organisations": OrganisationSitemap}

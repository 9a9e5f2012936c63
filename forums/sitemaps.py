from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from forums.models import Forum, Meeting


class ForumPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["forums:forum-list", "forums:idea-list"]

    def location(self, item):
        return reverse(item)


class ForumSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Forum.objects.filter(is_active=True).order_by("pk")


class MeetingSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Meeting.objects.shown().select_related("forum").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


SITEMAPS = {
    "forum-pages": ForumPagesSitemap,
    "forums": ForumSitemap,
    "forum-meetings": MeetingSitemap,
}

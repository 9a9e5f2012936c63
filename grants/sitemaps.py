from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from grants.models import Decision, Round


class RoundSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Round.objects.published().order_by("-year", "pk")

    def lastmod(self, round):
        return round.updated_at


class DecisionYearSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(
            Decision.objects.public()
            .granted()
            .values_list("round__year", flat=True)
            .distinct()
            .order_by("round__year")
        )

    def location(self, year):
        return reverse("grants:decision-list", kwargs={"year": year})


class GrantPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["grants:round-list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "grants": GrantPagesSitemap,
    "grant-rounds": RoundSitemap,
    "grant-decisions": DecisionYearSitemap,
}

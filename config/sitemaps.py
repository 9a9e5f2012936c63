"""The sitemap: site-wide pages here; each app adds its sections in `<app>/sitemaps.py`."""

import importlib
import importlib.util

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

APPS = ["directory", "spaces", "events", "grants", "forums"]


class StaticPagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["home", "accessibility"]

    def location(self, item):
        return reverse(item)


def collect() -> dict:
    """`pages` plus the SITEMAPS dict of every app that has a sitemaps module."""
    sitemaps = {"pages": StaticPagesSitemap}
    for app in APPS:
        if importlib.util.find_spec(f"{app}.sitemaps") is not None:
            sitemaps.update(importlib.import_module(f"{app}.sitemaps").SITEMAPS)
    return sitemaps

"""Daily (cron): recount each association's page views in the last 90 days."""

from django.core.management.base import BaseCommand

from directory import services


class Command(BaseCommand):
    help = "Recount popularity (page views in the last 90 days) and forget older page views."

    def handle(self, *args, **options):
        changed = services.popularity_refresh()
        self.stdout.write(f"Popularity updated for {changed} associations.")

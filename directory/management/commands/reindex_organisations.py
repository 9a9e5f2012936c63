"""Recompute the search columns (Voikko lemmas and compound parts) of every association."""

from django.core.management.base import BaseCommand

from directory import services


class Command(BaseCommand):
    help = "Recompute the search columns of all associations (after a dictionary update)."

    def handle(self, *args, **options):
        count = services.organisation_reindex_all()
        self.stdout.write(f"{count} associations indexed.")

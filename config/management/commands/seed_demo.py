"""Load realistic Kuopio demo data. Idempotent: running it twice changes nothing."""

import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from config.audit import acting_as

# Dependency order: each app's demo may use the rows the ones before it made.
APPS = ["directory", "spaces", "events", "grants", "forums"]


class Command(BaseCommand):
    help = "Load demo data for Kuopio (associations, spaces, events, grants, forums)."

    def handle(self, *args, **options):
        with transaction.atomic(), acting_as(None, reason="seed_demo"):
            for app in APPS:
                if importlib.util.find_spec(f"{app}.demo") is None:
                    continue
                module = importlib.import_module(f"{app}.demo")
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

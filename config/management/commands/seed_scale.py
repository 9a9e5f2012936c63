"""Fill the database with national-scale demo data for the benchmark (COPY, minutes not hours)."""

import random
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from config import scale


class Command(BaseCommand):
    help = "Fill the database with many realistic associations, events, bookings and applications."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(scale.PRESETS), default=None)
        for name in ("organisations", "events", "bookings", "applications"):
            parser.add_argument(f"--{name}", type=int, default=None)
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same data)")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if associations already exist"
        )

    def handle(self, *args, preset=None, seed=2026, if_empty=False, **options):
        from directory.models import Organisation

        counts = dict(scale.PRESETS[preset or "small"])
        for name in counts:
            if options.get(name) is not None:
                if options[name] < 0:
                    raise CommandError(f"--{name} must not be negative.")
                counts[name] = options[name]
        if if_empty and Organisation.objects.exists():
            self.stdout.write("The database already has associations; nothing to do.")
            return
        rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
        started = time.monotonic()
        with transaction.atomic():
            organisation_ids = scale.organisations(
                counts["organisations"], rng=rng, progress=self._progress("associations")
            )
            made = scale.fill_modules(counts, organisation_ids, rng=rng, progress=self._progress)
        with connection.cursor() as cursor:
            # Outside the transaction: VACUUM sets the visibility map, so the covering indexes
            # give index-only scans at once, as in a database that has been running a while.
            cursor.execute("VACUUM ANALYZE")
        made = {"associations": len(organisation_ids), **made}
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.0f} s: "
                + ", ".join(f"{v} {k}" for k, v in made.items())
            )
        )

    def _progress(self, label):
        def report(done, total):
            width = 30
            filled = int(width * done / total) if total else width
            sys.stdout.write(
                f"\r{label:<14} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            )
            sys.stdout.flush()
            if done >= total:
                sys.stdout.write("\n")

        return report

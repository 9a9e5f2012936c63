"""Measure the main pages in-process against their budgets; exit non-zero if one is broken."""

import gc
import json
import platform
import sys

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from config import benchmark
from config.benchmark_pages import pages


class Command(BaseCommand):
    help = "Time the main pages (median, p95, queries, SQL floor) and check their budgets."

    def add_arguments(self, parser):
        parser.add_argument("--repetitions", type=int, default=40)
        parser.add_argument("--output", default="bench-results.json")
        parser.add_argument("--only", help="Measure only pages whose name contains this")

    def handle(self, *args, repetitions, output, only=None, **options):
        selected = [p for p in pages() if not only or only in p.name]
        # As in a server process (config/wsgi.py): what start-up loaded stays out of the
        # garbage collector's full passes.
        gc.collect()
        gc.freeze()
        results = []
        for page in selected:
            result = benchmark.measure(page, repetitions=repetitions)
            results.append(result)
            self.stdout.write(f"  {result.name}: p95 {result.p95_ms} ms")
        self.stdout.write(benchmark.table(results))
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM directory_organisation")
            organisations = cursor.fetchone()[0]
        data = benchmark.as_json(
            results,
            measured_at=timezone.now().isoformat(),
            database=connection.settings_dict["NAME"],
            organisations=organisations,
            python=sys.version.split()[0],
            machine=platform.platform(),
            repetitions=repetitions,
        )
        with open(output, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
        self.stdout.write(f"Results written to {output}")
        broken = [r.name for r in results if r.failures]
        if broken:
            self.stderr.write(f"Budgets broken: {', '.join(broken)}")
            sys.exit(1)

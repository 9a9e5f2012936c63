"""python manage.py import_events FILE_OR_URL.ics --organisation <slug>"""

from django.core.management.base import BaseCommand, CommandError

from config.audit import acting_as
from directory.models import Organisation
from events.importer import ImportFailed, fetch, import_calendar


class Command(BaseCommand):
    help = (
        "Import a partner's iCalendar file or http(s) address as events of an association. "
        "Creates or updates by UID; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a .ics file or an http(s) address")
        parser.add_argument("--organisation", required=True, help="the association's slug")

    def handle(self, *args, source, organisation, **options):
        try:
            owner = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No association with the slug {organisation!r}.") from None
        try:
            data = fetch(source)
            with acting_as(None, reason="import_events", source=source[:200]):
                report = import_calendar(data, organisation=owner)
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        for problem in report.problems:
            self.stderr.write(f"Skipped: {problem}")
        self.stdout.write(
            f"{owner.name}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.problems)} skipped."
        )

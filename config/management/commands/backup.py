from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from config import pgtools


class Command(BaseCommand):
    help = "Write the whole database to a pg_dump file (custom format) for `restore`."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write (default: backups/portal-<time>.dump)")

    def handle(self, *args, output=None, **options):
        if output is None:
            folder = Path(settings.BASE_DIR) / "backups"
            folder.mkdir(exist_ok=True)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = str(folder / f"portal-{stamp}.dump")
        pgtools.dump(output)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output}"))

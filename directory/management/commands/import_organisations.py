"""Import associations from a CSV file: manage.py import_organisations FILE.csv"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from directory.importer import COLUMNS, OPTIONAL_COLUMNS, Importer, ImportFileError


class Command(BaseCommand):
    help = (
        "Create or update associations from a UTF-8 CSV file with the columns "
        f"{','.join(COLUMNS)} (and optionally {','.join(OPTIONAL_COLUMNS)}). Rows with a "
        "business ID match on it, others on the exact name. Bad rows are reported by line "
        "number and skipped whole; running the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the CSV file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None

        def progress(done, total):
            if done == total or done % 100 == 0:
                self.stdout.write(f"  {done}/{total} rows")

        # Operator output in one language: the row messages and Django's validation messages.
        with translation.override("en"):
            try:
                result = Importer(progress=progress).run(data)
            except ImportFileError as exc:
                raise CommandError(str(exc)) from None
        for error in result.errors:
            self.stderr.write(f"  {error}")
        self.stdout.write(
            f"{result.rows} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(result.errors)} with errors."
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} rows were not imported; see above.")

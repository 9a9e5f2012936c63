from django.core.management.base import BaseCommand, CommandError

from config import pgtools


class Command(BaseCommand):
    help = "Replace the database's contents with a file written by `backup` (one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database-name", help="Restore into this database instead")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation")

    def handle(self, *args, file, database_name=None, yes=False, **options):
        if not yes and not database_name:
            answer = input("This replaces all data in the database. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        pgtools.restore(file, database_name=database_name)
        self.stdout.write(self.style.SUCCESS(f"Restored {file}"))

"""Daily (cron): mark long-unconfirmed associations and email yearly confirm links."""

from django.core.management.base import BaseCommand

from directory import services


class Command(BaseCommand):
    help = (
        "Mark associations unconfirmed for 24 months as possibly outdated (ranked lower), and "
        "email the admins of associations unconfirmed for 12 months a signed link that "
        "confirms the details without signing in. Safe to run daily."
    )

    def handle(self, *args, **options):
        marked, cleared = services.freshness_mark_outdated()
        sent = services.freshness_send_reminders()
        self.stdout.write(
            f"{marked} marked possibly outdated, {cleared} no longer outdated, "
            f"{sent} reminders sent."
        )

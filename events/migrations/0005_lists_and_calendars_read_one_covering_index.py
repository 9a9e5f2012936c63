from django.db import migrations, models


class Migration(migrations.Migration):
    """The upcoming list, its capped count, the month grid and the feeds' ETag read one covering
    index in the lists' order (starts_at, id), without a sort and without the table."""

    dependencies = [
        ("events", "0004_upcoming_lists_read_from_the_running_events_floor"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="event",
            name="event_starts_at_cover",
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["starts_at", "id"],
                include=("ends_at", "status", "is_all_day", "updated_at"),
                name="event_start_cover",
            ),
        ),
    ]

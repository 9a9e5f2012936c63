"""Intentionally empty.

`makemigrations spaces` was run while the directory models were being extended and wrote the
directory changes under this name; spaces/0001 depends on it by name, so the name stays and the
directory's own changes are in 0004.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_taxonomy_terms")]

    operations = []

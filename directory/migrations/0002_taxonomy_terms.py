from django.db import migrations


def load_terms(apps, schema_editor):
    from directory import taxonomy_data

    taxonomy_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    # Reversing keeps the terms: organisations may already refer to them.
    operations = [migrations.RunPython(load_terms, migrations.RunPython.noop)]

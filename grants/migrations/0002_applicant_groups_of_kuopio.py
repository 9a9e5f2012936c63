"""The eight groups Kuopio's general grants are applied in (Kuopion kaupunki, 2022)."""

from django.db import migrations

GROUPS = [
    ("liikuntaseurat", "Liikuntaseurat", "Sports clubs"),
    ("nuorisojarjestot", "Nuorisojärjestöt", "Youth organisations"),
    ("kulttuurijarjestot-ja-toimijat", "Kulttuurijärjestöt ja -toimijat", "Cultural organisations and actors"),
    ("asukas-ja-kylayhdistykset", "Asukas- ja kyläyhdistykset", "Residents' and village associations"),
    ("elakelaisjarjestot", "Eläkeläisjärjestöt", "Pensioners' organisations"),
    ("kansanterveys-ja-vammaisjarjestot", "Kansanterveys- ja vammaisjärjestöt", "Public health and disability organisations"),
    ("muut-yhdistykset", "Muut yhdistykset", "Other associations"),
    ("taiteilijat", "Taiteilijat (työtila-avustukset)", "Artists (workspace grants)"),
]


def add_groups(apps, schema_editor):
    ApplicantGroup = apps.get_model("grants", "ApplicantGroup")
    for position, (slug, name_fi, name_en) in enumerate(GROUPS, start=1):
        ApplicantGroup.objects.update_or_create(
            slug=slug, defaults={"name_fi": name_fi, "name_en": name_en, "position": position}
        )


def remove_groups(apps, schema_editor):
    ApplicantGroup = apps.get_model("grants", "ApplicantGroup")
    ApplicantGroup.objects.filter(slug__in=[slug for slug, _fi, _en in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0001_rounds_applications_decisions_reports"),
    ]

    operations = [
        migrations.RunPython(add_groups, remove_groups),
    ]

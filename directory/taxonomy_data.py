"""The terms the portal starts with. Staff edit them in the admin afterwards; slugs stay stable."""

from django.utils.text import slugify

FIELDS_OF_ACTIVITY = [
    # The applicant groups of Kuopio's general grants, plus a few the directory needs.
    ("liikunta-ja-urheilu", "Liikunta ja urheilu", "Sports and exercise"),
    ("nuoriso", "Nuoriso", "Youth"),
    ("kulttuuri", "Kulttuuri", "Culture"),
    ("asukas-ja-kylatoiminta", "Asukas- ja kylätoiminta", "Residents and villages"),
    ("elakelaiset", "Eläkeläiset", "Pensioners"),
    ("sosiaali-ja-terveys", "Sosiaali- ja terveys", "Social and health"),
    ("vammaisjarjestot", "Vammaisjärjestöt", "Disability organisations"),
    ("ymparisto", "Ympäristö", "Environment"),
    ("monikulttuurisuus", "Monikulttuurisuus", "Multicultural activity"),
    ("muut", "Muut", "Other"),
]

TARGET_GROUPS = [
    ("lapset", "Lapset", "Children"),
    ("nuoret", "Nuoret", "Young people"),
    ("lapsiperheet", "Lapsiperheet", "Families with children"),
    ("aikuiset", "Aikuiset", "Adults"),
    ("ikaantyneet", "Ikääntyneet", "Older people"),
    ("maahanmuuttajat", "Maahanmuuttajat", "Immigrants"),
    ("vammaiset", "Vammaiset", "People with disabilities"),
    ("kaikki", "Kaikki", "Everyone"),
]

# The municipalities of Pohjois-Savo (the Koonto project's list), Kuopio first.
MUNICIPALITIES = [
    "Kuopio", "Siilinjärvi", "Lapinlahti", "Iisalmi", "Vieremä", "Kiuruvesi", "Pielavesi",
    "Keitele", "Vesanto", "Tervo", "Rautalampi", "Suonenjoki", "Leppävirta", "Varkaus",
    "Joroinen", "Tuusniemi", "Kaavi", "Rautavaara", "Sonkajärvi",
]  # fmt: skip

KUOPIO_DISTRICTS = [
    "Keskusta", "Männistö", "Neulamäki", "Puijonlaakso", "Saarijärvi", "Kelloniemi",
    "Linnanpelto", "Itkonniemi", "Rypysuo", "Nilsiä", "Karttula", "Maaninka", "Vehmersalmi",
    "Särkiniemi", "Petonen", "Jynkkä", "Saaristokaupunki", "Pirtti", "Kortejoki", "Päiväranta",
    "Kettulanlahti", "Hatsala", "Niirala", "Inkilänmäki", "Pyörö", "Haapaniemi", "Levänen",
]  # fmt: skip


def load(apps) -> None:
    """Create or update the terms. Idempotent: running it twice changes nothing."""
    FieldOfActivity = apps.get_model("directory", "FieldOfActivity")
    TargetGroup = apps.get_model("directory", "TargetGroup")
    Area = apps.get_model("directory", "Area")
    for model, rows in ((FieldOfActivity, FIELDS_OF_ACTIVITY), (TargetGroup, TARGET_GROUPS)):
        for position, (slug, name_fi, name_en) in enumerate(rows):
            model.objects.update_or_create(
                slug=slug, defaults={"name_fi": name_fi, "name_en": name_en, "position": position}
            )
    municipalities = {}
    for position, name in enumerate(MUNICIPALITIES):
        municipalities[name], _ = Area.objects.update_or_create(
            slug=slugify(name),
            defaults={"name_fi": name, "name_en": name, "position": position,
                      "kind": "municipality", "parent": None},
        )  # fmt: skip
    for position, name in enumerate(KUOPIO_DISTRICTS):
        Area.objects.update_or_create(
            slug=f"kuopio-{slugify(name)}",
            defaults={"name_fi": name, "name_en": name, "position": 100 + position,
                      "kind": "district", "parent": municipalities["Kuopio"]},
        )  # fmt: skip

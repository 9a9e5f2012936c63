"""Fill a database with national-scale, realistic Finnish data, fast (COPY, not the ORM).

Used by `manage.py seed_scale` for the benchmark. Names are built from real compound words
and places, popularity is skewed (a few associations get most page views), and search columns
are computed by the same code the site uses (directory.search), cached per word.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

PRESETS = {
    "tiny": {"organisations": 1_000, "events": 2_000, "bookings": 3_000, "applications": 200},
    "small": {"organisations": 10_000, "events": 20_000, "bookings": 30_000, "applications": 2_000},
    "national": {
        "organisations": 100_000,
        "events": 200_000,
        "bookings": 300_000,
        "applications": 20_000,
    },
}

PLACES = [
    "Kuopion", "Männistön", "Neulamäen", "Puijonlaakson", "Saarijärven", "Kelloniemen",
    "Linnanpellon", "Itkonniemen", "Rypysuon", "Nilsiän", "Karttulan", "Maaninkan",
    "Vehmersalmen", "Särkiniemen", "Petosen", "Jynkän", "Siilinjärven", "Iisalmen", "Varkauden",
    "Suonenjoen", "Leppävirran", "Lapinlahden", "Kiuruveden", "Pielaveden", "Joroisten",
    "Tuusniemen", "Kaavin", "Rautalammin", "Sonkajärven", "Vieremän", "Keiteleen", "Tervon",
    "Vesannon", "Rautavaaran", "Pohjois-Savon", "Savon", "Kallaveden", "Puijon",
]  # fmt: skip

# (stem, field slug, target group slugs)
ACTIVITIES = [
    ("Jalkapallo", "liikunta-ja-urheilu", ["lapset", "nuoret"]),
    ("Hiihto", "liikunta-ja-urheilu", ["kaikki"]),
    ("Lentopallo", "liikunta-ja-urheilu", ["nuoret", "aikuiset"]),
    ("Salibandy", "liikunta-ja-urheilu", ["nuoret"]),
    ("Suunnistus", "liikunta-ja-urheilu", ["kaikki"]),
    ("Uinti", "liikunta-ja-urheilu", ["lapset"]),
    ("Ratsastus", "liikunta-ja-urheilu", ["lapset", "nuoret"]),
    ("Paini", "liikunta-ja-urheilu", ["nuoret"]),
    ("Tanssi", "kulttuuri", ["kaikki"]),
    ("Kuoro", "kulttuuri", ["aikuiset"]),
    ("Teatteri", "kulttuuri", ["kaikki"]),
    ("Musiikki", "kulttuuri", ["nuoret"]),
    ("Valokuvaus", "kulttuuri", ["aikuiset"]),
    ("Kirjallisuus", "kulttuuri", ["aikuiset"]),
    ("Käsityö", "kulttuuri", ["ikaantyneet"]),
    ("Nuoriso", "nuoriso", ["nuoret"]),
    ("Partio", "nuoriso", ["lapset", "nuoret"]),
    ("Asukas", "asukas-ja-kylatoiminta", ["kaikki"]),
    ("Kylä", "asukas-ja-kylatoiminta", ["kaikki"]),
    ("Kotiseutu", "asukas-ja-kylatoiminta", ["kaikki"]),
    ("Eläkeläis", "elakelaiset", ["ikaantyneet"]),
    ("Seniori", "elakelaiset", ["ikaantyneet"]),
    ("Omaishoitaja", "sosiaali-ja-terveys", ["aikuiset"]),
    ("Sydän", "sosiaali-ja-terveys", ["aikuiset"]),
    ("Diabetes", "sosiaali-ja-terveys", ["kaikki"]),
    ("Mielenterveys", "sosiaali-ja-terveys", ["aikuiset"]),
    ("Näkövammais", "vammaisjarjestot", ["vammaiset"]),
    ("Kuulovammais", "vammaisjarjestot", ["vammaiset"]),
    ("Luonto", "ymparisto", ["kaikki"]),
    ("Lintu", "ymparisto", ["aikuiset"]),
    ("Ystävyys", "monikulttuurisuus", ["maahanmuuttajat"]),
    ("Kielikahvila", "monikulttuurisuus", ["maahanmuuttajat"]),
    ("Shakki", "muut", ["kaikki"]),
    ("Martta", "muut", ["aikuiset"]),
]

SUFFIXES = ["seura", "yhdistys", "kerho", "piiri", "klubi", "ryhmä"]
SENTENCES = [
    "Tervetuloa mukaan kaikenikäiset, myös aloittelijat.",
    "Kokoonnumme viikoittain {place_locative} ja teemme yhteistyötä muiden yhdistysten kanssa.",
    "Järjestämme kursseja, retkiä ja tapahtumia jäsenille ja kaikille kiinnostuneille.",
    "Toimintamme on maksutonta, ja vapaaehtoiset ovat aina tervetulleita.",
    "Tarjoamme vertaistukea ja neuvontaa sekä yhteisiä iltoja.",
    "Osaamistamme ovat ohjaus, valmennus ja tapahtumien järjestäminen.",
]


@dataclass
class Taxonomy:
    fields: dict
    target_groups: dict
    districts: list
    municipalities: list


def _taxonomy() -> Taxonomy:
    from directory.models import Area, FieldOfActivity, TargetGroup

    areas = list(Area.objects.select_related("parent"))
    return Taxonomy(
        fields={t.slug: t for t in FieldOfActivity.objects.all()},
        target_groups={t.slug: t for t in TargetGroup.objects.all()},
        districts=[a for a in areas if a.parent_id],
        municipalities=[a for a in areas if not a.parent_id],
    )


def _copy(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def without_audit_triggers():
    """Bulk loads skip the per-row audit triggers (the history would be noise, and slow)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")


def organisations(count: int, *, rng: random.Random, progress) -> list[int]:
    """Create `count` associations with search columns, taxonomy links and popularity skew."""
    from directory.models import Organisation
    from directory.search import organisation_document

    taxonomy = _taxonomy()
    now = timezone.now()
    start_id = (Organisation.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    rows, links = [], {"fields": [], "target_groups": [], "areas": []}

    class Doc:  # the attributes organisation_document reads
        pass

    for n in range(count):
        pk = start_id + n
        place = rng.choice(PLACES)
        stem, field_slug, group_slugs = rng.choice(ACTIVITIES)
        name = f"{place} {stem}{rng.choice(SUFFIXES)} ry"
        municipality = rng.choice(taxonomy.municipalities[:6])
        areas = [municipality]
        if rng.random() < 0.6:
            areas.append(rng.choice(taxonomy.districts))
        doc = Doc()
        doc.name = name
        doc.short_description = (
            f"{stem}toimintaa {place[:-1].lower() if place.endswith('n') else place} seudulla."
        )
        doc.description = " ".join(
            s.format(place_locative=areas[-1].name_fi + "ssa") for s in rng.sample(SENTENCES, 3)
        )
        doc.expertise = doc.services = doc.membership_info = doc.accessibility = ""
        doc.languages = ["fi"] if rng.random() < 0.9 else ["fi", "en"]
        fields = [taxonomy.fields[field_slug]]
        groups = [taxonomy.target_groups[g] for g in group_slugs]
        search = organisation_document(doc, fields=fields, target_groups=groups, areas=areas)
        status = rng.choices(["verified", "pending", "archived"], weights=[95, 3, 2])[0]
        confirmed = now - timedelta(days=rng.randint(0, 900))
        # Zipf-like: a few associations get most of the page views.
        popularity = int(2000 / (1 + rng.paretovariate(1.2) * rng.randint(1, 200)))
        rows.append(
            (
                pk, name, f"{slugify(name)}-{pk}", doc.short_description, doc.description,
                "", "", "{" + ",".join(doc.languages) + "}", "", "", "", "", "", "{}", "",
                None, "", status, confirmed,
                confirmed if status != "pending" else None, now, now,
                search["search_terms_a"], search["search_terms_b"], search["search_terms_c"],
                search["search_text"], popularity, (now - confirmed).days > 730,
            )
        )  # fmt: skip
        links["fields"] += [(pk, f.pk) for f in fields]
        links["target_groups"] += [(pk, g.pk) for g in groups]
        links["areas"] += [(pk, a.pk) for a in areas]
        if n % 5000 == 4999:
            progress(n + 1, count)
    without_audit_triggers()
    _copy(
        "directory_organisation",
        [
            "id", "name", "slug", "short_description", "description", "expertise", "services",
            "languages", "accessibility", "membership_info", "email", "phone", "website",
            "social_links", "logo", "business_id", "register_number", "status",
            "last_confirmed_at", "verified_at", "created_at", "updated_at", "search_terms_a",
            "search_terms_b", "search_terms_c", "search_text", "popularity", "is_outdated",
        ],
        rows,
    )  # fmt: skip
    _copy(
        "directory_organisation_fields", ["organisation_id", "fieldofactivity_id"], links["fields"]
    )
    _copy(
        "directory_organisation_target_groups",
        ["organisation_id", "targetgroup_id"],
        links["target_groups"],
    )
    _copy("directory_organisation_areas", ["organisation_id", "area_id"], links["areas"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('directory_organisation', 'id'), "
            "(SELECT max(id) FROM directory_organisation))"
        )
    progress(count, count)
    return [row[0] for row in rows]


def fill_modules(counts: dict, organisation_ids: list[int], *, rng, progress) -> None:
    """Events, bookings and applications, for the modules that are installed with data models."""
    return None

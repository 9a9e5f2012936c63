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

from directory.search import lexicon_fill

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
        # The typo fallback's lexicon: saving an association adds its words; COPY does not.
        lexicon_fill(cursor)
    progress(count, count)
    return [row[0] for row in rows]


def _column_value(field, row: dict, now):
    """The value for one column: given, else the model's default, else NULL or empty."""
    from psycopg.types.json import Jsonb

    if field.attname in row:
        value = row[field.attname]
    elif field.name in row:
        value = row[field.name]
    elif field.has_default():
        value = field.get_default()
    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now
    elif field.null:
        value = None
    elif field.is_relation:
        raise ValueError(f"{field.model.__name__}.{field.name} is required in bulk rows")
    else:
        value = ""
    if field.get_internal_type() == "JSONField" and value is not None:
        value = Jsonb(value)
    return value


def copy_models(model, rows: list[dict]) -> int:
    """COPY rows (dicts by field name) into a model's table, filling the model's defaults.

    Column names, defaults and nullability come from the model itself, so the bulk data keeps
    up with the models; generated columns are left to PostgreSQL.
    """
    fields = (
        [
            f
            for f in model._meta.concrete_fields
            if not getattr(f, "generated", False)
            and not (f.primary_key and f.attname not in rows[0])
        ]
        if rows
        else []
    )
    now = timezone.now()
    return _copy(
        model._meta.db_table,
        [f.column for f in fields],
        (tuple(_column_value(f, row, now) for f in fields) for row in rows),
    )


def _next_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608: table from model meta
            f"(SELECT max(id) FROM {table}))"
        )


def _copy_links(relation, pairs: list[tuple[int, int]]) -> None:
    """COPY (from id, to id) pairs into a many-to-many table."""
    through = relation.through
    columns = [f.column for f in through._meta.concrete_fields if not f.primary_key]
    _copy(through._meta.db_table, columns, pairs)


EVENT_NOUNS = [
    "ilta", "kurssi", "retki", "turnaus", "kerho", "konsertti", "näyttely", "myyjäiset",
    "tapaaminen", "työpaja", "leiri", "kahvila", "juhla", "luento",
]  # fmt: skip
PLACE_NAMES = [
    "Asukastupa", "Kirjaston sali", "Kohtaamo", "Kylätalo", "Nuorisotalo", "Seurakuntatalo",
    "Urheilutalo", "Kulttuurikeskus", "Musiikkikeskus", "Koulun juhlasali", "Uimahalli",
]  # fmt: skip


def events(count: int, organisation_ids: list[int], *, rng, progress) -> int:
    from events import search
    from events.models import Event, Umbrella

    if not count:
        return 0
    taxonomy = _taxonomy()
    themes, groups = list(taxonomy.fields.values()), list(taxonomy.target_groups.values())
    umbrellas = []
    for slug, name in [
        ("meidan-kuopio-festivaali", "Meidän Kuopio -festivaali"),
        ("lahiossa-kiertue", "Lähiössä!-kiertue"),
        ("hyperhiihtoloma", "Hyperhiihtoloma"),
        ("kiva-kesa", "Kiva kesä"),
    ]:
        today = timezone.localdate()
        umbrella, _created = Umbrella.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "starts_on": today, "ends_on": today + timedelta(days=60)},
        )
        umbrellas.append(umbrella.pk)
    now = timezone.now()
    start_id = _next_id(Event)
    documents = {}
    rows, organisers, event_themes, event_groups, event_areas = [], [], [], [], []
    for n in range(count):
        pk = start_id + n
        stem, field_slug, group_slugs = rng.choice(ACTIVITIES)
        title = f"{stem}{rng.choice(EVENT_NOUNS)}"
        district = rng.choice(taxonomy.districts)
        place = rng.choice(PLACE_NAMES)
        if title not in documents:
            documents[title] = search.document(title=title, texts=[], fuzzy=[])
        doc = dict(documents[title])
        doc["search_text"] = (doc["search_text"] + " " + district.name_fi.lower())[:500]
        day = now + timedelta(days=rng.randint(-365, 365))
        starts_at = day.replace(hour=rng.randint(8, 19), minute=rng.choice([0, 30]), second=0)
        status = rng.choices(["published", "cancelled", "draft"], weights=[92, 4, 4])[0]
        rows.append(
            {
                "id": pk,
                "title": title,
                "description": f"{title} {district.name_fi}ssa. Tervetuloa!",
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=rng.choice([1, 2, 2, 3])),
                "place_kind": "address",
                "place_name": place,
                "street_address": f"{district.name_fi}ntie {rng.randint(1, 60)}",
                "district_id": district.pk,
                "is_free": rng.random() < 0.7,
                "registration": "none",
                "is_accessible": rng.random() < 0.5,
                "status": status,
                "umbrella_id": rng.choice(umbrellas) if rng.random() < 0.03 else None,
                "created_at": starts_at - timedelta(days=30),
                "updated_at": starts_at - timedelta(days=rng.randint(1, 29)),
                **doc,
            }
        )
        organisers.append((pk, rng.choice(organisation_ids)))
        event_themes.append((pk, taxonomy.fields[field_slug].pk))
        event_groups += [(pk, taxonomy.target_groups[g].pk) for g in group_slugs]
        if rng.random() < 0.1:
            event_groups.append((pk, rng.choice(groups).pk))
        if rng.random() < 0.05:
            event_themes.append((pk, rng.choice(themes).pk))
        event_areas.append((pk, district.pk))
        if n % 10000 == 9999:
            progress(n + 1, count)
    copy_models(Event, rows)
    _copy_links(Event.organisers, organisers)
    _copy_links(Event.themes, sorted(set(event_themes)))
    _copy_links(Event.target_groups, sorted(set(event_groups)))
    _copy_links(Event.areas, event_areas)
    _reset_sequence(Event)
    progress(count, count)
    return count


def add_opening_hours(venue, model, *, weekend: bool) -> None:
    """Weekdays 8–21, weekends 10–18 at most venues: "free at" needs open venues to find."""
    from datetime import time

    for weekday in range(7 if weekend else 5):
        opens, closes = (time(8), time(21)) if weekday < 5 else (time(10), time(18))
        model.objects.get_or_create(
            venue=venue, weekday=weekday, defaults={"opens_at": opens, "closes_at": closes}
        )


def bookings(count: int, organisation_ids: list[int], *, rng, progress) -> int:
    """Bookings over two years on generated spaces, never overlapping on a unit."""
    from spaces.models import (
        Booking,
        BookingOccupancy,
        OpeningHours,
        PriceCategory,
        Space,
        SpaceUnit,
        SpaceUnitLink,
        Venue,
    )

    if not count:
        return 0
    taxonomy = _taxonomy()
    category = PriceCategory.objects.order_by("position").first()
    if category is None:
        category = PriceCategory.objects.create(
            slug="maksuton", name_fi="Maksuton", name_en="Free", kind="free"
        )
    space_count = max(10, count // 500)
    spaces = []
    for n in range(space_count):
        district = taxonomy.districts[n % len(taxonomy.districts)]
        venue, _created = Venue.objects.get_or_create(
            slug=f"asukastalo-{n}",
            defaults={
                "name": f"{district.name_fi}n asukastalo {n}",
                "street_address": f"{district.name_fi}ntie {n + 1}",
                "city": "Kuopio",
                "district": district,
                "is_step_free": n % 2 == 0,
            },
        )
        space, created = Space.objects.get_or_create(
            venue=venue,
            slug=f"kerhohuone-{n}",
            defaults={
                "name": "Kerhohuone",
                "type": rng.choice(["meeting_room", "club_room", "hall", "band_room"]),
                "capacity": rng.choice([8, 12, 20, 40, 80, 150]),
                "price_category": category,
            },
        )
        if created:
            unit = SpaceUnit.objects.create(venue=venue, name="Kerhohuone")
            SpaceUnitLink.objects.create(space=space, unit=unit)
        add_opening_hours(venue, OpeningHours, weekend=n % 3 != 0)
        spaces.append(space.pk)
    now = timezone.now()
    start_id = _next_id(Booking)
    rows, per_space = [], max(1, count // len(spaces))
    pk = start_id
    for space_id in spaces:
        moment = now - timedelta(days=365)
        for _ in range(per_space):
            if len(rows) >= count:
                break
            moment += timedelta(hours=rng.randint(3, 30))
            starts_at = moment.replace(minute=0, second=0, microsecond=0)
            ends_at = starts_at + timedelta(hours=rng.choice([1, 2, 2, 3]))
            moment = ends_at
            status = rng.choices(["confirmed", "requested", "cancelled"], weights=[85, 5, 10])[0]
            hours = (ends_at - starts_at).seconds // 3600
            rows.append(
                {
                    "id": pk,
                    "organisation_id": rng.choice(organisation_ids),
                    "space_id": space_id,
                    "during": (starts_at, ends_at),
                    "purpose": rng.choice(["Hallituksen kokous", "Kerhoilta", "Harjoitukset"]),
                    "expected_attendees": rng.randint(3, 30),
                    "is_public": rng.random() < 0.3,
                    "status": status,
                    "price_paid": 0,
                    "full_price": 25 * hours,
                    "created_at": starts_at - timedelta(days=14),
                    "updated_at": starts_at - timedelta(days=14),
                }
            )
            pk += 1
        progress(len(rows), count)
    from psycopg.types.range import Range

    for row in rows:
        row["during"] = Range(*row["during"], "[)")
    copy_models(Booking, rows)
    # The occupancy trigger is off during the bulk load; write the same rows it would.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BookingOccupancy._meta.db_table} (booking_id, unit_id, during, is_active) "  # noqa: S608, E501  # nosec B608: tables from model meta, id as a parameter
            f"SELECT b.id, l.unit_id, b.during, b.status IN ('requested', 'confirmed') "
            f"FROM {Booking._meta.db_table} b JOIN {SpaceUnitLink._meta.db_table} l "
            f"ON l.space_id = b.space_id WHERE b.id >= %s",
            [start_id],
        )
    _reset_sequence(Booking)
    progress(len(rows), len(rows))
    return len(rows)


def applications(count: int, organisation_ids: list[int], *, rng, progress) -> int:
    """Grant rounds of the last two years (decided, public) and this year's, with applications."""
    from decimal import Decimal

    from grants.models import ApplicantGroup, Application, ApplicationVersion, Decision, Pot, Round

    if not count:
        return 0
    from directory.models import User

    clerk, _created = User.objects.get_or_create(
        email="avustukset@bench.kuopio.example", defaults={"full_name": "Avustuskäsittelijä"}
    )
    groups = list(ApplicantGroup.objects.all())
    year = timezone.localdate().year
    per_round = max(1, count // 3)
    total = 0
    for offset in (2, 1, 0):
        round_year = year - offset
        opens = timezone.now().replace(year=round_year, month=9, day=1)
        grant_round, _created = Round.objects.get_or_create(
            slug=f"yleisavustukset-{round_year}-skaala",
            defaults={
                "name": f"Yleisavustukset {round_year}",
                "kind": "general",
                "year": round_year,
                "opens_at": opens,
                "closes_at": opens + timedelta(days=89),
                "budget": Decimal(0),
                "is_published": True,
            },
        )
        decided = offset > 0
        applicants = rng.sample(organisation_ids, min(per_round, len(organisation_ids)))
        app_rows, version_rows, decision_rows = [], [], []
        pot_sums = {g.pk: Decimal(0) for g in groups}
        app_id, version_id = _next_id(Application), _next_id(ApplicationVersion)
        for organisation_id in applicants:
            group = rng.choice(groups)
            requested = Decimal(rng.randint(5, 400) * 100)
            app_rows.append(
                {
                    "id": app_id,
                    "round_id": grant_round.pk,
                    "organisation_id": organisation_id,
                    "group_id": group.pk,
                    "purpose": "Toiminta-avustus vuoden toimintaan.",
                    "requested_amount": requested,
                    "state": "decided" if decided else rng.choice(["draft", "submitted"]),
                    "submitted_at": opens + timedelta(days=30),
                    "created_by_id": clerk.pk,
                }
            )
            if decided:
                version_rows.append(
                    {
                        "id": version_id,
                        "application_id": app_id,
                        "number": 1,
                        "kind": "submission",
                        "group_id": group.pk,
                        "requested_amount": requested,
                        "snapshot": {"purpose": "Toiminta-avustus vuoden toimintaan."},
                        "created_at": opens + timedelta(days=30),
                        "created_by_id": clerk.pk,
                    }
                )
                amount = (requested * Decimal(rng.choice([0, 50, 70, 100])) / 100).quantize(
                    Decimal(1)
                )
                pot_sums[group.pk] += amount
                decision_rows.append(
                    {
                        "application_id": app_id,
                        "version_id": version_id,
                        "round_id": grant_round.pk,
                        "group_id": group.pk,
                        "organisation_id": organisation_id,
                        "requested_amount": requested,
                        "amount": amount,
                        "rejection_reason": "" if amount else "Määräraha ei riittänyt.",
                        "is_public": True,
                        "disqualified": [],
                        "decided_at": opens + timedelta(days=120),
                        "decided_by_id": clerk.pk,
                    }
                )
                version_id += 1
            app_id += 1
        # Budgets the decisions fit in, as the decision service would have required.
        for group in groups:
            Pot.objects.update_or_create(
                round=grant_round,
                group=group,
                defaults={"budget": pot_sums[group.pk] + Decimal(10000)},
            )
        Round.objects.filter(pk=grant_round.pk).update(
            budget=sum(pot_sums.values()) + Decimal(10000) * len(groups)
        )
        copy_models(Application, app_rows)
        if version_rows:
            copy_models(ApplicationVersion, version_rows)
            copy_models(Decision, decision_rows)
        total += len(app_rows)
        progress(total, count)
    for model in (Application, ApplicationVersion, Decision):
        _reset_sequence(model)
    return total


def fill_modules(counts: dict, organisation_ids: list[int], *, rng, progress) -> dict:
    """Events, bookings and grant applications for the generated associations."""
    verified = organisation_ids[: max(1, len(organisation_ids))]
    return {
        "events": events(counts["events"], verified, rng=rng, progress=progress("events")),
        "bookings": bookings(counts["bookings"], verified, rng=rng, progress=progress("bookings")),
        "applications": applications(
            counts["applications"], verified, rng=rng, progress=progress("applications")
        ),
    }

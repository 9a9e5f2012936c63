"""Demo accounts (one per role) and associations across the grant groups of Kuopio."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from directory import services
from directory.models import (
    Area,
    ContactPerson,
    FieldOfActivity,
    Membership,
    Organisation,
    SearchSynonym,
    TargetGroup,
    User,
    VolunteerOpportunity,
)
from directory.validators import business_id_check_digit

DEMO_PASSWORD = "kuopio-demo-2026"  # noqa: S105 - documented in README, demo data only

DEMO_USERS = [
    # email, name, role in the demo association (None: no membership), is_staff
    ("asukas@demo.kuopio.example", "Aino Asukas", None, False),
    ("vapaaehtoinen@demo.kuopio.example", "Veikko Vapaaehtoinen", Membership.Role.EDITOR, False),
    ("yhdistys@demo.kuopio.example", "Yrjö Yhdistysaktiivi", Membership.Role.ADMIN, False),
    ("kaupunki@demo.kuopio.example", "Kaisa Kaupunki", None, True),
]

# name, short description, fields, target groups, areas, languages
ORGANISATIONS = [
    ("Männistön Asukasyhdistys ry",
     "Asukastupa, kirpputori ja yhteiset talkoot Männistössä. Tervetuloa mukaan kaikenikäiset!",
     ["asukas-ja-kylatoiminta"], ["kaikki"], ["kuopio-mannisto"], ["fi"]),
    ("Kuopion Jalkapalloseura ry",
     "Jalkapalloa tytöille ja pojille 5-vuotiaista alkaen sekä harrastesarja aikuisille.",
     ["liikunta-ja-urheilu"], ["lapset", "nuoret"], ["kuopio-keskusta", "kuopio-neulamaki"], ["fi", "en"]),
    ("Kuopion Pelastakaa Lapset ry",
     "Vapaaehtoiset tukevat lapsia ja perheitä: kummitoimintaa, ryhmiä ja lomatoimintaa.",
     ["sosiaali-ja-terveys", "nuoriso"], ["lapset", "lapsiperheet"], ["kuopio"], ["fi"]),
    ("Pohjois-Savon Sosiaaliturvayhdistys ry",
     "Edistää hyvinvointia ja järjestöjen yhteistyötä koko Pohjois-Savossa.",
     ["sosiaali-ja-terveys"], ["kaikki"], ["kuopio", "iisalmi", "varkaus"], ["fi"]),
    ("Pohjois-Savon Liikunta ry",
     "Liikunnan aluejärjestö: koulutusta, neuvontaa ja tapahtumia seuroille.",
     ["liikunta-ja-urheilu"], ["kaikki"], ["kuopio", "siilinjarvi"], ["fi"]),
    ("Eläkeliiton Kuopion yhdistys ry",
     "Kerhoja, retkiä, tanssia ja vertaistukea eläkeläisille.",
     ["elakelaiset"], ["ikaantyneet"], ["kuopio-keskusta", "kuopio-puijonlaakso"], ["fi"]),
    ("Pohjois-Savon Muisti ry",
     "Tukea muistisairaille ja heidän läheisilleen: ryhmiä, neuvontaa ja virkistystä.",
     ["sosiaali-ja-terveys", "vammaisjarjestot"], ["ikaantyneet"], ["kuopio"], ["fi"]),
    ("Kuopion Kamarikuoro ry",
     "Sekakuoro, joka laulaa klassista ja uutta kuoromusiikkia. Uusia laulajia otetaan syksyisin.",
     ["kulttuuri"], ["aikuiset"], ["kuopio-keskusta"], ["fi"]),
    ("Nilsiän Bändiyhdistys ry",
     "Treenikämppä Mantussa ja keikkoja nuorille bändeille.",
     ["kulttuuri", "nuoriso"], ["nuoret"], ["kuopio-nilsia"], ["fi"]),
    ("Karttulan Kyläyhdistys ry",
     "Kylätalo, kesäjuhlat ja kyläkirjasto Karttulassa.",
     ["asukas-ja-kylatoiminta"], ["kaikki"], ["kuopio-karttula"], ["fi"]),
    ("Kuopion Hiihtoseura ry",
     "Hiihtokoulu lapsille, latukahvilat ja kuntohiihtoa Puijolla.",
     ["liikunta-ja-urheilu"], ["lapset", "aikuiset"], ["kuopio-puijonlaakso"], ["fi"]),
    ("Monikulttuurinen yhdistys Aimu ry",
     "Kohtaamispaikka maahanmuuttajille ja kantasuomalaisille: kielikahvila ja neuvontaa.",
     ["monikulttuurisuus"], ["maahanmuuttajat", "aikuiset"], ["kuopio-neulamaki"], ["fi", "en", "ar", "uk"]),
    ("Kuopion Martat ry",
     "Kodinhoidon, ruoanlaiton ja puutarhan neuvontaa sekä kursseja kaikille.",
     ["muut"], ["aikuiset", "lapsiperheet"], ["kuopio"], ["fi"]),
    ("Neulamäen Nuorisoseura ry",
     "Nuorten iltoja, sählyä ja leirejä Neulamäessä.",
     ["nuoriso", "liikunta-ja-urheilu"], ["nuoret"], ["kuopio-neulamaki"], ["fi"]),
    ("Kallaveden Luonnonystävät ry",
     "Luontoretkiä, rantojen siivoustalkoot ja lintujen seurantaa.",
     ["ymparisto"], ["kaikki"], ["kuopio", "kuopio-saaristokaupunki"], ["fi"]),
    ("Kuopion Näkövammaiset ry",
     "Vertaistukea, liikuntaa ja edunvalvontaa näkövammaisille.",
     ["vammaisjarjestot"], ["vammaiset"], ["kuopio"], ["fi"]),
    ("Rypysuon Pihapiiri ry",
     "Pihatalkoot ja yhteiset grillillat Rypysuolla. Sivun tiedot ovat jääneet päivittämättä.",
     ["asukas-ja-kylatoiminta"], ["kaikki"], ["kuopio-rypysuo"], ["fi"]),
]  # fmt: skip

# Unconfirmed for over two years: shown as possibly outdated and ranked lower.
OUTDATED = {"rypysuon-pihapiiri-ry": 800}

# A registration waiting for city staff, with the demo volunteer as its administrator.
PENDING = {
    "name": "Petosen Perhekerho ry",
    "short_description": "Perhekerho ja vertaistukea lapsiperheille Petosella.",
    "fields": ["sosiaali-ja-terveys"], "target_groups": ["lapsiperheet"],
    "areas": ["kuopio-petonen"], "admin": "vapaaehtoinen@demo.kuopio.example",
}  # fmt: skip

# slug, name, title, email, phone
CONTACTS = [
    ("manniston-asukasyhdistys-ry", "Yrjö Yhdistysaktiivi", "puheenjohtaja", "yrjo@mannisto.example", "040 123 4567"),
    ("manniston-asukasyhdistys-ry", "Sirpa Sihteeri", "sihteeri", "sihteeri@mannisto.example", ""),
    ("kuopion-jalkapalloseura-ry", "Jari Junioripäällikkö", "junioripäällikkö", "juniorit@kjs.example", "044 765 4321"),
    ("elakeliiton-kuopion-yhdistys-ry", "Eila Eläkeläinen", "puheenjohtaja", "", "050 111 2233"),
    ("monikulttuurinen-yhdistys-aimu-ry", "Amira Aimu", "toiminnanohjaaja", "amira@aimu.example", ""),
]  # fmt: skip

# slug, title, description, area slug, time needed, contact, open for (days)
TASKS = [
    ("manniston-asukasyhdistys-ry", "Kirpputorin myyjä", "Myy ja järjestä tavaroita asukastuvan kirpputorilla. Ei vaadi kokemusta.", "kuopio-mannisto", "3 tuntia viikossa", "Yrjö, 040 123 4567", 60),
    ("kuopion-jalkapalloseura-ry", "Junioreiden apuvalmentaja", "Auta valmentajaa 7–9-vuotiaiden harjoituksissa Neulamäen kentällä.", "kuopio-neulamaki", "2 iltaa viikossa", "juniorit@kjs.example", 90),
    ("elakeliiton-kuopion-yhdistys-ry", "Retkien kuljettaja", "Aja pikkubussia kerhon retkillä lähialueelle. B-ajokortti riittää.", "kuopio", "1 päivä kuukaudessa", "Eila, 050 111 2233", 120),
    ("monikulttuurinen-yhdistys-aimu-ry", "Kielikahvilan keskustelija", "Juttele suomea maahanmuuttajien kanssa kielikahvilassa.", "kuopio-neulamaki", "2 tuntia viikossa", "amira@aimu.example", 75),
    ("kallaveden-luonnonystavat-ry", "Rantojen siivoustalkoot", "Kerää roskia Kallaveden rannoilta talkoissa. Hanskat ja pussit saat meiltä.", "kuopio-saaristokaupunki", "yksi lauantai", "info@kallaveden-luonnonystavat.example", 45),
]  # fmt: skip

SYNONYMS = [
    "nuoret, nuoriso",
    "eläkeläiset, seniorit, ikääntyneet",
    "jalkapallo, futis",
    "salibandy, sähly",
    "talkoot, vapaaehtoistyö",
    "liikunta, urheilu",
]


def demo_business_id(n: int) -> str:
    """A valid, stable Y-tunnus for the n-th demo association."""
    base = 3100000 + n * 17
    while True:
        digits = f"{base:07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            return f"{digits}-{check}"
        base += 1


def seed(stdout) -> None:
    now = timezone.now()
    users = {}
    for email, name, _role, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": name, "is_staff": is_staff, "is_superuser": is_staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[email] = user

    fields = {term.slug: term for term in FieldOfActivity.objects.all()}
    groups = {term.slug: term for term in TargetGroup.objects.all()}
    areas = {term.slug: term for term in Area.objects.all()}
    for n, (name, short, field_slugs, group_slugs, area_slugs, languages) in enumerate(
        ORGANISATIONS
    ):
        organisation, created = Organisation.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "short_description": short,
                "description": short,
                "business_id": demo_business_id(n),
                "languages": languages,
                "status": Organisation.Status.VERIFIED,
                "verified_at": now - timedelta(days=200 + n),
                "last_confirmed_at": now - timedelta(days=30 * (n % 14)),
                "email": f"info@{slugify(name).replace('-ry', '')}.example",
            },
        )
        if created:
            organisation.fields.set([fields[s] for s in field_slugs])
            organisation.target_groups.set([groups[s] for s in group_slugs])
            organisation.areas.set([areas[s] for s in area_slugs])

    demo_organisation = Organisation.objects.get(slug=slugify(ORGANISATIONS[0][0]))
    for email, _name, role, _staff in DEMO_USERS:
        if role:
            Membership.objects.get_or_create(
                user=users[email], organisation=demo_organisation, defaults={"role": role}
            )
    _seed_extras(users, fields, groups, areas, now)
    stdout.write(
        f"Directory: {Organisation.objects.count()} associations, {len(users)} demo users."
    )


def _seed_extras(users, fields, groups, areas, now) -> None:
    today = timezone.localdate()
    for slug, days in OUTDATED.items():
        Organisation.objects.filter(
            slug=slug, last_confirmed_at__gt=now - timedelta(days=days - 30)
        ).update(last_confirmed_at=now - timedelta(days=days))
    pending, created = Organisation.objects.get_or_create(
        slug=slugify(PENDING["name"]),
        defaults={"name": PENDING["name"], "short_description": PENDING["short_description"],
                  "status": Organisation.Status.PENDING, "created_by": users[PENDING["admin"]]},
    )  # fmt: skip
    if created:
        pending.fields.set([fields[s] for s in PENDING["fields"]])
        pending.target_groups.set([groups[s] for s in PENDING["target_groups"]])
        pending.areas.set([areas[s] for s in PENDING["areas"]])
    Membership.objects.get_or_create(
        user=users[PENDING["admin"]], organisation=pending, defaults={"role": "admin"}
    )
    by_slug = {org.slug: org for org in Organisation.objects.all()}
    for position, (slug, name, title, email, phone) in enumerate(CONTACTS):
        ContactPerson.objects.get_or_create(
            organisation=by_slug[slug], name=name,
            defaults={"title": title, "email": email, "phone": phone, "position": position},
        )  # fmt: skip
    for slug, title, description, area, time_needed, contact, days in TASKS:
        VolunteerOpportunity.objects.get_or_create(
            organisation=by_slug[slug], title=title,
            defaults={"description": description, "area": areas[area], "time_needed": time_needed,
                      "contact": contact, "open_until": today + timedelta(days=days)},
        )  # fmt: skip
    for words in SYNONYMS:
        if not SearchSynonym.objects.filter(words=words).exists():
            services.synonym_save(synonym=SearchSynonym(words=words))
    services.organisation_reindex_all()
    services.freshness_mark_outdated()

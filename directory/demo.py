"""Demo accounts (one per role) and associations across the grant groups of Kuopio."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from directory.models import Area, FieldOfActivity, Membership, Organisation, TargetGroup, User
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
]  # fmt: skip


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
    stdout.write(
        f"Directory: {Organisation.objects.count()} associations, {len(users)} demo users."
    )

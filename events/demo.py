"""Demo events: the coming months across themes and districts, Meidän Kuopio -festivaali with
dozens of micro-events, the Lähiössä! tour from the seed as a series, Hyperhiihtoloma and Kiva
kesä. Idempotent: every event is keyed by a stable demo key; a second run changes nothing."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.text import slugify

from config.ical import HELSINKI
from directory.models import Area, FieldOfActivity, Organisation, TargetGroup
from events import services
from events.models import Event, Series, Umbrella

# The seed's Lähiössä! tour 2022: weekday, date, hours, district (and the exact place).
LAHIOSSA_2022 = [
    (date(2022, 5, 23), 10, 13, "Saarijärvi", ""),
    (date(2022, 5, 31), 10, 13, "Kelloniemi", ""),
    (date(2022, 6, 7), 10, 13, "Saarijärvi", "Tiihotar (Saarijärvi A)"),
    (date(2022, 6, 14), 10, 14, "Männistö", ""),
    (date(2022, 6, 20), 10, 13, "Itkonniemi", ""),
    (date(2022, 6, 27), 10, 13, "Linnanpelto", ""),
]

# key, title, organiser, themes, groups, district, weekday offset in days, hour, hours, free, weeks
REGULAR = [
    (
        "kuoro",
        "Avoin kuoroharjoitus",
        "Kuopion Kamarikuoro ry",
        ["kulttuuri"],
        ["aikuiset"],
        "Keskusta",
        2,
        18,
        2,
        True,
        8,
    ),
    (
        "kielikahvila",
        "Kielikahvila: puhutaan suomea",
        "Monikulttuurinen yhdistys Aimu ry",
        ["monikulttuurisuus"],
        ["maahanmuuttajat", "aikuiset"],
        "Neulamäki",
        1,
        17,
        2,
        True,
        10,
    ),
    (
        "muistikahvila",
        "Muistikahvila läheisille",
        "Pohjois-Savon Muisti ry",
        ["sosiaali-ja-terveys"],
        ["ikaantyneet"],
        "Keskusta",
        3,
        13,
        2,
        True,
        6,
    ),
    (
        "tanssit",
        "Eläkeläisten tanssiaiset",
        "Eläkeliiton Kuopion yhdistys ry",
        ["elakelaiset", "liikunta-ja-urheilu"],
        ["ikaantyneet"],
        "Puijonlaakso",
        4,
        14,
        3,
        False,
        6,
    ),
    (
        "sahly",
        "Nuorten sählyilta",
        "Neulamäen Nuorisoseura ry",
        ["nuoriso", "liikunta-ja-urheilu"],
        ["nuoret"],
        "Neulamäki",
        0,
        18,
        2,
        True,
        10,
    ),
]

# key, title, organiser, themes, groups, district, days ahead, hour, hours, free, place
SINGLE = [
    (
        "kirppis",
        "Pihakirppis ja kahvila",
        "Männistön Asukasyhdistys ry",
        ["asukas-ja-kylatoiminta"],
        ["kaikki"],
        "Männistö",
        12,
        10,
        4,
        True,
        "Männistön asukastupa",
    ),
    (
        "joulumyyjaiset",
        "Joulumyyjäiset kylätalolla",
        "Karttulan Kyläyhdistys ry",
        ["asukas-ja-kylatoiminta"],
        ["kaikki"],
        "Karttula",
        18,
        11,
        4,
        True,
        "Karttulan kylätalo",
    ),
    (
        "linturetki",
        "Talvilintujen ruokintaretki",
        "Kallaveden Luonnonystävät ry",
        ["ymparisto"],
        ["kaikki"],
        "Saaristokaupunki",
        25,
        10,
        3,
        True,
        "Lehtoniemen uimaranta",
    ),
    (
        "jalkapallokoulu",
        "Lasten futiskoulu: kokeilupäivä",
        "Kuopion Jalkapalloseura ry",
        ["liikunta-ja-urheilu"],
        ["lapset"],
        "Keskusta",
        30,
        17,
        1,
        True,
        "Kuopio-halli",
    ),
    (
        "marttailta",
        "Marttailta: edullista arkiruokaa",
        "Kuopion Martat ry",
        ["muut"],
        ["aikuiset", "lapsiperheet"],
        "Keskusta",
        40,
        17,
        2,
        False,
        "Marttakeskus",
    ),
    (
        "bandi-ilta",
        "Nuorten bändi-ilta",
        "Nilsiän Bändiyhdistys ry",
        ["kulttuuri", "nuoriso"],
        ["nuoret"],
        "Nilsiä",
        47,
        18,
        4,
        True,
        "Nilsiän Manttu",
    ),
    (
        "opaskoira",
        "Opaskoira tutuksi -ilta",
        "Kuopion Näkövammaiset ry",
        ["vammaisjarjestot"],
        ["vammaiset", "kaikki"],
        "Keskusta",
        55,
        17,
        2,
        True,
        "Kuopion pääkirjasto",
    ),
    (
        "perhepaiva",
        "Perheiden ulkoilupäivä",
        "Kuopion Pelastakaa Lapset ry",
        ["sosiaali-ja-terveys", "nuoriso"],
        ["lapsiperheet"],
        "Puijonlaakso",
        62,
        11,
        3,
        True,
        "Puijon maja",
    ),
    (
        "seurafoorumi-std",
        "Seurafoorumi: syksyn kokoontuminen",
        "Pohjois-Savon Liikunta ry",
        ["liikunta-ja-urheilu"],
        ["aikuiset"],
        "Kortejoki",
        150,
        17,
        3,
        True,
        "QP Resort",
    ),
]

MEIDAN_KUOPIO = [
    # title, organiser, themes, groups, district, place
    (
        "Pihakonsertti",
        "Kuopion Kamarikuoro ry",
        ["kulttuuri"],
        ["kaikki"],
        "Keskusta",
        "Piispanpuisto",
    ),
    (
        "Kyläkävely ja tarinoita",
        "Karttulan Kyläyhdistys ry",
        ["asukas-ja-kylatoiminta"],
        ["kaikki"],
        "Karttula",
        "Karttulan kirkonkylä",
    ),
    (
        "Sählyturnaus kaikille",
        "Neulamäen Nuorisoseura ry",
        ["liikunta-ja-urheilu", "nuoriso"],
        ["nuoret"],
        "Neulamäki",
        "Neulamäen koulu",
    ),
    (
        "Maailman ruokia -piknik",
        "Monikulttuurinen yhdistys Aimu ry",
        ["monikulttuurisuus"],
        ["kaikki"],
        "Neulamäki",
        "Neulamäen puisto",
    ),
    (
        "Lasten satutuokio",
        "Kuopion Pelastakaa Lapset ry",
        ["nuoriso"],
        ["lapset"],
        "Keskusta",
        "Kuopion pääkirjasto",
    ),
    (
        "Asukastuvan avoimet ovet",
        "Männistön Asukasyhdistys ry",
        ["asukas-ja-kylatoiminta"],
        ["kaikki"],
        "Männistö",
        "Männistön asukastupa",
    ),
    (
        "Tanssia torilla",
        "Eläkeliiton Kuopion yhdistys ry",
        ["elakelaiset", "kulttuuri"],
        ["ikaantyneet", "kaikki"],
        "Keskusta",
        "Kauppatori",
    ),
    (
        "Rantasiivous",
        "Kallaveden Luonnonystävät ry",
        ["ymparisto"],
        ["kaikki"],
        "Saaristokaupunki",
        "Saaristokaupungin ranta",
    ),
    (
        "Futisleikit perheille",
        "Kuopion Jalkapalloseura ry",
        ["liikunta-ja-urheilu"],
        ["lapsiperheet"],
        "Keskusta",
        "Väinölänniemen kenttä",
    ),
    (
        "Bändikatselmus",
        "Nilsiän Bändiyhdistys ry",
        ["kulttuuri", "nuoriso"],
        ["nuoret"],
        "Nilsiä",
        "Nilsiän Manttu",
    ),
    (
        "Sienikurssi",
        "Kuopion Martat ry",
        ["ymparisto", "muut"],
        ["aikuiset"],
        "Puijonlaakso",
        "Puijon metsät",
    ),
    (
        "Muistikävely",
        "Pohjois-Savon Muisti ry",
        ["sosiaali-ja-terveys"],
        ["ikaantyneet"],
        "Keskusta",
        "Snellmaninpuisto",
    ),
    (
        "Kuvailutulkattu kävelykierros",
        "Kuopion Näkövammaiset ry",
        ["vammaisjarjestot", "kulttuuri"],
        ["vammaiset"],
        "Keskusta",
        "Kuopion tori",
    ),
    (
        "Hyvinvointipiste",
        "Pohjois-Savon Sosiaaliturvayhdistys ry",
        ["sosiaali-ja-terveys"],
        ["kaikki"],
        "Keskusta",
        "Kauppakeskus Matkus",
    ),
    (
        "Puistojumppa",
        "Pohjois-Savon Liikunta ry",
        ["liikunta-ja-urheilu"],
        ["aikuiset", "ikaantyneet"],
        "Männistö",
        "Männistön puisto",
    ),
    (
        "Lähiöfutis",
        "Kuopion Hiihtoseura ry",
        ["liikunta-ja-urheilu"],
        ["lapset", "nuoret"],
        "Petonen",
        "Petosen kenttä",
    ),
]
DISTRICT_ROTATION = [
    "Keskusta",
    "Männistö",
    "Neulamäki",
    "Puijonlaakso",
    "Petonen",
    "Jynkkä",
    "Saarijärvi",
    "Kelloniemi",
]


def _org(name: str) -> Organisation:
    return Organisation.objects.get(slug=slugify(name))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def _next(month: int, day: int, today: date) -> date:
    """The next such calendar date after today (this year or the next)."""
    candidate = date(today.year, month, day)
    return candidate if candidate > today else date(today.year + 1, month, day)


class _Seeder:
    def __init__(self):
        self.fields = {t.slug: t for t in FieldOfActivity.objects.all()}
        self.groups = {t.slug: t for t in TargetGroup.objects.all()}
        self.districts = {a.name_fi: a for a in Area.objects.filter(kind=Area.Kind.DISTRICT)}
        self.created = 0

    def event(self, key, organiser, *, themes, groups, district, series=None, **fields):
        """Create the event for a demo key once; later runs leave it as it is."""
        organisation = _org(organiser)
        if Event.objects.filter(
            source_organisation=organisation, source_uid=f"demo:{key}"
        ).exists():
            return
        fields.setdefault("status", Event.Status.PUBLISHED)
        fields.setdefault("place_name", "")
        services.event_create(
            by=None,
            organisers=[organisation],
            themes=[self.fields[s] for s in themes],
            target_groups=[self.groups[s] for s in groups],
            district=self.districts.get(district),
            source_organisation=organisation,
            source_uid=f"demo:{key}",
            series=series,
            **fields,
        )
        self.created += 1

    def series(self, key: str, title: str, kind: str) -> Series:
        existing = (
            Event.objects.filter(source_uid__startswith=f"demo:{key}#").exclude(series=None).first()
        )
        if existing:
            return existing.series
        return Series.objects.create(title=title, kind=kind)


def _umbrella(slug, name, starts_on, ends_on, description, themes) -> Umbrella:
    umbrella, created = Umbrella.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "description": description,
        },
    )
    if created:
        umbrella.themes.set(FieldOfActivity.objects.filter(slug__in=themes))
    return umbrella


def seed(stdout) -> None:
    today = timezone.localdate()
    seeder = _Seeder()

    # Regular weekly events for the coming weeks, each occurrence its own row.
    for (
        key,
        title,
        organiser,
        themes,
        groups,
        district,
        offset,
        hour,
        hours,
        free,
        weeks,
    ) in REGULAR:
        first = today + timedelta(days=(offset - today.weekday()) % 7 + 1)
        series = seeder.series(key, title, Series.Kind.WEEKLY)
        for n in range(weeks):
            day = first + timedelta(weeks=n)
            seeder.event(
                f"{key}#{n}", organiser, themes=themes, groups=groups, district=district,
                series=series, title=title, starts_at=_at(day, hour), ends_at=_at(day, hour + hours),
                is_free=free, price_text="" if free else "5 €, kahvi sisältyy",
                place_name="Asukastupa" if district != "Keskusta" else "Kuopion pääkirjasto",
                description=f"{title}. Tervetuloa mukaan, ennakkoilmoittautumista ei tarvita.",
                is_accessible=n % 2 == 0,
            )  # fmt: skip

    for key, title, organiser, themes, groups, district, days, hour, hours, free, place in SINGLE:
        day = today + timedelta(days=days)
        seeder.event(
            key, organiser, themes=themes, groups=groups, district=district, title=title,
            starts_at=_at(day, hour), ends_at=_at(day, hour + hours), place_name=place,
            is_free=free, price_text="" if free else "10 €", is_accessible=days % 2 == 0,
            is_save_the_date=key.endswith("-std"),
            description=f"{title} – {place}. Lisätietoja järjestäjältä.",
        )  # fmt: skip

    # Hyperhiihtoloma: the winter holiday week (week 9 in Pohjois-Savo).
    holiday_year = today.year + (1 if today >= date(today.year, 2, 20) else 0)
    monday = date.fromisocalendar(holiday_year, 9, 1)
    hyper = _umbrella(
        "hyperhiihtoloma", f"Hyperhiihtoloma {holiday_year}", monday, monday + timedelta(days=6),
        "Hiihtolomaviikon maksutonta tekemistä lapsille ja nuorille eri puolilla Kuopiota.",
        ["liikunta-ja-urheilu", "nuoriso"],
    )  # fmt: skip
    for n, (title, organiser, district, place) in enumerate(
        [
            (
                "Latukahvila ja hiihtokoulu",
                "Kuopion Hiihtoseura ry",
                "Puijonlaakso",
                "Puijon latumaja",
            ),
            (
                "Luistelua ja lämmintä mehua",
                "Neulamäen Nuorisoseura ry",
                "Neulamäki",
                "Neulamäen kenttä",
            ),
            ("Lumiveistoskisa", "Männistön Asukasyhdistys ry", "Männistö", "Männistön puisto"),
            ("Pulkkamäkipäivä", "Kuopion Pelastakaa Lapset ry", "Jynkkä", "Jynkän mäki"),
        ]
    ):
        day = monday + timedelta(days=n)
        seeder.event(
            f"hyper-{holiday_year}-{n}", organiser, themes=["liikunta-ja-urheilu"], groups=["lapset", "lapsiperheet"],
            district=district, title=title, starts_at=_at(day, 11), ends_at=_at(day, 14), place_name=place,
            umbrella=hyper, description=f"{title}. Hyperhiihtoloman maksuton tapahtuma.",
        )  # fmt: skip

    # Lähiössä! tour from the seed, moved to the coming spring on the same weekdays.
    target = _next(5, 23, today)
    shift = timedelta(weeks=round((target - LAHIOSSA_2022[0][0]).days / 7))
    first_day = LAHIOSSA_2022[0][0] + shift
    lahiossa = _umbrella(
        f"lahiossa-{first_day.year}", f"Lähiössä! -kiertue {first_day.year}",
        first_day, LAHIOSSA_2022[-1][0] + shift,
        "Hyvän mielen ilmaistapahtumia alueen asukkaille: livemusiikkia ja yhdessä oloa. Lähiössä! kohdataan.",
        ["asukas-ja-kylatoiminta", "kulttuuri"],
    )  # fmt: skip
    tour = seeder.series(f"lahiossa-{first_day.year}", "Lähiössä! -kiertue", Series.Kind.DATES)
    for n, (day, start, end, district, place) in enumerate(LAHIOSSA_2022):
        day = day + shift
        seeder.event(
            f"lahiossa-{first_day.year}#{n}", "Männistön Asukasyhdistys ry",
            themes=["asukas-ja-kylatoiminta", "kulttuuri"], groups=["kaikki"], district=district,
            series=tour, umbrella=lahiossa, title=f"Lähiössä! {district}",
            starts_at=_at(day, start), ends_at=_at(day, end), place_name=place or "Lähiöpiha",
            description="Hyvän mielen ilmaistapahtuma alueen asukkaille. Livemusiikkia ja yhdessä oloa.",
            is_accessible=True,
        )  # fmt: skip

    # Kiva kesä: summer activities for children and young people.
    summer = _next(6, 1, today)
    kiva = _umbrella(
        f"kiva-kesa-{summer.year}", f"Kiva kesä {summer.year}", summer, date(summer.year, 8, 9),
        "Kesän maksuttomat tapahtumat ja harrastukset lapsille ja nuorille.", ["nuoriso", "liikunta-ja-urheilu"],
    )  # fmt: skip
    for n, (title, organiser, district) in enumerate(
        [
            ("Kesäfutis", "Kuopion Jalkapalloseura ry", "Keskusta"),
            ("Leiripäivä luonnossa", "Kallaveden Luonnonystävät ry", "Saaristokaupunki"),
            ("Bändileiri", "Nilsiän Bändiyhdistys ry", "Nilsiä"),
        ]
    ):
        day = summer + timedelta(days=7 + 14 * n)
        seeder.event(
            f"kivakesa-{summer.year}-{n}", organiser, themes=["nuoriso"], groups=["lapset", "nuoret"],
            district=district, title=title, starts_at=_at(day, 10), ends_at=_at(day, 15),
            place_name="Kokoontuminen pääovella", umbrella=kiva,
            description=f"{title}: Kiva kesä -tapahtuma. Ilmoittaudu ajoissa, paikkoja on rajoitetusti.",
        )  # fmt: skip

    # Meidän Kuopio -festivaali in August-September: dozens of micro-events by many organisers.
    festival_start = _next(8, 20, today)
    festival = _umbrella(
        f"meidan-kuopio-{festival_start.year}", f"Meidän Kuopio -festivaali {festival_start.year}",
        festival_start, festival_start + timedelta(days=24),
        "Yhteinen Kuopion juhla elo-syyskuussa: yli sata mikrotapahtumaa yhdistyksiltä, asukkailta "
        "ja kaupungin yksiköiltä eri puolilla kaupunkia.",
        ["kulttuuri", "asukas-ja-kylatoiminta"],
    )  # fmt: skip
    for n in range(48):
        title, organiser, themes, groups, district, place = MEIDAN_KUOPIO[n % len(MEIDAN_KUOPIO)]
        if n >= len(MEIDAN_KUOPIO):
            district = DISTRICT_ROTATION[n % len(DISTRICT_ROTATION)]
            place = "Lähiöpuisto"
        day = festival_start + timedelta(days=(n * 7) % 25)
        hour = 10 + (n % 4) * 2
        seeder.event(
            f"meidan-kuopio-{festival_start.year}-{n}", organiser, themes=themes, groups=groups,
            district=district, title=f"{title} ({district})", starts_at=_at(day, hour),
            ends_at=_at(day, hour + 2), place_name=place, umbrella=festival, is_accessible=n % 3 != 0,
            description=f"Meidän Kuopio -festivaalin mikrotapahtuma: {title.lower()}. Vapaa pääsy.",
        )  # fmt: skip

    stdout.write(
        f"Events: {seeder.created} new, {Event.objects.count()} in all, "
        f"{Umbrella.objects.count()} umbrella events."
    )

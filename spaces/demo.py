"""The civic spaces named in the seed "Kansalaistoiminnan tilat", with hours, prices and bookings.

Idempotent: venues, spaces and prices are keyed on their slugs, holidays on their day, and the
demo bookings on (space, association, purpose), so a second run changes nothing. Booking dates are
relative to today; a slot that has been taken meanwhile is simply left out.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from directory.models import Area, Organisation, User
from spaces import services
from spaces.models import (
    Booking,
    BookingSeries,
    OpeningException,
    OpeningHours,
    Price,
    PriceCategory,
    Space,
    SpaceUnit,
    SpaceUnitLink,
    Venue,
)
from spaces.times import local_datetime

H = dt.time
POST_TOWNS = {"73300": "Nilsiä", "72100": "Karttula", "71750": "Maaninka"}

# slug, Finnish name, English name, kind, [(valid from, until, price for associations, full price)]
PRICE_CATEGORIES = [
    (
        "kokous-ja-kerhotilat",
        "Kokous- ja kerhotilat: maksuton yhdistyksille",
        "Meeting and club rooms: free for associations",
        "free",
        [("2024-01-01", None, "0", "20")],
    ),
    (
        "salit",
        "Salit: käyttökustannukset",
        "Halls: running costs",
        "cost_based",
        [("2024-01-01", "this-year-end", "15", "45"), ("next-year-start", None, "16", "48")],
    ),
    (
        "banditilat",
        "Bänditilat: käyttökustannukset",
        "Band rooms: running costs",
        "cost_based",
        [("2024-01-01", None, "4", "12")],
    ),
    (
        "kaupallinen",
        "Kaupallinen käyttö",
        "Commercial use",
        "commercial",
        [("2024-01-01", None, "60", "60")],
    ),
]

WEEKDAYS = {"ma": 0, "ti": 1, "ke": 2, "to": 3, "pe": 4, "la": 5, "su": 6}
HOURS = {
    "palvelutalo": [
        ("ma", 8, 21),
        ("ti", 8, 21),
        ("ke", 8, 21),
        ("to", 8, 21),
        ("pe", 8, 21),
        ("la", 9, 16),
    ],
    "manttu": [(day, 8, 22) for day in WEEKDAYS],
    "asukastila": [("ma", 9, 20), ("ti", 9, 20), ("ke", 9, 20), ("to", 9, 20), ("pe", 9, 16)],
    "kirjasto": [
        ("ma", 10, 19),
        ("ti", 10, 19),
        ("ke", 10, 19),
        ("to", 10, 19),
        ("pe", 10, 17),
        ("la", 10, 15),
    ],
}

# slug, name, street address, postal code, district slug (None: not in the district list),
# hours, (step-free, accessible WC, induction loop, parking), accessibility notes, description
VENUES = [
    ("alavan-palvelutalo", "Alavan palvelutalo (ent.)", "Alavantie 10", "70820", None, "palvelutalo", (True, True, True, True),
     "Pääovelle on luiskat. Invapysäköinti oven vieressä. Kokoussalissa on induktiosilmukka.",
     "Entinen palvelutalo, jonka tilat ovat nyt yhdistysten käytössä."),
    ("nilsian-manttu", "Nilsiän Manttu", "Nilsiäntie 60", "73300", "kuopio-nilsia", "manttu", (True, True, False, True),
     "Liikuntasaliin ja kahvioon pääsee ilman portaita. Bänditilat ovat kellarissa, hissi on.",
     "Nilsiän kulttuuritalo: elokuvateatteri Kino Manttu, liikuntasali näyttämöineen, kahvio ja bänditilat."),
    ("rypysuon-asukastila", "Rypysuon asukastila", "Rypysuontie 40", "70780", "kuopio-rypysuo", "asukastila", (True, False, False, True), "", "Asukastoiminnan oma tila Rypysuolla."),
    ("manniston-asukastupa", "Männistön asukastupa", "Männistönkatu 12", "70600", "kuopio-mannisto", "asukastila", (False, False, False, False),
     "Sisäänkäynnissä on kolme porrasta. Apua saa ovikellosta.", "Asukastupa, jossa on keittiö ja kirpputorinurkka."),
    ("nilsian-asukastila", "Nilsiän asukastila", "Kuopiontie 3", "73300", "kuopio-nilsia", "asukastila", (True, True, False, True), "", "Asukastoiminnan tila Nilsiän keskustassa."),
    ("karttulan-asukastila", "Karttulan asukastila", "Karttulantie 25", "72100", "kuopio-karttula", "asukastila", (True, True, False, True), "", "Kylän yhteinen tila Karttulassa."),
    ("kuopion-paakirjasto", "Kuopion pääkirjasto", "Maaherrankatu 12", "70100", "kuopio-keskusta", "kirjasto", (True, True, True, False),
     "Hissi kaikkiin kerroksiin. Pysäköinti kadunvarressa ja lähipysäköintitaloissa.", "Pääkirjaston Kohtaamo on kaikille avoin asukastoiminnan tila."),
    ("neulamaen-kirjasto", "Neulamäen kirjasto", "Neulamäentie 7", "70840", "kuopio-neulamaki", "kirjasto", (True, True, True, True), "", "Lähikirjasto Neulamäen palvelukeskuksessa."),
    ("puijonlaakson-kirjasto", "Puijonlaakson kirjasto", "Sammakkolammentie 3", "70200", "kuopio-puijonlaakso", "kirjasto", (True, True, True, True), "", "Lähikirjasto Puijonlaakson ostoskeskuksen vieressä."),
    ("maaningan-kirjasto", "Maaningan kirjasto", "Maaningantie 30", "71750", "kuopio-maaninka", "kirjasto", (True, True, False, True), "", "Maaningan kirjasto ja kokoustila."),
]  # fmt: skip

# venue, slug, name, type, capacity, price category, units (None: its own), bookable,
# needs approval, max hours, equipment, description
SPACES = [
    ("alavan-palvelutalo", "alava-kokoussali", "Kokoussali", "meeting_room", 150, "kokous-ja-kerhotilat", None, True, True, 5,
     ["videotykki", "äänentoisto", "flyygeli", "kahvinkeitin"], "Suuri sali kokouksiin, juhliin ja kuoroharjoituksiin. Tuolit riveissä tai pöytäryhmissä."),
    ("alavan-palvelutalo", "alava-kerhohuone-1", "Kerhohuone 1", "club_room", 20, "kokous-ja-kerhotilat", None, True, False, 4,
     ["näyttö", "kahvinkeitin"], "Valoisa kerhohuone pöytineen."),
    ("alavan-palvelutalo", "alava-kerhohuone-2", "Kerhohuone 2", "club_room", 15, "kokous-ja-kerhotilat", None, True, False, 4,
     ["askartelutarvikkeet", "ompelukone"], "Kerhohuone käsitöihin ja pienryhmille."),
    ("nilsian-manttu", "manttu-liikuntasali", "Liikuntasali (koko sali)", "hall", 300, "salit", ["Liikuntasali A", "Liikuntasali B"], True, True, 4,
     ["äänentoisto", "pukuhuoneet", "maalit"], "Koko liikuntasali. Sali jakautuu väliverholla kahteen puoliskoon."),
    ("nilsian-manttu", "manttu-liikuntasali-a", "Liikuntasali, A-puoli", "hall", 120, "salit", ["Liikuntasali A"], True, True, 3,
     ["pukuhuone"], "Liikuntasalin näyttämön puoleinen puolisko."),
    ("nilsian-manttu", "manttu-liikuntasali-b", "Liikuntasali, B-puoli", "hall", 120, "salit", ["Liikuntasali B"], True, True, 3,
     ["pukuhuone"], "Liikuntasalin ikkunan puoleinen puolisko."),
    ("nilsian-manttu", "manttu-nayttamo", "Näyttämö", "stage", 40, "salit", None, True, True, 5,
     ["valot", "äänentoisto", "esiripppu"], "Liikuntasalin päädyn näyttämö esityksiin ja harjoituksiin."),
    ("nilsian-manttu", "manttu-katsomo", "Katsomo", "hall", 250, "kaupallinen", None, False, True, 5,
     [], "Nouseva katsomo. Varaukset Mantun henkilökunnalta."),
    ("nilsian-manttu", "manttu-kahvio", "Kahvio ja kokoustila", "kitchen", 40, "kokous-ja-kerhotilat", None, True, False, 4,
     ["keittiö", "astiasto", "kahvinkeitin"], "Kahvio, joka toimii myös kokoustilana."),
    ("nilsian-manttu", "manttu-banditila-1", "Bänditila 1", "band_room", 8, "banditilat", None, True, False, 4,
     ["rummut", "vahvistimet", "PA"], "Treenikämppä bändeille."),
    ("nilsian-manttu", "manttu-banditila-2", "Bänditila 2", "band_room", 6, "banditilat", None, True, False, 4,
     ["vahvistimet", "sähköpiano"], "Pienempi treenitila."),
    ("rypysuon-asukastila", "rypysuon-asukastila", "Rypysuon asukastila", "club_room", 25, "kokous-ja-kerhotilat", None, True, False, 4,
     ["keittiö", "kahvinkeitin"], "Olohuonemainen tila asukkaiden kokoontumisiin."),
    ("manniston-asukastupa", "manniston-asukastupa", "Männistön asukastupa", "club_room", 30, "kokous-ja-kerhotilat", None, True, False, 4,
     ["keittiö", "kirpputorihyllyt"], "Asukastupa Männistön keskustassa."),
    ("nilsian-asukastila", "nilsian-asukastila", "Nilsiän asukastila", "club_room", 20, "kokous-ja-kerhotilat", None, True, False, 4,
     ["kahvinkeitin"], ""),
    ("karttulan-asukastila", "karttulan-asukastila", "Karttulan asukastila", "club_room", 40, "kokous-ja-kerhotilat", None, True, False, 5,
     ["keittiö", "äänentoisto"], ""),
    ("kuopion-paakirjasto", "kohtaamo", "Kohtaamo", "popup", 30, "kokous-ja-kerhotilat", None, True, True, 4,
     ["näyttö", "siirrettävät pöydät"], "Avoin pop-up-tila pääkirjaston katutasossa: neuvontaa, tapahtumia ja kohtaamisia."),
    ("neulamaen-kirjasto", "neulamaen-kirjasto-ryhmatila", "Ryhmätila", "meeting_room", 12, "kokous-ja-kerhotilat", None, True, False, 3,
     ["näyttö"], ""),
    ("puijonlaakson-kirjasto", "puijonlaakson-kirjasto-kokoushuone", "Kokoushuone", "meeting_room", 16, "kokous-ja-kerhotilat", None, True, False, 3,
     ["videotykki"], ""),
    ("maaningan-kirjasto", "maaningan-kirjasto-kokoustila", "Kokoustila", "meeting_room", 20, "kokous-ja-kerhotilat", None, True, False, 3,
     ["videotykki", "kahvinkeitin"], ""),
]  # fmt: skip

# association, space, purpose, weekday, start hour, end hour, weeks, public
SERIES = [
    ("Männistön Asukasyhdistys ry", "manniston-asukastupa", "Asukastuvan kahvila", "ke", 13, 16, 12, True),
    ("Kuopion Kamarikuoro ry", "alava-kokoussali", "Kuoroharjoitus", "ti", 18, 20, 20, False),
    ("Nilsiän Bändiyhdistys ry", "manttu-banditila-1", "Bändiharjoitukset", "to", 17, 21, 10, False),
    ("Eläkeliiton Kuopion yhdistys ry", "alava-kerhohuone-1", "Eläkeläisten kerho", "ma", 10, 12, 12, True),
]  # fmt: skip

# association, space, purpose, days from the coming Monday, start, end, people, public
SINGLE = [
    ("Kuopion Jalkapalloseura ry", "manttu-liikuntasali-a", "Futsal-treenit junioreille", 5, 10, 12, 30, False),
    ("Neulamäen Nuorisoseura ry", "manttu-liikuntasali", "Nuorten sählyturnaus", 4, 17, 21, 80, True),
    ("Karttulan Kyläyhdistys ry", "karttulan-asukastila", "Kyläilta ja tanssit", 11, 18, 22, 35, True),
    ("Monikulttuurinen yhdistys Aimu ry", "kohtaamo", "Kielikahvila", 2, 14, 16, 20, True),
    ("Männistön Asukasyhdistys ry", "neulamaen-kirjasto-ryhmatila", "Hallituksen kokous", 8, 17, 19, 8, False),
    ("Pohjois-Savon Muisti ry", "puijonlaakson-kirjasto-kokoushuone", "Vertaistukiryhmä", 3, 13, 15, 12, False),
]  # fmt: skip

# Earlier this year: confirmed and used, so the value of free use shows in the reports.
PAST = [
    ("Männistön Asukasyhdistys ry", "manniston-asukastupa", "Kevään asukasillat", 17, 19, 6),
    ("Eläkeliiton Kuopion yhdistys ry", "alava-kokoussali", "Kevätjuhla", 12, 16, 1),
    ("Nilsiän Bändiyhdistys ry", "manttu-banditila-1", "Keikkatreenit", 18, 21, 4),
]  # fmt: skip


def _date(value: str, today: dt.date) -> dt.date | None:
    if value is None:
        return None
    if value == "this-year-end":
        return dt.date(today.year, 12, 31)
    if value == "next-year-start":
        return dt.date(today.year + 1, 1, 1)
    return dt.date.fromisoformat(value)


def _holidays(year: int):
    midsummer_eve = next(
        dt.date(year, 6, d) for d in range(19, 26) if dt.date(year, 6, d).weekday() == 4
    )
    return [
        (dt.date(year, 1, 1), dt.date(year, 1, 1), "Uudenvuodenpäivä", None),
        (midsummer_eve, midsummer_eve + dt.timedelta(days=1), "Juhannus", None),
        (dt.date(year, 12, 6), dt.date(year, 12, 6), "Itsenäisyyspäivä", None),
        (dt.date(year, 12, 24), dt.date(year, 12, 26), "Joulu", None),
        (dt.date(year, 12, 31), dt.date(year, 12, 31), "Uudenvuodenaatto", (H(10), H(15))),
    ]


def seed(stdout) -> None:
    today = timezone.localdate()
    categories = _price_categories(today)
    venues = _venues(today)
    spaces = _spaces(venues, categories)
    staff = User.objects.filter(email="kaupunki@demo.kuopio.example").first()
    if staff is None:
        stdout.write("spaces: no demo staff user, bookings left out")
        return
    volunteer = User.objects.filter(email="vapaaehtoinen@demo.kuopio.example").first()
    organisations = {o.name: o for o in Organisation.objects.filter(status="verified")}
    made = _bookings(today, spaces, organisations, staff, volunteer)
    stdout.write(f"spaces: {len(venues)} venues, {len(spaces)} spaces, {made} new bookings")


def _price_categories(today):
    categories = {}
    for position, (slug, name_fi, name_en, kind, prices) in enumerate(PRICE_CATEGORIES):
        category, _created = PriceCategory.objects.update_or_create(
            slug=slug,
            defaults={"name_fi": name_fi, "name_en": name_en, "kind": kind, "position": position},
        )
        for valid_from, valid_until, price, full in prices:
            Price.objects.update_or_create(
                category=category,
                valid_from=_date(valid_from, today),
                defaults={
                    "valid_until": _date(valid_until, today),
                    "hourly_price": Decimal(price),
                    "full_hourly_price": Decimal(full),
                },
            )
        categories[slug] = category
    return categories


def _venues(today):
    areas = {area.slug: area for area in Area.objects.all()}
    venues = {}
    for slug, name, street, postal, district, hours, access, notes, description in VENUES:
        step_free, wc, loop, parking = access
        venue, _created = Venue.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "street_address": street,
                "postal_code": postal,
                "city": POST_TOWNS.get(postal, "Kuopio"),
                "district": areas.get(district),
                "is_step_free": step_free,
                "has_accessible_wc": wc,
                "has_induction_loop": loop,
                "has_parking": parking,
                "accessibility_notes": notes,
                "description": description,
            },
        )
        for day, opens, closes in HOURS[hours]:
            OpeningHours.objects.update_or_create(
                venue=venue,
                weekday=WEEKDAYS[day],
                defaults={"opens_at": H(opens), "closes_at": H(closes)},
            )
        for year in (today.year, today.year + 1):
            for first, last, reason, open_hours in _holidays(year):
                OpeningException.objects.update_or_create(
                    venue=venue,
                    starts_on=first,
                    defaults={
                        "ends_on": last,
                        "reason": reason,
                        "opens_at": open_hours[0] if open_hours else None,
                        "closes_at": open_hours[1] if open_hours else None,
                    },
                )
        venues[slug] = venue
    return venues


def _spaces(venues, categories):
    spaces = {}
    for row in SPACES:
        (
            venue_slug,
            slug,
            name,
            kind,
            capacity,
            category,
            units,
            bookable,
            approval,
            hours,
            equipment,
            text,
        ) = row
        venue = venues[venue_slug]
        space, _created = Space.objects.update_or_create(
            slug=slug,
            defaults={
                "venue": venue,
                "name": name,
                "type": kind,
                "capacity": capacity,
                "price_category": categories[category],
                "is_bookable": bookable,
                "requires_approval": approval,
                "max_duration": dt.timedelta(hours=hours),
                "equipment": equipment,
                "description": text,
                "cancellation_hours": 48 if approval else 24,
                "buffer": dt.timedelta(minutes=30) if kind == "hall" else dt.timedelta(0),
            },
        )
        for unit_name in units or [name]:
            unit, _created = SpaceUnit.objects.get_or_create(venue=venue, name=unit_name)
            SpaceUnitLink.objects.get_or_create(space=space, unit=unit)
        spaces[slug] = space
    return spaces


def _bookings(today, spaces, organisations, staff, volunteer) -> int:
    monday = today + dt.timedelta(days=7 - today.weekday())
    made = 0
    for org_name, slug, purpose, weekday, start, end, weeks, public in SERIES:
        organisation, space = organisations.get(org_name), spaces[slug]
        if (
            organisation is None
            or BookingSeries.objects.filter(
                space=space, organisation=organisation, purpose=purpose
            ).exists()
        ):
            continue
        first = monday + dt.timedelta(days=WEEKDAYS[weekday])
        user = volunteer if org_name == "Männistön Asukasyhdistys ry" and volunteer else staff
        try:
            _series, created, _skipped = services.series_create(
                space=space, organisation=organisation, user=user, first_on=first,
                last_on=first + dt.timedelta(weeks=weeks - 1), starts_at=H(start), ends_at=H(end),
                purpose=purpose, expected_attendees=min(space.capacity, 15), is_public=public,
                notify=False, enforce_rules=False,
            )  # fmt: skip
        except ValidationError:
            continue
        made += len(created)
    for org_name, slug, purpose, days, start, end, people, public in SINGLE:
        made += _single(spaces[slug], organisations.get(org_name), purpose, staff,
                        [monday + dt.timedelta(days=days)], start, end, people, public, past=False)  # fmt: skip
    this_monday = today - dt.timedelta(days=today.weekday())
    for org_name, slug, purpose, start, end, count in PAST:
        days = [this_monday - dt.timedelta(weeks=n + 1, days=-1) for n in range(count)]
        days = [day for day in days if day.year == today.year]
        made += _single(spaces[slug], organisations.get(org_name), purpose, staff, days,
                        start, end, 15, False, past=True)  # fmt: skip
    return made


def _single(space, organisation, purpose, staff, days, start, end, people, public, *, past) -> int:
    """Book each day once; skipped when the association already has this purpose there."""
    if (
        organisation is None
        or Booking.objects.filter(space=space, organisation=organisation, purpose=purpose).exists()
    ):
        return 0
    made = 0
    for day in days:
        try:
            services.booking_create(
                space=space, organisation=organisation, user=staff,
                start=local_datetime(day, H(start)), end=local_datetime(day, H(end)),
                purpose=purpose, expected_attendees=min(people, space.capacity),
                is_public=public, enforce_rules=False, confirm=True if past else None,
                notify=False,
            )  # fmt: skip
        except ValidationError:
            continue  # taken meanwhile
        made += 1
    return made

"""The forums of the seeds: Seurafoorumi, Kulttuurifoorumi and Kumppanuusfoorumi.

Past meetings (the järjestöilta and its ideas, the Kumppanuusfoorumi workshop with five groups and
five questions) and upcoming meetings open for registration, with dates relative to today.
Idempotent: rows are keyed on stable slugs and texts, and existing rows are left as they are.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from directory.models import FieldOfActivity, Membership, Organisation, TargetGroup, User
from forums.models import (
    AgendaItem,
    Forum,
    Idea,
    Meeting,
    Registration,
    Vote,
    VotingWindow,
    WorkshopAnswer,
    WorkshopGroup,
    WorkshopQuestion,
)
from forums.services import meeting_publish

FORUMS = [
    {
        "slug": "seurafoorumi",
        "name": "Kuopion Seurafoorumi",
        "description": "Kuopion Seurafoorumi kokoaa kuopiolaisia monipuolisesti liikuttavat urheiluseurat säännöllisesti yhteen. Tavoitteena on vuorovaikutuksen, yhteistyön ja toiminnan kehittäminen kuopiolaisten liikunnan ja hyvinvoinnin edistämiseksi. Koolle kutsujina toimivat Kuopion kaupunki ja Pohjois-Savon Liikunta. Tervetuloa mukaan!",
        "city_organiser": "Kuopion kaupunki, liikunta- ja järjestöpalvelut",
        "organisers": ["pohjois-savon-liikunta-ry"],
        "fields": ["liikunta-ja-urheilu"],
        "groups": [],
        "contact_name": "Pohjois-Savon Liikunta, seurapalvelut",
        "contact_email": "seurafoorumi@pohjois-savonliikunta.example",
    },
    {
        "slug": "kulttuurifoorumi",
        "name": "Kulttuurifoorumi",
        "description": "Kuopiolaisten kulttuuritoimijoiden tapaaminen: yhdistykset, taiteilijat ja kaupungin kulttuuripalvelut suunnittelevat yhdessä kaupunkikulttuuria ja yhteisiä tapahtumia, kuten Meidän Kuopio -festivaalia.",
        "city_organiser": "Kuopion kaupunki, hyvinvoinnin edistämisen palvelualue",
        "organisers": [],
        "fields": ["kulttuuri"],
        "groups": [],
        "contact_name": "Kulttuuritoiminnan edistäminen",
        "contact_email": "kulttuurifoorumi@kuopio.example",
    },
    {
        "slug": "kumppanuusfoorumi",
        "name": "Kumppanuusfoorumi",
        "description": "Järjestöjen ja kaupungin yhteinen foorumi: mitä teemme yhdessä asukkaiden hyvinvoinnin hyväksi, miten saamme vapaaehtoisia mukaan ja mitä seuraavaksi. Foorumissa työskennellään ryhmissä, ja ideat jatkavat ideapankissa kokouksesta toiseen.",
        "city_organiser": "Kuopion kaupunki, kansalaistoiminnan palvelut",
        "organisers": ["pohjois-savon-sosiaaliturvayhdistys-ry"],
        "fields": [
            "sosiaali-ja-terveys",
            "elakelaiset",
            "asukas-ja-kylatoiminta",
            "vammaisjarjestot",
            "muut",
        ],
        "groups": ["kaikki"],
        "contact_name": "Kansalaistoiminnan asiantuntija",
        "contact_email": "jarjestoyhteistyo@kuopio.example",
    },
]

SEURAFOORUMI_INVITATION = (
    "Kokoonnumme Kortejoella QP Resortin luona. Ilmoita ilmoittautumisen yhteydessä, jos osallistut "
    "etänä, ja ilmoita myös, jos olisit tulossa yhteiseen bussikuljetukseen. Illan alussa isäntätahon "
    "puheenvuoro, toimipaikan esittely ja esittäytymiset.\n\n"
    "Päivän polttavat asiat: katsaus ajankohtaisiin asioihin ja nostoja seuroilta.\n\n"
    "Tulevan yhteistyön suunnittelu porinapöydissä. Teemoina eri kohderyhmien liikuttaminen, "
    "seurafoorumitoiminnan kehittäminen ja rahoitusmahdollisuudet."
)

SEURAFOORUMI_AGENDA = [
    ((17, 30), "Isäntätahon puheenvuoro, toimipaikan esittely ja esittäytymiset", ""),
    ((18, 0), "Päivän polttavat asiat", "Katsaus ajankohtaisiin asioihin. Nostoja seuroilta."),
    (
        (18, 45),
        "Tulevan yhteistyön suunnittelu: porinapöydät",
        "Teemoina eri kohderyhmien liikuttaminen, seurafoorumitoiminnan kehittäminen ja rahoitusmahdollisuudet.",
    ),
    ((19, 45), "Yhteenveto ja seuraava tapaaminen", ""),
]

KUMPPANUUS_AGENDA = [
    ((17, 0), "Tervetuloa! Paikalla olijat", ""),
    (
        (17, 20),
        "Järjestöjen ja kaupungin välinen yhteistyö",
        "Lakipohja, kaupunkistrategia ja olemassa oleva järjestötyön rakenne.",
    ),
    (
        (17, 50),
        "Työpajaosio",
        "Jakaannutaan viiteen ryhmään, jotka vastaavat yhteisiin kysymyksiin.",
    ),
    ((19, 0), "Mitä seuraavaksi?", ""),
]

WORKSHOP_GROUPS = [
    "Seniorit",
    "Sosiaali- ja terveys",
    "Harrastuksiin liittyvät (esimerkiksi liikunta, kulttuuri)",
    "Asukas-, kylä- ja vanhempainyhdistykset",
    "Muut toimijat",
]

WORKSHOP_QUESTIONS = [
    "Mikä on kaupungin ja muiden toimijoiden yhteinen tavoite?",
    "Mikä on järjestö- ja kumppanuusfoorumien tarkoitus jatkossa?",
    "Mihin haluaisitte, että foorumeissa jatkossa käsiteltäisiin?",
    "Miten saada vapaaehtoisia mukaan järjestöjen toimintaan ja miten kaupunki voisi tukea tässä?",
    "Käydään keskustelua ryhmien vastauksista!",
]

# (group index, question index, answer)
WORKSHOP_ANSWERS = [
    (0, 0, "Ikäihmisten hyvinvointi ja yksinäisyyden vähentäminen.\nTieto palveluista ja toiminnasta yhteen paikkaan."),
    (1, 0, "Asukkaiden hyvinvoinnin ja terveyden edistäminen yhdessä: järjestöt ovat kumppaneita, eivät vain avustusten hakijoita."),
    (2, 0, "Jokaiselle lapselle ja nuorelle mieluisa harrastus.\nTilat edullisesti käyttöön."),
    (3, 0, "Elinvoimaiset asuinalueet ja kylät, joissa asukkaat voivat vaikuttaa."),
    (0, 1, "Tutustua toisiin järjestöihin ja sopia yhteisistä tapahtumista, ettei päällekkäisyyksiä synny."),
    (1, 1, "Säännöllinen tiedonvaihto kaupungin ja järjestöjen välillä, noin kaksi kertaa vuodessa."),
    (4, 1, "Verkostoituminen yli toimialarajojen."),
    (2, 2, "Tilojen varaaminen ja hinnat.\nAvustusten hakeminen ja aikataulut."),
    (3, 2, "Lähidemokratia ja asukastilat. Miten kylät saavat äänensä kuuluviin."),
    (0, 3, "Yhteinen vapaaehtoisten peruskoulutus.\nLyhyitä, kertaluonteisia tehtäviä, joihin on helppo tulla mukaan."),
    (1, 3, "Vapaaehtoistehtävät yhteen paikkaan (esim. Vapaaehtoistyö.fi) ja vapaaehtoisten julkinen kiittäminen."),
    (2, 3, "Vanhemmat mukaan valmentajiksi ja talkoisiin; kaupunki voisi tarjota seuroille koulutusta."),
]  # fmt: skip

# The järjestöilta's ideas ranked most important (seed 001) first, then other important themes.
JARJESTOILTA_IDEAS = [
    ("Kaupungin tyhjien tilojen käyttö tai vuokraus järjestöille",
     "Kunnolliset toimitilat, edullisuus.\n- Pop up -tiloja tempauksiin ja tapahtumiin\n- Varastointitilat\n- Ei vuokraa, vain käyttökustannukset (vesi, sähkö)\n- Lyhytaikaisia\n- Asennemuutos, helppo saatavuus, varausjärjestelmä\n- Terveet tilat: katto, sähkö, vesi, lämpö",
     Idea.Status.IN_PROGRESS,
     "Kaupungin tiloja voi nyt hakea ja varata järjestöportaalin Tilat-osiossa. Tyhjien tilojen lyhytaikaista käyttöä selvitetään tilapalveluiden kanssa."),
    ("Valtuuston jäsenille järjestöjen esittelyiltoja",
     "- Olemassa oleviin rakenteisiin: kun kaupunki kutsuu yhdistyksiä (liikunta, sote, luonto, kulttuuri), lautakuntien ja valtuuston edustajat mukaan\n- Valtuustokokousten yhteyteen yhdistysten esittelyt tai messut\n- Valtuutettujen seminaarien ja koulutusten yhteyteen yhdistysesittelyjä",
     Idea.Status.UNDER_CONSIDERATION,
     "Selvitämme valtuustoseminaarin yhteyteen järjestöjen esittelyä."),
    ("Kuopiolaisten järjestöjen toiminnasta, osaamisesta ja palveluista koottu sivusto ja tietopankki",
     "- Esteettömyys\n- Yhteystiedot ajan tasalla, kun vastuuhenkilöt vaihtuvat\n- Hyöty yhdistyksille: yhdistys–yhdistys ja yhdistys–maakunta\n- Tiedon ajanmukaisuus\n- Hakukone: etsityin tieto nousee ensin esiin",
     Idea.Status.DONE,
     "Järjestöportaalin yhdistyshakemisto kokoaa kuopiolaisten järjestöjen toiminnan, osaamisen ja palvelut yhteen paikkaan. Yhdistykset päivittävät tietonsa itse."),
    ("Lyhyet säännölliset toimialakohtaiset järjestötapaamiset",
     "- Tieto kunnille järjestöistä\n- Yhteistyö ja tieto muiden toimista\n- Välillä toimialarajoja tulee ylittää uusien kumppanuuksien löytämiseksi\n- Alueellisia, paikallisia ja teemoittaisia tapaamisia\n- Vaatii koordinoijan: voisiko kaupunki aloittaa?",
     Idea.Status.DONE,
     "Seurafoorumi, Kulttuurifoorumi ja Kumppanuusfoorumi kokoontuvat säännöllisesti, ja ilmoittautuminen hoituu tässä portaalissa."),
    ("Yhteinen tiedotusfoorumi, josta asukas löytää toimintatiedot helposti",
     "- Tiedotuskanava ja yhteinen tietopankki, ei Facebook\n- Saman alan yhdistykset samasta paikasta; haku toiminnan, alueen ja toimialan mukaan\n- Jatkuvuus: ei saa loppua, kun projekti loppuu\n- Vapaaehtoisille yhdistyksille ei saa tulla lisää kuormaa",
     Idea.Status.IN_PROGRESS,
     "Portaalin tapahtumakalenteri kokoaa yhdistysten tapahtumat, ja kalenterin voi tilata omaan puhelimeen."),
    ("Järjestötalo", "Kuopiossa on tarvetta järjestötalolle ja yli sektorirajojen toimimisen foorumille, joka tukee ja sparraa järjestöjä.", Idea.Status.NEW, ""),
    ("Järjestötapahtumien yhteinen päiväkalenteri teemoittain", "Mikä asia, milloin, missä, kuka järjestää, kenelle ja miten ilmoittaudutaan. Teemoina esimerkiksi sote ja hyvinvointi, liikunta ja urheilu, kulttuuri.", Idea.Status.IN_PROGRESS, "Tapahtumakalenteri on käytössä portaalissa; teemasuodattimet tulevat sen mukana."),
    ("Säännöllisten siiloutumattomien yhdistystapaamisten järjestäminen", "Tapaamiset 3–4 viikon välein, yli toimialarajojen.", Idea.Status.NEW, ""),
    ("Rahoitus pitkäjänteisemmäksi", "", Idea.Status.UNDER_CONSIDERATION, "Kolmivuotiset yhteistyösopimukset ovat käytössä kahdeksan yhdistyksen kanssa. Laajentamista arvioidaan talousarvion yhteydessä."),
    ("Vapaaehtoistoimijoiden tai henkilökunnan vaihto", "Tutustuminen toisten toimintaan, esimerkiksi yhden päivän ajan.", Idea.Status.NEW, ""),
]  # fmt: skip

JARJESTOILTA_QUESTIONS = [
    "Millainen idea ja toimenpide-ehdotus sinulla on Kuopion järjestöjen ja yhdistysten toiminnan edistämiseksi?",
    "Millainen idea ja toimenpide-ehdotus sinulla on Kuopion järjestöjen ja yhdistysten yhteistyön edistämiseksi?",
    "Millainen idea ja toimenpide-ehdotus sinulla on kaupungin ja yhdistysten yhteistyön edistämiseksi?",
]

KOHTAAMO = ("Kohtaamo, Kuopion pääkirjasto", "Maaherrankatu 12, 70100 Kuopio")
QP_RESORT = ("QP Resort, Kortejoki", "Vehmersalmentie 735, Kuopio")


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _forum(spec: dict) -> Forum:
    forum, created = Forum.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            key: spec[key]
            for key in ("name", "description", "city_organiser", "contact_name", "contact_email")
        },
    )
    if created:
        forum.organisers.set(Organisation.objects.filter(slug__in=spec["organisers"]))
        forum.target_fields.set(FieldOfActivity.objects.filter(slug__in=spec["fields"]))
        forum.target_groups.set(TargetGroup.objects.filter(slug__in=spec["groups"]))
    return forum


def _meeting(forum: Forum, slug: str, day, start, end, agenda=(), **fields) -> Meeting:
    defaults = {
        "starts_at": _at(day, *start),
        "ends_at": _at(day, *end),
        "registration_closes_at": _at(day - timedelta(days=5), 16),
        "status": Meeting.Status.PUBLISHED,
        **fields,
    }
    meeting, created = Meeting.objects.get_or_create(forum=forum, slug=slug, defaults=defaults)
    if created:
        for (hour, minute), title, description in agenda:
            AgendaItem.objects.create(
                meeting=meeting, starts_at=_at(day, hour, minute), title=title,
                description=description,
            )  # fmt: skip
    return meeting


def _workshop(meeting: Meeting, groups, questions, secretary=None) -> tuple[list, list]:
    group_rows = []
    for position, name in enumerate(groups):
        group, _created = WorkshopGroup.objects.get_or_create(
            meeting=meeting, name=name, defaults={"position": position}
        )
        group_rows.append(group)
    if secretary is not None and len(group_rows) > 3 and group_rows[3].secretary_id is None:
        group_rows[3].secretary = secretary
        group_rows[3].save(update_fields=["secretary"])
    question_rows = []
    for position, text in enumerate(questions):
        question, _created = WorkshopQuestion.objects.get_or_create(
            meeting=meeting, text=text, defaults={"position": position}
        )
        question_rows.append(question)
    return group_rows, question_rows


def seed(stdout) -> None:
    today = timezone.localdate()
    staff = User.objects.filter(email="kaupunki@demo.kuopio.example").first()
    volunteer = User.objects.filter(email="vapaaehtoinen@demo.kuopio.example").first()
    chair = User.objects.filter(email="yhdistys@demo.kuopio.example").first()
    seura, kulttuuri, kumppanuus = (_forum(spec) for spec in FORUMS)

    # Seurafoorumi: a hybrid evening at QP Resort with the shared bus, past and upcoming.
    common = {
        "format": Meeting.Format.HYBRID, "place_name": QP_RESORT[0], "address": QP_RESORT[1],
        "online_platform": "Teams", "online_url": "https://teams.example/seurafoorumi",
        "asks_attendance_mode": True, "asks_transport": True, "asks_diet": True,
        "transport_info": "Yhteinen bussi lähtee Kuopion torilta klo 16.45 ja palaa noin klo 20.30.",
        "invitation": SEURAFOORUMI_INVITATION,
    }  # fmt: skip
    _meeting(
        seura, "stronger-together", today - timedelta(days=84), (17, 30), (20, 0),
        SEURAFOORUMI_AGENDA, title="Stronger together", capacity=60,
        summary="Paikalla oli 34 seuraa, lisäksi 9 osallistui etänä. Porinapöydissä nousi esiin erityisesti harrastusten hinta, salivuorojen jakaminen ja yhteinen koulutuskalenteri. Seuraava seurafoorumi kokoontuu syksyllä.",
        **common,
    )  # fmt: skip
    _meeting(
        seura, "syksyn-seurafoorumi", today + timedelta(days=21), (17, 30), (20, 0),
        SEURAFOORUMI_AGENDA, title="Syksyn seurafoorumi", capacity=40,
        theme="Eri kohderyhmien liikuttaminen ja rahoitusmahdollisuudet",
        asks_free_text=True, free_text_question="Nostoja seuroilta: mitä haluatte ottaa puheeksi?",
        **common,
    )  # fmt: skip

    # Kulttuurifoorumi: Teams webinars, open to artists without an association too.
    webinar = {
        "format": Meeting.Format.ONLINE, "online_platform": "Teams",
        "online_url": "https://teams.example/kulttuurifoorumi", "allows_residents": True,
    }  # fmt: skip
    _meeting(
        kulttuuri, "kaupunkikulttuuri", today - timedelta(days=56), (17, 0), (19, 0),
        title="Kaupunkikulttuuri ja kaupunkiaktivismi",
        theme="Teemaa alustavat kaupunkiaktivisti Jaakko Blomberg ja osallisuuskoordinaattori Arttu Antila.",
        invitation="Kuopiolaisten kulttuuritoimijoiden tapaaminen Teams-webinaarina. Järjestäjänä Kuopion kaupunki, hyvinvoinnin edistämisen palvelualue.",
        summary="Webinaarissa oli 41 osallistujaa. Keskustelussa toivottiin kevyempää lupaprosessia pop up -tapahtumille ja yhteistä tiedotusta Meidän Kuopio -festivaalin mikrotapahtumista.",
        **webinar,
    )  # fmt: skip
    _meeting(
        kulttuuri, "meidan-kuopio-festivaali", today + timedelta(days=35), (17, 0), (19, 0),
        title="Meidän Kuopio -festivaalin suunnittelu",
        theme="Yhteinen Kuopion juhla elo–syyskuussa: yli 100 mikrotapahtumaa yhdessä",
        invitation="Tule suunnittelemaan ensi vuoden Meidän Kuopio -festivaalia. Kaupunki myöntää tuotantotukea tapahtumien toteuttajille. Kerro ilmoittautuessasi, millaisen mikrotapahtuman voisitte järjestää.",
        asks_free_text=True, free_text_question="Millaisen mikrotapahtuman voisitte järjestää?",
        **webinar,
    )  # fmt: skip

    # Kumppanuusfoorumi: the järjestöilta, the workshop in five groups, and the next meeting.
    in_person = {
        "format": Meeting.Format.IN_PERSON,
        "place_name": KOHTAAMO[0],
        "address": KOHTAAMO[1],
    }
    jarjestoilta = _meeting(
        kumppanuus, "jarjestoilta", today - timedelta(days=380), (17, 0), (20, 0),
        title="Järjestöilta", capacity=120,
        invitation="Millainen idea ja toimenpide-ehdotus sinulla on Kuopion järjestöjen ja yhdistysten toiminnan ja yhteistyön sekä kaupungin ja yhdistysten yhteistyön edistämiseksi?",
        summary="Illan ideat koottiin pöydittäin ja osallistujat valitsivat tärkeimmät. Ne ovat ideapankissa, ja kaupunki kertoo kunkin kohdalla, mitä niille on tehty.",
        **in_person,
    )  # fmt: skip
    _workshop(jarjestoilta, [], JARJESTOILTA_QUESTIONS)
    workshop = _meeting(
        kumppanuus, "tyopaja", today - timedelta(days=42), (17, 0), (19, 30), KUMPPANUUS_AGENDA,
        title="Työpaja viidessä ryhmässä", capacity=50,
        theme="Järjestöjen ja kaupungin välinen yhteistyö",
        invitation="Tervetuloa! Illan aluksi katsomme, mitä järjestöjen ja kaupungin yhteistyö on nyt, ja työpajassa jakaannutaan viiteen ryhmään.",
        summary="Viisi ryhmää vastasi yhteisiin kysymyksiin. Yhteiseksi tavoitteeksi nousi asukkaiden hyvinvointi, ja vapaaehtoisten saamiseksi toivottiin yhteistä peruskoulutusta ja lyhyitä tehtäviä.",
        **in_person,
    )  # fmt: skip
    groups, questions = _workshop(workshop, WORKSHOP_GROUPS, WORKSHOP_QUESTIONS, volunteer)
    for group_index, question_index, text in WORKSHOP_ANSWERS:
        WorkshopAnswer.objects.get_or_create(
            group=groups[group_index], question=questions[question_index],
            defaults={"text": text, "recorded_by": staff},
        )  # fmt: skip
    upcoming = _meeting(
        kumppanuus, "mita-seuraavaksi", today + timedelta(days=28), (17, 0), (19, 30),
        KUMPPANUUS_AGENDA, title="Mitä seuraavaksi?", capacity=30,
        theme="Vapaaehtoiset mukaan – ideapankin ideat käytäntöön",
        invitation="Jatkamme siitä, mihin työpajassa jäimme: käymme läpi ideapankin äänestetyimmät ideat ja sovimme, kuka vie mitäkin eteenpäin.",
        asks_diet=True, asks_free_text=True,
        free_text_question="Mikä ideapankin idea on yhdistyksellesi tärkein?",
        **in_person,
    )  # fmt: skip

    for title, description, status, response in JARJESTOILTA_IDEAS:
        Idea.objects.get_or_create(
            forum=kumppanuus, title=title,
            defaults={
                "meeting": jarjestoilta, "description": description, "status": status,
                "staff_response": response,
                "responded_at": timezone.now() - timedelta(days=30) if response else None,
                "created_at": jarjestoilta.ends_at,
            },
        )  # fmt: skip
    for group_index, question_index, title in [(0, 3, "Yhteinen vapaaehtoisten peruskoulutus"),
                                               (1, 3, "Vapaaehtoistehtävät yhteen paikkaan")]:  # fmt: skip
        answer = WorkshopAnswer.objects.get(
            group=groups[group_index], question=questions[question_index]
        )
        Idea.objects.get_or_create(
            forum=kumppanuus, title=title,
            defaults={"meeting": workshop, "source_answer": answer, "description": answer.text,
                      "created_at": workshop.ends_at},
        )  # fmt: skip

    window, _created = VotingWindow.objects.get_or_create(
        forum=kumppanuus, title="Mitkä ideat viedään seuraavaan Kumppanuusfoorumiin?",
        defaults={"opens_at": _at(today - timedelta(days=7), 8),
                  "closes_at": _at(upcoming.starts_at.date() - timedelta(days=7), 16),
                  "votes_per_person": 3},
    )  # fmt: skip
    if chair is not None and window.is_open():
        for slot, title in enumerate(["Järjestötalo", "Yhteinen vapaaehtoisten peruskoulutus"], 1):
            idea = Idea.objects.get(forum=kumppanuus, title=title)
            Vote.objects.get_or_create(
                window=window, idea=idea, user=chair, defaults={"slot": slot}
            )

    chair_organisation = Organisation.objects.filter(
        memberships__user=chair, memberships__role=Membership.Role.ADMIN
    ).first()
    if chair is not None and chair_organisation is not None:
        Registration.objects.get_or_create(
            meeting=upcoming, user=chair, status=Registration.Status.CONFIRMED,
            defaults={"organisation": chair_organisation,
                      "attendance": Registration.Attendance.IN_PERSON},
        )  # fmt: skip
    # Every meeting is also in the shared events calendar and its feeds.
    for meeting in Meeting.objects.filter(event__isnull=True).exclude(status=Meeting.Status.DRAFT):
        meeting_publish(meeting=meeting, by=staff)
    stdout.write(
        f"Forums: {Forum.objects.count()} forums, {Meeting.objects.count()} meetings, "
        f"{Idea.objects.count()} ideas."
    )

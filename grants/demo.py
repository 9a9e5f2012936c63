"""Demo grants of Kuopio: next year's general round open now, last year's round decided.

Numbers follow the city's 2022 figures (seed 000): general grants of about 2.7 M EUR in eight
applicant groups, special grants of 30 000 EUR and production support for the Meidän Kuopio
festival. Idempotent: every row is keyed on stable values, and dates are relative to today.
"""

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from directory.models import Membership, Organisation, User
from grants.models import (
    ApplicantGroup,
    Application,
    ApplicationVersion,
    Attachment,
    AttachmentKind,
    BudgetLine,
    Criterion,
    Decision,
    GrantKind,
    Pot,
    Round,
    UseReport,
)
from grants.services import snapshot_of

HELSINKI = ZoneInfo("Europe/Helsinki")
STAFF_EMAIL = "kaupunki@demo.kuopio.example"
VOLUNTEER_EMAIL = "vapaaehtoinen@demo.kuopio.example"

POTS = {
    "liikuntaseurat": 1_180_000,
    "nuorisojarjestot": 260_000,
    "kulttuurijarjestot-ja-toimijat": 610_000,
    "asukas-ja-kylayhdistykset": 160_000,
    "elakelaisjarjestot": 130_000,
    "kansanterveys-ja-vammaisjarjestot": 250_000,
    "muut-yhdistykset": 60_000,
    "taiteilijat": 50_000,
}
CRITERIA = [
    ("Toiminnan laajuus ja vaikuttavuus", "Kuinka moni kuopiolainen hyötyy ja miten."),
    ("Lapset, nuoret ja ikäihmiset", "Toiminta tavoittaa kaupungin painopisteryhmiä."),
    ("Yhdenvertaisuus ja saavutettavuus", "Toimintaan pääsee mukaan kuka tahansa."),
    ("Talouden tarve ja omarahoitus", "Avustuksen tarve on perusteltu ja talousarvio realistinen."),
]
REQUIRED = [
    AttachmentKind.ACTION_PLAN,
    AttachmentKind.BUDGET,
    AttachmentKind.FINANCIAL_STATEMENTS,
    AttachmentKind.ANNUAL_REPORT,
]

# organisation slug, group, requested, granted last year, used of it (None: no report yet)
LAST_YEAR = [
    ("kuopion-jalkapalloseura-ry", "liikuntaseurat", 52000, 46500, 46500),
    ("kuopion-hiihtoseura-ry", "liikuntaseurat", 8000, 5000, 4200),
    ("neulamaen-nuorisoseura-ry", "nuorisojarjestot", 14000, 11000, 11000),
    ("nilsian-bandiyhdistys-ry", "nuorisojarjestot", 6000, 4500, 4500),
    ("kuopion-kamarikuoro-ry", "kulttuurijarjestot-ja-toimijat", 12000, 9000, 9000),
    ("manniston-asukasyhdistys-ry", "asukas-ja-kylayhdistykset", 3500, 3000, 3000),
    ("karttulan-kylayhdistys-ry", "asukas-ja-kylayhdistykset", 4000, 3200, 3200),
    ("elakeliiton-kuopion-yhdistys-ry", "elakelaisjarjestot", 7000, 6000, 6000),
    ("pohjois-savon-muisti-ry", "kansanterveys-ja-vammaisjarjestot", 22000, 18000, None),
    ("kuopion-nakovammaiset-ry", "kansanterveys-ja-vammaisjarjestot", 9000, 7500, 7500),
    ("kuopion-martat-ry", "muut-yhdistykset", 2500, 0, None),
]
# organisation slug, group, requested, state
NEXT_YEAR = [
    ("manniston-asukasyhdistys-ry", "asukas-ja-kylayhdistykset", 3800, Application.State.DRAFT),
    ("karttulan-kylayhdistys-ry", "asukas-ja-kylayhdistykset", 4200, Application.State.DRAFT),
    ("kuopion-jalkapalloseura-ry", "liikuntaseurat", 55000, Application.State.SUBMITTED),
    ("elakeliiton-kuopion-yhdistys-ry", "elakelaisjarjestot", 7500, Application.State.SUBMITTED),
    (
        "kuopion-kamarikuoro-ry",
        "kulttuurijarjestot-ja-toimijat",
        12500,
        Application.State.SUBMITTED,
    ),
    ("neulamaen-nuorisoseura-ry", "nuorisojarjestot", 15000, Application.State.SUBMITTED),
    (
        "pohjois-savon-muisti-ry",
        "kansanterveys-ja-vammaisjarjestot",
        20000,
        Application.State.SUBMITTED,
    ),
]
PURPOSES = {
    "liikuntaseurat": "Junioritoiminnan valmentajakoulutus, salivuorot ja harrastesarja kaikille.",
    "nuorisojarjestot": "Nuorten illat, leirit ja bänditreenit ohjaajien kanssa.",
    "kulttuurijarjestot-ja-toimijat": "Konsertit kaupunginosissa ja laulajien kouluttaminen.",
    "asukas-ja-kylayhdistykset": "Asukastuvan kahvilaillat, talkoot ja kesäjuhla kaikenikäisille.",
    "elakelaisjarjestot": "Kerhot, tanssit, retket ja vertaistuki eläkeläisille.",
    "kansanterveys-ja-vammaisjarjestot": "Vertaisryhmät, neuvonta ja virkistyspäivät.",
    "muut-yhdistykset": "Kurssit ja neuvonta kaikille kuopiolaisille.",
}
FILE_NAMES = {
    AttachmentKind.ACTION_PLAN: "toimintasuunnitelma.pdf",
    AttachmentKind.BUDGET: "talousarvio.pdf",
    AttachmentKind.FINANCIAL_STATEMENTS: "tilinpaatos.pdf",
    AttachmentKind.ANNUAL_REPORT: "toimintakertomus.pdf",
}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def _round(slug, **fields) -> Round:
    round, created = Round.objects.get_or_create(slug=slug, defaults=fields)
    if created and fields["kind"] == GrantKind.GENERAL:
        groups = {group.slug: group for group in ApplicantGroup.objects.all()}
        scale = Decimal(fields["budget"]) / Decimal(sum(POTS.values()))
        for slug_, amount in POTS.items():
            Pot.objects.create(
                round=round, group=groups[slug_], budget=(amount * scale).quantize(1)
            )
        for position, (name, description) in enumerate(CRITERIA):
            Criterion.objects.create(
                round=round, name=name, description=description, position=position
            )
    return round


def _applicant(organisation: Organisation) -> User:
    """The volunteer who applies: the demo volunteer for the demo association, else its own."""
    member = Membership.objects.filter(organisation=organisation).select_related("user").first()
    if member is not None:
        return member.user
    user, created = User.objects.get_or_create(
        email=f"{organisation.slug}@hakija.demo.kuopio.example",
        defaults={"full_name": f"Yhteyshenkilö, {organisation.name}"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.ADMIN}
    )
    return user


def _application(round, organisation, group, requested, user, state, sent_at) -> Application:
    application, created = Application.objects.get_or_create(
        round=round,
        organisation=organisation,
        defaults={
            "group": group,
            "purpose": PURPOSES.get(group.slug, "Yhdistyksen perustoiminta."),
            "requested_amount": Decimal(requested),
            "created_by": user,
        },
    )
    if not created:
        return application
    expenses = Decimal(requested) * Decimal("1.25")
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(application=application, kind="expense", description="Tilavuokrat",
                       amount=(expenses * Decimal("0.6")).quantize(1), position=0),
            BudgetLine(application=application, kind="expense", description="Ohjaajat ja tarvikkeet",
                       amount=expenses - (expenses * Decimal("0.6")).quantize(1), position=1),
            BudgetLine(application=application, kind="income", description="Jäsenmaksut ja osallistumismaksut",
                       amount=expenses - Decimal(requested), position=0),
        ]
    )  # fmt: skip
    if state == Application.State.DRAFT:
        return application
    for kind in round.required_attachments:
        attachment = Attachment(
            application=application,
            kind=kind,
            original_name=FILE_NAMES.get(kind, "liite.pdf"),
            content_type="application/pdf",
            size=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
            uploaded_by=user,
        )
        attachment.file.save(f"{kind}.pdf", ContentFile(PDF), save=False)
        attachment.save()
    application.refresh_from_db()
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        kind=ApplicationVersion.Kind.SUBMISSION,
        group=group,
        requested_amount=application.requested_amount,
        snapshot=snapshot_of(application),
        created_at=sent_at,
        created_by=user,
    )
    Attachment.objects.filter(application=application).update(frozen_at=sent_at)
    Application.objects.filter(pk=application.pk).update(
        state=Application.State.SUBMITTED, submitted_at=sent_at
    )
    application.refresh_from_db()
    return application


def seed(stdout) -> None:
    today = timezone.localdate()
    year = today.year
    staff = User.objects.get(email=STAFF_EMAIL)
    groups = {group.slug: group for group in ApplicantGroup.objects.all()}
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}

    next_round = _round(
        f"yleisavustukset-{year + 1}",
        name=f"Yleisavustukset {year + 1}",
        kind=GrantKind.GENERAL,
        year=year + 1,
        instructions=(
            "Yleisavustusta voivat hakea kuopiolaiset rekisteröidyt yhdistykset niiden "
            "yleishyödylliseen toimintaan. Hae yhdellä hakemuksella yhdistyksesi ryhmästä.\n\n"
            "Liitä mukaan toimintasuunnitelma, talousarvio, edellisen vuoden tilinpäätös ja "
            "toimintakertomus. Edellisen avustuksen käyttöselvitys on oltava tehtynä."
        ),
        opens_at=_local(today - timedelta(days=21), 8),
        closes_at=_local(today + timedelta(days=14), 15, 30),
        budget=Decimal("2700000.00"),
        required_attachments=REQUIRED,
        report_due_on=date(year + 2, 3, 31),
        is_published=True,
    )
    last_round = _round(
        f"yleisavustukset-{year - 1}",
        name=f"Yleisavustukset {year - 1}",
        kind=GrantKind.GENERAL,
        year=year - 1,
        instructions="Haku on päättynyt. Päätökset on julkaistu.",
        opens_at=_local(date(year - 2, 11, 1), 8),
        closes_at=_local(date(year - 2, 11, 29), 15, 30),
        budget=Decimal("2655195.00"),
        required_attachments=REQUIRED,
        report_due_on=date(year, 3, 31),
        is_published=True,
    )
    _round(
        f"erityisavustukset-{year}",
        name=f"Erityisavustukset {year}",
        kind=GrantKind.SPECIAL,
        year=year,
        instructions="Jatkuva haku yllättäviin ja kertaluonteisiin hankkeisiin. Käsittely noin kuukaudessa.",
        opens_at=_local(date(year, 1, 2), 8),
        is_always_open=True,
        budget=Decimal("30000.00"),
        required_attachments=[AttachmentKind.ACTION_PLAN],
        is_published=True,
    )
    festival_opens = today + timedelta(days=60)
    _round(
        f"meidan-kuopio-festivaali-{festival_opens.year}",
        name=f"Meidän Kuopio -festivaali {festival_opens.year}: tuotantotuki",
        kind=GrantKind.EVENT_PRODUCTION,
        year=festival_opens.year,
        instructions="Tuotantotukea festivaalin mikrotapahtumien toteuttajille: yhdistyksille, asukkaille ja yhteisöille.",
        opens_at=_local(festival_opens, 9),
        closes_at=_local(festival_opens + timedelta(days=30), 15, 30),
        budget=Decimal("20000.00"),
        required_attachments=[AttachmentKind.BUDGET],
        is_published=True,
    )

    decided_at = _local(date(year - 1, 2, 15), 10)
    for slug, group_slug, requested, granted, used in LAST_YEAR:
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        user = _applicant(organisation)
        application = _application(
            last_round, organisation, groups[group_slug], requested, user,
            Application.State.SUBMITTED, _local(date(year - 2, 11, 20), 18),
        )  # fmt: skip
        decision = Decision.objects.filter(application=application).first()
        if decision is None:
            decision = Decision.objects.create(
                application=application,
                version=application.versions.get(number=1),
                round=last_round,
                group=application.group,
                organisation=organisation,
                requested_amount=application.requested_amount,
                amount=Decimal(granted),
                rejection_reason="" if granted else "Toiminta ei kohdistu kuopiolaisiin.",
                is_public=True,
                decided_by=staff,
                decided_at=decided_at,
            )
            Application.objects.filter(pk=application.pk).update(state=Application.State.DECIDED)
        if used is not None and granted:
            UseReport.objects.get_or_create(
                decision=decision,
                defaults={
                    "status": UseReport.Status.ACCEPTED,
                    "amount_used": Decimal(used),
                    "unused_amount": Decimal(granted - used),
                    "narrative": "Toiminta toteutui suunnitellusti. Tilinpäätös liitteenä.",
                    "submitted_by": user,
                    "submitted_at": _local(date(year, 2, 20), 12),
                    "reviewed_by": staff,
                    "reviewed_at": _local(date(year, 3, 5), 9),
                },
            )

    for slug, group_slug, requested, state in NEXT_YEAR:
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        user = User.objects.filter(email=VOLUNTEER_EMAIL).first() if state == "draft" else None
        if (
            user is None
            or not Membership.objects.filter(user=user, organisation=organisation).exists()
        ):
            user = _applicant(organisation)
        _application(
            next_round, organisation, groups[group_slug], requested, user, state,
            timezone.now() - timedelta(days=3),
        )  # fmt: skip

    stdout.write(
        f"Grants: {Round.objects.count()} rounds, {Application.objects.count()} applications, "
        f"{Decision.objects.count()} decisions."
    )

"""Small builders for grants test data: real rows through the real services."""

import importlib
import io
import itertools
import zipfile
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from grants import services
from grants.files import BY_EXTENSION
from grants.models import ApplicantGroup, AttachmentKind, Criterion, Pot, Round

_sequence = itertools.count(1)


GROUPS = {
    slug: (position, name_fi, name_en)
    for position, (slug, name_fi, name_en) in enumerate(
        importlib.import_module("grants.migrations.0002_applicant_groups_of_kuopio").GROUPS, 1
    )
}


def group(slug="asukas-ja-kylayhdistykset") -> ApplicantGroup:
    # get_or_create: a transactional test may have flushed the rows the migration made.
    position, name_fi, name_en = GROUPS[slug]
    return ApplicantGroup.objects.get_or_create(
        slug=slug, defaults={"name_fi": name_fi, "name_en": name_en, "position": position}
    )[0]


def make_round(
    *,
    budget=Decimal("10000.00"),
    pots=None,
    opens_at=None,
    closes_at=None,
    always_open=False,
    year=None,
    required=(AttachmentKind.ACTION_PLAN,),
    criteria=("Toiminnan vaikuttavuus", "Talouden tarve"),
    **fields,
) -> Round:
    now = timezone.now()
    n = next(_sequence)
    round = Round.objects.create(
        name=fields.pop("name", f"Yleisavustukset {n}"),
        slug=fields.pop("slug", f"yleisavustukset-{n}"),
        kind=fields.pop("kind", "general"),
        year=year or now.year + 1,
        opens_at=opens_at or now - timedelta(days=10),
        closes_at=None if always_open else (closes_at or now + timedelta(days=10)),
        is_always_open=always_open,
        budget=budget,
        required_attachments=list(required),
        is_published=fields.pop("is_published", True),
        **fields,
    )
    if pots is None:
        pots = {"asukas-ja-kylayhdistykset": budget, "liikuntaseurat": budget}
    for slug, pot_budget in pots.items():
        Pot.objects.create(round=round, group=group(slug), budget=pot_budget)
    for position, name in enumerate(criteria):
        Criterion.objects.create(round=round, name=name, max_score=5, position=position)
    return round


def pdf(name="toimintasuunnitelma.pdf", size=2000) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n" + b"0" * max(size - 20, 0) + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx(name="talousarvio.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def file_type(upload):
    return BY_EXTENSION["." + upload.name.rsplit(".", 1)[-1].lower()]


def make_application(
    *, user, organisation, round, requested=Decimal("1500.00"), complete=True, slug=None
):
    application, _created = services.application_start(
        user=user,
        round=round,
        organisation=organisation,
        group=group(slug or "asukas-ja-kylayhdistykset"),
    )
    if complete:
        services.application_save_draft(
            user=user,
            application_id=application.pk,
            group=application.group,
            purpose="Asukastuvan kahvilailtoja ja talkoot kaikenikäisille.",
            requested_amount=requested,
            income=[("Osallistumismaksut", Decimal("200.00"))],
            expenses=[
                ("Tilavuokra", Decimal("1000.00")),
                ("Tarvikkeet", requested - Decimal("800.00")),
            ],
        )
        upload = pdf()
        services.attachment_add(
            user=user,
            application_id=application.pk,
            kind=AttachmentKind.ACTION_PLAN,
            upload=upload,
            file_type=file_type(upload),
        )
    application.refresh_from_db()
    return application


def submit(application, user):
    return services.application_submit(
        user=user, application_id=application.pk, versions_seen=application.versions.count()
    )


def decide(application, staff, amount, reason=""):
    version = application.versions.order_by("-number").first()
    return services.decision_make(
        staff=staff,
        application_id=application.pk,
        version_id=version.pk,
        amount=Decimal(amount),
        rejection_reason=reason,
    )


def run_at_once(*functions):
    """Run the functions in real threads released together; each closes its connection.

    Returns ("ok", result) or ("error", exception) per function, in order.
    """
    import threading

    from django.db import connection as thread_connection

    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", function())
        except Exception as error:
            results[index] = ("error", error)
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=worker, args=(index, function))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def db_now():
    """PostgreSQL's clock as the submit transaction reads it (Now() = statement_timestamp())."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]

"""Attachments: checked by content, size-limited, stored privately, served only to the
applicant's members and grants staff, as downloads that are never cached."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grants.models import Attachment
from tests.grants import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(member, org_a):
    return builders.make_application(
        user=member, organisation=org_a, round=builders.make_round(), complete=False
    )


def upload(client, application, file, kind="action_plan"):
    return client.post(
        f"/grants/applications/{application.pk}/attachments/", {"kind": kind, "file": file}
    )


def _picture(fmt: str) -> bytes:
    """A real picture: image attachments are re-encoded, so only real ones are accepted."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buffer, fmt)
    return buffer.getvalue()


PNG = _picture("PNG")
JPEG = _picture("JPEG")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "served_as"),
    [
        ("suunnitelma.pdf", b"%PDF-1.7\n%%EOF", "application/pdf"),
        ("kuva.png", PNG, "image/png"),
        ("kuva.JPG", JPEG, "image/jpeg"),
        ("vanha.doc", OLE, "application/msword"),
        ("laskelma.xls", OLE, "application/vnd.ms-excel"),
    ],
)
def test_pdf_office_and_image_files_are_accepted_by_their_content(
    draft, member, client, name, content, served_as
):
    client.force_login(member)
    assert upload(client, draft, SimpleUploadedFile(name, content)).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == served_as
    assert attachment.original_name == name


def test_an_office_zip_document_is_accepted(draft, member, client):
    client.force_login(member)
    assert upload(client, draft, builders.docx()).status_code == 302
    assert Attachment.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lasku.pdf", b"MZ\x90\x00 this is a windows program"),
        ("kuva.png", b"%PDF-1.4 a pdf pretending to be an image"),
        ("asiakirja.docx", b"PK\x03\x04 not really a zip"),
        ("skripti.pdf", b"<script>alert(1)</script>"),
    ],
)
def test_a_file_whose_content_is_not_its_claimed_type_is_refused(
    draft, member, client, name, content
):
    client.force_login(member)
    response = upload(client, draft, SimpleUploadedFile(name, content, "application/pdf"))
    assert response.status_code == 400
    assert "Tiedoston sisältö ei ole sitä, mitä sen nimi kertoo" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_unaccepted_file_type_is_refused(draft, member, client):
    client.force_login(member)
    response = upload(client, draft, SimpleUploadedFile("ohjelma.exe", b"MZ\x90\x00"))
    assert "Tätä tiedostotyyppiä ei voi lähettää" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(draft, member, client, settings):
    settings.GRANTS_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(member)
    big = SimpleUploadedFile("iso.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 500_000))
    response = upload(client, draft, big)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Tiedosto on liian suuri (1,5 Mt). Suurin sallittu koko on 1 Mt." in html
    assert not Attachment.objects.exists()


def test_attachments_are_stored_privately_never_under_media_or_static(
    draft, member, client, private_media
):
    client.force_login(member)
    upload(client, draft, builders.pdf("../../etc/passwd.pdf"))
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(Path(private_media).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "passwd" not in stored.name, "the user's file name never becomes the path"
    assert attachment.original_name == "passwd.pdf"
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public address exists


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_org_admin", 404),
        ("staff_without_mfa", 404),
        ("member", 200),
        ("org_admin", 200),
        ("staff", 200),
    ],
)
def test_an_attachment_is_served_only_to_the_applicants_members_and_grants_staff(
    member, org_a, request, role, status
):
    sent = builders.make_application(user=member, organisation=org_a, round=builders.make_round())
    builders.submit(sent, member)
    attachment = Attachment.objects.get()
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(f"/grants/attachments/{attachment.pk}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="toimintasuunnitelma.pdf"' in response["Content-Disposition"]
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF-")


def test_a_member_removes_a_draft_attachment_and_its_file(draft, member, client):
    client.force_login(member)
    upload(client, draft, builders.pdf())
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/grants/attachments/{attachment.pk}/remove/")
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_another_association_cannot_remove_an_attachment(draft, member, client_as):
    upload(client_as("member"), draft, builders.pdf())
    attachment = Attachment.objects.get()
    client = client_as("other_org_admin")
    assert client.post(f"/grants/attachments/{attachment.pk}/remove/").status_code == 404
    assert Attachment.objects.exists()


def test_a_zip_bomb_like_archive_named_docx_is_not_trusted_blindly(draft, member, client):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    client.force_login(member)
    response = upload(client, draft, SimpleUploadedFile("sopimus.docx", buffer.getvalue()))
    assert response.status_code == 400


def test_a_draft_and_its_attachments_stay_the_associations_own_until_sent(
    draft, member, staff, client
):
    client.force_login(member)
    upload(client, draft, builders.pdf())
    attachment = Attachment.objects.get()
    client.force_login(staff)
    assert client.get(f"/grants/applications/{draft.pk}/").status_code == 404
    assert client.get(f"/grants/attachments/{attachment.pk}/").status_code == 404

"""Uploads: size-limited, judged by content (not the name), pictures re-encoded by Pillow (no
metadata, nothing hidden), stored under random names, attachments downloaded, never cached.

Covers association logos (directory), event images (events), space photos (spaces, admin) and
grant attachments (grants).
"""

import io

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client, RequestFactory
from PIL import Image

from directory.uploads import CleanImageField, reencode

pytestmark = pytest.mark.django_db

GPS_MARK = b"Kuopio 62.89N 27.68E"


def photo(fmt="JPEG", size=(40, 30), *, exif=True) -> bytes:
    """A real picture with a GPS-like EXIF comment and an ICC profile, as phones send them."""
    picture = Image.new("RGB", size, (30, 140, 90))
    options = {}
    if exif:
        metadata = Image.Exif()
        metadata[0x010E] = GPS_MARK.decode()  # ImageDescription
        metadata[0x0112] = 6  # Orientation: turned 90 degrees
        options["exif"] = metadata.tobytes()
    options["icc_profile"] = b"\x00" * 128 + b"private-icc-profile"
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def test_a_picture_is_rewritten_without_metadata_and_named_randomly():
    cleaned = reencode(upload("../../etc/passwd.jpg", photo()))
    data = cleaned.read()
    assert GPS_MARK not in data and b"private-icc-profile" not in data
    assert "passwd" not in cleaned.name and "/" not in cleaned.name
    assert cleaned.name.endswith(".jpg") and cleaned.content_type == "image/jpeg"
    assert cleaned.image.size == (30, 40), "turned as the EXIF orientation said, then dropped"


def test_a_picture_is_judged_by_its_content_not_its_name():
    png_named_jpg = reencode(upload("kuva.jpg", photo("PNG", exif=False), "image/jpeg"))
    assert png_named_jpg.name.endswith(".png") and png_named_jpg.content_type == "image/png"
    # A script behind a real PNG (a polyglot) does not survive the re-encoding.
    polyglot = photo("PNG", exif=False) + b"<script>alert(document.cookie)</script>"
    assert b"<script>" not in reencode(upload("kuva.png", polyglot)).read()
    refused = [
        upload("logo.png", b"<svg onload=alert(1)></svg>", "image/png"),
        upload("logo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "image/jpeg"),  # only a header
        upload("logo.png", b"%PDF-1.4 not a picture", "image/png"),
        upload("iso.bmp", _bmp(), "image/bmp"),  # a real picture, but not a web format
        upload("pommi.png", _bomb(), "image/png"),  # 100 000 x 100 000 pixels declared
    ]
    for bad in refused:
        with pytest.raises(ValidationError):
            reencode(bad)
    with pytest.raises(ValidationError):
        reencode(upload("iso.jpg", photo() + b"\x00" * 2_000_000), max_bytes=1024 * 1024)


def _bmp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "BMP")
    return buffer.getvalue()


def _bomb() -> bytes:
    """A PNG header that declares a huge picture (its pixels are never decoded)."""
    import struct
    import zlib

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_every_image_uploaded_in_the_admin_is_cleaned_the_same_way(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff
    checked = []
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin)] + [
            (inline.model, inline(model, admin.site)) for inline in model_admin.inlines
        ]
        for owner, owner_admin in admins:
            for field in owner._meta.get_fields():
                if isinstance(field, models.ImageField):
                    formfield = owner_admin.formfield_for_dbfield(field, request)
                    assert isinstance(formfield, CleanImageField), f"{owner_admin}: {field.name}"
                    checked.append(f"{owner._meta.label}.{field.name}")
    assert {"directory.Organisation.logo", "events.Event.image", "spaces.SpacePhoto.image"} <= set(
        checked
    )


def test_an_association_logo_is_stored_clean_under_a_random_name(org_a, org_admin, media):
    client = Client()
    client.force_login(org_admin)
    url = f"/organisations/{org_a.slug}/edit/"
    fake = upload("logo.png", b"<html><script>alert(1)</script></html>", "image/png")
    data = {"name": org_a.name, "short_description": org_a.short_description}
    assert client.post(url, {**data, "logo": fake}).status_code == 200
    org_a.refresh_from_db()
    assert not org_a.logo

    response = client.post(url, {**data, "logo": upload("../yhdistys-logo.jpg", photo())})
    assert response.status_code == 302, response.content.decode()[:2000]
    org_a.refresh_from_db()
    assert org_a.logo.name.startswith("logos/") and "yhdistys" not in org_a.logo.name
    stored = (media / org_a.logo.name).read_bytes()
    assert GPS_MARK not in stored and Image.open(io.BytesIO(stored)).format == "JPEG"


def test_an_event_image_is_stored_clean_and_a_fake_one_refused(member, org_a, media):
    from datetime import timedelta

    from django.apps import apps
    from django.utils import timezone

    from directory import taxonomy_data
    from directory.models import Area, FieldOfActivity, TargetGroup
    from events.models import Event

    taxonomy_data.load(apps)  # a transactional test before this one may have emptied them

    day = timezone.localdate() + timedelta(days=20)
    data = {
        "title": "Kuvallinen konsertti",
        "description": "Kuoro laulaa.",
        "organisers": [org_a.pk],
        "themes": [FieldOfActivity.objects.get(slug="kulttuuri").pk],
        "target_groups": [TargetGroup.objects.get(slug="ikaantyneet").pk],
        "starts_on": day.isoformat(),
        "starts_time": "18:00",
        "ends_time": "20:00",
        "repeat": "none",
        "place_kind": "address",
        "place_name": "Männistön asukastupa",
        "district": Area.objects.get(slug="kuopio-mannisto").pk,
        "is_free": "on",
        "registration": "none",
        "image_alt": "Kuoro laulaa",
    }
    client = Client()
    client.force_login(member)
    fake = upload("kuva.png", b"GIF89a<script>alert(1)</script>", "image/png")
    assert client.post("/events/new/", {**data, "image": fake}).status_code == 200
    assert not Event.objects.exists()
    response = client.post("/events/new/", {**data, "image": upload("oma nimi.webp", photo())})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.image.name.startswith("events/") and "oma" not in event.image.name
    assert GPS_MARK not in (media / event.image.name).read_bytes()


def test_a_space_photo_path_never_uses_the_uploaded_name():
    from spaces.models import SpacePhoto, photo_path

    path = photo_path(SpacePhoto(space_id=7), "../../../etc/cron.d/x.jpg")
    assert path.startswith("spaces/7/") and "cron" not in path and ".." not in path


def test_a_grant_attachment_image_is_rewritten_and_downloaded_as_an_uncached_attachment(
    member, org_a
):
    from grants.models import Attachment
    from tests.grants import builders

    application = builders.make_application(
        user=member, organisation=org_a, round=builders.make_round(), complete=False
    )
    client = Client()
    client.force_login(member)
    url = f"/grants/applications/{application.pk}/attachments/"
    polyglot = photo("PNG") + b"<script>alert(1)</script>"
    sent = client.post(url, {"kind": "other", "file": upload("kuitti <1>.png", polyglot)})
    assert sent.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "kuitti <1>.png"
    assert "kuitti" not in attachment.file.name, "stored under a random name"
    stored = attachment.file.open("rb").read()
    assert b"<script>" not in stored and GPS_MARK not in stored

    for who in (member,):  # a draft is the association's own: staff see it once sent
        client.force_login(who)
        response = client.get(f"/grants/attachments/{attachment.pk}/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "image/png"


def test_the_attendee_list_download_is_an_uncached_attachment(staff, member, org_a):
    from forums import services
    from tests.forums.conftest import make_forum, make_meeting

    meeting = make_meeting(make_forum("latausfoorumi", "Latausfoorumi"), "kevat")
    services.registration_create(meeting=meeting, user=member, organisation=org_a)
    client = Client()
    client.force_login(staff)
    response = client.get(f"/forums/{meeting.forum.slug}/{meeting.slug}/attendees.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert member.email in response.content.decode("utf-8-sig")

"""Rules the database and the model fields keep: prices, photos, space addresses."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from PIL import Image

from spaces.models import Price, Space, SpacePhoto

pytestmark = pytest.mark.django_db


def test_two_prices_of_a_category_cannot_be_valid_on_the_same_day(price_category):
    with pytest.raises(IntegrityError), transaction.atomic():
        Price.objects.create(
            category=price_category,
            valid_from=dt.date(2026, 6, 1),
            hourly_price=Decimal("1"),
            full_hourly_price=Decimal("2"),
        )


def test_a_new_price_can_follow_the_old_one(price_category):
    Price.objects.filter(category=price_category).update(valid_until=dt.date(2026, 12, 31))
    Price.objects.create(
        category=price_category,
        valid_from=dt.date(2027, 1, 1),
        hourly_price=Decimal("0"),
        full_hourly_price=Decimal("30"),
    )
    assert Price.objects.valid_on(dt.date(2027, 3, 1)).get().full_hourly_price == Decimal("30")


def test_the_price_for_associations_cannot_exceed_the_full_price(price_category):
    with pytest.raises(IntegrityError), transaction.atomic():
        Price.objects.create(
            category=price_category,
            valid_from=dt.date(2030, 1, 1),
            hourly_price=Decimal("50"),
            full_hourly_price=Decimal("20"),
        )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "steelblue").save(buffer, format="PNG")
    return buffer.getvalue()


def photo_form(room, name, content, alt_text="Sali tuolirivein"):
    form_class = modelform_factory(SpacePhoto, fields=["space", "image", "alt_text", "position"])
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    data = {"space": room.pk, "alt_text": alt_text, "position": 0}
    return form_class(data, {"image": upload})


def test_a_photo_must_be_a_real_small_image_with_a_description(room, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert list(photo_form(room, "sali.png", b"not an image").errors) == ["image"]
    assert list(photo_form(room, "sali.gif", png_bytes()).errors) == ["image"]
    assert list(photo_form(room, "sali.png", png_bytes(), alt_text="").errors) == ["alt_text"]
    big = photo_form(room, "sali.png", png_bytes() + b"0" * (5 * 1024 * 1024))
    assert "image" in big.errors
    good = photo_form(room, "sali.png", png_bytes())
    assert good.is_valid(), good.errors
    good.save()
    assert SpacePhoto.objects.count() == 1


def test_a_space_cannot_take_an_address_the_site_uses(room):
    space = Space(venue=room.venue, name="Varaukset", slug="bookings", type="club_room", capacity=5)
    with pytest.raises(ValidationError) as caught:
        space.full_clean()
    assert "Sivusto käyttää jo tätä osoitenimeä" in str(caught.value)


def test_the_sitemap_lists_the_spaces(client, room):
    assert f"/spaces/{room.slug}/" in client.get("/sitemap.xml").content.decode()

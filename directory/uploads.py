"""Uploaded pictures (association logos, event images, space photos, image attachments).

A picture is judged by its content, never by its name or the browser's content type: Pillow must
read it as JPEG, PNG, WebP or GIF, within a size and pixel limit. What is stored is a new file that
Pillow wrote from the decoded pixels, so metadata (EXIF with GPS positions, ICC profiles, text
chunks) and anything hidden in or after the image data (a script appended to a PNG) stay behind.
The stored file gets a random name: the uploader's file name never becomes part of a path.

Forms use `CleanImageField` (in a ModelForm: `Meta.field_classes = {"logo": CleanImageField}`),
the admin `IMAGE_FORMFIELD_OVERRIDES`.
"""

import io
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
# Pillow refuses more than twice its own limit; this refuses earlier, before decoding anything.
MAX_PIXELS = 50_000_000
# Larger pictures are scaled down to this on their longer side: nobody needs more on a web page.
MAX_SIDE = 4000

# What Pillow read -> what is written: (format, extension, content type).
OUTPUT = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "GIF": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
}
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}

NOT_A_PICTURE = _("This file is not a picture. Use a JPEG, PNG or WebP image.")


def random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def reencode(upload, *, max_bytes: int = MAX_BYTES, name: str | None = None) -> SimpleUploadedFile:
    """A clean copy of the uploaded picture, or ValidationError.

    The copy is named `name` when given (attachments keep the name people gave them, but never
    as a path), otherwise randomly. It carries `.image` (the re-read copy) like Django's
    ImageField uploads, so validators written for those keep working.
    """
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The picture is larger than %(limit)s MB.") % {"limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in OUTPUT:
                raise ValidationError(NOT_A_PICTURE, code="invalid_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(NOT_A_PICTURE, code="invalid_image")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as source:
            fmt, extension, content_type = OUTPUT[source.format]
            source.load()
            # Turn it as the camera meant before the EXIF (and its orientation) is left behind.
            picture = ImageOps.exif_transpose(source)
        picture = _for_output(picture, fmt)
        picture.thumbnail((MAX_SIDE, MAX_SIDE))
        picture.info = {}  # no EXIF, ICC profile or text chunks travel into the new file
        buffer = io.BytesIO()
        picture.save(buffer, fmt, **SAVE_OPTIONS[fmt])
        cleaned = SimpleUploadedFile(
            name or random_name(extension), buffer.getvalue(), content_type=content_type
        )
        cleaned.image = Image.open(io.BytesIO(buffer.getvalue()))
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, DecompressionBomb...)
        raise ValidationError(NOT_A_PICTURE, code="invalid_image") from None
    finally:
        upload.seek(0)
    return cleaned


def _for_output(picture: Image.Image, fmt: str) -> Image.Image:
    if fmt == "JPEG":
        return picture if picture.mode in ("RGB", "L") else picture.convert("RGB")
    return picture if picture.mode in ("RGB", "RGBA", "L") else picture.convert("RGBA")


class CleanImageField(forms.ImageField):
    """An image field whose cleaned value is the re-encoded, randomly named copy."""

    def __init__(self, *args, max_bytes: int = MAX_BYTES, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return reencode(upload, max_bytes=self.max_bytes)


# For ModelAdmin and InlineModelAdmin: every image uploaded in the admin is cleaned the same way.
IMAGE_FORMFIELD_OVERRIDES = {models.ImageField: {"form_class": CleanImageField}}

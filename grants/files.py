"""What an uploaded file really is, judged by its content (magic bytes), not by its name.

Accepted: PDF, office documents (Word, Excel, PowerPoint both as OOXML zip and as old OLE
containers, and OpenDocument), PNG and JPEG images. The file name's extension must agree with the
content, so a program renamed to .pdf or an image renamed to .docx is refused.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    content: str  # what the content is: pdf, png, jpeg, ole, docx, xlsx, pptx, odt, ods, odp
    content_type: str


# extension -> the content it must have, and the type the download is served as
BY_EXTENSION = {
    ".pdf": FileType("pdf", "application/pdf"),
    ".png": FileType("png", "image/png"),
    ".jpg": FileType("jpeg", "image/jpeg"),
    ".jpeg": FileType("jpeg", "image/jpeg"),
    ".doc": FileType("ole", "application/msword"),
    ".xls": FileType("ole", "application/vnd.ms-excel"),
    ".ppt": FileType("ole", "application/vnd.ms-powerpoint"),
    ".docx": FileType(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ".xlsx": FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": FileType(
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    ".odt": FileType("odt", "application/vnd.oasis.opendocument.text"),
    ".ods": FileType("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": FileType("odp", "application/vnd.oasis.opendocument.presentation"),
}
ACCEPTED_EXTENSIONS = sorted(BY_EXTENSION)

OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


class FileRefused(ValueError):
    """The reason is one of: extension, content, size, empty."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def max_bytes() -> int:
    return getattr(settings, "GRANTS_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def _zip_content(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for prefix, content in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return content
                return None
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return ODF_TYPES.get(mimetype)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def sniff(upload) -> str | None:
    """What the content is (see FileType.content), or None when it is none of the accepted."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content = None
    if head.startswith(PDF):
        content = "pdf"
    elif head.startswith(PNG):
        content = "png"
    elif head.startswith(JPEG):
        content = "jpeg"
    elif head.startswith(OLE):
        content = "ole"
    elif head.startswith(ZIP):
        content = _zip_content(upload)
    upload.seek(0)
    return content


def check_upload(upload) -> FileType:
    """The file's type when it is acceptable; FileRefused otherwise."""
    extension = PurePath(upload.name or "").suffix.lower()
    expected = BY_EXTENSION.get(extension)
    if expected is None:
        raise FileRefused("extension")
    if upload.size is not None and upload.size > max_bytes():
        raise FileRefused("size")
    if not upload.size:
        raise FileRefused("empty")
    if sniff(upload) != expected.content:
        raise FileRefused("content")
    return expected


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def clean_file_name(name: str) -> str:
    """The name shown to people and offered on download: no path, no control characters."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > 150:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix
        name = stem[: 150 - len(suffix)] + suffix
    return name or "liite"

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments go to a fresh private folder per test, never to MEDIA_ROOT."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def finnish():
    """Finnish, as the site's default; a request in English earlier must not leak into a test."""
    with translation.override("fi"):
        yield

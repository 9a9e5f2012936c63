import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments go to a fresh private folder per test, never to MEDIA_ROOT."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT

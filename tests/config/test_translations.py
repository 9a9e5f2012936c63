from django.utils import translation

from config import messages


def test_every_finnish_catalog_is_complete_and_compiled():
    assert messages.problems() == []


def test_model_and_page_texts_are_finnish_by_default_and_english_on_request():
    from directory.models import Organisation

    with translation.override("fi"):
        assert str(Organisation._meta.verbose_name) == "yhdistys"
    with translation.override("en"):
        assert str(Organisation._meta.verbose_name) == "association"


def test_no_catalog_overrides_the_finnish_another_app_wrote():
    assert messages.overridden() == []

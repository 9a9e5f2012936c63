"""The forums' Finnish is what people see, even where another catalog has the same English."""

from pathlib import Path

import polib
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

CATALOG = Path(__file__).resolve().parents[2] / "forums/locale/fi/LC_MESSAGES/django.po"


def shown(entry) -> str:
    if entry.msgid_plural:
        if entry.msgctxt:
            return npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
        return ngettext(entry.msgid, entry.msgid_plural, 1)
    return pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)


def test_every_forums_string_shows_the_forums_finnish_translation():
    # Catalogs of apps earlier in INSTALLED_APPS win for the same msgid (e.g. "Register" in the
    # directory means registering an association). Such strings need a context in the forums.
    catalog = polib.pofile(str(CATALOG))
    with translation.override("fi"):
        overridden = {
            entry.msgid: (shown(entry), entry.msgstr or entry.msgstr_plural[0])
            for entry in catalog
            if shown(entry) != (entry.msgstr or entry.msgstr_plural[0])
        }
    assert overridden == {}

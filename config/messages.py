"""Extract and compile translations, one catalog per app.

Each app owns ``<app>/locale/<lang>/LC_MESSAGES/django.po`` with the strings of its Python code
and of ``templates/<app>/``; the site-wide strings (config/ and the shared templates) live in
``locale/``. Separate catalogs let each module's translations change without touching the others.

    python -m config.messages extract [app ...]   # needs GNU gettext (xgettext, msgmerge)
    python -m config.messages compile [app ...]   # pure Python (polib), no gettext needed
    python -m config.messages check               # every Finnish entry translated, .mo current
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = ["directory", "spaces", "events", "grants", "forums"]
LANGUAGES = ["fi", "en"]
SITE = "config"  # the site-wide catalog, written to locale/


def catalog_dir(app: str) -> Path:
    return BASE_DIR / "locale" if app == SITE else BASE_DIR / app / "locale"


def _template_sources(app: str) -> list[Path]:
    templates = BASE_DIR / "templates"
    if app != SITE:
        return [templates / app]
    return [path for path in templates.iterdir() if path.name not in APPS]


def extract(app: str) -> None:
    """Run makemessages over exactly the app's files, writing to the app's catalog."""
    locale = catalog_dir(app)
    for language in LANGUAGES:
        (locale / language / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "locale").symlink_to(locale)
        code = root / app
        code.mkdir()
        for entry in (BASE_DIR / app).iterdir():
            if entry.name not in {"locale", "__pycache__"}:
                (code / entry.name).symlink_to(entry)
        (root / "templates").mkdir()
        for source in _template_sources(app):
            (root / "templates" / source.name).symlink_to(source)
        command = [sys.executable, str(BASE_DIR / "manage.py"), "makemessages", "--symlinks"]
        command += ["--no-obsolete", "--no-location", "--ignore", "migrations/*"]
        for language in LANGUAGES:
            command += ["--locale", language]
        subprocess.run(command, cwd=root, check=True, stdout=subprocess.DEVNULL)


def catalogs():
    for app in [SITE, *APPS]:
        for language in LANGUAGES:
            po_path = catalog_dir(app) / language / "LC_MESSAGES" / "django.po"
            if po_path.exists():
                yield app, language, po_path


def compile_all(apps=None) -> None:
    for app, _language, po_path in catalogs():
        if apps and app not in apps:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def problems() -> list[str]:
    """Untranslated or fuzzy Finnish entries, and .mo files older than their .po."""
    found = []
    for app, language, po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime - 1:
            found.append(f"{mo_path.relative_to(BASE_DIR)} is older than its .po: compile it")
        if language != "fi":
            continue
        po = polib.pofile(str(po_path))
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            found.append(f"{app}: no Finnish for {entry.msgid!r}")
    return found


def overridden() -> list[str]:
    """Finnish entries that another catalog wins over, so the page shows someone else's words.

    Django merges all catalogs into one namespace (LOCALE_PATHS first, then apps in
    INSTALLED_APPS order), so the same English text translated twice shows only one of them.
    Give such texts a context (pgettext) or the same translation.
    """
    from django.utils import translation

    found = []
    with translation.override("fi"):
        for app, language, po_path in catalogs():
            if language != "fi":
                continue
            for entry in polib.pofile(str(po_path)).translated_entries():
                if entry.msgid_plural:
                    continue
                if entry.msgctxt:
                    shown = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    shown = translation.gettext(entry.msgid)
                if shown != entry.msgstr:
                    found.append(f"{app}: {entry.msgid!r} shows {shown!r}, not {entry.msgstr!r}")
    return found


def main(argv: list[str]) -> int:
    command, *apps = argv[1:] or ["check"]
    if command == "extract":
        for app in apps or [SITE, *APPS]:
            extract(app)
    elif command == "compile":
        compile_all(apps)
    elif command == "check":
        found = problems()
        print("\n".join(found) or "Translations are complete.")
        return 1 if found else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

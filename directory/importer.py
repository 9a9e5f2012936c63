"""Import an existing register of associations from CSV (``manage.py import_organisations``).

Columns (UTF-8, header row): name, business_id, register_number, description, fields,
target_groups, areas, languages, email, phone, website, and optionally status. Multi-valued cells
are separated by ";"; taxonomy terms are given by slug or Finnish name. A row with a business ID
updates the association with that ID (or creates it); a row without one updates the association
with exactly that name (or creates it). Each row is checked completely before anything is
written and is written in its own savepoint, so a bad row is reported by its line number and
never half imported. Running the same file twice changes nothing the second time.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from config.audit import acting_as
from directory import services
from directory.models import Area, FieldOfActivity, Language, Organisation, TargetGroup
from directory.validators import normalise_business_id

COLUMNS = [
    "name",
    "business_id",
    "register_number",
    "description",
    "fields",
    "target_groups",
    "areas",
    "languages",
    "email",
    "phone",
    "website",
]
OPTIONAL_COLUMNS = ["status"]
SHORT_DESCRIPTION_MAX = 300
STATUS_WORDS = {
    "verified": Organisation.Status.VERIFIED,
    "vahvistettu": Organisation.Status.VERIFIED,
    "pending": Organisation.Status.PENDING,
    "odottaa": Organisation.Status.PENDING,
    "archived": Organisation.Status.ARCHIVED,
    "arkistoitu": Organisation.Status.ARCHIVED,
}
SCALARS = [
    "name",
    "business_id",
    "register_number",
    "short_description",
    "description",
    "languages",
    "email",
    "phone",
    "website",
]


class ImportFileError(Exception):
    """The file as a whole cannot be imported (encoding, header); nothing was written."""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


class _Terms:
    """Taxonomy terms by slug or (case-insensitive) Finnish name, loaded once."""

    def __init__(self, model, label):
        self.label = label
        self.by_key: dict[str, object] = {}
        names: dict[str, list] = {}
        for term in model.objects.all():
            self.by_key[term.slug.lower()] = term
            names.setdefault(term.name_fi.lower(), []).append(term)
        for name, terms in names.items():
            self.by_key.setdefault(name, terms[0] if len(terms) == 1 else None)

    def resolve(self, cell: str, errors: list[str]) -> list:
        found = []
        for value in _split(cell):
            term = self.by_key.get(value.lower())
            if term is None:
                errors.append(f"unknown {self.label} “{value}”")
            elif term not in found:
                found.append(term)
        return found


def _split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _language_keys() -> dict[str, str]:
    keys = {}
    for code, label in Language.choices:
        keys[code] = code
        for language in ("fi", "en"):
            with translation.override(language):
                keys[str(label).lower()] = code
    return keys


def _shorten(text: str) -> str:
    if len(text) <= SHORT_DESCRIPTION_MAX:
        return text
    cut = text[: SHORT_DESCRIPTION_MAX - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"


class Importer:
    def __init__(self, *, by=None, progress: Callable[[int, int], None] | None = None):
        self.by = by
        self.progress = progress or (lambda done, total: None)
        self.fields = _Terms(FieldOfActivity, "field of activity")
        self.target_groups = _Terms(TargetGroup, "target group")
        self.areas = _Terms(Area, "area")
        self.languages = _language_keys()

    # -- reading ----------------------------------------------------------------------------

    def read(self, data: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
        """The header and the rows with their first line numbers; raises ImportFileError."""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportFileError(f"The file is not UTF-8 text (line {line}).") from None
        if "\x00" in text:
            raise ImportFileError("The file contains NUL bytes; is it a CSV file?")
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise ImportFileError("The file is empty.") from None
        except csv.Error as exc:
            raise ImportFileError(f"line 1: {exc}") from None
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise ImportFileError(f"The header lacks the columns: {', '.join(missing)}.")
        rows = []
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                rows.append((line, {"__error__": str(exc)}))
                line = reader.line_num + 1
                continue
            if any(cell.strip() for cell in cells):
                if len(cells) > len(header):
                    row = {"__error__": f"{len(cells)} cells but the header has {len(header)}"}
                else:
                    row = dict(zip(header, [c.strip() for c in cells], strict=False))
                rows.append((line, row))
            line = reader.line_num + 1
        return header, rows

    # -- checking ---------------------------------------------------------------------------

    def check(self, row: dict) -> tuple[dict, dict, list[str]]:
        """The row's values and terms, or the reasons it cannot be imported."""
        errors: list[str] = []
        if "__error__" in row:
            return {}, {}, [row["__error__"]]
        name = " ".join(row.get("name", "").split())
        if not name:
            errors.append("the name is empty")
        elif len(name) > 200:
            errors.append("the name is longer than 200 characters")
        business_id = None
        if row.get("business_id"):
            try:
                business_id = normalise_business_id(row["business_id"])
            except ValidationError:
                errors.append(f"the business ID “{row['business_id']}” is not valid")
        register_number = row.get("register_number", "")
        if register_number and not (register_number.isdigit() and len(register_number) <= 6):
            errors.append("the register number must be 1 to 6 digits")
        description = row.get("description", "")
        email = row.get("email", "")
        if email:
            try:
                EmailValidator()(email)
            except ValidationError:
                errors.append(f"the email “{email}” is not valid")
        website = row.get("website", "")
        if website:
            if "://" not in website:
                website = f"https://{website}"
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                errors.append(f"the website “{row['website']}” is not a web address")
        phone = row.get("phone", "")
        if len(phone) > 40:
            errors.append("the phone number is longer than 40 characters")
        languages = []
        for value in _split(row.get("languages", "")):
            code = self.languages.get(value.lower())
            if code is None:
                errors.append(f"unknown language “{value}”")
            elif code not in languages:
                languages.append(code)
        status = None
        if row.get("status"):
            status = STATUS_WORDS.get(row["status"].lower())
            if status is None:
                errors.append(f"unknown status “{row['status']}” (verified, pending, archived)")
        terms = {
            "fields": self.fields.resolve(row.get("fields", ""), errors),
            "target_groups": self.target_groups.resolve(row.get("target_groups", ""), errors),
            "areas": self.areas.resolve(row.get("areas", ""), errors),
        }
        values = {
            "name": name,
            "business_id": business_id,
            "register_number": register_number,
            "short_description": _shorten(description),
            "description": description if len(description) > SHORT_DESCRIPTION_MAX else "",
            "languages": languages,
            "email": email,
            "phone": phone,
            "website": website,
            "status": status,
        }
        return values, terms, errors

    # -- writing ----------------------------------------------------------------------------

    def _find(self, values: dict) -> Organisation | None:
        if values["business_id"]:
            return Organisation.objects.filter(business_id=values["business_id"]).first()
        matches = list(Organisation.objects.filter(name=values["name"])[:2])
        if len(matches) > 1:
            raise ValueError("several associations have exactly this name; add the business ID")
        return matches[0] if matches else None

    def write(self, values: dict, terms: dict) -> str:
        """Create or update one association; returns created, updated or unchanged."""
        now = timezone.now()
        status = values.pop("status")
        organisation = self._find(values)
        created = organisation is None
        if created:
            organisation = Organisation(**values, slug=services.unique_slug(values["name"]))
            organisation.status = status or Organisation.Status.VERIFIED
            organisation.last_confirmed_at = now
        else:
            if status is None and organisation.status == Organisation.Status.PENDING:
                status = Organisation.Status.VERIFIED  # the import is a staff act
            changed = [k for k in SCALARS if getattr(organisation, k) != values[k]]
            if status and status != organisation.status:
                changed.append("status")
            current = {name: {t.pk for t in getattr(organisation, name).all()} for name in terms}
            terms_changed = any(current[n] != {t.pk for t in terms[n]} for n in terms)
            if not changed and not terms_changed:
                return "unchanged"
            for key in SCALARS:
                setattr(organisation, key, values[key])
            if status:
                organisation.status = status
            organisation.last_confirmed_at = now
        if organisation.status == Organisation.Status.VERIFIED and not organisation.verified_at:
            organisation.verified_at = now
            organisation.verified_by = self.by
        organisation.full_clean(exclude=["slug", "logo"], validate_unique=False)
        organisation.save()
        for name, chosen in terms.items():
            getattr(organisation, name).set(chosen)
        services.organisation_index(organisation=organisation)
        return "created" if created else "updated"

    def run(self, data: bytes) -> ImportResult:
        _header, rows = self.read(data)
        result = ImportResult(rows=len(rows))
        with acting_as(self.by, reason="import_organisations"):
            for done, (line, row) in enumerate(rows, start=1):
                values, terms, errors = self.check(row)
                if errors:
                    result.errors.append(RowError(line, "; ".join(errors)))
                else:
                    try:
                        with transaction.atomic():
                            outcome = self.write(values, terms)
                    except ValidationError as exc:
                        result.errors.append(RowError(line, "; ".join(exc.messages)))
                    except (ValueError, DatabaseError) as exc:
                        result.errors.append(RowError(line, str(exc).splitlines()[0]))
                    else:
                        setattr(result, outcome, getattr(result, outcome) + 1)
                self.progress(done, len(rows))
        return result

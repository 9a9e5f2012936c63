"""What the directory publishes for machines: open data rows and schema.org JSON-LD."""

import csv
import io
import json

from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from config.spreadsheet import safe_cell
from directory.services import absolute_url

CSV_COLUMNS = [
    "name",
    "slug",
    "url",
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
    "last_confirmed_at",
    "possibly_outdated",
]


def _terms(terms):
    return [{"slug": t.slug, "name": {"fi": t.name_fi, "en": t.name_en}} for t in terms]


def organisation_record(org) -> dict:
    """One association in the open data (rows annotated and attached by the list FilterSet)."""
    return {
        "name": org.name,
        "slug": org.slug,
        "url": absolute_url(org.get_absolute_url()),
        "business_id": org.business_id,
        "register_number": org.register_number or None,
        "short_description": org.short_description,
        "description": org.description or org.short_description,
        "fields": _terms(org.field_terms),
        "target_groups": _terms(org.target_group_terms),
        "areas": _terms(org.area_terms),
        "languages": list(org.languages or []),
        "email": org.email or None,
        "phone": org.phone or None,
        "website": org.website or None,
        "last_confirmed_at": org.last_confirmed_at.isoformat(),
        "possibly_outdated": org.is_possibly_outdated,
    }


def organisations_csv(records: list[dict]) -> str:
    """The same rows as CSV; multi-valued cells are slugs separated by ";" (as the import)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = []
        for column in CSV_COLUMNS:
            value = record.get(column)
            if column in ("fields", "target_groups", "areas"):
                value = ";".join(t["slug"] for t in value)
            elif column == "languages":
                value = ";".join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row.append(safe_cell(value) if value not in (None, "") else "")
        writer.writerow(row)
    return out.getvalue()


def json_ld(org, contacts, *, fields=(), areas=()) -> str:
    """schema.org Organization, safe to place inside <script type="application/ld+json">."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": org.name,
        "url": absolute_url(org.get_absolute_url()),
        "description": org.short_description,
    }
    if org.business_id:
        data["taxID"] = org.business_id
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "Y-tunnus",
            "value": org.business_id,
        }
    if org.email:
        data["email"] = org.email
    if org.phone:
        data["telephone"] = org.phone
    if org.logo:
        data["logo"] = absolute_url(org.logo.url)
    same_as = [link for link in [org.website, *(org.social_links or [])] if link]
    if same_as:
        data["sameAs"] = same_as
    if areas:
        data["areaServed"] = [{"@type": "Place", "name": area.name_fi} for area in areas]
    knows = [field.name_fi for field in fields]
    if knows:
        data["knowsAbout"] = knows
    languages = list(org.languages or [])
    if languages:
        data["knowsLanguage"] = languages
    points = []
    for contact in contacts:
        point = {"@type": "ContactPoint", "name": contact.name}
        if contact.title:
            point["contactType"] = contact.title
        if contact.email:
            point["email"] = contact.email
        if contact.phone:
            point["telephone"] = contact.phone
        points.append(point)
    if points:
        data["contactPoint"] = points
    # Escape <, > and & so the text can never close the script element.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))  # noqa: S308  # nosec B308 B703

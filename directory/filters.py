"""The filters of the association list, its open data and the volunteer task list.

One FilterSet drives the HTML page and the JSON/CSV exports, so an export holds exactly what the
page shows, in the same order. The taxonomies come in one query (`Taxonomy.load`) and fill both
the filter choices and the terms shown on each result, which keeps a list page at a fixed number
of queries whatever its size. The association list's filters become SQL conditions for the
statements of `directory.search` (see `OrganisationFilter.condition`).
"""

import copy
import functools
import html
import math
import threading
from dataclasses import dataclass

import django_filters
from django.db import connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from config.fragments import RenderedOnce
from directory import search
from directory.models import (
    OUTDATED_AFTER,
    Area,
    FieldOfActivity,
    Language,
    Organisation,
    SearchSynonym,
    TargetGroup,
    VolunteerOpportunity,
)

LANGUAGES = dict(Language.choices)


def _english() -> bool:
    return (get_language() or "fi").startswith("en")


@dataclass(frozen=True)
class Term:
    kind: str
    id: int
    slug: str
    name_fi: str
    name_en: str
    parent_id: int | None = None
    parent_name_fi: str = ""
    parent_name_en: str = ""

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_fi

    @property
    def label(self) -> str:
        if not self.parent_id:
            return self.name
        return f"{self.name} ({self.parent_name_en if _english() else self.parent_name_fi})"

    def __str__(self):
        return self.label


class _Terms:
    """The parsed taxonomy rows, and what is built from them once per language: the filter
    choices, their <option>s and the tags of the results. Shared by the requests of a process
    for as long as the rows stay the same."""

    def __init__(self, rows):
        self.fields: dict[int, Term] = {}
        self.target_groups: dict[int, Term] = {}
        self.areas: dict[int, Term] = {}
        self.buckets = {"f": self.fields, "g": self.target_groups, "a": self.areas}
        for row in rows:
            term = Term(*row)
            self.buckets[term.kind][term.id] = term
        self.slugs = {
            kind: {t.slug: t for t in bucket.values()} for kind, bucket in self.buckets.items()
        }
        self.lock = threading.Lock()
        self.built: dict[tuple, object] = {}

    def once(self, key, build):
        """`build()`, remembered under `key` (which includes the language where it matters)."""
        try:
            return self.built[key]
        except KeyError:
            value = build()
            with self.lock:
                self.built[key] = value
            return value


_latest_terms: tuple[list, _Terms] | None = None


def _terms(rows: list[tuple]) -> _Terms:
    global _latest_terms  # the last taxonomy seen, replaced when a term changes
    latest = _latest_terms
    if latest is not None and latest[0] == rows:
        return latest[1]
    terms = _Terms([row[:8] for row in rows])
    _latest_terms = (rows, terms)
    return terms


class Taxonomy:
    """Fields of activity, target groups and areas, loaded together in one query."""

    def __init__(self, terms: _Terms, synonym_groups: list[set[str]]):
        self.terms = terms
        self.fields = terms.fields
        self.target_groups = terms.target_groups
        self.areas = terms.areas
        self.slugs = terms.slugs
        self.synonym_groups = synonym_groups

    @classmethod
    def load(cls, synonym_keys=()) -> "Taxonomy":
        """The terms, and the synonym groups sharing a key with `synonym_keys` (one query).
        The terms are parsed only when their rows differ from the last ones seen."""
        sql = f"""
            SELECT 'f', id, slug, name_fi, name_en, NULL::bigint, '', '', position
              FROM {FieldOfActivity._meta.db_table}
            UNION ALL
            SELECT 'g', id, slug, name_fi, name_en, NULL::bigint, '', '', position
              FROM {TargetGroup._meta.db_table}
            UNION ALL
            SELECT 'a', a.id, a.slug, a.name_fi, a.name_en, a.parent_id,
                   COALESCE(p.name_fi, ''), COALESCE(p.name_en, ''), a.position
              FROM {Area._meta.db_table} a LEFT JOIN {Area._meta.db_table} p ON p.id = a.parent_id
            UNION ALL
            SELECT 's', id, array_to_string(keys, ' '), '', '', NULL::bigint, '', '', 0
              FROM {SearchSynonym._meta.db_table} WHERE keys && %s::varchar[]
            ORDER BY 1, 9, 4
        """  # noqa: S608  # nosec B608: table names from the models; the keys are a parameter
        with connection.cursor() as cursor:
            cursor.execute(sql, [sorted(synonym_keys)])
            rows = cursor.fetchall()
        first_synonym = next((i for i, row in enumerate(rows) if row[0] == "s"), len(rows))
        synonyms = [set(row[2].split(" ")) for row in rows[first_synonym:]]
        return cls(_terms(rows[:first_synonym]), synonyms)

    def choices(self, kind: str):
        key = ("choices", kind, _english())
        return self.terms.once(
            key, lambda: [(t.slug, t.label) for t in self.terms.buckets[kind].values()]
        )

    def area_and_districts(self, slug: str) -> list[int]:
        area = self.slugs["a"][slug]
        return [area.id, *(t.id for t in self.areas.values() if t.parent_id == area.id)]

    def tag_html(self, english: bool) -> tuple[dict[int, str], dict[int, str]]:
        """The <li> of every field (its name) and area (its label, with the parent) by id,
        escaped, built once per language."""

        def build():
            fields = {i: format_html("<li>{}</li>", t.name) for i, t in self.fields.items()}
            areas = {i: format_html("<li>{}</li>", t.label) for i, t in self.areas.items()}
            return fields, areas

        return self.terms.once(("tags", english), build)

    def attach(self, organisations) -> None:
        """Give each row (with the ids of its terms) its terms, without more queries."""
        fields, groups, areas = self.fields, self.target_groups, self.areas
        for org in organisations:
            org.field_terms = [fields[i] for i in org.field_ids or () if i in fields]
            org.target_group_terms = [groups[i] for i in org.target_group_ids or () if i in groups]
            org.area_terms = [areas[i] for i in org.area_ids or () if i in areas]


@functools.lru_cache(maxsize=8)
def _detail_url(script_prefix: str) -> tuple[str, str]:
    """An association page's address around its slug."""
    return tuple(reverse("directory:organisation-detail", kwargs={"slug": "slug_"}).split("slug_"))


@functools.lru_cache(maxsize=4096)
def _short_date(day, language: str) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


class Listing:
    """One association of a result list: what the page and the open data show of it. Built
    from the columns `directory.search` selects, not a model instance (a page needs 20 of
    them, and the template a handful of attributes)."""

    is_possibly_outdated = Organisation.is_possibly_outdated

    def get_absolute_url(self) -> str:
        return self.url

    def __str__(self):
        return self.name


def listings(hits: search.Hits, columns: search.Columns, taxonomy: Taxonomy) -> list[Listing]:
    """The rows of `hits` with their terms, address, tags and the date their details were
    checked, each built once here rather than in the template's loop."""
    names = (*columns.names, "field_ids", "target_group_ids", "area_ids")
    before, after = _detail_url(get_script_prefix())
    checked = gettext("Details checked %(date)s")
    language = get_language() or ""
    zone = timezone.get_current_timezone()
    field_tags, area_tags = taxonomy.tag_html(language.startswith("en"))
    found = []
    for row in hits.rows:
        listing = Listing()
        listing.__dict__.update(zip(names, row, strict=True))
        listing.url = f"{before}{listing.slug}{after}"
        day = listing.last_confirmed_at.astimezone(zone).date()
        listing.checked = checked % {"date": _short_date(day, language)}
        listing.tags = "".join(
            [
                *(field_tags[i] for i in listing.field_ids or () if i in field_tags),
                *(area_tags[i] for i in listing.area_ids or () if i in area_tags),
            ]
        )
        found.append(listing)
    taxonomy.attach(found)
    return found


def items_html(found: list[Listing]) -> SafeString:
    """The result list's <li>s. Written out here, not in the template: its loop cost ~25 µs a
    row, as much as a rare word's whole search. Every value is escaped (the tags were built
    escaped); the markup is that of directory/organisation_list.html's list."""
    tags_label = html.escape(gettext("Fields and areas"))
    outdated = html.escape(gettext("May be out of date"))
    outdated_before = timezone.now() - OUTDATED_AFTER
    items = []
    for listing in found:
        tags = (
            f'\n        <ul class="tags" aria-label="{tags_label}">{listing.tags}</ul>'
            if listing.tags
            else ""
        )
        badge = (
            f' <span class="badge badge-warn">{outdated}</span>'
            if listing.last_confirmed_at < outdated_before
            else ""
        )
        items.append(
            f"""
      <li>
        <h3><a href="{html.escape(listing.url)}">{html.escape(listing.name)}</a></h3>
        <p>{html.escape(listing.short_description)}</p>{tags}
        <p class="meta">{html.escape(listing.checked)}{badge}</p>
      </li>"""
        )
    return mark_safe("".join(items))  # noqa: S308  # nosec B308 B703: every value escaped above


@dataclass
class Results:
    """What the list page and the exports need to know about the whole result."""

    count: int
    per_page: int
    is_capped: bool = False
    cap: int = search.CAP

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, self.cap if self.is_capped else self.count)
                                / self.per_page))  # fmt: skip


@dataclass
class ResultsPage:
    """One page of results, with the parts of Django's Page API the templates use."""

    object_list: list
    number: int
    paginator: Results

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @functools.cached_property
    def items_html(self) -> SafeString:
        return items_html(self.object_list)


def _page_number(value) -> int:
    try:
        return max(1, min(int(str(value)), 1_000_000))
    except ValueError:
        return 1


def _clean(data):
    """The query string without control characters or overlong values."""
    if data is None:
        return None
    return {key: search.clean_text(data.get(key)) for key in data}


def _options(choices, current: str | None) -> SafeString:
    """<option>s, the current value selected."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            # A fixed attribute; the value and label are escaped by format_html_join.
            (value, mark_safe(" selected") if str(value) == current else "", label)  # nosec B308 B703
            for value, label in choices
        ),
    )


_rendered_forms = RenderedOnce()


def filter_form_html(request, filterset: "OrganisationFilter") -> str:
    """The association list's filter form. Everything its HTML depends on is in the key: the
    language, the taxonomy (a changed term gives a new one) and the values of its fields,
    valid or not (an invalid one is shown with its error)."""
    data = filterset.data or {}
    key = (
        get_language(),
        filterset.taxonomy.terms,
        tuple(data.get(name, "") for name in OrganisationFilter.Meta.fields),
    )
    return _rendered_forms.get(
        key,
        lambda: render_to_string(
            "directory/_organisation_filters.html", {"filter": filterset}, request=request
        ),
    )


class OrganisationFilter(django_filters.FilterSet):
    """The association list's filters. They are applied as SQL conditions (`condition`) by
    `paginate`, which runs the statements of `directory.search`."""

    q = django_filters.CharFilter(label=_("Search words"), method="applied_in_sql")
    field = django_filters.ChoiceFilter(
        label=_("Field of activity"), empty_label=_("All fields"), method="applied_in_sql"
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), empty_label=_("Everyone"), method="applied_in_sql"
    )
    area = django_filters.ChoiceFilter(
        label=_("Area"), empty_label=_("All areas"), method="applied_in_sql"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        empty_label=_("All languages"),
        choices=Language.choices,
        method="applied_in_sql",
    )

    class Meta:
        model = Organisation
        fields = ["q", "field", "target_group", "area", "language"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's, except that the filters are copied (`filters`) only when the
        # form is built: most requests find their form already rendered.
        data = _clean(data)
        self.is_bound = data is not None
        self.data = data or {}
        self.queryset = queryset if queryset is not None else Organisation.objects.none()
        self.request = request
        self.form_prefix = prefix
        # The taxonomies and the synonyms of the search words arrive in one query.
        self.text_query = search.parse_query(self.data.get("q", ""))
        self.taxonomy = Taxonomy.load(synonym_keys=self.text_query.keys)
        search.add_synonyms(self.text_query, self.taxonomy.synonym_groups)
        self.used_fallback = False

    @functools.cached_property
    def filters(self):
        filters = copy.deepcopy(self.base_filters)
        for filter_ in filters.values():
            filter_.model = Organisation
            filter_.parent = self
        filters["field"].extra["choices"] = self.taxonomy.choices("f")
        filters["target_group"].extra["choices"] = self.taxonomy.choices("g")
        filters["area"].extra["choices"] = self.taxonomy.choices("a")
        return filters

    def applied_in_sql(self, queryset, name, value):
        return queryset

    def valid(self) -> dict[str, str]:
        """The filter values that are valid choices (others are ignored, and the form shows
        their error). Checked here, as the form's choice fields would: building and
        validating the form takes longer than the search itself."""
        data = self.data or {}
        choices = {
            "field": self.taxonomy.slugs["f"],
            "target_group": self.taxonomy.slugs["g"],
            "area": self.taxonomy.slugs["a"],
            "language": LANGUAGES,
        }
        return {name: data[name] for name, valid in choices.items() if data.get(name) in valid}

    def condition(self) -> search.Sql:
        """Public associations passing every valid filter, as a condition on
        `directory_organisation o`."""
        data = self.valid()
        condition = search.Sql("o.status = %s", (Organisation.Status.VERIFIED.value,))
        slugs = self.taxonomy.slugs
        links = {
            "field": (Organisation.fields.through, "fieldofactivity_id", "f"),
            "target_group": (Organisation.target_groups.through, "targetgroup_id", "g"),
        }
        for name, (through, column, kind) in links.items():
            if data.get(name):
                condition &= search.Sql(
                    f"EXISTS (SELECT 1 FROM {through._meta.db_table} x "  # noqa: S608  # nosec B608: names from the models; values are parameters
                    f"WHERE x.organisation_id = o.id AND x.{column} = %s)",
                    (slugs[kind][data[name]].id,),
                )
        if data.get("area"):
            condition &= search.Sql(
                f"EXISTS (SELECT 1 FROM {Organisation.areas.through._meta.db_table} x "  # noqa: S608  # nosec B608: names from the models; values are parameters
                "WHERE x.organisation_id = o.id AND x.area_id = ANY(%s))",
                (self.taxonomy.area_and_districts(data["area"]),),
            )
        if data.get("language"):
            condition &= search.Sql("o.languages @> ARRAY[%s]::varchar[]", (data["language"],))
        return condition

    def paginate(self, page_number, per_page: int, *, exact_count: bool = False) -> ResultsPage:
        """The requested page, ranked; a text that matches nothing falls back to typo matching.

        Counts stop at `search.CAP` ("over 1 000") unless `exact_count` (the open data must
        say its total). Queries, with the taxonomy's: two for a browse or a rarer text, up to
        four for a common text; the typo fallback adds two, and a search that finds nothing
        one more to log it (see `directory.search`).
        """
        from directory import services

        number = _page_number(page_number)
        where = self.condition()
        columns = search.EXPORT_COLUMNS if exact_count else search.LIST_COLUMNS
        cap = None if exact_count else search.CAP
        query = self.text_query
        options = {"number": number, "per_page": per_page, "cap": cap, "columns": columns}
        if not query:
            hits = search.browse(where, **options)
        else:
            hits = search.ranked(where, query, **options)
            if hits.count == 0:
                self.used_fallback = True
                typo_query = search.typo_query(query)
                if typo_query is not None:
                    hits = search.ranked(where, typo_query, **options)
                if hits.count == 0:
                    services.search_record_zero_result(text=query.text)
        results = Results(hits.count, per_page, is_capped=hits.is_capped, cap=search.CAP)
        return ResultsPage(listings(hits, columns, self.taxonomy), hits.number, results)

    @property
    def is_filtered(self) -> bool:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return any(data.get(name) for name in self.Meta.fields)

    @property
    def select_options(self) -> dict[str, str]:
        """The <option>s of each choice filter. Django's widget templates take about a
        millisecond per 20 options and this form has 80, so they are built in Python, once
        per taxonomy and language, and the current value is marked on a copy."""
        options = {}
        for name in ("field", "target_group", "area", "language"):
            bound = self.form[name]
            current = str(bound.value() or "")
            html = self.taxonomy.terms.once(
                ("options", name, _english()),
                lambda bound=bound: _options(bound.field.choices, None),
            )
            plain = f'<option value="{escape(current)}">'
            if plain in html:
                # A fixed attribute added to an option built (and escaped) above.
                html = mark_safe(html.replace(plain, plain[:-1] + " selected>", 1))  # noqa: S308  # nosec B308 B703
            options[name] = html
        return options


class VolunteerOpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search words"), method="filter_text")
    area = django_filters.ChoiceFilter(
        label=_("Area"), empty_label=_("All areas"), method="filter_area"
    )
    field = django_filters.ChoiceFilter(
        label=_("Field of activity"), empty_label=_("All fields"), method="filter_field"
    )

    class Meta:
        model = VolunteerOpportunity
        fields = ["q", "area", "field"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(_clean(data), queryset=queryset, **kwargs)
        self.taxonomy = taxonomy = Taxonomy.load()
        self.filters["area"].extra["choices"] = taxonomy.choices("a")
        self.filters["field"].extra["choices"] = taxonomy.choices("f")

    def filter_text(self, queryset, name, value):
        # Tasks are few: a case-insensitive match on the task and association words is enough.
        for word in search.words(value)[: search.MAX_QUERY_WORDS]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(organisation__name__icontains=word)
            )
        return queryset

    def filter_area(self, queryset, name, value):
        ids = self.taxonomy.area_and_districts(value)
        area = self.taxonomy.slugs["a"][value]
        if area.parent_id:
            ids.append(area.parent_id)  # a task "anywhere in Kuopio" also suits Neulamäki
        return queryset.filter(area_id__in=ids)

    def filter_field(self, queryset, name, value):
        return queryset.filter(organisation__fields=self.taxonomy.slugs["f"][value].id)

    def filtered(self):
        self.form.is_valid()
        return self.filter_queryset(self.queryset)

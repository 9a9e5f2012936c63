"""The filters of the association list, its open data and the volunteer task list.

One FilterSet drives the HTML page and the JSON/CSV exports, so an export holds exactly what the
page shows, in the same order. The taxonomies come in one query (`Taxonomy.load`) and fill both
the filter choices and the terms shown on each result, which keeps a list page at a fixed number
of queries whatever its size.
"""

import math
from dataclasses import dataclass

import django_filters
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory import search
from directory.models import (
    Area,
    FieldOfActivity,
    Language,
    Organisation,
    SearchSynonym,
    TargetGroup,
    VolunteerOpportunity,
)


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
        return self.name_en if (get_language() or "fi").startswith("en") else self.name_fi

    @property
    def label(self) -> str:
        if not self.parent_id:
            return self.name
        parent = (
            self.parent_name_en
            if (get_language() or "fi").startswith("en")
            else (self.parent_name_fi)
        )
        return f"{self.name} ({parent})"

    def __str__(self):
        return self.label


class Taxonomy:
    """Fields of activity, target groups and areas, loaded together in one query."""

    def __init__(self, rows):
        self.fields: dict[int, Term] = {}
        self.target_groups: dict[int, Term] = {}
        self.areas: dict[int, Term] = {}
        self.synonym_groups: list[set[str]] = []
        buckets = {"f": self.fields, "g": self.target_groups, "a": self.areas}
        for row in rows:
            if row[0] == "s":
                self.synonym_groups.append(set(row[2].split(" ")))
                continue
            term = Term(*row)
            buckets[term.kind][term.id] = term
        self.slugs = {
            kind: {t.slug: t for t in bucket.values()} for kind, bucket in buckets.items()
        }

    @classmethod
    def load(cls, synonym_keys=()) -> "Taxonomy":
        """The terms, and the synonym groups sharing a key with `synonym_keys` (one query)."""
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
            return cls([row[:8] for row in cursor.fetchall()])

    def choices(self, kind: str):
        bucket = {"f": self.fields, "g": self.target_groups, "a": self.areas}[kind]
        return [(t.slug, t.label) for t in bucket.values()]

    def area_and_districts(self, slug: str) -> list[int]:
        area = self.slugs["a"][slug]
        return [area.id, *(t.id for t in self.areas.values() if t.parent_id == area.id)]

    def attach(self, organisations) -> None:
        """Give each row (annotated by `with_term_ids`) its terms, without more queries."""
        for org in organisations:
            org.field_terms = [self.fields[i] for i in org.field_ids or [] if i in self.fields]
            org.target_group_terms = [
                self.target_groups[i] for i in org.target_group_ids or [] if i in self.target_groups
            ]
            org.area_terms = [self.areas[i] for i in org.area_ids or [] if i in self.areas]


def with_term_ids(queryset):
    """Annotate the ids of each association's terms (one subquery each, in the same query)."""
    through = Organisation.fields.through, Organisation.target_groups.through
    return queryset.annotate(
        field_ids=ArraySubquery(
            through[0].objects.filter(organisation_id=OuterRef("pk")).values("fieldofactivity_id")
        ),
        target_group_ids=ArraySubquery(
            through[1].objects.filter(organisation_id=OuterRef("pk")).values("targetgroup_id")
        ),
        area_ids=ArraySubquery(
            Organisation.areas.through.objects.filter(organisation_id=OuterRef("pk")).values(
                "area_id"
            )
        ),
    )


def public_organisations():
    """The public list's base query: only the columns a result row shows."""
    return with_term_ids(
        Organisation.objects.public().only(
            "name",
            "slug",
            "short_description",
            "description",
            "business_id",
            "register_number",
            "languages",
            "email",
            "phone",
            "website",
            "last_confirmed_at",
            "updated_at",
            "is_outdated",
            "popularity",
            "status",
        )
    )


@dataclass
class Results:
    """What the list page and the exports need to know about the whole result."""

    count: int
    per_page: int
    is_capped: bool = False
    cap: int = 2000

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


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search words"), method="filter_text")
    field = django_filters.ChoiceFilter(
        label=_("Field of activity"), empty_label=_("All fields"), method="filter_field"
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), empty_label=_("Everyone"), method="filter_target_group"
    )
    area = django_filters.ChoiceFilter(
        label=_("Area"), empty_label=_("All areas"), method="filter_area"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        empty_label=_("All languages"),
        choices=Language.choices,
        method="filter_language",
    )

    class Meta:
        model = Organisation
        fields = ["q", "field", "target_group", "area", "language"]

    def __init__(self, data=None, queryset=None, **kwargs):
        data = _clean(data)
        super().__init__(data, queryset=queryset, **kwargs)
        # The taxonomies and the synonyms of the search words arrive in one query.
        self.text_query = search.parse_query((data or {}).get("q", ""))
        self.taxonomy = Taxonomy.load(synonym_keys=self.text_query.keys)
        search.add_synonyms(self.text_query, self.taxonomy.synonym_groups)
        self.filters["field"].extra["choices"] = self.taxonomy.choices("f")
        self.filters["target_group"].extra["choices"] = self.taxonomy.choices("g")
        self.filters["area"].extra["choices"] = self.taxonomy.choices("a")
        self.used_fallback = False

    def filter_text(self, queryset, name, value):
        # Applied in paginate(): the text decides the order and may need the typo fallback.
        return queryset

    def filter_field(self, queryset, name, value):
        return queryset.filter(fields=self.taxonomy.slugs["f"][value].id)

    def filter_target_group(self, queryset, name, value):
        return queryset.filter(target_groups=self.taxonomy.slugs["g"][value].id)

    def filter_area(self, queryset, name, value):
        ids = self.taxonomy.area_and_districts(value)
        through = Organisation.areas.through.objects
        return queryset.filter(
            Exists(through.filter(organisation_id=OuterRef("pk"), area_id__in=ids))
        )

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__contains=[value])

    def filtered(self):
        """The queryset with every valid filter applied; invalid values are ignored."""
        self.form.is_valid()
        return self.filter_queryset(self.queryset)

    def paginate(self, page_number, per_page: int, *, exact_count: bool = False) -> ResultsPage:
        """The requested page, ranked; a text that matches nothing falls back to typo matching.

        A text search counts its hits in the same query as the page (a window count over the
        rows the ranking reads anyway). Browsing counts separately, up to CAP + 1 rows unless
        `exact_count` (open data must say its total). Queries: one or two for the page, one
        more for the typo fallback, one for the zero-result log.
        """
        from directory import services

        number = _page_number(page_number)
        filtered = self.filtered()
        query = self.text_query
        if not query:
            return self._browse_page(search.browse_order(filtered), number, per_page, exact_count)
        page = self._counted_page(search.full_text_filter(filtered, query), number, per_page)
        if page.paginator.count == 0:
            self.used_fallback = True
            page = self._counted_page(search.trigram_filter(filtered, query), number, per_page)
            if page.paginator.count == 0:
                services.search_record_zero_result(text=query.text)
        return page

    def _browse_page(self, queryset, number, per_page, exact) -> ResultsPage:
        cap = Results.cap
        count = queryset.count() if exact else queryset.order_by().values("pk")[: cap + 1].count()
        results = Results(count, per_page, is_capped=not exact and count > cap)
        number = min(number, results.num_pages)
        rows = list(queryset[(number - 1) * per_page : number * per_page])
        self.taxonomy.attach(rows)
        return ResultsPage(rows, number, results)

    def _counted_page(self, queryset, number, per_page) -> ResultsPage:
        counted = search.ranked(queryset).annotate(total_hits=Window(Count("pk")))
        rows = list(counted[(number - 1) * per_page : number * per_page])
        if rows:
            count = rows[0].total_hits
        else:
            count = queryset.count() if number > 1 else 0  # a page past the end
            if count:
                number = math.ceil(count / per_page)
                rows = list(counted[(number - 1) * per_page : number * per_page])
        self.taxonomy.attach(rows)
        return ResultsPage(rows, number, Results(count, per_page))

    @property
    def is_filtered(self) -> bool:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return any(data.get(name) for name in self.Meta.fields)

    @property
    def select_options(self) -> dict[str, str]:
        """The <option>s of each choice filter, built once in Python: Django's widget
        templates take about a millisecond per 20 options, and this form has 80."""
        options = {}
        for name in ("field", "target_group", "area", "language"):
            bound = self.form[name]
            current = str(bound.value() or "")
            options[name] = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    # A fixed attribute; the value and label are escaped by format_html_join.
                    (value, mark_safe(" selected") if str(value) == current else "", label)  # nosec B308 B703
                    for value, label in bound.field.choices
                ),
            )
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

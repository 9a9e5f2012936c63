"""The space list's filters. "Free at" asks the occupancy table's GiST index, not Python.

`SpaceFilter` declares the filter form (its fields, labels, widgets and checks) and, as a
queryset, what each filter means. The page itself reads its rows with one fixed statement
built by :func:`list_statement` from the same form's cleaned values: building and compiling
the queryset's filters through the ORM cost ~1.5 ms of Python a request for ~1 ms of SQL.
A test checks that both find the same spaces for every filter.
"""

import datetime as dt
import functools

import django_filters
from django import forms
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config.fragments import RenderedOnce
from directory.models import Area
from events.widgets import QuickCheckboxSelectMultiple, QuickSelect, query_key
from spaces.forms import (
    DATE_WIDGET,
    GAP_MESSAGE,
    SENSIBLE_DATES,
    TIME_WIDGET,
    IsoDateField,
    IsoTimeField,
    PlainLabels,
)
from spaces.models import LIST_ROW_FIELDS, OpeningException, OpeningHours, PriceCategory, Space
from spaces.pagination import Statement
from spaces.times import NonexistentTime, local_datetime

ACCESSIBILITY = {
    "step_free": ("venue__is_step_free", _("step-free entrance")),
    "accessible_wc": ("venue__has_accessible_wc", _("accessible toilet")),
    "induction_loop": ("venue__has_induction_loop", _("induction loop")),
    "parking": ("venue__has_parking", _("parking")),
}


def districts(request):
    """The districts that have a listed space (a district is shown by its name alone)."""
    listed = Space.objects.listed().filter(venue__district=OuterRef("pk"))
    return Area.objects.filter(Exists(listed)).order_by("position", "name_fi")


class SpaceFilterForm(PlainLabels, forms.Form):
    free_during: tuple[dt.datetime, dt.datetime] | None = None

    def clean(self):
        data = super().clean()
        day = data.get("free_on")
        if day is None:
            return data
        starts_at = data.get("free_from") or dt.time(0)
        ends_at = data.get("free_until")
        try:
            start = local_datetime(day, starts_at)
            end = (
                local_datetime(day, ends_at)
                if ends_at
                else local_datetime(day + dt.timedelta(days=1), dt.time(0))
            )
        except NonexistentTime:
            self.add_error("free_from", GAP_MESSAGE)
            return data
        if end <= start:
            self.add_error("free_until", _("The end must be after the start."))
            return data
        self.free_during = (start, end)
        return data


class _DayFilter(django_filters.DateFilter):
    field_class = IsoDateField


class _TimeFilter(django_filters.TimeFilter):
    field_class = IsoTimeField


class SpaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=Space.Type.choices, empty_label=_("All types"), widget=QuickSelect
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="venue__district",
        to_field_name="slug",
        queryset=districts,
        empty_label=_("All districts"),
        widget=QuickSelect,
    )
    capacity = django_filters.NumberFilter(
        label=_("At least this many people"),
        field_name="capacity",
        lookup_expr="gte",
        min_value=1,
        max_value=100000,
    )
    accessibility = django_filters.MultipleChoiceFilter(
        label=_("Accessibility"),
        choices=[(key, label) for key, (_field, label) in ACCESSIBILITY.items()],
        widget=QuickCheckboxSelectMultiple,
        method="accessible",
    )
    price = django_filters.ModelChoiceFilter(
        label=_("Price category"),
        field_name="price_category",
        to_field_name="slug",
        queryset=PriceCategory.objects.all(),
        empty_label=_("All price categories"),
        widget=QuickSelect,
    )
    free_on = _DayFilter(
        label=_("Free on day"), method="noop", widget=DATE_WIDGET, validators=SENSIBLE_DATES
    )
    free_from = _TimeFilter(label=_("from"), method="noop", widget=TIME_WIDGET)
    free_until = _TimeFilter(label=_("until"), method="noop", widget=TIME_WIDGET)

    class Meta:
        model = Space
        fields = []
        form = SpaceFilterForm

    def search(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(venue__name__icontains=value)
            | Q(description__icontains=value)
        )

    def accessible(self, queryset, name, value):
        return queryset.filter(**{ACCESSIBILITY[key][0]: True for key in value})

    def noop(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    @classmethod
    def _cached_form_class(cls, build):
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = cls._form_class = build()
        return form_class

    def get_form_class(self):
        # django-filter builds a new form class with new fields for every request (~0.4 ms).
        # Nothing in them is per request: each form copies the fields, and a model choice
        # field copies its queryset, so the class is built once.
        return self._cached_form_class(super().get_form_class)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        during = self.form.free_during
        if during is None:
            return queryset
        start, end = during
        return open_during(queryset, start, end).free_during(DateTimeTZRange(start, end, "[)"))


_form_cache = RenderedOnce(size=256)


# The two menus in one fixed statement: as two ORM querysets (built, compiled, instantiated as
# model objects) they cost ~1.5 ms of Python for 0.2 ms of SQL. The same rows as the fields'
# querysets: districts with a listed space, and every price category.
_MENU_SQL = """
    SELECT 'district', a.slug, a.name_fi, a.name_en, a.position FROM directory_area a
     WHERE EXISTS (SELECT 1 FROM spaces_space s JOIN spaces_venue v ON v.id = s.venue_id
                    WHERE v.district_id = a.id AND s.is_listed)
    UNION ALL
    SELECT 'price', slug, name_fi, name_en, position FROM spaces_pricecategory
    ORDER BY 1, 5, 3
"""


def menus() -> dict[str, tuple[tuple[str, str], ...]]:
    """The district and price category options (slug, name in the visitor's language)."""
    with connection.cursor() as cursor:
        cursor.execute(_MENU_SQL)
        rows = cursor.fetchall()
    english = (get_language() or "fi").startswith("en")
    found = {"district": [], "price": []}
    for menu, slug, name_fi, name_en, _position in rows:
        found[menu].append((slug, name_en if english else name_fi))
    return {menu: tuple(options) for menu, options in found.items()}


def filter_form_html(request, data) -> str:
    """The filter form's HTML for the query `data` (None: no query), rendered once per
    language, query and menus (the districts with listed spaces and the price categories): its
    nine fields took ~8 ms to render, twice the page's SQL. A form is built only to render."""
    options = menus()
    key = (get_language(), query_key(data), tuple(options.items()))
    return _form_cache.get(key, lambda: _render_filter_form(request, data, options))


def _render_filter_form(request, data, options) -> str:
    filterset = SpaceFilter(data, queryset=Space.objects.none(), request=request)
    form = filterset.form
    for name, choices in options.items():
        field = form.fields[name]
        empty = (("", str(field.empty_label)),) if field.empty_label else ()
        field.widget.choices = empty + choices
    return render_to_string("spaces/_space_filters.html", {"filter": filterset}, request=request)


class _SharedFields(dict):
    """The fields of a form that only checks a query: every instance uses the same field
    objects. A form deep-copies its fields so that a request may change its own (~0.8 ms for
    these nine, most of the page's Python); checking values changes none of them."""

    def __deepcopy__(self, memo):
        return self


@functools.cache
def _checking_form_class() -> type[SpaceFilterForm]:
    form_class = SpaceFilter().get_form_class()
    checking = type("SpaceQueryForm", (form_class,), {})
    checking.base_fields = _SharedFields(form_class.base_fields)
    return checking


def query_form(data) -> SpaceFilterForm:
    """The filter form bound to the query `data` (None: no query), for its cleaned values and
    errors only: the same fields, checks and messages as the rendered form, not copied."""
    form_class = _checking_form_class()
    return form_class(data) if data is not None else form_class()


# The list's columns (`LIST_ROW_FIELDS`, in that order) and the total, for `list_statement`.
_LIST_SQL = """SELECT s.id, s.slug, s.name, s.type, s.capacity, s.is_bookable,
       s.requires_approval, v.name, v.is_step_free, v.has_accessible_wc,
       v.has_induction_loop, a.name_fi, a.name_en, p.name_fi, p.name_en, COUNT(*) OVER ()
  FROM spaces_space s
  JOIN spaces_venue v ON v.id = s.venue_id
  LEFT JOIN directory_area a ON a.id = v.district_id
  LEFT JOIN spaces_pricecategory p ON p.id = s.price_category_id
 WHERE s.is_listed{conditions}
 ORDER BY v.name, s.name, s.id"""

_SEARCH_SQL = (
    "(UPPER(s.name) LIKE UPPER(%s) OR UPPER(v.name) LIKE UPPER(%s)"
    " OR UPPER(s.description) LIKE UPPER(%s))"
)
# As `_open_condition`: venues open by their usual hours without an exception that day, or
# kept open by that day's exception; each set read once, not per space.
_OPEN_SQL = """(s.venue_id IN (
        SELECT h.venue_id FROM spaces_openinghours h
         WHERE h.weekday = %s AND h.opens_at <= %s AND h.closes_at >= %s
           AND NOT (h.venue_id IN (
               SELECT e.venue_id FROM spaces_openingexception e
                WHERE e.starts_on <= %s AND e.ends_on >= %s)))
     OR s.venue_id IN (
        SELECT e.venue_id FROM spaces_openingexception e
         WHERE e.starts_on <= %s AND e.ends_on >= %s AND e.opens_at <= %s AND e.closes_at >= %s))"""
# As `spaces.models._free_condition`: the units taken then, from the occupancy table's time
# index, and their spaces through the unit links.
_FREE_SQL = """NOT (s.id IN (
        SELECT l.space_id FROM spaces_spaceunitlink l
         WHERE l.unit_id IN (
               SELECT o.unit_id FROM spaces_bookingoccupancy o
                WHERE o.during && %s AND o.is_active)))"""
_FLAGS = {key: field.removeprefix("venue__") for key, (field, _label) in ACCESSIBILITY.items()}


def list_statement(form: SpaceFilterForm) -> Statement:
    """The listed spaces that pass the form's valid values (a filter with an invalid value is
    left out, as django-filter does), in the list's order, with the total on every row."""
    conditions, params = [], []

    def where(sql: str, *values) -> None:
        conditions.append(sql)
        params.extend(values)

    data = {}
    if form.is_bound:
        form.is_valid()  # cleans: a field with an error is not in cleaned_data
        data = form.cleaned_data
    if search := (data.get("q") or "").replace("\x00", "").strip():
        pattern = f"%{connection.ops.prep_for_like_query(search)}%"
        where(_SEARCH_SQL, pattern, pattern, pattern)
    if data.get("type"):
        where("s.type = %s", data["type"])
    if (district := data.get("district")) is not None:
        where("v.district_id = %s", district.pk)
    if (capacity := data.get("capacity")) is not None:
        where("s.capacity >= %s", int(capacity))  # as the ORM compares with an integer field
    for key in data.get("accessibility") or ():
        where(f"v.{_FLAGS[key]}")
    if (price := data.get("price")) is not None:
        where("s.price_category_id = %s", price.pk)
    if form.free_during is not None:
        start, end = form.free_during
        day, opens_by, until = _opening_window(start, end)
        where(_OPEN_SQL, day.weekday(), opens_by, until, day, day, day, day, opens_by, until)
        where(_FREE_SQL, DateTimeTZRange(start, end, "[)"))
    sql = _LIST_SQL.format(conditions="".join(f"\n   AND {c}" for c in conditions))
    return Statement(sql, params, LIST_ROW_FIELDS)


def open_during(queryset, start: dt.datetime, end: dt.datetime):
    """Spaces whose venue is open for all of [start, end) on that day (exceptions applied)."""
    return queryset.filter(_open_condition(*_opening_window(start, end)))


def _opening_window(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.time, dt.time]:
    """The local day, and the times a venue must be open by and until (to midnight: all day)."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    day = local_start.date()
    return day, local_start.time(), local_end.time() if local_end.date() == day else dt.time.max


@functools.lru_cache(maxsize=256)
def _open_condition(day: dt.date, opens_by: dt.time, open_until: dt.time) -> Q:
    """Decided per venue, not per space: the venues open by their usual hours (without an
    exception that day) and the venues whose exception that day keeps them open then. Each set
    is read once and hashed by PostgreSQL; no opening hours are looked up row by row.

    Kept per day and times (the same few are asked again and again): the condition holds
    querysets that are never run, only copied into each query that uses it, and building
    them cost ~0.6 ms of every "free at" request.
    """
    on_that_day = OpeningException.objects.filter(starts_on__lte=day, ends_on__gte=day)
    usual = (
        OpeningHours.objects.filter(
            weekday=day.weekday(), opens_at__lte=opens_by, closes_at__gte=open_until
        )
        .exclude(venue__in=on_that_day.values("venue"))
        .values("venue")
    )
    special = on_that_day.filter(opens_at__lte=opens_by, closes_at__gte=open_until)
    return Q(venue__in=usual) | Q(venue__in=special.values("venue"))

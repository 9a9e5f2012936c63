"""The space list's filters. "Free at" asks the occupancy table's GiST index, not Python."""

import datetime as dt

import django_filters
from django import forms
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.models import Area
from events.widgets import QuickCheckboxSelectMultiple, QuickSelect, RenderedOnce, query_key
from spaces.forms import DATE_WIDGET, GAP_MESSAGE, SENSIBLE_DATES, TIME_WIDGET, PlainLabels
from spaces.models import OpeningException, OpeningHours, PriceCategory, Space
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
    free_on = django_filters.DateFilter(
        label=_("Free on day"), method="noop", widget=DATE_WIDGET, validators=SENSIBLE_DATES
    )
    free_from = django_filters.TimeFilter(label=_("from"), method="noop", widget=TIME_WIDGET)
    free_until = django_filters.TimeFilter(label=_("until"), method="noop", widget=TIME_WIDGET)

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

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        during = self.form.free_during
        if during is None:
            return queryset
        start, end = during
        return open_during(queryset, start, end).free_during(DateTimeTZRange(start, end, "[)"))


_form_cache = RenderedOnce(size=256)


def _choices(field) -> tuple[tuple[str, str], ...]:
    """A model choice field's options from one plain query. Iterating the field itself opens
    a server-side cursor (DECLARE, FETCH, CLOSE: three round trips) and queries again each
    time its choices are read."""
    options = [] if field.empty_label is None else [("", str(field.empty_label))]
    options += [
        (str(field.prepare_value(row)), str(field.label_from_instance(row)))
        for row in field.queryset
    ]
    return tuple(options)


def filter_form_html(request, filterset: SpaceFilter) -> str:
    """The filter form's HTML, rendered once per language, query and choices (the districts
    with listed spaces and the price categories, read here as the form would read them):
    its nine fields took ~8 ms to render, twice the page's SQL."""
    form = filterset.form
    choices = []
    for name in ("district", "price"):
        options = _choices(form.fields[name])
        form.fields[name].widget.choices = options
        choices.append((name, options))
    key = (get_language(), query_key(filterset.data), tuple(choices))
    return _form_cache.get(
        key,
        lambda: render_to_string(
            "spaces/_space_filters.html", {"filter": filterset}, request=request
        ),
    )


def open_during(queryset, start: dt.datetime, end: dt.datetime):
    """Spaces whose venue is open for all of [start, end) on that day (exceptions applied).

    Decided per venue, not per space: the venues open by their usual hours (without an
    exception that day) and the venues whose exception that day keeps them open then. Each set
    is read once and hashed; no opening hours are looked up row by row.
    """
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    day = local_start.date()
    end_time = local_end.time() if local_end.date() == day else dt.time.max
    on_that_day = OpeningException.objects.filter(starts_on__lte=day, ends_on__gte=day)
    usual = (
        OpeningHours.objects.filter(
            weekday=day.weekday(), opens_at__lte=local_start.time(), closes_at__gte=end_time
        )
        .exclude(venue__in=on_that_day.values("venue"))
        .values("venue")
    )
    special = on_that_day.filter(opens_at__lte=local_start.time(), closes_at__gte=end_time).values(
        "venue"
    )
    return queryset.filter(Q(venue__in=usual) | Q(venue__in=special))

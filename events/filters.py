"""The one FilterSet behind the list, week, month and year views, the feeds and the open data.

Garbage in any parameter is ignored, never a 500: django-filter leaves invalid fields out of
`cleaned_data`, and every value that reaches SQL has been validated first. Taxonomy choices
come from one UNION query, so the list page stays within its query budget.
"""

import copy
import threading
import time
from datetime import date, timedelta
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config.fragments import RenderedOnce
from events import search
from events.models import Event, local_midnight
from events.widgets import QuickCheckboxSelectMultiple, QuickSelect, query_key

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


_TAXONOMY_SQL = """
    SELECT 'theme', slug, name_fi, name_en, position FROM directory_fieldofactivity
    UNION ALL SELECT 'group', slug, name_fi, name_en, position FROM directory_targetgroup
    UNION ALL SELECT 'area', slug, name_fi, name_en, position FROM directory_area
    UNION ALL SELECT 'umbrella', slug, name, name, 0 FROM events_umbrella
"""
# A menu of organisers only while it is short enough to use (and to render): at most
# ORGANISER_MENU_LIMIT. The subquery asks for one row more, without ORDER BY, so PostgreSQL
# stops at the first LIMIT + 1 matches instead of sorting every association with events.
ORGANISER_MENU_LIMIT = 150
_ORGANISER_SQL = """
    UNION ALL SELECT 'organiser', slug, name, name, 0 FROM (
        SELECT o.slug, o.name FROM directory_organisation o
        WHERE o.status = 'verified' AND EXISTS (
            SELECT 1 FROM events_event_organisers eo JOIN events_event e ON e.id = eo.event_id
            WHERE eo.organisation_id = o.id AND e.status = 'published'
        )
        LIMIT 151
    ) AS organisers
"""
assert f"LIMIT {ORGANISER_MENU_LIMIT + 1}\n" in _ORGANISER_SQL
_CHOICES_SQL = {False: _TAXONOMY_SQL, True: _TAXONOMY_SQL + _ORGANISER_SQL}


def load_choices(organisers: bool = True) -> dict[str, list[tuple[str, str]]]:
    """Themes, target groups, areas, umbrellas and organisers with events, in one query.

    Feeds leave the organisers out: any organiser slug filters, the list only fills the menu.
    More than ORGANISER_MENU_LIMIT organisers give no menu at all (`"organiser"` is then None):
    a menu of thousands of names is of no use, and rendering it cost ~1 s per page.
    The SQL is a fixed string: compiling a five-part ORM union cost more than running it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_CHOICES_SQL[organisers])
        union = cursor.fetchall()
    english = (get_language() or "fi").startswith("en")
    found: dict[str, list[tuple[int, str, str]]] = {
        k: [] for k in ("theme", "group", "area", "umbrella", "organiser")
    }
    for kind, slug, name_fi, name_en, position in union:
        found[kind].append((position, (name_en if english else name_fi) or name_fi, slug))
    choices = {
        kind: [(slug, name) for _position, name, slug in sorted(items)]
        for kind, items in found.items()
    }
    if len(choices["organiser"]) > ORGANISER_MENU_LIMIT:
        choices["organiser"] = None
    return choices


# The menus change only when the public data does (config/pagecache.py keeps that version):
# under the same version and language they are read once per process, not on every page.
CHOICES_SECONDS = 60  # and at most this long (a change in the microseconds before its commit)
_choices_kept: dict[tuple, tuple[float, dict]] = {}
_choices_lock = threading.Lock()


def choices_for(version: int, *, organisers: bool = True) -> dict[str, list[tuple[str, str]]]:
    """`load_choices(organisers)`, kept in this process under the public data `version`."""
    key = (version, get_language(), organisers)
    with _choices_lock:
        kept = _choices_kept.get(key)
    if kept is not None and time.monotonic() - kept[0] < CHOICES_SECONDS:
        return kept[1]
    choices = load_choices(organisers)
    with _choices_lock:
        if len(_choices_kept) > 16:  # older versions are never asked for again
            _choices_kept.clear()
        _choices_kept[key] = (time.monotonic(), choices)
    return choices


CHOICE_FILTERS = ("theme", "group", "area", "umbrella", "organiser")
_NO_CHOICES = {name: [] for name in CHOICE_FILTERS}


DATE_FILTERS = ("start", "end", "when")  # left out of the week, month and year views
_form_classes: dict[tuple, type] = {}


def _bound_copy(base, parent, model):
    """A filter for one FilterSet: a shallow copy, its method resolved on `parent`."""
    bound = copy.copy(base)
    bound.model = model
    bound.parent = parent
    if base.method is not None:
        bound.method = base.method  # a FilterMethod of the copy, not of the class's filter
    return bound


class CheckboxFilter(django_filters.BooleanFilter):
    """A checkbox that filters only when ticked (an unticked box means "any")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is not True:
            return qs
        return super().filter(qs, value)


class EventFilter(django_filters.FilterSet):
    class When:
        UPCOMING = "upcoming"
        PAST = "past"

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", max_length=search.MAX_QUERY_LENGTH
    )
    start = django_filters.DateFilter(
        label=_("From"), method="filter_start", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        label=_("Until"), method="filter_end", widget=forms.DateInput(attrs={"type": "date"})
    )
    when = django_filters.ChoiceFilter(
        label=_("Time"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past events"))],
        method="filter_when",
        empty_label=None,
        widget=forms.HiddenInput,
    )
    theme = django_filters.MultipleChoiceFilter(
        label=_("Theme"), method="filter_theme", widget=QuickCheckboxSelectMultiple
    )
    group = django_filters.MultipleChoiceFilter(
        label=_("Target group"), method="filter_group", widget=QuickCheckboxSelectMultiple
    )
    area = django_filters.ChoiceFilter(
        label=_("Area"), method="filter_area", empty_label=_("Any"), widget=QuickSelect
    )
    organiser = django_filters.ChoiceFilter(
        label=_("Organiser"), method="filter_organiser", empty_label=_("Any"), widget=QuickSelect
    )
    umbrella = django_filters.ChoiceFilter(
        label=_("Umbrella event"),
        method="filter_umbrella",
        empty_label=_("Any"),
        widget=QuickSelect,
    )
    free = CheckboxFilter(label=_("Free of charge only"), field_name="is_free")
    accessible = CheckboxFilter(label=_("Accessible only"), field_name="is_accessible")
    online = CheckboxFilter(label=_("Online"), method="filter_online")

    class Meta:
        model = Event
        fields = []

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        request=None,
        prefix=None,
        choices=None,
        now=None,
        dates=True,
        menus=True,
    ):
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                values = [v for v in data.getlist(key) if "\x00" not in v]
                data.setlist(key, values)
        # As django-filter's own __init__, but without its deep copy of every filter (and the
        # form class built anew from new fields): a third of a millisecond on every list page.
        # A filter keeps no state of its own but its parent, so a shallow copy bound to this
        # FilterSet (its method too) is enough; the form deep-copies its fields as ever.
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: _bound_copy(base, self, queryset.model)
            for name, base in self.base_filters.items()
            if dates or name not in DATE_FILTERS
        }
        self.now = now or timezone.now()
        self.dates = dates
        if choices is None and not menus and not any(data and data.get(k) for k in CHOICE_FILTERS):
            # A feed shows no menus: with no theme, area... asked for, it needs no choices.
            choices = _NO_CHOICES
        if choices is None:
            choices = load_choices(organisers=menus)
        self.choices = dict(choices)  # (shared: entries are replaced below, never changed)
        self.organiser_menu = self.choices["organiser"] is not None
        organisers = list(self.choices["organiser"] or [])
        wanted = (data or {}).get("organiser") if data is not None else None
        if wanted and wanted not in {slug for slug, _name in organisers} and len(wanted) < 220:
            # An association without published events (or beyond the menu) still filters:
            # links from its page. Its name is looked up only then (one small query).
            organisers.append((wanted, self._organiser_name(wanted) if menus else wanted))
        self.choices["organiser"] = organisers

    @property
    def form(self):
        """The bound form, with this request's choices; made only when something needs it (a
        list without parameters needs none: `cleaned` is then empty)."""
        if not hasattr(self, "_form"):
            fields = super().form.fields
            fields["theme"].choices = self.choices["theme"]
            fields["group"].choices = self.choices["group"]
            # (ChoiceFilter's field adds the empty "Any" choice itself.)
            fields["area"].choices = self.choices["area"]
            fields["umbrella"].choices = self.choices["umbrella"]
            if not self.organiser_menu:
                # No menu: a chosen organiser shows as "Any / <name>" radio buttons.
                fields["organiser"].widget = forms.RadioSelect()
            fields["organiser"].choices = self.choices["organiser"]
        return self._form

    @property
    def cleaned(self) -> dict:
        """The valid values asked for: empty without parameters, without building the form."""
        if not self.data:
            return {}
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {}) or {}

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def get_form_class(self):
        """One form class per set of filters (its fields are deep-copied by each form)."""
        key = tuple(self.filters)
        form_class = _form_classes.get(key)
        if form_class is None:
            form_class = _form_classes[key] = super().get_form_class()
        return form_class

    @staticmethod
    def _organiser_name(slug: str) -> str:
        from directory.models import Organisation

        return Organisation.objects.filter(slug=slug).values_list("name", flat=True).first() or slug

    @property
    def show_organiser_field(self) -> bool:
        """The organiser filter is shown as a menu, or as radio buttons when one is chosen."""
        return self.organiser_menu or bool(self.choices["organiser"])

    # -- the filters -------------------------------------------------------------------------

    def filter_queryset(self, queryset):
        data = self.cleaned
        for name, value in data.items():
            queryset = self.filters[name].filter(queryset, value)
        if self.is_past:
            return queryset.order_by("-starts_at", "-pk")
        if self.dates and not data.get("start") and not data.get("end"):
            queryset = queryset.ending_after(self.now)
        return queryset.order_by("starts_at", "pk")

    @property
    def is_past(self) -> bool:
        return self.cleaned.get("when") == self.When.PAST

    def filter_text(self, queryset, name, value):
        return search.search_filter(queryset, value)

    def filter_start(self, queryset, name, value):
        if not EARLIEST <= value <= LATEST:
            return queryset
        return queryset.ending_after(local_midnight(value))

    def filter_end(self, queryset, name, value):
        if not EARLIEST <= value <= LATEST:
            return queryset
        return queryset.filter(starts_at__lt=local_midnight(value + timedelta(days=1)))

    def filter_when(self, queryset, name, value):
        if value == self.When.PAST:
            return queryset.filter(ends_at__lte=self.now)
        return queryset

    def filter_theme(self, queryset, name, value):
        through = Event.themes.through.objects.filter(
            event_id=OuterRef("pk"), fieldofactivity__slug__in=value
        )
        return queryset.filter(Exists(through))

    def filter_group(self, queryset, name, value):
        through = Event.target_groups.through.objects.filter(
            event_id=OuterRef("pk"), targetgroup__slug__in=value
        )
        return queryset.filter(Exists(through))

    def filter_area(self, queryset, name, value):
        """The area, and for a municipality every district in it."""
        match = Q(area__slug=value) | Q(area__parent__slug=value)
        through = Event.areas.through.objects.filter(match, event_id=OuterRef("pk"))
        return queryset.filter(
            Exists(through) | Q(district__slug=value) | Q(district__parent__slug=value)
        )

    def filter_organiser(self, queryset, name, value):
        through = Event.organisers.through.objects.filter(
            event_id=OuterRef("pk"), organisation__slug=value
        )
        return queryset.filter(Exists(through))

    def filter_umbrella(self, queryset, name, value):
        return queryset.filter(umbrella__slug=value)

    def filter_online(self, queryset, name, value):
        if value is not True:
            return queryset
        return queryset.filter(place_kind__in=[Event.PlaceKind.ONLINE, Event.PlaceKind.HYBRID])

    # -- what identifies the result ----------------------------------------------------------

    def normalised(self, *, exclude=()) -> list[tuple[str, str]]:
        """The valid, non-empty parameters in a fixed order: for ETags, feed and export links."""
        data = self.cleaned
        params = []
        for name in self.filters:
            if name in exclude:
                continue
            value = data.get(name)
            if value in (None, "", [], False):
                continue
            if name == "when" and value == self.When.UPCOMING:
                continue
            if isinstance(value, list):
                params.extend((name, v) for v in sorted(value))
            elif isinstance(value, date):
                if EARLIEST <= value <= LATEST:
                    params.append((name, value.isoformat()))
            elif value is True:
                params.append((name, "1"))
            else:
                params.append((name, str(value)))
        return params

    def querystring(self, *, exclude=()) -> str:
        return urlencode(self.normalised(exclude=exclude))

    @property
    def has_detail_filters(self) -> bool:
        """Whether a filter beyond the text and dates is on (the details then start open)."""
        return any(name not in {"q", "start", "end", "when"} for name, _v in self.normalised())

    @property
    def active_labels(self) -> list[str]:
        """Human-readable summary of the chosen filters, for headings and feed names."""
        labels = []
        lookups = {
            "theme": dict(self.choices["theme"]),
            "group": dict(self.choices["group"]),
            "area": dict(self.choices["area"]),
            "umbrella": dict(self.choices["umbrella"]),
            "organiser": dict(self.choices["organiser"]),
        }
        for name, value in self.normalised():
            if name in lookups:
                labels.append(lookups[name].get(value, value))
            elif name == "q":
                labels.append(f"“{value}”")
        return labels


# -- the rendered filter form ------------------------------------------------------------------

_form_cache = RenderedOnce(size=256)


def filter_form_html(request, filterset: EventFilter, keep=()) -> str:
    """The filter form's HTML, rendered once per language, query and set of choices.

    Its ~20 fields and ~80 choices took 3–4 ms to render on every list, month and week page,
    as long as the page's SQL; most visitors ask for the same few forms. The key holds all
    that the HTML depends on: the language, the raw query (values, invalid ones and their
    error messages), the kept view parameters and every choice (so a new umbrella or a renamed
    area shows at once). A small LRU in each process bounds the memory.
    """
    key = (
        get_language(),
        query_key(filterset.data),
        tuple(keep or ()),
        repr(sorted((k, v) for k, v in filterset.choices.items())),
        filterset.organiser_menu,
    )
    return _form_cache.get(
        key,
        lambda: render_to_string(
            "events/_parts.html#filters", {"filter": filterset, "keep": keep}, request=request
        ),
    )

"""The rows of event lists (list, week and year views, umbrella and association pages, my events).

A row is read with `values()` (no model instances, no search vectors) and everything it shows is
formatted here once per row, so the template writes out a few strings: with model instances and
per-row `{% url %}`, date filters and lookups, 30 rows took longer to render than the page's SQL.
"""

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from django.db import connections
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.models import HELSINKI, CappedCount, Event, last_day_of
from events.templatetags.events_tags import WhenFormat

FIELDS = (
    "id",
    "title",
    "starts_at",
    "ends_at",
    "is_all_day",
    "status",
    "is_save_the_date",
    "place_kind",
    "place_name",
    "street_address",
    "district_name",
    "is_free",
    "is_accessible",
    "umbrella_name",
    "organiser_names",
    "theme_names",
)


@dataclass(slots=True)
class EventRow:
    """What a list row shows of an event, ready to write out."""

    pk: int
    title: str
    url: str
    when: str
    status: str
    is_save_the_date: bool
    meta: str  # "Place, District · online · Organiser, Organiser"
    tags: list[str]
    starts_at: datetime
    ends_at: datetime
    is_all_day: bool

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(HELSINKI)

    @property
    def last_day(self) -> date:
        return last_day_of(self.ends_at, self.is_all_day)

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def html(self) -> SafeString:
        """The row's <li>, written here rather than by a template: ~40 template lookups and
        tags a row made 30 rows a third of the list page's time. Every value is escaped
        (`html.escape`, as Django's own `escape`); the rest is constant markup."""
        parts = [
            '<li class="event-row',
            " is-cancelled" if self.status == "cancelled" else "",
            '">\n  <p class="event-when">',
            escape(self.when),
            '</p>\n  <h3><a href="',
            escape(self.url),
            '">',
            escape(self.title),
            "</a></h3>\n",
        ]
        for css, label in _badges(self.status, self.is_save_the_date):
            parts += ['  <p class="badge', css, '">', escape(label), "</p>\n"]
        parts += ['  <p class="meta">', escape(self.meta), "</p>\n"]
        if self.tags:
            parts += ['  <ul class="tags">', *[f"<li>{escape(t)}</li>" for t in self.tags]]
            parts.append("</ul>\n")
        parts.append("</li>\n")
        # Reviewed: every value above passes html.escape; the rest is constant markup.
        return SafeString("".join(parts))  # nosec B703


def _badges(status: str, is_save_the_date: bool) -> list[tuple[str, str]]:
    """(CSS modifier, text) of the status badges, as in the `status_badges` partial."""
    badges = []
    if status == "cancelled":
        badges.append((" badge-cancelled", _("Cancelled")))
    elif status == "postponed":
        badges.append((" badge-warn", _("Postponed")))
    elif status == "draft":
        badges.append(("", _("Draft: not public")))
    if is_save_the_date:
        badges.append((" badge-tentative", _("Save the date: details to come")))
    return badges


_PK_MARK = 987654321


@functools.lru_cache(maxsize=16)
def _detail_path(prefix: str, urlconf) -> str:
    return reverse("events:event-detail", kwargs={"pk": _PK_MARK})


def row_values(queryset):
    """The queryset as the dicts `event_rows` reads (one query, whatever the page size)."""
    return queryset.with_names().values(*FIELDS)


def event_rows(values) -> list[EventRow]:
    """Rows from `row_values` dicts, formatted in the active language."""
    when = WhenFormat()
    online, free, accessible = _("online"), _("Free of charge"), _("Accessible")
    path = _detail_path(get_script_prefix(), get_urlconf())
    mark = str(_PK_MARK)
    rows = []
    for v in values:
        kind = v["place_kind"]
        parts = []
        if kind != "online":
            place = v["place_name"] or v["street_address"]
            district = v["district_name"]
            if district:
                place = f"{place}, {district}" if place else district
            if place:
                parts.append(place)
        if kind != "address":
            parts.append(online)
        if v["organiser_names"]:
            parts.append(", ".join(v["organiser_names"]))
        tags = []
        if v["is_free"]:
            tags.append(free)
        if v["is_accessible"]:
            tags.append(accessible)
        tags.extend(name for name in v["theme_names"] if name)
        if v["umbrella_name"]:
            tags.append(v["umbrella_name"])
        rows.append(
            EventRow(
                pk=v["id"],
                title=v["title"],
                url=path.replace(mark, str(v["id"])),
                when=when(v["starts_at"], v["ends_at"], v["is_all_day"]),
                status=v["status"],
                is_save_the_date=v["is_save_the_date"],
                meta=" · ".join(parts),
                tags=tags,
                starts_at=v["starts_at"],
                ends_at=v["ends_at"],
                is_all_day=v["is_all_day"],
            )
        )
    return rows


def rows_of(queryset) -> list[EventRow]:
    return event_rows(row_values(queryset))


# -- pages with a capped count --------------------------------------------------------------

COUNT_CAP = 1000  # counted exactly up to here (and up to the page asked for); beyond, "over"


@dataclass(slots=True)
class Counted:
    """The part of Django's Paginator the templates use, from a count that may be capped."""

    count: int  # exact, or the cap when `is_capped`
    per_page: int
    is_capped: bool

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))


@dataclass(slots=True)
class RowsPage:
    """One page of rows, with the parts of Django's Page the templates use."""

    object_list: list[EventRow]
    number: int
    paginator: Counted

    def has_next(self) -> bool:
        return self.paginator.is_capped or self.number < self.paginator.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _page_number(value) -> int:
    try:
        return max(1, min(int(str(value)), 100_000))
    except ValueError:
        return 1


def page_of(queryset, page, per_page: int, *, cap: int | None = None) -> RowsPage:
    """The asked page of the (ordered) queryset as rows, with the count, in one query.

    The count stops at `cap` matches, or at the end of the asked page if that is further:
    counting all 100,000 coming events took longer than everything else on the page, and
    "over 1,000" says as much to a reader. It comes with the rows (an uncorrelated subquery
    PostgreSQL runs once). A page past the end gives the last page (a count and the rows
    again: rare).
    """
    number = _page_number(page)
    limit = max(cap or COUNT_CAP, number * per_page)
    values = list(_counted_rows(queryset, number, per_page, limit))
    return _finish(queryset, values, number, per_page, limit)


def _counted_rows(queryset, number: int, per_page: int, limit: int):
    """The page's row dicts, each with the capped count as `total`."""
    start = (number - 1) * per_page
    counted_rows = row_values(_page_rows(queryset, start, per_page))
    return counted_rows.annotate(total=CappedCount(queryset, limit))[:per_page]


def _finish(queryset, values: list[dict], number: int, per_page: int, limit: int) -> RowsPage:
    if values:
        count = values[0]["total"]
    elif number == 1:
        count = 0
    else:
        count = queryset.order_by().values("pk")[: limit + 1].count()
    is_capped = count > limit
    counted = Counted(limit if is_capped else count, per_page, is_capped)
    if not values and not is_capped and number > counted.num_pages and count:
        number = counted.num_pages
        start = (number - 1) * per_page
        values = list(row_values(_page_rows(queryset, start, per_page))[:per_page])
    return RowsPage(event_rows(values), number, counted)


# -- the list page's statement, compiled once per kind of question --------------------------

_NOW = object()  # where the request's own moment goes among a remembered statement's parameters


class _Statements:
    """A small LRU of compiled list statements: (SQL, parameters, column names).

    Building and compiling the page's query (filters, names, capped count) took ~1 ms of the
    list page's Python on every request, about as long as PostgreSQL took to run it. The SQL
    depends only on the question (the valid filters, the page, the language), so it is
    compiled once per question and process; the moment `now` changes with each request and
    is put in as a parameter. Every other parameter came from the same question, through the
    ORM, and is passed on as the ORM passed it: nothing is ever written into the SQL text.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_statements = _Statements(size=256)


def compiled_page(queryset, number: int, per_page: int, limit: int, now):
    """The page statement of `queryset` as (SQL, parameters with `_NOW` for `now`, names),
    and the ORM's converters of its columns (the count's `int`), or None when a parameter
    equals `now` without being it (it could not be told apart)."""
    query = _counted_rows(queryset, number, per_page, limit).query
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    converters = tuple(
        (index, tuple(functions), expression)
        for index, (functions, expression) in compiler.get_converters(
            [column for column, _sql, _alias in compiler.select]
        ).items()
    )
    if query.selected:
        names = tuple(query.selected)
    else:
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
    slots = []
    for value in params:
        if value is now:
            slots.append(_NOW)
        elif isinstance(value, datetime) and value == now:
            return None
        else:
            slots.append(value)
    return sql, tuple(slots), names, converters


def _question(cleaned: dict) -> tuple:
    """The filter set's valid values, all of them and exactly (not the normalised query
    string, which leaves out values that still change the query, such as a start date out of
    range that drops the upcoming-only condition), in a fixed order."""
    return tuple(
        sorted(
            (name, tuple(sorted(value)) if isinstance(value, list) else value)
            for name, value in cleaned.items()
        )
    )


def listed_page(filterset, page, per_page: int, *, cap: int | None = None) -> RowsPage:
    """`page_of(filterset.qs, ...)` for the event list, with its statement remembered per
    question (`_Statements`): the same rows, order, count and cap, without the ORM's work."""
    number = _page_number(page)
    limit = max(cap or COUNT_CAP, number * per_page)
    now = filterset.now
    key = (
        get_language(),
        filterset.dates,
        _question(filterset.cleaned),
        number,
        per_page,
        limit,
    )
    entry = _statements.get(key)
    if entry is None:
        entry = compiled_page(filterset.qs, number, per_page, limit, now)
        if entry is None:
            return page_of(filterset.qs, page, per_page, cap=cap)
        _statements.put(key, entry)
    sql, slots, names, converters = entry
    params = [now if value is _NOW else value for value in slots]
    connection = connections[Event.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    values = []
    for row in found:
        if converters:
            row = list(row)
            for index, functions, expression in converters:
                for convert in functions:
                    row[index] = convert(row[index], expression, connection)
        values.append(dict(zip(names, row, strict=True)))
    if not values and number > 1:
        return page_of(filterset.qs, page, per_page, cap=cap)  # past the end: rare
    return _finish(None, values, number, per_page, limit)


def _page_rows(queryset, start: int, per_page: int):
    """The page's events, in the queryset's order. Past the first page they are chosen by id
    first: PostgreSQL computes every column of the rows an OFFSET skips, so page 100 would
    collect the organisers and themes of 3,000 events to show 30."""
    if start == 0:
        return queryset
    ids = queryset.values("pk")[start : start + per_page]
    return queryset.model.objects.filter(pk__in=ids).order_by(*queryset.query.order_by)

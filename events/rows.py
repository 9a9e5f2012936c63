"""The rows of event lists (list, week and year views, umbrella and association pages, my events).

A row is read with `values()` (no model instances, no search vectors) and everything it shows is
formatted here once per row, so the template writes out a few strings: with model instances and
per-row `{% url %}`, date filters and lookups, 30 rows took longer to render than the page's SQL.
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from events.models import HELSINKI, CappedCount, last_day_of
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
    start = (number - 1) * per_page
    counted_rows = row_values(_page_rows(queryset, start, per_page))
    values = list(counted_rows.annotate(total=CappedCount(queryset, limit))[:per_page])
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


def _page_rows(queryset, start: int, per_page: int):
    """The page's events, in the queryset's order. Past the first page they are chosen by id
    first: PostgreSQL computes every column of the rows an OFFSET skips, so page 100 would
    collect the organisers and themes of 3,000 events to show 30."""
    if start == 0:
        return queryset
    ids = queryset.values("pk")[start : start + per_page]
    return queryset.model.objects.filter(pk__in=ids).order_by(*queryset.query.order_by)

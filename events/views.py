"""Public pages: list, week, month and year views, event and umbrella pages, feeds, open data."""

import csv
import functools
import hmac
from datetime import date, timedelta

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config import ical, pagecache
from config.fragments import RenderedOnce
from config.ical import HELSINKI
from config.spreadsheet import safe_cell
from directory.models import Organisation
from events import calendars, feeds, jsonld, rows
from events.filters import EventFilter, choices_for, filter_form_html
from events.models import Event, OrganisationFollow, PersonalFeed, SavedEvent, Umbrella
from events.permissions import can_edit_event, get_event_for_user
from events.services import clashes_for
from events.templatetags.events_tags import query_with

PAGE_SIZE = 30
OPEN_DATA_LIMIT = 5000


def filtered(
    request, *, dates: bool = True, menus: bool = True, now=None
) -> tuple[EventFilter, object]:
    """The list's FilterSet and the events it selects (published, postponed, cancelled-not-past).

    `dates=False` leaves the date range out, for the week, month and year views that set it.
    """
    now = now or timezone.now()
    filterset = EventFilter(
        request.GET,
        queryset=Event.objects.listed(now),
        now=now,
        dates=dates,
        menus=menus,
        choices=choices_for(public_version(request)) if menus else None,
    )
    return filterset, filterset.qs


def public_version(request) -> int:
    """The version of the public data (config/pagecache.py), read once per request."""
    version = getattr(request, "public_version", None)
    if version is None:
        version = request.public_version = pagecache.current_version()
    return version


def subscribe_box(filterset, *, path: str, name: str) -> dict:
    query = filterset.querystring(exclude=("when",))
    feed_url = feeds.absolute(path + (f"?{query}" if query else ""))
    return {"links": ical.subscribe_links(feed_url, name), "name": name}


_fragments = RenderedOnce(size=512)


def _path(name: str) -> str:
    return _reversed(name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=64)
def _reversed(name: str, prefix: str, urlconf) -> str:
    return reverse(name)


def calendar_parts(request, *, view: str, query: str, subscribe: dict) -> dict:
    """The views menu and the subscribe box of the list, week and month pages, rendered once
    per language and query (their URLs, translations and links are the same for everyone
    asking the same thing; with them, the page template has little left to do)."""
    language = get_language()
    nav = _fragments.get(
        ("nav", language, view, query),
        lambda: render_to_string(
            "events/_parts.html#views_nav", {"view": view, "query": query}, request=request
        ),
    )
    box = _fragments.get(
        ("subscribe", language, subscribe["name"], subscribe["links"]["https"]),
        lambda: render_to_string(
            "events/_parts.html#subscribe", {"subscribe": subscribe}, request=request
        ),
    )
    return {"views_nav": nav, "subscribe_box": box, "subscribe": subscribe, "view": view}


def feed_name(filterset) -> str:
    labels = filterset.active_labels
    base = _("Kuopio events")
    return f"{base}: {', '.join(labels)}" if labels else base


@login_not_required
@require_safe
@pagecache.for_visitors
def event_list(request):
    now = timezone.now()
    filterset = EventFilter(
        request.GET,
        queryset=Event.objects.listed(now),
        now=now,
        choices=choices_for(public_version(request)),
    )
    page = rows.listed_page(filterset, request.GET.get("page"), PAGE_SIZE)
    query = filterset.querystring()
    here = request.GET
    suffix = f"?{query}" if query else ""
    links = {
        "upcoming": _path("events:event-list"),
        "past": query_with(here, when="past", page=None),
        "create": _path("events:event-create"),
        "previous": query_with(here, page=str(page.number - 1)) if page.has_previous() else "",
        "next": query_with(here, page=str(page.number + 1)) if page.has_next() else "",
        "json": _path("events:opendata-json") + suffix,
        "csv": _path("events:opendata-csv") + suffix,
    }
    context = {
        "filter": filterset,
        "filter_form": filter_form_html(request, filterset),
        "page": page,
        "events": page.object_list,
        "query": query,
        "links": links,
        "is_past": filterset.is_past,
        **calendar_parts(
            request,
            view="list",
            query=query,
            subscribe=subscribe_box(filterset, path="/events/feed.ics", name=feed_name(filterset)),
        ),
    }
    return render(request, "events/event_list.html", context)


@login_not_required
@require_safe
@pagecache.for_visitors
def event_week(request):
    today = timezone.localdate()
    first = calendars.week_start(calendars.parse_day(request.GET.get("week"), today))
    last = first + timedelta(days=6)
    filterset, queryset = filtered(request, dates=False)
    events = rows.rows_of(queryset.between(*calendars.span(first, last)))
    context = {
        "filter": filterset,
        "days": calendars.group_by_day(events, first, last),
        "first": first,
        "last": last,
        "previous": first - timedelta(days=7),
        "next": first + timedelta(days=7),
        "keep": [("week", first.isoformat())],
        "filter_form": filter_form_html(request, filterset, [("week", first.isoformat())]),
        **calendar_parts(
            request,
            view="week",
            query=filterset.querystring(exclude=("start", "end", "when")),
            subscribe=subscribe_box(filterset, path="/events/feed.ics", name=feed_name(filterset)),
        ),
    }
    return render(request, "events/event_week.html", context)


@login_not_required
@require_safe
@pagecache.for_visitors
def event_month(request):
    today = timezone.localdate()
    month = calendars.parse_month(request.GET.get("month"), today)
    first, last = calendars.month_range(month)
    filterset, queryset = filtered(request, dates=False)
    query = filterset.querystring(exclude=("start", "end", "when"))
    days = calendars.month_grid(queryset, first, last, month=month.month)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    context = {
        "filter": filterset,
        "month": month,
        "month_label": formats.date_format(month, "F Y"),
        "grid": calendars.month_html(days, query=query),
        "weekdays": _fragments.get(
            ("weekdays", get_language()),
            lambda: render_to_string("events/_parts.html#month_weekdays", request=request),
        ),
        "links": {
            "previous": query_with(request.GET, month=previous.strftime("%Y-%m")),
            "this": query_with(request.GET, month=None),
            "next": query_with(request.GET, month=following.strftime("%Y-%m")),
        },
        "previous": previous,
        "next": following,
        "keep": [("month", month.strftime("%Y-%m"))],
        "filter_form": filter_form_html(request, filterset, [("month", month.strftime("%Y-%m"))]),
        **calendar_parts(
            request,
            view="month",
            query=query,
            subscribe=subscribe_box(filterset, path="/events/feed.ics", name=feed_name(filterset)),
        ),
    }
    return render(request, "events/event_month.html", context)


@login_not_required
@require_safe
@pagecache.for_visitors
def event_year(request):
    """The vuosikello: how events spread over the months, theme by theme, for joint planning."""
    year = calendars.parse_year(request.GET.get("year"), timezone.localdate().year)
    filterset, queryset = filtered(request, dates=False)
    first, last = calendars.span(date(year, 1, 1), date(year, 12, 31))
    in_year = queryset.between(first, last)
    month_counts = (
        in_year.filter(starts_at__gte=first)
        .annotate(month=ExtractMonth("starts_at", tzinfo=HELSINKI))
        .values("month", "themes__slug")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    counts = {(r["month"], r["themes__slug"]): r["n"] for r in month_counts if r["themes__slug"]}
    themes = filterset.choices["theme"]
    umbrellas = list(
        Umbrella.objects.filter(starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1))
    )
    save_the_dates = rows.rows_of(in_year.filter(is_save_the_date=True))
    table = [
        {"month": m, "cells": [counts.get((m, slug), 0) for slug, _name in themes]}
        for m in range(1, 13)
    ]
    context = {
        "filter": filterset,
        "year": year,
        "keep": [("year", str(year))],
        "filter_form": filter_form_html(request, filterset, [("year", str(year))]),
        "wheel": calendars.year_wheel(year, themes, counts, umbrellas),
        "themes": themes,
        "table": table,
        "umbrellas": umbrellas,
        "save_the_dates": save_the_dates,
        "query": filterset.querystring(exclude=("start", "end", "when", "theme")),
        "view": "year",
    }
    return render(request, "events/event_year.html", context)


@login_not_required
@require_safe
def event_detail(request, pk):
    event = get_event_for_user(request.user, pk)
    organiser_ids = [o.pk for o in event.organisers.all()]
    may_edit = can_edit_event(request.user, event, organiser_ids)
    context = {
        "event": event,
        "may_edit": may_edit,
        "clashes": list(clashes_for(event)) if may_edit and not event.is_past else [],
        "json_ld": jsonld.event_json_ld(event),
        "is_saved": request.user.is_authenticated
        and SavedEvent.objects.filter(user=request.user, event=event).exists(),
        "series_events": list(event.series.events.public().exclude(pk=event.pk).upcoming()[:10])
        if event.series_id
        else [],
    }
    return render(request, "events/event_detail.html", context)


@login_not_required
@require_safe
def event_ics(request, pk):
    """One event as an .ics file ("add to calendar"), with the same UID as in the feeds."""
    event = get_event_for_user(request.user, pk)
    signed_in = request.user.is_authenticated
    etag = ical.feed_etag("event", event.pk, event.sequence, event.updated_at, signed_in)
    return ical.calendar_response(
        request,
        etag=etag,
        last_modified=event.updated_at,
        render=lambda: ical.build_calendar(
            [feeds.calendar_event(event, show_online_link=signed_in)], name=event.title
        ),
        filename=f"tapahtuma-{event.pk}.ics",
        private=signed_in or event.status == Event.Status.DRAFT,
    )


@login_not_required
@require_safe
def event_feed(request):
    """Exactly the events /events/ lists for the same parameters (capped), as iCal."""
    filterset, queryset = filtered(request, menus=False)
    return feeds.feed_response(
        request, queryset, name=feed_name(filterset), params=filterset.normalised()
    )


@login_not_required
@require_safe
def organisation_feed(request, slug):
    organisation = get_object_or_404(Organisation.objects.public(), slug=slug)
    queryset = Event.objects.listed().upcoming().filter(organisers=organisation)
    return feeds.feed_response(
        request, queryset, name=organisation.name, filename=f"{organisation.slug}.ics"
    )


@login_not_required
@require_safe
def umbrella_list(request):
    today = timezone.localdate()
    umbrellas = Umbrella.objects.annotate(
        n=Count("events", filter=Q(events__status=Event.Status.PUBLISHED))
    )
    context = {
        "current": [u for u in umbrellas if u.ends_on >= today],
        "past": [u for u in umbrellas if u.ends_on < today][::-1][:20],
    }
    return render(request, "events/umbrella_list.html", context)


@login_not_required
@require_safe
def umbrella_detail(request, slug):
    umbrella = get_object_or_404(Umbrella.objects.prefetch_related("themes"), slug=slug)
    events = Event.objects.listed().filter(umbrella=umbrella)
    if umbrella.ends_on >= timezone.localdate():
        events = events.upcoming()
    page = rows.page_of(events, request.GET.get("page"), 60)
    feed_url = feeds.absolute(f"/events/umbrellas/{umbrella.slug}/feed.ics")
    context = {
        "umbrella": umbrella,
        "page": page,
        "events": page.object_list,
        "organiser_count": Organisation.objects.filter(events__umbrella=umbrella)
        .distinct()
        .count(),
        "subscribe": {
            "links": ical.subscribe_links(feed_url, umbrella.name),
            "name": umbrella.name,
        },
    }
    return render(request, "events/umbrella_detail.html", context)


@login_not_required
@require_safe
def umbrella_feed(request, slug):
    umbrella = get_object_or_404(Umbrella, slug=slug)
    queryset = Event.objects.listed().upcoming().filter(umbrella=umbrella)
    return feeds.feed_response(request, queryset, name=umbrella.name, filename=f"{slug}.ics")


@login_not_required
@require_safe
def personal_feed(request, token):
    """Followed associations' and saved events on a private address: no cookie needed."""
    key, _sep, secret = token.partition(".")
    feed = PersonalFeed.objects.select_related("user").filter(key=key[:20]).first()
    if feed is None or not hmac.compare_digest(feed.secret.encode(), secret.encode()):
        raise Http404
    if not feed.user.is_active:
        raise Http404
    followed = OrganisationFollow.objects.filter(user=feed.user).values("organisation_id")
    saved = SavedEvent.objects.filter(user=feed.user).values("event_id")
    queryset = (
        Event.objects.listed()
        .upcoming()
        .filter(Q(organisers__in=followed) | Q(pk__in=saved))
        .distinct()
        .order_by("starts_at", "pk")
    )
    return feeds.feed_response(
        request,
        queryset,
        name=_("My events"),
        params=(feed.key,),
        filename="omat-tapahtumat.ics",
        show_online_link=True,
        private=True,
    )


# -- open data -------------------------------------------------------------------------------


def _open_rows(request):
    _filterset, queryset = filtered(request, menus=False)
    return [jsonld.open_data_row(e) for e in queryset.with_list_data(full=True)[:OPEN_DATA_LIMIT]]


@login_not_required
@require_safe
def opendata_json(request):
    rows = _open_rows(request)
    response = JsonResponse(
        {"license": "CC BY 4.0", "count": len(rows), "events": rows},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_not_required
@require_safe
def opendata_csv(request):
    rows = _open_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tapahtumat.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    response.write("\ufeff")  # a byte-order mark so that Excel reads the Finnish letters right
    writer = csv.DictWriter(response, fieldnames=jsonld.OPEN_DATA_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return response


def _csv_value(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    text = str(value)
    return safe_cell(text)

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.ical import calendar_response, subscribe_links
from directory.models import Membership
from directory.permissions import organisations_user_acts_for
from spaces import availability, feeds, reports, services
from spaces.filters import filter_form_html, list_statement, query_form
from spaces.forms import AgendaForm, BookingForm, ReportForm, WeekForm
from spaces.listing import display_rows, rows_html
from spaces.models import Booking, FeedToken, OpeningException, Price, Venue
from spaces.pagination import OneQueryPaginator
from spaces.permissions import (
    can_book,
    get_booking_for_user,
    get_space_for_user,
    is_city_staff,
)
from spaces.times import day_bounds, monday_of

PAGE_SIZE = 30
PREFILL = ("date", "starts_at", "ends_at")


@login_not_required
@require_safe
def space_list(request):
    data = request.GET or None
    paginator = OneQueryPaginator(list_statement(query_form(data)), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = display_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "spaces/space_list.html",
        {
            "filter_form": filter_form_html(request, data),
            "page": page,
            "rows": rows_html(page.object_list),
            "query": query.urlencode(),
        },
    )


def _week_context(request, space, weekly_rows=None) -> dict:
    today = timezone.localdate()
    latest = today + dt.timedelta(days=space.booking_horizon_days)
    form = WeekForm(request.GET)
    monday = form.monday(earliest=monday_of(today), latest=latest)
    previous, following = monday - dt.timedelta(days=7), monday + dt.timedelta(days=7)
    return {
        "space": space,
        "days": availability.week(space, monday, weekly_rows=weekly_rows),
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous_week": previous if previous >= monday_of(today) else None,
        "next_week": following if following <= latest else None,
    }


@login_not_required
@require_safe
def space_detail(request, slug):
    space = get_space_for_user(request.user, slug)
    weekly = list(space.venue.opening_hours.all())
    context = _week_context(request, space, weekly_rows=weekly)
    today = timezone.localdate()
    context |= {
        "weekly_hours": weekly,
        "photos": list(space.photos.all()),
        "prices": list(
            Price.objects.filter(category_id=space.price_category_id).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=today)
            )
        ),
        "closures": list(
            OpeningException.objects.filter(venue=space.venue).between(
                today, today + dt.timedelta(days=90)
            )
        ),
        "feed": _space_feed_links(request, space),
    }
    if space.is_bookable and request.user.is_authenticated:
        organisations = list(organisations_user_acts_for(request.user).order_by("name"))
        if organisations:
            context["form"] = BookingForm(
                user=request.user, space=space, organisations=organisations
            )
    return render(request, "spaces/space_detail.html", context)


@login_not_required
@require_safe
def space_week(request, slug):
    """The week view alone, for the page's previous/next links without a reload."""
    space = get_space_for_user(request.user, slug)
    return render(request, "spaces/space_detail.html#week", _week_context(request, space))


def _space_feed_links(request, space) -> dict:
    # The canonical address, not the request's host: subscriptions must keep working forever.
    url = settings.SITE_URL + reverse("spaces:space-calendar", args=[space.slug])
    return subscribe_links(url, space.full_name)


@login_not_required
@require_safe
def space_calendar(request, slug):
    space = get_space_for_user(request.user, slug)
    etag, last_modified = feeds.etag_for(
        feeds.space_feed_bookings(space),
        "space",
        space.pk,
        space.updated_at,
        space.venue.updated_at,
    )
    return calendar_response(
        request,
        etag=etag,
        last_modified=last_modified,
        render=lambda: feeds.render_space_feed(space),
        filename=f"{space.slug}.ics",
    )


@require_http_methods(["GET", "POST"])
def booking_create(request, slug):
    space = get_space_for_user(request.user, slug, need="book")
    if not can_book(request.user):
        return render(request, "spaces/booking_not_allowed.html", {"space": space}, status=403)
    # A free time picked in the week view arrives as ?date=&starts_at=&ends_at=.
    initial = {key: request.GET[key][:10] for key in PREFILL if request.GET.get(key)}
    form = BookingForm(request.POST or None, user=request.user, space=space, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if form.is_series:
                return _series(request, space, form)
            booking = _book(request, space, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if booking.status == Booking.Status.CONFIRMED:
                messages.success(request, _("Booked! The booking is confirmed."))
            else:
                messages.success(request, _("Thank you! Staff will confirm the booking soon."))
            return redirect(booking)
    context = {"form": form} | _week_context(request, space)
    return render(request, "spaces/booking_form.html", context)


def _book(request, space, data) -> Booking:
    return services.booking_create(
        space=space,
        organisation=data["organisation"],
        user=request.user,
        start=data["start"],
        end=data["end"],
        purpose=data["purpose"],
        expected_attendees=data["expected_attendees"],
        is_public=data["is_public"],
    )


def _series(request, space, form):
    """First a preview of every date (free, taken or closed); created only on confirmation."""
    data = form.cleaned_data
    common = {
        "space": space,
        "first_on": data["date"],
        "last_on": data["repeat_until"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "expected_attendees": data["expected_attendees"],
    }
    if request.POST.get("confirm") != "yes":
        services.check_organisation(user=request.user, organisation=data["organisation"])
        plan = services.series_plan(**common)
        return render(request, "spaces/series_preview.html", {"form": form, "plan": plan, **common})
    _series_row, created, skipped = services.series_create(
        **common,
        organisation=data["organisation"],
        user=request.user,
        purpose=data["purpose"],
        is_public=data["is_public"],
    )
    messages.success(
        request,
        _("%(created)d dates booked, %(skipped)d skipped.")
        % {"created": len(created), "skipped": len(skipped)},
    )
    return redirect("spaces:booking-list")


@require_safe
def booking_list(request):
    bookings = (
        Booking.objects.visible_to(request.user)
        .filter(during__endswith__gt=timezone.now() - dt.timedelta(days=30))
        .select_related("space", "space__venue", "organisation", "booked_by")
        .order_by("during")
    )
    if is_city_staff(request):  # staff see every booking in the admin; here only their own
        bookings = bookings.filter(
            organisation__in=Membership.objects.filter(user=request.user).values("organisation")
        )
    organisations = list(organisations_user_acts_for(request.user).order_by("name"))
    live = set(
        FeedToken.objects.live()
        .filter(user=request.user, organisation__in=organisations)
        .values_list("organisation_id", flat=True)
    )
    new_feed = request.session.pop("spaces_new_feed", None)
    if new_feed:
        url = settings.SITE_URL + reverse("spaces:booking-feed", args=[new_feed["token"]])
        new_feed["links"] = subscribe_links(url, new_feed["name"])
    return render(
        request,
        "spaces/booking_list.html",
        {
            "bookings": list(bookings),
            "now": timezone.now(),
            "organisations": [(org, org.pk in live) for org in organisations],
            "new_feed": new_feed,
        },
    )


@require_safe
def booking_detail(request, pk):
    booking = get_booking_for_user(request.user, pk)
    return render(
        request,
        "spaces/booking_detail.html",
        {
            "booking": booking,
            "now": timezone.now(),
            "skipped": _skipped(booking),
            "is_staff": is_city_staff(request),
        },
    )


def _skipped(booking):
    return list(booking.series.skipped.all()) if booking.series_id else []


@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk):
    booking = get_booking_for_user(request.user, pk, need="cancel")
    error = None
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The booking is cancelled."))
            return redirect(booking)
    return render(request, "spaces/booking_cancel.html", {"booking": booking, "error": error})


@require_POST
def feed_token_create(request):
    organisation = get_object_or_404(
        organisations_user_acts_for(request.user), pk=request.POST.get("organisation") or 0
    )
    token = services.feed_token_create(user=request.user, organisation=organisation)
    request.session["spaces_new_feed"] = {"token": token, "name": organisation.name}
    messages.success(request, _("Your new calendar address is ready. Any older one has stopped."))
    return redirect("spaces:booking-list")


@require_POST
def feed_token_revoke(request):
    organisation = get_object_or_404(
        organisations_user_acts_for(request.user), pk=request.POST.get("organisation") or 0
    )
    services.feed_token_revoke(user=request.user, organisation=organisation)
    messages.success(request, _("The calendar address no longer works."))
    return redirect("spaces:booking-list")


@login_not_required
@require_safe
def booking_feed(request, token):
    row = services.feed_token_find(token)
    if row is None:
        raise Http404
    if row.revoked_at is not None:
        return HttpResponse(_("This calendar address has been turned off."), status=410)
    user, organisation = row.user, row.organisation
    if not (
        user.is_active and organisations_user_acts_for(user).filter(pk=organisation.pk).exists()
    ):
        raise Http404
    queryset = feeds.organisation_feed_bookings(user, organisation)
    etag, last_modified = feeds.etag_for(queryset, "org", row.pk)
    return calendar_response(
        request,
        etag=etag,
        last_modified=last_modified,
        render=lambda: feeds.render_organisation_feed(user, organisation),
        filename="bookings.ics",
        private=True,
    )


def _staff_only(request):
    if not is_city_staff(request):
        raise PermissionDenied


@require_safe
def staff_agenda(request, slug):
    _staff_only(request)
    venue = get_object_or_404(Venue, slug=slug)
    form = AgendaForm(request.GET)
    day = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    start, end = day_bounds(day)
    bookings = (
        Booking.objects.active()
        .filter(space__venue=venue, during__overlap=DateTimeTZRange(start, end, "[)"))
        .select_related("space", "organisation", "booked_by")
        .order_by("during", "space__name")
    )
    return render(
        request,
        "spaces/staff_agenda.html",
        {
            "venue": venue,
            "day": day,
            "form": form,
            "bookings": list(bookings),
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "venues": Venue.objects.order_by("name"),
        },
    )


@require_safe
def staff_report(request):
    _staff_only(request)
    form = ReportForm(request.GET)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    rows = reports.yearly_report(year)
    totals = {
        "hours": sum((row.hours for row in rows), start=0),
        "paid": sum((row.paid for row in rows), start=0),
        "value": sum((row.free_use_value for row in rows), start=0),
    }
    return render(
        request,
        "spaces/staff_report.html",
        {"form": form, "year": year, "rows": rows, "totals": totals},
    )

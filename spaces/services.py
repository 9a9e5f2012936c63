"""Writes that span models, send mail or must be audited: bookings, series and feed tokens.

Every booking goes through :func:`booking_create`: it checks the space's rules, locks the rows of
every space that shares a physical unit with this one (so the whole hall and its halves queue
behind each other), checks clashes and cleaning buffers under the lock, and writes the booking.
The database's exclusion constraint stays the guarantee; the lock turns a race into a friendly
"already booked" instead of an error.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.audit import acting_as
from directory.models import Organisation
from directory.permissions import organisations_user_acts_for
from spaces.hours import DayHours, hours_between
from spaces.models import (
    MAX_BUFFER,
    Booking,
    BookingSeries,
    FeedToken,
    Price,
    SkippedOccurrence,
    Space,
    SpaceUnit,
    SpaceUnitLink,
    is_city_staff,
)
from spaces.times import NonexistentTime, local_datetime

EXCLUSION_VIOLATION = "23P01"
MAX_SERIES_DAYS = 366


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _clock(value: dt.datetime) -> str:
    return formats.time_format(timezone.localtime(value), "H.i")


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'j.n.Y')} {_clock(local)}"


def _length(value: dt.timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if minutes == 0:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}


# --- Rules -------------------------------------------------------------------------------


def check_organisation(*, user, organisation: Organisation) -> None:
    """Only members of a verified association may book for it (staff for any verified one)."""
    if organisation.status != Organisation.Status.VERIFIED:
        _refuse(_("Only verified associations can book spaces."), "unverified")
    if is_city_staff(user):
        return
    if not organisations_user_acts_for(user).filter(pk=organisation.pk).exists():
        _refuse(_("You can only book for an association you belong to."), "not_member")


def check_rules(
    *,
    space: Space,
    start: dt.datetime,
    end: dt.datetime,
    expected_attendees: int,
    day_hours: DayHours | None = None,
    now: dt.datetime | None = None,
) -> None:
    """The space's own rules: length, when it can be booked, opening hours, capacity."""
    now = now or timezone.now()
    if end <= start:
        _refuse(_("The end must be after the start."), "order")
    length = end - start
    if length < space.min_duration:
        _refuse(
            _("The shortest booking for this space is %(length)s.")
            % {"length": _length(space.min_duration)},
            "too_short",
        )
    if length > space.max_duration:
        _refuse(
            _("The longest booking for this space is %(length)s.")
            % {"length": _length(space.max_duration)},
            "too_long",
        )
    if start < now:
        _refuse(_("The time has already passed. Choose a time in the future."), "past")
    horizon = timezone.localdate(now) + dt.timedelta(days=space.booking_horizon_days)
    if timezone.localdate(start) > horizon:
        _refuse(
            _("This space can be booked at most %(days)d days ahead, until %(date)s.")
            % {"days": space.booking_horizon_days, "date": formats.date_format(horizon, "j.n.Y")},
            "too_far",
        )
    if expected_attendees > space.capacity:
        _refuse(_("The space holds at most %(n)d people.") % {"n": space.capacity}, "capacity")
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if local_start.date() != local_end.date() and local_end.time() != dt.time(0):
        _refuse(_("A booking must start and end on the same day."), "overnight")
    if day_hours is None:
        day_hours = hours_between(space.venue, local_start.date(), local_start.date())[
            local_start.date()
        ]
    if not day_hours.is_open:
        note = f" ({day_hours.note})" if day_hours.note else ""
        _refuse(_("The venue is closed on that day%(note)s.") % {"note": note}, "closed")
    end_time = local_end.time() if local_end.date() == local_start.date() else dt.time.max
    if not day_hours.allows(local_start.time(), end_time):
        _refuse(
            _("The venue is open %(opens)s–%(closes)s on that day.")
            % {
                "opens": day_hours.opens_at.strftime("%H.%M"),
                "closes": day_hours.closes_at.strftime("%H.%M"),
            },
            "outside_hours",
        )


# --- Clashes -----------------------------------------------------------------------------


def _lock_spaces(space: Space) -> None:
    """Lock every space sharing a unit with `space`, in id order so lockers never deadlock."""
    list(
        Space.objects.sharing_units_with(space)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def busy_bookings(space: Space, start: dt.datetime, end: dt.datetime):
    """Active bookings on any unit of `space` within reach of [start, end) (buffers included)."""
    window = DateTimeTZRange(start - MAX_BUFFER, end + MAX_BUFFER, "[)")
    return (
        Booking.objects.filter(
            occupancy__is_active=True,
            occupancy__during__overlap=window,
            occupancy__unit__in=SpaceUnitLink.objects.filter(space=space).values("unit"),
        )
        .distinct()
        .order_by("during")
    )


def clash_with(
    candidates, *, start: dt.datetime, end: dt.datetime, buffer: dt.timedelta
) -> tuple[Booking, bool] | None:
    """The first booking that clashes with [start, end), and whether only the buffer is hit."""
    for other in candidates:
        gap = max(buffer, other.buffer)
        if other.start < end + gap and start < other.end + gap:
            overlaps = other.start < end and start < other.end
            return other, not overlaps
    return None


def clash_message(other: Booking, buffer_only: bool, buffer: dt.timedelta) -> str:
    if buffer_only:
        gap = max(buffer, other.buffer)
        return _(
            "The space needs %(gap)s between bookings, and another booking is at "
            "%(start)s–%(end)s. Choose a slightly different time."
        ) % {"gap": _length(gap), "start": _clock(other.start), "end": _clock(other.end)}
    return _(
        "Sorry, the space is already booked %(start)s–%(end)s on that day. "
        "Choose another time; the week view shows the free times."
    ) % {"start": _clock(other.start), "end": _clock(other.end)}


# --- Prices ------------------------------------------------------------------------------


def prices_for(space: Space, start: dt.datetime, end: dt.datetime) -> tuple[Decimal, Decimal]:
    """(price paid, full price) at the price list valid on the day of use."""
    if space.price_category_id is None:
        return Decimal("0.00"), Decimal("0.00")
    price = (
        Price.objects.filter(category_id=space.price_category_id)
        .valid_on(timezone.localdate(start))
        .first()
    )
    if price is None:
        return Decimal("0.00"), Decimal("0.00")
    hours = Decimal((end - start).total_seconds()) / Decimal(3600)
    cent = Decimal("0.01")
    return (
        (price.hourly_price * hours).quantize(cent, ROUND_HALF_UP),
        (price.full_hourly_price * hours).quantize(cent, ROUND_HALF_UP),
    )


# --- Bookings ----------------------------------------------------------------------------


def _insert(booking: Booking) -> None:
    """Save under a savepoint; the exclusion constraint's refusal becomes a friendly message."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != EXCLUSION_VIOLATION:
            raise
        _refuse(_("Sorry, someone else just booked this time. Choose another time."), "taken")


def booking_create(
    *,
    space: Space,
    organisation: Organisation,
    user,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    expected_attendees: int,
    is_public: bool = False,
    enforce_rules: bool = True,
    series: BookingSeries | None = None,
    booked_by=None,
    staff_note: str = "",
    confirm: bool | None = None,
    notify: bool = True,
) -> Booking:
    """Book `space` for `organisation`. Raises ValidationError with a message for the person.

    `enforce_rules=False` is for staff and imports: opening hours, lengths and dates are not
    checked, but clashes always are. `confirm=True` (staff) confirms at once; by default the
    space decides. `booked_by` defaults to `user` (staff may book on someone's behalf).
    """
    if enforce_rules:
        if not (space.is_bookable and space.is_listed):
            _refuse(_("This space cannot be booked on the site."), "not_bookable")
        check_organisation(user=user, organisation=organisation)
        check_rules(space=space, start=start, end=end, expected_attendees=expected_attendees)
    elif end <= start:
        _refuse(_("The end must be after the start."), "order")
    with transaction.atomic(), acting_as(user):
        _lock_spaces(space)
        found = clash_with(
            busy_bookings(space, start, end), start=start, end=end, buffer=space.buffer
        )
        if found is not None:
            _refuse(clash_message(*found, space.buffer), "taken")
        price_paid, full_price = prices_for(space, start, end)
        confirmed = (not space.requires_approval) if confirm is None else confirm
        booking = Booking(
            space=space,
            organisation=organisation,
            booked_by=booked_by or user,
            during=DateTimeTZRange(start, end, "[)"),
            purpose=purpose,
            expected_attendees=expected_attendees,
            is_public=is_public,
            status=Booking.Status.CONFIRMED if confirmed else Booking.Status.REQUESTED,
            decided_at=timezone.now() if confirmed else None,
            decided_by=user if confirmed and confirm else None,
            staff_note=staff_note,
            buffer=space.buffer,
            price_paid=price_paid,
            full_price=full_price,
            series=series,
        )
        _insert(booking)
        if series is None and notify:
            _mail_on_commit(booking, "confirmed" if confirmed else "received")
    return booking


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update()
        .select_related("space", "organisation")
        .get(pk=booking.pk)
    )


def booking_approve(*, booking: Booking, user, note: str = "") -> Booking:
    with transaction.atomic(), acting_as(user):
        booking = _locked(booking)
        if booking.status != Booking.Status.REQUESTED:
            _refuse(_("This booking has already been decided."), "decided")
        booking.status = Booking.Status.CONFIRMED
        booking.decided_by = user
        booking.decided_at = timezone.now()
        if note:
            booking.staff_note = note
        booking.sequence += 1
        booking.save()
        _mail_on_commit(booking, "confirmed")
    return booking


def booking_reject(*, booking: Booking, user, reason: str) -> Booking:
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Tell the association why the booking is rejected."), "no_reason")
    with transaction.atomic(), acting_as(user):
        booking = _locked(booking)
        if booking.status != Booking.Status.REQUESTED:
            _refuse(_("This booking has already been decided."), "decided")
        booking.status = Booking.Status.REJECTED
        booking.rejection_reason = reason
        booking.decided_by = user
        booking.decided_at = timezone.now()
        booking.sequence += 1
        booking.save()
        _mail_on_commit(booking, "rejected")
    return booking


def booking_cancel(*, booking: Booking, user) -> Booking:
    """Cancel before the space's deadline; staff may cancel at any time."""
    with transaction.atomic(), acting_as(user):
        booking = _locked(booking)
        if not booking.is_active:
            _refuse(_("This booking is no longer active."), "inactive")
        if timezone.now() >= booking.cancel_deadline and not is_city_staff(user):
            _refuse(
                _("The last moment to cancel was %(deadline)s. Please contact the city's staff.")
                % {"deadline": _when(booking.cancel_deadline)},
                "deadline",
            )
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.sequence += 1
        booking.save()
        if booking.booked_by_id != user.pk:
            _mail_on_commit(booking, "cancelled")
    return booking


def space_ensure_unit(*, space: Space, user=None) -> None:
    """A space without physical units gets one of its own, so that it can be booked."""
    if SpaceUnitLink.objects.filter(space=space).exists():
        return
    with transaction.atomic(), acting_as(user):
        unit, _created = SpaceUnit.objects.get_or_create(venue=space.venue, name=space.name)
        SpaceUnitLink.objects.create(space=space, unit=unit)


# --- Weekly series -----------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    day: dt.date
    start: dt.datetime | None
    end: dt.datetime | None
    reason: str = ""  # a SkippedOccurrence.Reason when it cannot be booked
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def series_plan(
    *,
    space: Space,
    first_on: dt.date,
    last_on: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    expected_attendees: int,
) -> list[Occurrence]:
    """Every week from first_on to last_on, each either bookable or with the reason it isn't.

    Three queries however long the season: opening hours, exceptions, and the busy bookings.
    Local times stay put across the clock changes (18.00 is 18.00 in winter and in summer).
    """
    if last_on < first_on:
        _refuse(_("The last day must not be before the first day."), "order")
    if (last_on - first_on).days > MAX_SERIES_DAYS:
        _refuse(_("A weekly booking can last at most a year."), "too_long")
    days = hours_between(space.venue, first_on, last_on)
    weeks = [first_on + dt.timedelta(weeks=n) for n in range((last_on - first_on).days // 7 + 1)]
    season_start = local_datetime(first_on, dt.time(0))
    season_end = local_datetime(last_on + dt.timedelta(days=1), dt.time(0))
    busy = list(busy_bookings(space, season_start, season_end))
    plan = []
    for day in weeks:
        try:
            start, end = local_datetime(day, starts_at), local_datetime(day, ends_at)
        except NonexistentTime:
            plan.append(
                Occurrence(day, None, None, SkippedOccurrence.Reason.NO_SUCH_TIME,
                           _("The clocks go forward that night."))
            )  # fmt: skip
            continue
        try:
            check_rules(
                space=space,
                start=start,
                end=end,
                expected_attendees=expected_attendees,
                day_hours=days[day],
            )
        except ValidationError as exc:
            reason = (
                SkippedOccurrence.Reason.CLOSED
                if exc.code in {"closed", "outside_hours"}
                else SkippedOccurrence.Reason.NOT_ALLOWED
            )
            plan.append(Occurrence(day, start, end, reason, exc.messages[0]))
            continue
        found = clash_with(busy, start=start, end=end, buffer=space.buffer)
        if found is not None:
            plan.append(
                Occurrence(day, start, end, SkippedOccurrence.Reason.TAKEN,
                           clash_message(*found, space.buffer))
            )  # fmt: skip
            continue
        plan.append(Occurrence(day, start, end))
    return plan


def series_create(
    *,
    space: Space,
    organisation: Organisation,
    user,
    first_on: dt.date,
    last_on: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    purpose: str,
    expected_attendees: int,
    is_public: bool = False,
    notify: bool = True,
    enforce_rules: bool = True,
) -> tuple[BookingSeries, list[Booking], list[SkippedOccurrence]]:
    """Book every free week of the season; record the others as skipped. Re-planned under the
    lock, so dates taken since the person saw the preview are skipped, not double-booked.

    `enforce_rules=False` (staff, imports) skips the membership check; each date still has to
    fit the space's hours and rules, or it is skipped.
    """
    if enforce_rules:
        if not (space.is_bookable and space.is_listed):
            _refuse(_("This space cannot be booked on the site."), "not_bookable")
        check_organisation(user=user, organisation=organisation)
    with transaction.atomic(), acting_as(user):
        _lock_spaces(space)
        plan = series_plan(
            space=space,
            first_on=first_on,
            last_on=last_on,
            starts_at=starts_at,
            ends_at=ends_at,
            expected_attendees=expected_attendees,
        )
        if not any(occurrence.ok for occurrence in plan):
            _refuse(_("None of the dates can be booked. Try another time."), "nothing_free")
        series = BookingSeries.objects.create(
            organisation=organisation,
            booked_by=user,
            space=space,
            weekday=first_on.weekday(),
            starts_at=starts_at,
            ends_at=ends_at,
            first_on=first_on,
            last_on=last_on,
            purpose=purpose,
        )
        created, skipped = [], []
        for occurrence in plan:
            if occurrence.ok:
                try:
                    created.append(
                        booking_create(
                            space=space,
                            organisation=organisation,
                            user=user,
                            start=occurrence.start,
                            end=occurrence.end,
                            purpose=purpose,
                            expected_attendees=expected_attendees,
                            is_public=is_public,
                            enforce_rules=False,
                            series=series,
                        )
                    )
                    continue
                except ValidationError as exc:
                    occurrence = Occurrence(
                        occurrence.day, None, None, SkippedOccurrence.Reason.TAKEN, exc.messages[0]
                    )
            skipped.append(
                SkippedOccurrence(
                    series=series,
                    on=occurrence.day,
                    reason=occurrence.reason,
                    detail=occurrence.detail[:200],
                )
            )
        SkippedOccurrence.objects.bulk_create(skipped)
        if notify:
            _series_mail_on_commit(series, created, skipped)
    return series, created, skipped


# --- Mail --------------------------------------------------------------------------------


def _send(to: str, template: str, context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"spaces/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"spaces/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def _mail_on_commit(booking: Booking, template: str) -> None:
    """Tell the booker about the booking once (and only if) the change is committed."""
    booker = booking.booked_by
    if booker is None or not booker.email:
        return
    context = {
        "booking": booking,
        "space": booking.space,
        "organisation": booking.organisation,
        "site_url": settings.SITE_URL,
    }
    transaction.on_commit(lambda: _send(booker.email, f"booking_{template}", context))


def _series_mail_on_commit(series, created, skipped) -> None:
    booker = series.booked_by
    if booker is None or not booker.email:
        return
    context = {
        "series": series,
        "space": series.space,
        "bookings": created,
        "skipped": skipped,
        "confirmed": not series.space.requires_approval,
        "site_url": settings.SITE_URL,
    }
    transaction.on_commit(lambda: _send(booker.email, "series_received", context))


# --- Private calendar addresses -----------------------------------------------------------

LOOKUP_LENGTH = 12


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_create(*, user, organisation: Organisation) -> str:
    """A new private address for `user`'s view of `organisation`'s bookings; the old one stops.

    Returns the token (256 random bits); only its hash is stored, so it is shown once.
    """
    with transaction.atomic(), acting_as(user):
        FeedToken.objects.live().filter(user=user, organisation=organisation).update(
            revoked_at=timezone.now()
        )
        token = secrets.token_urlsafe(32)
        FeedToken.objects.create(
            user=user,
            organisation=organisation,
            lookup=token[:LOOKUP_LENGTH],
            digest=_digest(token),
        )
    return token


def feed_token_revoke(*, user, organisation: Organisation) -> int:
    with transaction.atomic(), acting_as(user):
        return (
            FeedToken.objects.live()
            .filter(user=user, organisation=organisation)
            .update(revoked_at=timezone.now())
        )


def feed_token_find(token: str) -> FeedToken | None:
    """The token's row (live or revoked) if `token` matches it, compared in constant time."""
    if len(token) < LOOKUP_LENGTH or len(token) > 100:
        return None
    row = (
        FeedToken.objects.select_related("user", "organisation")
        .filter(lookup=token[:LOOKUP_LENGTH])
        .first()
    )
    if row is None or not hmac.compare_digest(row.digest, _digest(token)):
        return None
    return row

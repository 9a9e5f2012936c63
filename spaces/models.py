"""City spaces associations can book, and the bookings.

The invariant: no two active bookings (requested or confirmed) overlap on the same physical unit.
A booking occupies every unit of its space (a whole hall has two halves, each half one); a trigger
in PostgreSQL writes one occupancy row per unit in the same statement as the booking, whoever
writes it (the site, the admin, an import, raw SQL), and an exclusion constraint on those rows is
the guarantee. The booking service locks the space rows first so that people get a friendly
message instead of an error.
"""

import datetime as dt
import functools
import uuid
from decimal import Decimal
from pathlib import PurePath

import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import (
    ArrayField,
    DateRangeField,
    DateTimeRangeField,
    RangeOperators,
)
from django.contrib.postgres.indexes import GistIndex
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config.audit import track
from directory.models import Area, Organisation
from directory.models import is_city_staff as directory_is_city_staff
from spaces.validators import validate_image_size

ACTIVE_STATUSES = ("requested", "confirmed")
# Cleaning or set-up time between bookings; bounded so the clash check can use a fixed window.
MAX_BUFFER = dt.timedelta(hours=2)
RESERVED_SLUGS = ["bookings", "calendar", "staff"]


class PriceCategory(models.Model):
    """How a space is charged: free for associations, running costs only, or commercial."""

    class Kind(models.TextChoices):
        FREE = "free", _("free for registered associations")
        COST_BASED = "cost_based", _("running costs only")
        COMMERCIAL = "commercial", _("commercial")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("price category")
        verbose_name_plural = _("price categories")
        ordering = ["position", "name_fi"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fi").startswith("en") else self.name_fi


# Staff powers need two-step verification, as in the admin (one rule for every module).
is_city_staff = directory_is_city_staff


class PriceQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day
        )


@track()
class Price(models.Model):
    """Hourly prices of a category from a date: what associations pay, and the full price.

    The full (non-subsidised) price is what the hour would cost without the city's support; the
    difference is the value of free use that grants staff see.
    """

    category = models.ForeignKey(
        PriceCategory,
        verbose_name=_("price category"),
        on_delete=models.CASCADE,
        related_name="prices",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    hourly_price = models.DecimalField(
        _("price per hour for associations (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    full_hourly_price = models.DecimalField(
        _("full price per hour (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What the hour costs without the city's support."),
    )

    objects = PriceQuerySet.as_manager()

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["category", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_price__gte=0)
                & Q(full_hourly_price__gte=models.F("hourly_price")),
                name="price_not_negative_nor_above_full",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="price_valid_range",
            ),
            # One price per category on any day.
            ExclusionConstraint(
                name="price_validity_no_overlap",
                expressions=[
                    ("category", RangeOperators.EQUAL),
                    (
                        models.Func(
                            models.F("valid_from"),
                            models.F("valid_until"),
                            models.Value("[]"),
                            function="daterange",
                            output_field=DateRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.hourly_price} € / {self.full_hourly_price} €"


@track()
class Venue(models.Model):
    """A building with opening hours and accessibility facts."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address name"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, default="Kuopio")
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venues",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_step_free = models.BooleanField(_("step-free entrance"), default=False)
    has_accessible_wc = models.BooleanField(_("accessible toilet"), default=False)
    has_induction_loop = models.BooleanField(_("induction loop"), default=False)
    has_parking = models.BooleanField(_("parking"), default=False)
    accessibility_notes = models.TextField(_("more about accessibility"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90)
                    & Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="venue_coordinates_both_and_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street_address, town) if part)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


@track()
class OpeningHours(models.Model):
    """The regular hours of a venue on one weekday. A weekday without a row is closed."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens"))
    closes_at = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["venue", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "weekday"], name="opening_hours_one_per_day"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="opening_hours_order"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H.%M}–{self.closes_at:%H.%M}"


class OpeningExceptionQuerySet(models.QuerySet):
    def between(self, first: dt.date, last: dt.date):
        """Exceptions touching the days first..last (inclusive)."""
        return self.filter(starts_on__lte=last, ends_on__gte=first)


@track()
class OpeningException(models.Model):
    """A holiday or closure: closed on those days, or open other hours than usual."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="exceptions"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=150, help_text=_("For example Midsummer."))
    opens_at = models.TimeField(_("opens"), null=True, blank=True, help_text=_("Empty: closed."))
    closes_at = models.TimeField(_("closes"), null=True, blank=True)

    objects = OpeningExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exception to opening hours")
        verbose_name_plural = _("exceptions to opening hours")
        ordering = ["venue", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="opening_exception_days"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__gt=models.F("opens_at")),
                name="opening_exception_hours",
            ),
        ]

    def __str__(self):
        return f"{self.reason} {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    @property
    def is_closed(self) -> bool:
        return self.opens_at is None


class SpaceUnit(models.Model):
    """The smallest physical part of a venue that can be occupied, e.g. one half of a hall."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("physical unit")
        verbose_name_plural = _("physical units")
        ordering = ["venue", "name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="space_unit_name_unique"),
        ]

    def __str__(self):
        return f"{self.venue}: {self.name}"


# What a row of the space list shows (see `spaces.listing`).
LIST_ROW_FIELDS = (
    "pk",
    "slug",
    "name",
    "type",
    "capacity",
    "is_bookable",
    "requires_approval",
    "venue__name",
    "venue__is_step_free",
    "venue__has_accessible_wc",
    "venue__has_induction_loop",
    "venue__district__name_fi",
    "venue__district__name_en",
    "price_category__name_fi",
    "price_category__name_en",
)


class SpaceQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)

    def bookable(self):
        return self.listed().filter(is_bookable=True)

    def with_list_data(self):
        return self.select_related(
            "venue", "venue__district", "venue__district__parent", "price_category"
        )

    def sharing_units_with(self, space):
        """Spaces that occupy any unit of `space` (itself, the whole hall, its halves)."""
        return self.filter(
            pk__in=SpaceUnitLink.objects.filter(
                unit__in=SpaceUnitLink.objects.filter(space=space).values("unit")
            ).values("space")
        )

    def list_rows(self):
        """The space list's rows as plain dicts: only the columns a row prints, with the venue,
        district and price category joined. Building, compiling and instantiating model
        objects for these cost three times the query itself (0.5 ms compile instead of 1.4)."""
        return self.values(*LIST_ROW_FIELDS)

    def free_during(self, during):
        """Spaces none of whose units is occupied by an active booking in `during`."""
        return self.filter(_free_condition(during))


@functools.lru_cache(maxsize=256)
def _free_condition(during) -> Q:
    """The busy units come from one probe of the occupancy table's time index (the active rows
    overlapping `during`: a handful of index pages however many bookings there are), then
    their spaces through the unit links; PostgreSQL hashes that small set once and checks
    each space against it, instead of looking up every space's units row by row.

    Kept per time range like `spaces.filters._open_condition`: the querysets in it are never
    run, only copied into each query that uses them.
    """
    busy_units = BookingOccupancy.objects.filter(is_active=True, during__overlap=during)
    busy_spaces = SpaceUnitLink.objects.filter(unit__in=busy_units.values("unit"))
    return ~Q(pk__in=busy_spaces.values("space"))


@track()
class Space(models.Model):
    class Type(models.TextChoices):
        MEETING_ROOM = "meeting_room", _("meeting room")
        CLUB_ROOM = "club_room", _("club room")
        HALL = "hall", _("hall")
        BAND_ROOM = "band_room", _("band room")
        KITCHEN = "kitchen", _("kitchen or café")
        STAGE = "stage", _("stage")
        POPUP = "popup", _("pop-up space")
        STORAGE = "storage", _("storage")

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="spaces"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address name"), max_length=160, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    equipment = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("equipment"),
        default=list,
        blank=True,
        help_text=_("Separate items with commas, e.g. projector, piano, coffee maker."),
    )
    units = models.ManyToManyField(
        SpaceUnit,
        through="SpaceUnitLink",
        verbose_name=_("physical units"),
        related_name="spaces",
    )
    price_category = models.ForeignKey(
        PriceCategory,
        verbose_name=_("price category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
    )
    is_listed = models.BooleanField(_("shown on the site"), default=True)
    is_bookable = models.BooleanField(
        _("bookable on the site"),
        default=True,
        help_text=_("Off: the page only tells about the space."),
    )
    requires_approval = models.BooleanField(
        _("bookings need approval"),
        default=True,
        help_text=_("Off: bookings are confirmed at once."),
    )
    min_duration = models.DurationField(_("shortest booking"), default=dt.timedelta(hours=1))
    max_duration = models.DurationField(_("longest booking"), default=dt.timedelta(hours=4))
    booking_horizon_days = models.PositiveSmallIntegerField(_("bookable days ahead"), default=180)
    cancellation_hours = models.PositiveSmallIntegerField(
        _("cancel at the latest (hours before)"), default=24
    )
    buffer = models.DurationField(
        _("time between bookings"),
        default=dt.timedelta(0),
        help_text=_("For cleaning or setting up, at most 2 hours, e.g. 0:15:00."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["venue__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_duration__gt=dt.timedelta(0))
                & Q(max_duration__gte=models.F("min_duration")),
                name="space_durations",
            ),
            models.CheckConstraint(
                condition=Q(buffer__gte=dt.timedelta(0)) & Q(buffer__lte=MAX_BUFFER),
                name="space_buffer",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="space_capacity"),
            # These words are pages under /spaces/ (spaces/urls.py), so no space may use them.
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS),
                name="space_slug_not_reserved",
                violation_error_message=_(
                    "This address name is taken by the site. Choose another."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("spaces:space-detail", kwargs={"slug": self.slug})

    @property
    def full_name(self) -> str:
        """ "Kokoussali, Alavan palvelutalo"; just the name when the space is the whole venue."""
        if self.name == self.venue.name:
            return self.name
        return f"{self.name}, {self.venue.name}"


class SpaceUnitLink(models.Model):
    """Which physical units a space occupies. Changing them re-checks future bookings."""

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="unit_links"
    )
    unit = models.ForeignKey(
        SpaceUnit, verbose_name=_("physical unit"), on_delete=models.PROTECT, related_name="links"
    )

    class Meta:
        verbose_name = _("physical unit of a space")
        verbose_name_plural = _("physical units of spaces")
        constraints = [
            models.UniqueConstraint(fields=["space", "unit"], name="space_unit_link_unique"),
        ]
        triggers = [
            # A space's units changed: rewrite the occupancy of its future bookings. A change
            # that would double-book a unit fails on the exclusion constraint.
            pgtrigger.Trigger(
                name="resync_occupancy",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Delete,
                declare=[("changed_space", "bigint")],
                func="""
                    IF TG_OP = 'DELETE' THEN changed_space := OLD.space_id;
                    ELSE changed_space := NEW.space_id; END IF;
                    DELETE FROM spaces_bookingoccupancy o USING spaces_booking b
                     WHERE o.booking_id = b.id AND b.space_id = changed_space
                       AND upper(b.during) > now();
                    INSERT INTO spaces_bookingoccupancy (booking_id, unit_id, during, is_active)
                    SELECT b.id, l.unit_id, b.during, b.status IN ('requested', 'confirmed')
                      FROM spaces_booking b
                      JOIN spaces_spaceunitlink l ON l.space_id = b.space_id
                     WHERE b.space_id = changed_space AND upper(b.during) > now();
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self):
        return str(self.unit)


def photo_path(instance, filename):
    """A random name: the uploader's file name never becomes part of a path."""
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"spaces/{instance.space_id}/{uuid.uuid4().hex}{suffix}"


class SpacePhotoQuerySet(models.QuerySet):
    # A fixed statement: the same query through the ORM (filter, DISTINCT ON, ordering) cost
    # ~0.7 ms of Python for 0.04 ms of SQL on every page of the space list.
    _FIRST_SQL = """
        SELECT DISTINCT ON (space_id) space_id, image, alt_text FROM spaces_spacephoto
         WHERE space_id = ANY(%s) ORDER BY space_id, position, id
    """

    def first_of(self, space_ids: list[int]) -> dict[int, tuple[str, str]]:
        """Each space's first photo (file name, alt text), in one query for a page of spaces."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(self._FIRST_SQL, [list(space_ids)])
            return {space: (image, alt) for space, image, alt in cursor.fetchall()}


class SpacePhoto(models.Model):
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("image"),
        upload_to=photo_path,
        validators=[
            FileExtensionValidator(["jpg", "jpeg", "png", "webp"]),
            validate_image_size,
        ],
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    alt_text = models.CharField(
        _("description for screen readers"),
        max_length=200,
        help_text=_("What the photo shows, e.g. “The hall with chairs in rows”."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SpacePhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["space", "position", "pk"]

    def __str__(self):
        return self.alt_text


@track()
class BookingSeries(models.Model):
    """A weekly slot for a season, requested at once. Clashing dates are recorded as skipped."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="booking_series",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="series"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    first_on = models.DateField(_("first day"))
    last_on = models.DateField(_("last day"))
    purpose = models.CharField(_("purpose"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("weekly booking series")
        verbose_name_plural = _("weekly booking series")
        ordering = ["-first_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_on__gte=models.F("first_on")), name="series_days"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="series_times"
            ),
        ]

    def __str__(self):
        return (
            f"{self.space.name}: {self.get_weekday_display()} "
            f"{self.starts_at:%H.%M}–{self.ends_at:%H.%M}"
        )


class SkippedOccurrence(models.Model):
    """A date of a series that was not booked, and why."""

    class Reason(models.TextChoices):
        TAKEN = "taken", _("already booked")
        CLOSED = "closed", _("closed")
        NO_SUCH_TIME = "no_such_time", _("the clock skips this time")
        NOT_ALLOWED = "not_allowed", _("outside the booking rules")

    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="skipped",
    )
    on = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("skipped date")
        verbose_name_plural = _("skipped dates")
        ordering = ["series", "on"]
        constraints = [
            models.UniqueConstraint(fields=["series", "on"], name="skipped_once_per_day"),
        ]

    def __str__(self):
        return f"{self.on:%d.%m.%Y}: {self.get_reason_display()}"


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=Booking.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Booking.Status.REQUESTED)

    def not_ended(self):
        return self.filter(during__endswith__gt=timezone.now())

    def visible_to(self, user):
        """City staff (with two-step verification) see every booking; others the ones they made
        and, as admins, their associations'.

        A person who has left the association no longer sees its bookings.
        """
        from directory.models import Membership

        if not user.is_authenticated:
            return self.none()
        if is_city_staff(user):
            return self
        member_of = Membership.objects.filter(user=user).values("organisation")
        admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
            "organisation"
        )
        return self.filter(
            Q(booked_by=user, organisation__in=member_of) | Q(organisation__in=admin_of)
        )


@track()
class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("waiting for approval")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="space_bookings",
    )
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="bookings"
    )
    during = DateTimeRangeField(_("time"))
    purpose = models.CharField(_("purpose"), max_length=200)
    expected_attendees = models.PositiveIntegerField(_("expected attendees"))
    is_public = models.BooleanField(
        _("public event"),
        default=False,
        help_text=_("Public: the purpose and the association are shown in the space's calendar."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    staff_note = models.TextField(_("note from staff"), blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
    )
    # Copied from the space when booked, so later changes to the space don't break old bookings.
    buffer = models.DurationField(_("time between bookings"), default=dt.timedelta(0))
    price_paid = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    full_price = models.DecimalField(
        _("full price"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Bumped on every change so calendar apps replace their copy (iCal SEQUENCE).
    sequence = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["during"]
        constraints = [
            models.CheckConstraint(
                condition=Q(during__isempty=False)
                & Q(during__lower_inf=False)
                & Q(during__upper_inf=False)
                & Q(during__lower_inc=True)
                & Q(during__upper_inc=False),
                name="booking_during_bounded_half_open",
            ),
            models.CheckConstraint(
                condition=Q(price_paid__gte=0) & Q(full_price__gte=0),
                name="booking_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="booking_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(buffer__gte=dt.timedelta(0)) & Q(buffer__lte=MAX_BUFFER),
                name="booking_buffer",
            ),
            # Same space, same time: also refused here, before the occupancy trigger runs.
            ExclusionConstraint(
                name="booking_no_overlap_on_space",
                expressions=[
                    ("space", RangeOperators.EQUAL),
                    ("during", RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=ACTIVE_STATUSES),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="booking_org_status"),
        ]
        triggers = [
            # One occupancy row per physical unit, written in the same statement as the booking,
            # whoever writes it. The exclusion constraint on those rows is the guarantee.
            pgtrigger.Trigger(
                name="write_occupancy",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                    IF TG_OP = 'UPDATE'
                       AND NEW.during IS NOT DISTINCT FROM OLD.during
                       AND NEW.status IS NOT DISTINCT FROM OLD.status
                       AND NEW.space_id = OLD.space_id THEN
                        RETURN NULL;
                    END IF;
                    DELETE FROM spaces_bookingoccupancy WHERE booking_id = NEW.id;
                    INSERT INTO spaces_bookingoccupancy (booking_id, unit_id, during, is_active)
                    SELECT NEW.id, l.unit_id, NEW.during,
                           NEW.status IN ('requested', 'confirmed')
                      FROM spaces_spaceunitlink l WHERE l.space_id = NEW.space_id;
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self):
        return f"{self.space.name} {self.local_start:%d.%m.%Y %H.%M}"

    def get_absolute_url(self):
        return reverse("spaces:booking-detail", kwargs={"pk": self.pk})

    @property
    def start(self) -> dt.datetime:
        return self.during.lower

    @property
    def end(self) -> dt.datetime:
        return self.during.upper

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.during.lower)

    @property
    def local_end(self) -> dt.datetime:
        return timezone.localtime(self.during.upper)

    @property
    def duration(self) -> dt.timedelta:
        return self.during.upper - self.during.lower

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def cancel_deadline(self) -> dt.datetime:
        return self.during.lower - dt.timedelta(hours=self.space.cancellation_hours)

    @property
    def free_use_value(self) -> Decimal:
        return self.full_price - self.price_paid


class BookingOccupancy(models.Model):
    """One row per booking per physical unit; written only by the booking trigger."""

    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="occupancy"
    )
    unit = models.ForeignKey(
        SpaceUnit,
        verbose_name=_("physical unit"),
        on_delete=models.PROTECT,
        related_name="occupancy",
    )
    during = DateTimeRangeField(_("time"))
    is_active = models.BooleanField(_("active"))

    class Meta:
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancy")
        indexes = [
            # "Which units are taken at this time?" for the space list's free-at filter. The
            # exclusion constraint's GiST index leads with the unit, so a search by time alone
            # reads the whole index (~570 pages for 300,000 bookings); this one is ordered by
            # time and answers from 3-4 pages, the unit coming from the index itself.
            GistIndex(
                fields=["during"],
                include=["unit"],
                condition=Q(is_active=True),
                name="occupancy_active_during",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["booking", "unit"], name="occupancy_once_per_unit"),
            ExclusionConstraint(
                name="occupancy_no_double_booking",
                expressions=[
                    ("unit", RangeOperators.EQUAL),
                    ("during", RangeOperators.OVERLAPS),
                ],
                condition=Q(is_active=True),
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.during}"


class FeedTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


@track(exclude=["digest"])
class FeedToken(models.Model):
    """A private calendar address for one person's view of one association's bookings.

    Only a hash of the secret is stored. Revoked tokens stay in the table, so no address is ever
    handed out twice: devices keep polling dead feeds for years.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="space_feed_tokens",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="space_feed_tokens",
    )
    lookup = models.CharField(_("lookup key"), max_length=16, unique=True)
    digest = models.CharField(_("hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(revoked_at__isnull=True),
                name="feed_token_one_live_per_user_and_org",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"

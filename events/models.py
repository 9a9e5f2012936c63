"""Events, series, umbrella events, follows and private feed tokens.

An event always stores `starts_at`/`ends_at` (aware, `ends_at` exclusive). An all-day event
stores local midnights: the start of its first day and the start of the day after its last day,
so date filters, clash checks and feeds treat every event the same way.
"""

import functools
import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config.audit import track
from config.ical import HELSINKI
from directory.models import Area, FieldOfActivity, Organisation, TargetGroup


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=HELSINKI)


def last_day_of(ends_at: datetime, is_all_day: bool) -> date:
    """The last local day an event runs on (inclusive): an end at midnight is the day before."""
    end = ends_at.astimezone(HELSINKI)
    if is_all_day or end.time() == time(0, 0):
        return (end - timedelta(days=1)).date()
    return end.date()


def place_text(place_kind: str, place_name: str, street_address: str, district: str) -> str:
    """Where an event is, as the feeds write it: "Place, Street 1, District, online"."""
    parts = []
    if place_kind in _HAS_ADDRESS:
        parts = [p for p in (place_name, street_address, district) if p]
    if place_kind in _IS_ONLINE:
        parts.append(str(_("online")))
    return ", ".join(parts)


_HAS_ADDRESS = {"address", "hybrid"}
_IS_ONLINE = {"online", "hybrid"}


def event_uid(pk: int) -> str:
    """The stable iCal UID of an occurrence: never changes, never reused."""
    return f"event-{pk}@{_uid_host(settings.SITE_URL)}"


@track()
class Umbrella(models.Model):
    """A festival or campaign that groups many events by many organisers."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    website = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(FieldOfActivity, verbose_name=_("themes"), blank=True)
    is_open = models.BooleanField(
        _("open for events"),
        default=True,
        help_text=_("Organisers may add their events under this umbrella."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("umbrella event")
        verbose_name_plural = _("umbrella events")
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="umbrella_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:umbrella-detail", kwargs={"slug": self.slug})


@track()
class Series(models.Model):
    """The same event weekly or on listed dates. Each occurrence is its own Event row."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        DATES = "dates", _("on listed dates")
        IMPORTED = "imported", _("imported repeating event")

    title = models.CharField(_("name of the event"), max_length=200)
    kind = models.CharField(_("repeats"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self):
        return self.title


def _json_list(through, target: str, keys=("slug", "name_fi", "name_en"), order="position"):
    """A subquery giving a JSON list of the related rows' `keys`, for one event."""
    data = JSONBAgg(
        JSONObject(**{key: f"{target}__{key}" for key in keys}), order_by=f"{target}__{order}"
    )
    rows = (
        through.objects.filter(event_id=OuterRef("pk"))
        .order_by()
        .values("event_id")
        .annotate(data=data)
        .values("data")
    )
    return Subquery(rows)


class TsTzRange(models.Func):
    """`tstzrange(starts_at, ends_at)`, half-open like the event itself (the GiST index's key)."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _span():
    return TsTzRange("starts_at", "ends_at")


class _Condition(models.Expression):
    """A fixed WHERE condition on the event row, written as SQL with its values as parameters.

    The list pages, feeds and counts filter every request by these two; as `Q` objects and a
    queryset subquery they took ~0.5 ms to build and compile each time, more than PostgreSQL
    took to run them. The SQL is the same the ORM wrote (the indexes and the planner's proof
    that a listed event is no draft rely on it); the tests of the lists cover their meaning.
    """

    output_field = models.BooleanField()
    sql = ""

    def __init__(self, moment: datetime):
        super().__init__()
        self.moment = moment

    def as_sql(self, compiler, connection):
        event = compiler.quote_name(compiler.query.get_initial_alias())
        return self.sql.format(event=event), self.params()

    def params(self) -> tuple:
        return (self.moment,)


class Listed(_Condition):
    """Published, postponed, and cancelled until it has ended (`listed()`)."""

    sql = (
        "({event}.status IN ('published', 'postponed')"
        " OR ({event}.ends_at > %s AND {event}.status = 'cancelled'))"
    )


class EndingAfter(_Condition):
    """Ends after the moment, and starts at or after the start floor (`ending_after()`)."""

    sql = "({event}.ends_at > %s AND {event}.starts_at >= " + "{floor})"

    def as_sql(self, compiler, connection):
        event = compiler.quote_name(compiler.query.get_initial_alias())
        return self.sql.format(event=event, floor=StartFloor.SQL), self.params()

    def params(self) -> tuple:
        return (self.moment, self.moment, self.moment)


def start_floor(moment: datetime):
    """The earliest start of any event still running at `moment` (else `moment` itself).

    Every event that ends after `moment` starts at or after this floor, so adding
    `starts_at >= floor` changes no result, but lets PostgreSQL walk the `starts_at` index
    from the floor instead of from the first event ever (the past grows without end: at
    200,000 events the upcoming list skipped 100,000 past rows). The floor itself is one
    GiST lookup of the few events running at that moment (index `event_span`).
    """
    return StartFloor(moment)


class StartFloor(models.Expression):
    """`start_floor` as fixed SQL: the same subquery built from querysets cost ~0.4 ms to
    build and compile on every list page, feed and count, more than PostgreSQL took to run it.
    The GiST index `event_span` is on exactly `tstzrange(starts_at, ends_at)`."""

    output_field = models.DateTimeField()

    def __init__(self, moment: datetime):
        super().__init__()
        self.moment = moment

    SQL = (
        "COALESCE((SELECT running.starts_at FROM events_event running"
        " WHERE tstzrange(running.starts_at, running.ends_at) @> %s::timestamptz"
        " ORDER BY running.starts_at LIMIT 1), %s::timestamptz)"
    )

    def as_sql(self, compiler, connection):
        return self.SQL, (self.moment, self.moment)


class _NamesOfEvent(models.Expression):
    """A text array of names related to the event row, from a fixed correlated subquery.

    Written as SQL rather than as an `ArraySubquery` of ORM querysets: building and compiling
    those two subqueries cost ~1 ms on every list page and feed, more than running them.
    """

    output_field = ArrayField(models.TextField())
    sql = ""

    def as_sql(self, compiler, connection):
        event = compiler.quote_name(compiler.query.get_initial_alias())
        return self.sql.format(event=event), ()


class OrganiserNames(_NamesOfEvent):
    sql = (
        "ARRAY(SELECT o.name FROM events_event_organisers eo"
        " JOIN directory_organisation o ON o.id = eo.organisation_id"
        " WHERE eo.event_id = {event}.id ORDER BY o.name)"
    )


class ThemeNames(_NamesOfEvent):
    """The themes' names in the active language (English falls back to Finnish)."""

    SQL = {
        False: "ARRAY(SELECT f.name_fi FROM events_event_themes et"
        " JOIN directory_fieldofactivity f ON f.id = et.fieldofactivity_id"
        " WHERE et.event_id = {event}.id ORDER BY f.position, f.name_fi)",
        True: "ARRAY(SELECT coalesce(nullif(f.name_en, ''), f.name_fi) FROM events_event_themes et"
        " JOIN directory_fieldofactivity f ON f.id = et.fieldofactivity_id"
        " WHERE et.event_id = {event}.id ORDER BY f.position, f.name_fi)",
    }

    def __init__(self, english: bool):
        super().__init__()
        self.sql = self.SQL[english]


class _NameOfEvent(_NamesOfEvent):
    output_field = models.TextField()


class DistrictName(_NameOfEvent):
    """The district's name in the active language (English falls back to Finnish), or ''."""

    SQL = {
        False: "coalesce((SELECT a.name_fi FROM directory_area a"
        " WHERE a.id = {event}.district_id), '')",
        True: "coalesce((SELECT coalesce(nullif(a.name_en, ''), a.name_fi) FROM directory_area a"
        " WHERE a.id = {event}.district_id), '')",
    }

    def __init__(self, english: bool):
        super().__init__()
        self.sql = self.SQL[english]


class UmbrellaName(_NameOfEvent):
    sql = "coalesce((SELECT u.name FROM events_umbrella u WHERE u.id = {event}.umbrella_id), '')"


_CAPPED_COUNT_SQL = "(SELECT count(*) FROM ({matches}) AS capped)"


class CappedCount(models.Expression):
    """How many rows the queryset has, counting at most `limit` + 1 of them, as a column of
    another query on the same table: a list page gets its rows and its count in one query.
    The queryset is compiled on its own (its own table name inside the subquery)."""

    output_field = models.IntegerField()

    def __init__(self, queryset, limit: int):
        super().__init__()
        self.matches = queryset.order_by().values("pk")[: limit + 1]

    @property
    def identity(self):
        return (type(self), id(self))

    def as_sql(self, compiler, connection):
        sql, params = self.matches.query.get_compiler(connection=connection).as_sql()
        return _CAPPED_COUNT_SQL.format(matches=sql), params


class EventQuerySet(models.QuerySet):
    def listed(self, now=None):
        """What the public list and feeds show: published, postponed, and cancelled until past."""
        return self.filter(Listed(now or timezone.now()))

    def public(self):
        """Every event anyone may open by its address (past and cancelled included)."""
        return self.exclude(status=Event.Status.DRAFT)

    def ending_after(self, moment: datetime):
        """Events that end after `moment` (with the index-friendly start floor)."""
        return self.filter(EndingAfter(moment))

    def upcoming(self, now=None):
        return self.ending_after(now or timezone.now())

    def between(self, start: datetime, end: datetime):
        """Events overlapping [start, end)."""
        return self.ending_after(start).filter(starts_at__lt=end)

    def of_organisations(self, organisations):
        return self.filter(organisers__in=organisations).distinct()

    def with_list_data(self, full: bool = False):
        """Everything a list row shows, in the same single query: organisers and themes as
        JSON (and with `full`, target groups and areas too), the district and umbrella."""
        queryset = self.select_related("district", "umbrella").annotate(
            organiser_list=_json_list(
                Event.organisers.through, "organisation", ("slug", "name"), order="name"
            ),
            theme_list=_json_list(Event.themes.through, "fieldofactivity"),
        )
        if full:
            queryset = queryset.annotate(
                group_list=_json_list(Event.target_groups.through, "targetgroup"),
                area_list=_json_list(Event.areas.through, "area"),
            )
        return queryset

    def with_names(self):
        """The organisers' names (by name) and the themes' names in the active language (by
        position) as text arrays, the district's and the umbrella's name: what list rows and
        feed entries show of them, without joins for the ORM to set up."""
        english = (get_language() or "fi").startswith("en")
        return self.annotate(
            organiser_names=OrganiserNames(),
            theme_names=ThemeNames(english),
            district_name=DistrictName(english),
            umbrella_name=UmbrellaName(),
        )

    def visible_to(self, user):
        from directory.models import is_city_staff

        if is_city_staff(user):
            return self
        if user.is_authenticated:
            member_events = Q(
                status=Event.Status.DRAFT,
                organisers__memberships__user=user,
            )
            ids = self.filter(member_events).values("pk")
            return self.filter(~Q(status=Event.Status.DRAFT) | Q(pk__in=ids))
        return self.public()


SEARCH_FIELDS = [
    "search_terms_a",
    "search_terms_b",
    "search_text",
    "search_finnish",
    "search_simple",
]


@track(exclude=SEARCH_FIELDS)
class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")
        POSTPONED = "postponed", _("postponed")

    class PlaceKind(models.TextChoices):
        ADDRESS = "address", _("at an address")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("at an address and online")

    class Registration(models.TextChoices):
        NONE = "none", _("no registration")
        LINK = "link", _("register on a web page")
        EMAIL = "email", _("register by email")

    title = models.CharField(_("name of the event"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), related_name="events"
    )
    is_save_the_date = models.BooleanField(
        _("save the date"),
        default=False,
        help_text=_("A tentative entry months ahead, so that others can plan around it."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    is_all_day = models.BooleanField(_("all-day event"), default=False)

    place_kind = models.CharField(
        _("place"), max_length=10, choices=PlaceKind.choices, default=PlaceKind.ADDRESS
    )
    # A city space or venue from the spaces module; its name and address are copied into the
    # place fields below when chosen, so feeds and lists need no extra joins.
    space = models.ForeignKey(
        "spaces.Space",
        verbose_name=_("space"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    venue = models.ForeignKey(
        "spaces.Venue",
        verbose_name=_("venue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    place_name = models.CharField(
        _("name of the place"),
        max_length=200,
        blank=True,
        help_text=_("For example Männistön asukastupa."),
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to people who have signed in."),
    )

    themes = models.ManyToManyField(FieldOfActivity, verbose_name=_("themes"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("target groups"), blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True)
    age_min = models.PositiveSmallIntegerField(_("age from"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("age up to"), null=True, blank=True)

    is_free = models.BooleanField(_("free of charge"), default=True)
    price_text = models.CharField(
        _("price"), max_length=200, blank=True, help_text=_("For example 5 €, children free.")
    )
    registration = models.CharField(
        _("registration"),
        max_length=10,
        choices=Registration.choices,
        default=Registration.NONE,
    )
    registration_url = models.URLField(_("registration page"), max_length=500, blank=True)
    registration_email = models.EmailField(_("registration email"), blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    is_accessible = models.BooleanField(
        _("accessible"),
        default=False,
        help_text=_("Step-free access and an accessible toilet."),
    )
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    image = models.ImageField(_("image"), upload_to="events/%Y/", blank=True)
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    status_note = models.CharField(
        _("note on the change"),
        max_length=300,
        blank=True,
        help_text=_("For example why the event was cancelled or when the new date is known."),
    )
    umbrella = models.ForeignKey(
        Umbrella,
        verbose_name=_("umbrella event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    # Imported events: the partner calendar's UID (with the occurrence for repeating ones).
    source_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    source_uid = models.CharField(max_length=500, blank=True, editable=False)

    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Search (see events/search.py, which uses the directory's Finnish analysis): words, lemmas
    # and compound parts computed in Python (A: title, B: the rest), and the accent-free text
    # the typo fallback compares against. Derived, so left out of the audit trail.
    search_terms_a = models.TextField(default="", blank=True, editable=False)
    search_terms_b = models.TextField(default="", blank=True, editable=False)
    search_text = models.TextField(default="", blank=True, editable=False)
    search_finnish = models.GeneratedField(
        expression=SearchVector("title", config="finnish", weight="A")
        + SearchVector("description", config="finnish", weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_simple = models.GeneratedField(
        expression=SearchVector("search_terms_a", config="simple", weight="A")
        + SearchVector("search_terms_b", config="simple", weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [
            # Covering, in the lists' order: the upcoming page walks it from the start floor
            # without a sort, and the capped count, the month grid and the feed's ETag read
            # nothing else (index-only scans).
            models.Index(
                fields=["starts_at", "id"],
                include=["ends_at", "status", "is_all_day", "updated_at"],
                name="event_start_cover",
            ),
            models.Index(fields=["ends_at", "status"], name="event_ends_at_status"),
            GistIndex(_span(), name="event_span"),
            GinIndex(fields=["search_finnish"], name="event_search_finnish"),
            GinIndex(fields=["search_simple"], name="event_search_simple"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="event_search_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_max__gte=F("age_min")),
                name="event_age_range",
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("starts_at")),
                name="event_deadline_before_start",
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="event_image_has_alt"
            ),
            models.UniqueConstraint(
                fields=["source_organisation", "source_uid"],
                condition=~Q(source_uid=""),
                name="event_source_uid_unique",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"pk": self.pk})

    @property
    def uid(self) -> str:
        """The stable iCal UID of this occurrence: never changes, never reused."""
        return event_uid(self.pk)

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, HELSINKI)

    @property
    def local_end(self) -> datetime:
        return timezone.localtime(self.ends_at, HELSINKI)

    @property
    def starts_on(self) -> date:
        return self.local_start.date()

    @property
    def last_day(self) -> date:
        """The last day the event runs on (inclusive), for display."""
        return last_day_of(self.ends_at, self.is_all_day)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_online(self) -> bool:
        return self.place_kind in {self.PlaceKind.ONLINE, self.PlaceKind.HYBRID}

    @property
    def has_address(self) -> bool:
        return self.place_kind in {self.PlaceKind.ADDRESS, self.PlaceKind.HYBRID}

    @property
    def location_text(self) -> str:
        district = self.district.name if self.district_id and self.district else ""
        return place_text(self.place_kind, self.place_name, self.street_address, district)

    @property
    def is_registration_open(self) -> bool:
        if self.registration == self.Registration.NONE:
            return False
        deadline = self.registration_deadline or self.starts_at
        return timezone.now() < deadline

    @property
    def is_editable_status(self) -> bool:
        return self.status != self.Status.CANCELLED


class OrganisationFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_organisations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("followed association")
        verbose_name_plural = _("followed associations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="organisation_follow_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


class SavedEvent(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_events"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved event")
        verbose_name_plural = _("saved events")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="saved_event_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.event}"


def new_feed_key() -> str:
    return secrets.token_urlsafe(9)  # the public half: finds the row, proves nothing


def new_feed_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits, compared in constant time


class PersonalFeed(models.Model):
    """A private feed address (key + secret) that works without a cookie. Revoked, never reused."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed"
    )
    key = models.CharField(max_length=20, unique=True, default=new_feed_key)
    secret = models.CharField(max_length=64, default=new_feed_secret)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("events:personal-feed", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        return f"{self.key}.{self.secret}"


@functools.lru_cache(maxsize=8)
def _uid_host(site_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(site_url).hostname or "localhost"


def localized_name(term) -> str:
    """A taxonomy term's name in the active language (works on dicts from values() too)."""
    english = (get_language() or "fi").startswith("en")
    if isinstance(term, dict):
        return term.get("name_en" if english else "name_fi") or term.get("name_fi", "")
    return term.name

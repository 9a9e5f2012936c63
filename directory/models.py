"""People, associations and the shared taxonomies every module uses."""

from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from config.audit import track
from directory.validators import validate_business_id


class EmailUserManager(UserManager):
    """Users sign in with their email address; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


# Who made whom staff or superuser, and who closed an account, is in the audit trail. The
# password hash and the login time stay out of it.
@track(exclude=["password", "last_login"])
class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    # A volunteer is shown by name in the association's member list; the email stays private.
    full_name = models.CharField(_("name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class TaxonomyTerm(models.Model):
    """A term staff edit in the admin, with a stable slug and names in both languages."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name_fi"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fi").startswith("en") else self.name_fi


class FieldOfActivity(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")


class TargetGroup(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Area(TaxonomyTerm):
    """A municipality of Pohjois-Savo, or a district inside one."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        DISTRICT = "district", pgettext_lazy("directory", "district")

    kind = models.CharField(pgettext_lazy("directory", "kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="municipality", parent__isnull=True)
                | Q(kind="district", parent__isnull=False),
                name="area_district_has_municipality",
            ),
        ]

    @property
    def label(self) -> str:
        """The district with its municipality, e.g. "Neulamäki (Kuopio)"."""
        if self.parent_id:
            return f"{self.name} ({self.parent.name})"
        return self.name


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    SAMI = "se", _("Sámi")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    ESTONIAN = "et", _("Estonian")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    PERSIAN = "fa", _("Persian")
    FINNISH_SIGN = "fse", _("Finnish Sign Language")


def is_city_staff(user) -> bool:
    """Staff powers (seeing pending registrations, editing any association) need two-step
    verification, as the admin does. Remembered on the user object for the request."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if not hasattr(user, "_directory_has_mfa"):
        from config.admin_site import user_has_mfa

        user._directory_has_mfa = user_has_mfa(user)
    return user._directory_has_mfa


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Verified and not archived: the only organisations anyone may see without membership."""
        return self.filter(status=Organisation.Status.VERIFIED)

    def visible_to(self, user):
        if is_city_staff(user):
            return self.exclude(status=Organisation.Status.ARCHIVED)
        if user.is_authenticated:
            return self.filter(
                Q(status=Organisation.Status.VERIFIED)
                | Q(status=Organisation.Status.PENDING, memberships__user=user)
            ).distinct()
        return self.public()

    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def pending(self):
        return self.filter(status=Organisation.Status.PENDING)

    def unconfirmed_since(self, moment):
        """Organisations whose details nobody has confirmed since `moment`."""
        return self.filter(last_confirmed_at__lt=moment)


# Derived columns for search and ranking. They change on every reindex and page view, so they
# stay out of the audit trail (which records what people changed).
DERIVED_FIELDS = [
    "search_terms_a",
    "search_terms_b",
    "search_terms_c",
    "search_text",
    "search_finnish",
    "search_simple",
    "search_name",
    "popularity",
    "is_outdated",
    "freshness_reminder_sent_at",
]

# After this long without a confirmation the page says its details may be out of date.
OUTDATED_AFTER = timedelta(days=730)
REMINDER_AFTER = timedelta(days=365)


@track(exclude=DERIVED_FIELDS)
class Organisation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for verification")
        VERIFIED = "verified", _("verified")
        ARCHIVED = "archived", _("archived")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=220, unique=True)
    short_description = models.CharField(
        _("in brief"),
        max_length=300,
        help_text=_("One or two sentences: what the association does and for whom."),
    )
    description = models.TextField(_("what we do"), blank=True)
    expertise = models.TextField(_("what we know"), blank=True)
    services = models.TextField(_("what we offer others"), blank=True)
    fields = models.ManyToManyField(
        FieldOfActivity, verbose_name=_("fields of activity"), blank=True
    )
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("target groups"), blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True)
    languages = ArrayField(
        models.CharField(max_length=3, choices=Language.choices),
        verbose_name=_("languages of activity"),
        default=list,
        blank=True,
    )
    accessibility = models.TextField(_("accessibility of our activities"), blank=True)
    membership_info = models.TextField(_("how to join"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(pgettext_lazy("directory", "website"), blank=True)
    social_links = ArrayField(
        models.URLField(max_length=300),
        verbose_name=_("social media links"),
        default=list,
        blank=True,
    )
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    # NULL, not "", for "no ID": the unique constraint must allow many associations without one.
    business_id = models.CharField(  # noqa: DJ001
        _("business ID (Y-tunnus)"),
        max_length=9,
        null=True,
        blank=True,
        validators=[validate_business_id],
    )
    register_number = models.CharField(
        _("association register number"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{1,6}$", _("Enter 1 to 6 digits."))],
    )
    status = models.CharField(
        pgettext_lazy("directory", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
    )
    last_confirmed_at = models.DateTimeField(_("details confirmed"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Search: words, lemmas and compound parts computed in Python by directory.search (A: name,
    # B: in brief and the taxonomies, C: the longer texts), and the lower-case, accent-free text
    # the trigram fallback compares typos against.
    search_terms_a = models.TextField(default="", blank=True, editable=False)
    search_terms_b = models.TextField(default="", blank=True, editable=False)
    search_terms_c = models.TextField(default="", blank=True, editable=False)
    search_text = models.TextField(default="", blank=True, editable=False)
    # Snowball's Finnish stems of the raw text: the fallback for words Voikko does not know.
    search_finnish = models.GeneratedField(
        expression=SearchVector("name", config="finnish", weight="A")
        + SearchVector("short_description", config="finnish", weight="B")
        + SearchVector("description", config="finnish", weight="C")
        + SearchVector("expertise", config="finnish", weight="C")
        + SearchVector("services", config="finnish", weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Kept apart from the Finnish vector: mixing them made "pallo" match "Palokunta".
    search_simple = models.GeneratedField(
        expression=SearchVector("search_terms_a", config="simple", weight="A")
        + SearchVector("search_terms_b", config="simple", weight="B")
        + SearchVector("search_terms_c", config="simple", weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The name's terms alone, small enough to stay in the row and in the browse-order index: it
    # decides the "every word in the name" tier, and an index-ordered scan can test it on the
    # index entries without visiting the table.
    search_name = models.GeneratedField(
        expression=SearchVector("search_terms_a", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Page views in the last 90 days (kept current by directory.services).
    popularity = models.PositiveIntegerField(_("page views in 90 days"), default=0, editable=False)
    # Unconfirmed for two years: ranked lower. Set daily by send_freshness_reminders.
    is_outdated = models.BooleanField(_("possibly outdated"), default=False, editable=False)
    freshness_reminder_sent_at = models.DateTimeField(
        _("freshness reminder sent"), null=True, blank=True, editable=False
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["search_finnish"], name="organisation_search_finnish"),
            GinIndex(fields=["search_simple"], name="organisation_search_simple"),
            GinIndex(fields=["search_name"], name="organisation_search_name"),
            GinIndex(
                fields=["search_text"],
                opclasses=["gin_trgm_ops"],
                name="organisation_search_trgm",
            ),
            # The browse order of the public list: fresh first, then popular, then by name. A
            # search walks it too, testing the name terms on the index entries (see search.py).
            models.Index(
                fields=["is_outdated", "-popularity", "name", "id"],
                include=["search_name"],
                condition=Q(status="verified"),
                name="organisation_public_order",
            ),
            GinIndex(fields=["languages"], name="organisation_languages"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=Q(business_id__isnull=False),
                name="organisation_business_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(business_id__regex=r"^\d{7}-\d$") | Q(business_id__isnull=True),
                name="organisation_business_id_format",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="organisation_verified_has_date",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organisation-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def language_names(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages or []]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_possibly_outdated(self) -> bool:
        return self.last_confirmed_at < timezone.now() - OUTDATED_AFTER


class PendingOrganisation(Organisation):
    """The admin's list of registrations waiting for city staff to verify them."""

    class Meta:
        proxy = True
        verbose_name = _("registration waiting for verification")
        verbose_name_plural = _("registrations waiting for verification")


class MembershipQuerySet(models.QuerySet):
    def admins(self):
        return self.filter(role=Membership.Role.ADMIN)


@track()
class Membership(models.Model):
    """A user who may act for an association: admins also manage its members."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        EDITOR = "editor", _("editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_user_organisation_unique"
            ),
        ]
        triggers = [
            # The guarantee behind directory.services: an association with members always
            # keeps an administrator, whichever path (admin, shell, raw SQL) changes the rows.
            # Checked at commit, under a lock on the association, so two admins stepping down
            # at the same time cannot both succeed.
            pgtrigger.Trigger(
                name="keeps_an_admin",
                level=pgtrigger.Row,
                when=pgtrigger.After,
                operation=pgtrigger.Update | pgtrigger.Delete,
                timing=pgtrigger.Deferred,
                func="""
                IF OLD.role = 'admin' THEN
                    PERFORM 1 FROM directory_organisation
                        WHERE id = OLD.organisation_id FOR UPDATE;
                    IF EXISTS (SELECT 1 FROM directory_membership
                               WHERE organisation_id = OLD.organisation_id)
                       AND NOT EXISTS (SELECT 1 FROM directory_membership
                                       WHERE organisation_id = OLD.organisation_id
                                         AND role = 'admin') THEN
                        RAISE EXCEPTION 'association % must keep an administrator',
                            OLD.organisation_id USING ERRCODE = '23514';
                    END IF;
                END IF;
                RETURN NULL;
                """,
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class ContactPersonQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        )

    def shown(self):
        return self.current().filter(is_public=True)


@track()
class ContactPerson(models.Model):
    """A named contact on the public page, separate from user accounts."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="contact_persons",
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("For example chair or secretary.")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_public = models.BooleanField(_("shown on the public page"), default=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="contact_person_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.title})" if self.title else self.name


class JoinRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=JoinRequest.Status.PENDING)


@track()
class JoinRequest(models.Model):
    """Someone asks to become a member; an admin of the association or city staff decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("declined")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        pgettext_lazy("directory", "status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="join_request_one_open_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at__isnull=True)


@track()
class Invitation(models.Model):
    """An admin invites someone by email; the signed link in the email accepts it."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class VolunteerOpportunityQuerySet(models.QuerySet):
    def open(self, on=None):
        return self.filter(open_until__gte=on or timezone.localdate())

    def public(self):
        return self.filter(organisation__status=Organisation.Status.VERIFIED)


@track()
class VolunteerOpportunity(models.Model):
    """A task an association asks volunteers for, like those on vapaaehtoistyö.fi."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="volunteer_opportunities",
    )
    title = models.CharField(_("task"), max_length=150)
    description = models.TextField(_("what the task is"), max_length=4000)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    time_needed = models.CharField(
        _("time needed"), max_length=150, help_text=_("For example: 2 hours a week in autumn.")
    )
    contact = models.CharField(
        _("contact"), max_length=200, help_text=_("Who to contact: a name and a phone or email.")
    )
    open_until = models.DateField(_("open until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("directory", "created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VolunteerOpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer task")
        verbose_name_plural = _("volunteer tasks")
        ordering = ["open_until", "title", "id"]
        indexes = [models.Index(fields=["open_until"], name="volunteer_open_until")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("directory:volunteer-list") + f"#task-{self.pk}"


class SearchSynonym(models.Model):
    """Words that mean the same in a search, e.g. nuoret ~ nuoriso. Staff edit these."""

    words = models.CharField(
        _("words"),
        max_length=300,
        unique=True,
        help_text=_("Two or more words separated by commas, e.g. nuoret, nuoriso."),
    )
    # The words' forms and lemmas (computed by directory.search), matched against a query's.
    keys = ArrayField(models.CharField(max_length=100), default=list, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["words"]
        indexes = [GinIndex(fields=["keys"], name="search_synonym_keys")]

    def __str__(self):
        return self.words

    @property
    def word_list(self) -> list[str]:
        return [w.strip().lower() for w in self.words.split(",") if w.strip()]


class ZeroResultSearch(models.Model):
    """A search text that found nothing, counted: staff see what people miss."""

    query = models.CharField(_("search text"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("times"), default=0)
    first_searched_at = models.DateTimeField(_("first searched"), default=timezone.now)
    last_searched_at = models.DateTimeField(_("last searched"), default=timezone.now)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        ordering = ["-count", "-last_searched_at"]

    def __str__(self):
        return self.query


class OrganisationPageView(models.Model):
    """Views of an association's public page per day: the popularity in search ranks."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="page_views"
    )
    viewed_on = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("page views")
        verbose_name_plural = _("page views")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "viewed_on"], name="page_view_one_row_per_day"
            ),
        ]
        indexes = [models.Index(fields=["viewed_on"], name="page_view_viewed_on")]

    def __str__(self):
        return f"{self.organisation_id} {self.viewed_on}: {self.views}"

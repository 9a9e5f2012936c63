"""People, associations and the shared taxonomies every module uses."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
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
        DISTRICT = "district", _("district")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
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


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Verified and not archived: the only organisations anyone may see without membership."""
        return self.filter(status=Organisation.Status.VERIFIED)

    def visible_to(self, user):
        if user.is_authenticated and user.is_staff:
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


@track()
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
    website = models.URLField(_("website"), blank=True)
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
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
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

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]
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

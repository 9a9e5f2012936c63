"""Forums the city convenes, their meetings, registrations, workshops and the idea bank."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Func, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.audit import track
from directory.models import FieldOfActivity, Organisation, TargetGroup

# Forum slugs share /forums/<slug>/ with these pages.
RESERVED_FORUM_SLUGS = {"ideas", "voting", "registrations", "new"}


def validate_forum_slug(value: str) -> None:
    if value in RESERVED_FORUM_SLUGS:
        raise ValidationError(_("This address name is reserved. Choose another one."))


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


@track()
class Forum(models.Model):
    """A recurring series of meetings, e.g. the Seurafoorumi for sports clubs."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("address name"), max_length=80, unique=True, validators=[validate_forum_slug]
    )
    description = models.TextField(_("description"), blank=True)
    city_organiser = models.CharField(
        _("organiser in the city"),
        max_length=200,
        default="Kuopion kaupunki",
        help_text=_("The city unit that convenes the forum."),
    )
    organisers = models.ManyToManyField(
        Organisation,
        verbose_name=_("co-organising associations"),
        blank=True,
        related_name="forums_organised",
    )
    target_fields = models.ManyToManyField(
        FieldOfActivity, verbose_name=_("for associations in"), blank=True, related_name="+"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    is_active = models.BooleanField(pgettext_lazy("forum", "active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:forum-detail", kwargs={"forum": self.slug})


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Meeting.Status.PUBLISHED)

    def shown(self):
        """Published and cancelled meetings: a cancelled one stays visible with its notice."""
        return self.exclude(status=Meeting.Status.DRAFT)

    def visible_to(self, user):
        from forums.permissions import is_forum_staff  # permissions imports these models

        return self.all() if is_forum_staff(user) else self.shown()

    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_seat_counts(self):
        return self.annotate(
            seats_taken=Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.CONFIRMED,
                    registrations__attendance=Registration.Attendance.IN_PERSON,
                ),
            ),
            waitlist_length=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.WAITLISTED),
            ),
        )


@track()
class Meeting(models.Model):
    """One edition of a forum: a time, a place or a link, an agenda and a registration form."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("in person and online")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(pgettext_lazy("forum meeting", "title"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=80)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    invitation = models.TextField(
        _("invitation"), blank=True, help_text=_("The invitation text, shown on the meeting page.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    place_name = models.CharField(_("place"), max_length=150, blank=True)
    address = models.CharField(
        _("street address"), max_length=200, blank=True, help_text=_("Needed when people come.")
    )
    online_platform = models.CharField(
        _("online platform"), max_length=60, blank=True, help_text=_("For example Teams.")
    )
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Needed for online meetings. Shown only to registered participants."),
    )
    capacity = models.PositiveIntegerField(
        _("seats in person"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    has_waitlist = models.BooleanField(
        _("waitlist when full"),
        default=True,
        help_text=_("When the seats are taken, later registrations wait for a free seat."),
    )
    registration_closes_at = models.DateTimeField(_("registration closes"))
    allows_residents = models.BooleanField(
        _("residents may register"),
        default=False,
        help_text=_("People who do not represent an association may also register."),
    )
    asks_attendance_mode = models.BooleanField(
        _("ask: in person or remotely"), default=False, help_text=_("Only for hybrid meetings.")
    )
    asks_transport = models.BooleanField(_("ask: shared transport"), default=False)
    transport_info = models.CharField(
        _("about the shared transport"),
        max_length=300,
        blank=True,
        help_text=_("For example where and when the bus leaves."),
    )
    asks_diet = models.BooleanField(_("ask: special diet"), default=False)
    asks_free_text = models.BooleanField(_("ask: free question"), default=False)
    free_text_question = models.CharField(_("free question"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Written after the meeting; shown on its page.")
    )
    # The meeting's entry in the shared events calendar and its feeds, kept in step by
    # forums.services.meeting_publish.
    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("calendar event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="forum_meeting",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "slug"], name="meeting_slug_unique_in_forum"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=models.F("starts_at")),
                name="meeting_registration_closes_by_start",
            ),
            models.CheckConstraint(
                condition=Q(format="online") | ~Q(address=""),
                name="meeting_in_person_has_address",
            ),
            models.CheckConstraint(
                condition=Q(format="in_person") | ~Q(online_url=""),
                name="meeting_online_has_link",
            ),
            models.CheckConstraint(
                condition=Q(asks_attendance_mode=False) | Q(format="hybrid"),
                name="meeting_attendance_question_only_hybrid",
            ),
            models.CheckConstraint(
                condition=Q(asks_free_text=False) | ~Q(free_text_question=""),
                name="meeting_free_question_has_text",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="meeting_capacity_positive",
            ),
        ]

    def __str__(self):
        return f"{self.forum.name}: {self.title}"

    def get_absolute_url(self):
        return reverse(
            "forums:meeting-detail", kwargs={"forum": self.forum.slug, "meeting": self.slug}
        )

    def url_kwargs(self) -> dict:
        return {"forum": self.forum.slug, "meeting": self.slug}

    def clean(self):
        errors = {}
        if self.format != self.Format.ONLINE and not self.address:
            errors["address"] = _("Give the street address of the meeting place.")
        if self.format != self.Format.IN_PERSON and not self.online_url:
            errors["online_url"] = _("Give the link for joining online.")
        if self.asks_attendance_mode and self.format != self.Format.HYBRID:
            errors["asks_attendance_mode"] = _("Only a hybrid meeting can ask this.")
        if self.asks_free_text and not self.free_text_question:
            errors["free_text_question"] = _("Write the question.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if (
            self.starts_at
            and self.registration_closes_at
            and self.registration_closes_at > self.starts_at
        ):
            errors["registration_closes_at"] = _("Registration must close by the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_place(self) -> bool:
        return self.format != self.Format.ONLINE

    @property
    def is_online(self) -> bool:
        return self.format != self.Format.IN_PERSON

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def is_past(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def registration_is_open(self, now=None) -> bool:
        """For showing the form. The registration itself checks the database clock."""
        return (
            self.status == self.Status.PUBLISHED
            and (now or timezone.now()) < self.registration_closes_at
        )

    def attendance_for(self, requested: str | None) -> str:
        """The attendance a registration gets: asked only in a hybrid meeting that asks it."""
        if self.format == self.Format.ONLINE:
            return Registration.Attendance.REMOTE
        if self.asks_attendance_mode and requested in Registration.Attendance.values:
            return requested
        return Registration.Attendance.IN_PERSON

    def seats_left(self) -> int | None:
        """Free seats in person, from the `with_seat_counts()` annotation; None without a limit."""
        if self.capacity is None or self.format == self.Format.ONLINE:
            return None
        return max(self.capacity - self.seats_taken, 0)


@track()
class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    starts_at = models.DateTimeField(_("starts"))
    title = models.CharField(pgettext_lazy("forum meeting", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.title


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")

    def in_person(self):
        return self.filter(attendance=Registration.Attendance.IN_PERSON)


@track()
class Registration(models.Model):
    """A person registered for a meeting, on behalf of an association or as a resident."""

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        REMOTE = "remote", _("remotely")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("registered")
        WAITLISTED = "waitlisted", _("on the waitlist")
        CANCELLED = "cancelled", _("cancelled")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="forum_registrations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_registrations",
    )
    attendance = models.CharField(_("taking part"), max_length=20, choices=Attendance.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    needs_transport = models.BooleanField(_("shared transport"), null=True, blank=True)
    diet = models.CharField(_("special diet"), max_length=200, blank=True)
    answer = models.TextField(_("answer to the free question"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fi")
    # Set by the service from the database clock: the waitlist is served in this order.
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved off the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=~Q(status="cancelled"),
                name="registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(attendance="in_person"),
                name="registration_only_seats_wait",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="registration_cancelled_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.meeting}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


@track()
class WorkshopGroup(models.Model):
    """A table in a meeting's workshop; its secretary may record the group's answers."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("May record this group's answers."),
    )

    class Meta:
        verbose_name = _("workshop group")
        verbose_name_plural = _("workshop groups")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="workshop_group_name_unique"),
        ]

    def __str__(self):
        return self.name


@track()
class WorkshopQuestion(models.Model):
    """A question every group of the meeting's workshop answers."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("workshop question")
        verbose_name_plural = _("workshop questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


@track()
class WorkshopAnswer(models.Model):
    group = models.ForeignKey(
        WorkshopGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        WorkshopQuestion,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    text = models.TextField(_("answer"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("workshop answer")
        verbose_name_plural = _("workshop answers")
        ordering = ["question__position", "group__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "question"], name="workshop_answer_unique"),
        ]

    def __str__(self):
        return f"{self.group}: {self.question}"


class IdeaQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_hidden=False)

    def open(self):
        return self.filter(status__in=Idea.OPEN_STATUSES)

    def ranked_for(self, window: "VotingWindow"):
        """The published order: most votes first; ties by age, then id, the same on every render."""
        return (
            self.filter(forum_id=window.forum_id)
            .shown()
            .annotate(vote_count=Count("votes", filter=Q(votes__window=window)))
            .order_by("-vote_count", "created_at", "pk")
        )


@track()
class Idea(models.Model):
    """An idea for the forum's work; it stays in the bank from one meeting to the next."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        UNDER_CONSIDERATION = "under_consideration", _("under consideration")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        NOT_TAKEN_FORWARD = "not_taken_forward", _("not taken forward")

    OPEN_STATUSES = (Status.NEW, Status.UNDER_CONSIDERATION, Status.IN_PROGRESS)

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="ideas"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("raised at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    source_answer = models.ForeignKey(
        WorkshopAnswer,
        verbose_name=_("from the workshop answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    title = models.CharField(_("idea"), max_length=200)
    description = models.TextField(_("details"), max_length=5000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_ideas",
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.NEW
    )
    staff_response = models.TextField(_("the city's response"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden ideas are not shown or voted on.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:idea-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class VotingWindowQuerySet(models.QuerySet):
    def open_at(self, now):
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed_at(self, now):
        return self.filter(closes_at__lte=now)


@track()
class VotingWindow(models.Model):
    """A period in which eligible people rank a forum's open ideas with a few votes each."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="voting_windows"
    )
    title = models.CharField(pgettext_lazy("forum meeting", "title"), max_length=200)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    votes_per_person = models.PositiveSmallIntegerField(_("votes per person"), default=3)
    allows_residents = models.BooleanField(
        _("residents may vote"),
        default=False,
        help_text=_("Otherwise only people acting for a verified association vote."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VotingWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("voting window")
        verbose_name_plural = _("voting windows")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="voting_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(votes_per_person__gte=1, votes_per_person__lte=20),
                name="voting_votes_per_person_range",
            ),
            # One window at a time per forum, so a vote always belongs to one ranking.
            ExclusionConstraint(
                name="voting_windows_do_not_overlap",
                expressions=[
                    (TsTzRange("opens_at", "closes_at"), RangeOperators.OVERLAPS),
                    ("forum", RangeOperators.EQUAL),
                ],
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:voting-detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Voting must close after it opens.")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return self.closes_at <= (now or timezone.now())


# The database refuses a vote outside its window, over the person's number of votes (each
# vote takes one numbered slot, unique per person and window) or for another forum's idea.
VOTE_RULES_SQL = """
DECLARE
    w RECORD;
BEGIN
    SELECT opens_at, closes_at, votes_per_person, forum_id INTO w
    FROM forums_votingwindow WHERE id = NEW.window_id;
    IF statement_timestamp() < w.opens_at OR statement_timestamp() >= w.closes_at THEN
        RAISE EXCEPTION 'vote outside the voting window' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.slot > w.votes_per_person THEN
        RAISE EXCEPTION 'no votes left in this window' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM forums_idea WHERE id = NEW.idea_id AND forum_id = w.forum_id
    ) THEN
        RAISE EXCEPTION 'idea is not in the forum of the window' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
"""


@track()
class Vote(models.Model):
    window = models.ForeignKey(
        VotingWindow,
        verbose_name=_("voting window"),
        on_delete=models.CASCADE,
        related_name="votes",
    )
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.CASCADE,
        related_name="forum_votes",
    )
    slot = models.PositiveSmallIntegerField(_("vote number"))
    created_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["window", "idea", "user"], name="vote_one_per_idea"),
            models.UniqueConstraint(fields=["window", "user", "slot"], name="vote_slot_unique"),
            models.CheckConstraint(condition=Q(slot__gte=1), name="vote_slot_positive"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="vote_rules",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=VOTE_RULES_SQL,
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.idea}"


@track()
class Invitation(models.Model):
    """An invitation emailed to an association; at most one per meeting and association."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="forum_invitations",
    )
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="invitation_once_per_association"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.meeting}"

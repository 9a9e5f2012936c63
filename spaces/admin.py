"""Staff tools for spaces: venues and their hours, spaces, prices, and the approval queue.

Bookings made here go through the same service as the site's (lock, clash check, prices, mail);
the database's exclusion constraint refuses anything that slips past.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from directory.audit_admin import AuditTrailMixin
from directory.uploads import IMAGE_FORMFIELD_OVERRIDES
from spaces import services
from spaces.forms import DATE_WIDGET, GAP_MESSAGE, SENSIBLE_DATES, TIME_WIDGET, RejectForm
from spaces.models import (
    Booking,
    BookingSeries,
    FeedToken,
    OpeningException,
    OpeningHours,
    Price,
    PriceCategory,
    SkippedOccurrence,
    Space,
    SpacePhoto,
    SpaceUnit,
    SpaceUnitLink,
    Venue,
)
from spaces.times import NonexistentTime, local_datetime


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


class SpaceUnitInline(admin.TabularInline):
    model = SpaceUnit
    extra = 0


@admin.register(Venue)
class VenueAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["name", "district", "street_address", "agenda_link"]
    list_filter = ["district"]
    search_fields = ["name", "street_address"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, OpeningExceptionInline, SpaceUnitInline]

    @admin.display(description=_("today's bookings"))
    def agenda_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("spaces:staff-agenda", args=[obj.slug]),
            gettext("Day agenda"),
        )


class SpaceUnitLinkInline(admin.TabularInline):
    model = SpaceUnitLink
    extra = 0
    verbose_name_plural = _(
        "physical units (a whole hall has both halves; empty: one unit is made automatically)"
    )


class SpacePhotoInline(admin.TabularInline):
    model = SpacePhoto
    extra = 0
    formfield_overrides = IMAGE_FORMFIELD_OVERRIDES  # re-encoded, randomly named


@admin.register(Space)
class SpaceAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["name", "venue", "type", "capacity", "is_bookable", "requires_approval"]
    list_filter = ["type", "is_bookable", "requires_approval", "venue"]
    search_fields = ["name", "venue__name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["venue"]
    inlines = [SpaceUnitLinkInline, SpacePhotoInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.space_ensure_unit(space=form.instance, user=request.user)


class PriceInline(admin.TabularInline):
    model = Price
    extra = 0


@admin.register(PriceCategory)
class PriceCategoryAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["name_fi", "kind"]
    prepopulated_fields = {"slug": ["name_fi"]}
    inlines = [PriceInline]


class StaffBookingForm(forms.ModelForm):
    """A booking made by staff: day and local times, checked for clashes before saving."""

    day = forms.DateField(label=_("Day"), widget=DATE_WIDGET, validators=SENSIBLE_DATES)
    starts_at = forms.TimeField(label=_("Starts"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Ends"), widget=TIME_WIDGET)

    class Meta:
        model = Booking
        fields = [
            "organisation",
            "booked_by",
            "space",
            "purpose",
            "expected_attendees",
            "is_public",
            "staff_note",
        ]

    def clean(self):
        data = super().clean()
        space, day = data.get("space"), data.get("day")
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if None in (space, day, starts_at, ends_at):
            return data
        if ends_at <= starts_at:
            self.add_error("ends_at", gettext("The end must be after the start."))
            return data
        try:
            data["start"], data["end"] = (
                local_datetime(day, starts_at),
                local_datetime(day, ends_at),
            )
        except NonexistentTime:
            self.add_error("starts_at", GAP_MESSAGE)
            return data
        busy = services.busy_bookings(space, data["start"], data["end"])
        found = services.clash_with(busy, start=data["start"], end=data["end"], buffer=space.buffer)
        if found is not None:
            self.add_error(None, services.clash_message(*found, space.buffer))
        return data


class SkippedInline(admin.TabularInline):
    model = SkippedOccurrence
    extra = 0
    can_delete = False
    readonly_fields = ["on", "reason", "detail"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BookingSeries)
class BookingSeriesAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["__str__", "organisation", "first_on", "last_on", "waiting", "skipped_count"]
    list_select_related = ["space", "organisation"]
    readonly_fields = [
        "organisation",
        "booked_by",
        "space",
        "weekday",
        "starts_at",
        "ends_at",
        "first_on",
        "last_on",
        "purpose",
    ]
    inlines = [SkippedInline]
    actions = ["approve_waiting"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("waiting for approval"))
    def waiting(self, obj):
        return obj.bookings.filter(status=Booking.Status.REQUESTED).count()

    @admin.display(description=_("skipped dates"))
    def skipped_count(self, obj):
        return obj.skipped.count()

    @admin.action(description=_("Approve the waiting dates of the selected series"))
    def approve_waiting(self, request, queryset):
        waiting = Booking.objects.filter(series__in=queryset, status=Booking.Status.REQUESTED)
        approved = _decide_each(request, waiting, services.booking_approve)
        self.message_user(
            request,
            ngettext("%(n)d booking approved.", "%(n)d bookings approved.", approved)
            % {"n": approved},
        )


def _decide_each(request, bookings, decide, **kwargs) -> int:
    done = 0
    for booking in bookings.select_related("space", "organisation", "booked_by"):
        try:
            decide(booking=booking, user=request.user, **kwargs)
            done += 1
        except ValidationError as exc:
            messages.warning(request, f"{booking}: {exc.messages[0]}")
    return done


class TimeFilter(admin.SimpleListFilter):
    title = _("time")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("coming", _("coming")), ("past", _("past"))]

    def queryset(self, request, queryset):
        if self.value() == "coming":
            return queryset.filter(during__endswith__gt=timezone.now())
        if self.value() == "past":
            return queryset.filter(during__endswith__lte=timezone.now())
        return queryset


@admin.register(Booking)
class BookingAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["when", "space", "organisation", "purpose", "status", "booked_by"]
    list_filter = ["status", TimeFilter, "space__venue", "space"]
    search_fields = ["purpose", "organisation__name", "space__name"]
    list_select_related = ["space", "space__venue", "organisation", "booked_by"]
    raw_id_fields = ["organisation", "booked_by"]
    actions = ["approve", "reject"]
    ordering = ["during"]
    readonly_fields = [
        "organisation",
        "booked_by",
        "space",
        "when",
        "status",
        "rejection_reason",
        "series",
        "price_paid",
        "full_price",
        "buffer",
        "decided_by",
        "decided_at",
        "cancelled_at",
        "created_at",
        "updated_at",
    ]
    fields_on_change = [
        *readonly_fields[:4],
        "purpose",
        "expected_attendees",
        "is_public",
        "staff_note",
        *readonly_fields[4:],
    ]

    @admin.display(description=_("time"), ordering="during")
    def when(self, obj):
        start, end = obj.local_start, obj.local_end
        return f"{start:%d.%m.%Y %H.%M}–{end:%H.%M}"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = StaffBookingForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*StaffBookingForm.Meta.fields[:3], "day", "starts_at", "ends_at",
                    *StaffBookingForm.Meta.fields[3:]]  # fmt: skip
        return self.fields_on_change

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # cancel or reject instead, so the history and the feeds stay right

    def save_model(self, request, obj, form, change):
        if change:
            obj.sequence += 1
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        booking = services.booking_create(
            space=data["space"],
            organisation=data["organisation"],
            user=request.user,
            booked_by=data.get("booked_by"),
            start=data["start"],
            end=data["end"],
            purpose=data["purpose"],
            expected_attendees=data["expected_attendees"],
            is_public=data["is_public"],
            staff_note=data.get("staff_note", ""),
            enforce_rules=False,
            confirm=True,
        )
        obj.pk = booking.pk
        obj.during = booking.during

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:  # taken under the lock a moment after the form check
            self.message_user(request, exc.messages[0], messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=_("Approve the selected bookings"))
    def approve(self, request, queryset):
        done = _decide_each(request, queryset, services.booking_approve)
        self.message_user(
            request,
            ngettext("%(n)d booking approved.", "%(n)d bookings approved.", done) % {"n": done},
        )

    @admin.action(description=_("Reject the selected bookings (asks for a reason)"))
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = _decide_each(
                request, queryset, services.booking_reject, reason=form.cleaned_data["reason"]
            )
            self.message_user(
                request,
                ngettext("%(n)d booking rejected.", "%(n)d bookings rejected.", done) % {"n": done},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject bookings"),
            "bookings": queryset.select_related("space", "organisation"),
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/spaces/booking/reject.html", context)


@admin.register(FeedToken)
class FeedTokenAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["user", "organisation", "lookup", "created_at", "revoked_at"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted token could be handed out again; revoked ones stay

    @admin.action(description=_("Turn off the selected calendar addresses"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

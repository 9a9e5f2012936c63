"""The staff's forum tools in the admin. Writes that have rules go through forums.services."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory.audit_admin import AuditTrailMixin
from forums import services
from forums.models import (
    AgendaItem,
    Forum,
    Idea,
    Invitation,
    Meeting,
    Registration,
    VotingWindow,
    WorkshopAnswer,
    WorkshopGroup,
    WorkshopQuestion,
)


@admin.register(Forum)
class ForumAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["name", "city_organiser", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisers", "target_fields", "target_groups"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1


class WorkshopGroupInline(admin.TabularInline):
    model = WorkshopGroup
    extra = 0
    raw_id_fields = ["secretary"]


class WorkshopQuestionInline(admin.TabularInline):
    model = WorkshopQuestion
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["title", "forum", "starts_at", "format", "status", "capacity"]
    list_filter = ["forum", "status", "format"]
    search_fields = ["title", "theme", "forum__name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AgendaItemInline, WorkshopQuestionInline, WorkshopGroupInline]
    readonly_fields = ["staff_links", "event"]
    actions = ["fill_seats", "publish_to_calendar"]
    fieldsets = [
        (None, {"fields": ["forum", "title", "slug", "theme", "status", "staff_links", "event"]}),
        (_("Time and place"), {"fields": [
            "starts_at", "ends_at", "format", "place_name", "address", "online_platform",
            "online_url",
        ]}),
        (_("Registration"), {"fields": [
            "registration_closes_at", "capacity", "has_waitlist", "allows_residents",
            "asks_attendance_mode", "asks_transport", "transport_info", "asks_diet",
            "asks_free_text", "free_text_question",
        ]}),
        (_("Texts"), {"fields": ["invitation", "summary"]}),
    ]  # fmt: skip

    @admin.display(description=_("Pages"))
    def staff_links(self, meeting):
        if not meeting.pk:
            return "–"
        kwargs = meeting.url_kwargs()
        links = [
            (meeting.get_absolute_url(), _("meeting page")),
            (reverse("forums:meeting-attendees", kwargs=kwargs), _("attendee list")),
            (reverse("forums:meeting-attendees-csv", kwargs=kwargs), _("CSV")),
            (reverse("forums:meeting-invite", kwargs=kwargs), _("invite associations")),
            (reverse("forums:meeting-summary", kwargs=kwargs), _("workshop summary")),
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            self._report_promotions(
                request, services.meeting_fill_seats(meeting=obj, by=request.user)
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Every saved change reaches the events calendar and its feeds.
        services.meeting_publish(meeting=form.instance, by=request.user)

    @admin.action(description=_("Update the entries in the events calendar"))
    def publish_to_calendar(self, request, queryset):
        for meeting in queryset:
            services.meeting_publish(meeting=meeting, by=request.user)
        self.message_user(request, _("The events calendar is up to date."), messages.SUCCESS)

    @admin.action(description=_("Give free seats to the waitlist"))
    def fill_seats(self, request, queryset):
        for meeting in queryset:
            self._report_promotions(
                request, services.meeting_fill_seats(meeting=meeting, by=request.user)
            )

    def _report_promotions(self, request, promoted):
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person moved from the waitlist to a seat.",
                    "%(count)d people moved from the waitlist to a seat.",
                    len(promoted),
                )
                % {"count": len(promoted)},
                messages.SUCCESS,
            )


@admin.register(Registration)
class RegistrationAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "meeting", "attendance", "status", "created_at"]
    list_filter = ["status", "attendance", "meeting__forum", "meeting"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation", "meeting__forum"]
    readonly_fields = [
        "meeting", "user", "organisation", "attendance", "status", "needs_transport", "diet",
        "answer", "language", "created_at", "promoted_at", "cancelled_at",
    ]  # fmt: skip
    actions = ["cancel_registrations"]

    def has_add_permission(self, request):
        # Registrations go through the meeting page, which applies the deadline and the seats.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected registrations (the waitlist moves up)"))
    def cancel_registrations(self, request, queryset):
        cancelled = 0
        for registration in queryset.active():
            try:
                services.registration_cancel(registration=registration, by=request.user)
            except services.RegistrationError as error:
                self.message_user(request, f"{registration}: {error.message}", messages.ERROR)
            else:
                cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled.",
                "%(count)d registrations cancelled.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS,
        )


@admin.register(WorkshopAnswer)
class WorkshopAnswerAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["group", "question", "short_text", "recorded_by", "updated_at"]
    list_filter = ["group__meeting"]
    list_select_related = ["group", "question", "recorded_by"]
    search_fields = ["text"]
    raw_id_fields = ["group", "question", "recorded_by"]
    actions = ["add_to_idea_bank"]

    @admin.display(description=_("answer"))
    def short_text(self, answer):
        return answer.text[:80]

    @admin.action(description=_("Add the selected answers to the idea bank"))
    def add_to_idea_bank(self, request, queryset):
        created = services.ideas_from_answers(answers=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d idea added to the idea bank.",
                "%(count)d ideas added to the idea bank.",
                len(created),
            )
            % {"count": len(created)},
            messages.SUCCESS,
        )


@admin.register(Idea)
class IdeaAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["title", "forum", "status", "is_hidden", "created_at"]
    list_filter = ["forum", "status", "is_hidden"]
    search_fields = ["title", "description", "staff_response"]
    list_select_related = ["forum"]
    raw_id_fields = ["meeting", "source_answer", "proposed_by", "organisation"]
    readonly_fields = ["responded_at", "created_at"]

    def save_model(self, request, obj, form, change):
        if "staff_response" in form.changed_data:
            obj.responded_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(VotingWindow)
class VotingWindowAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["title", "forum", "opens_at", "closes_at", "votes_per_person", "results"]
    list_filter = ["forum"]

    @admin.display(description=_("results"))
    def results(self, window):
        return format_html('<a href="{}">{}</a>', window.get_absolute_url(), _("open"))


@admin.register(Invitation)
class InvitationAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["organisation", "meeting", "email", "sent_at", "sent_by"]
    list_filter = ["meeting"]
    list_select_related = ["organisation", "meeting", "sent_by"]
    search_fields = ["organisation__name", "email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin
from django.db.models import F
from django.utils import timezone

from directory.audit_admin import AuditTrailMixin
from directory.uploads import IMAGE_FORMFIELD_OVERRIDES
from events.models import Event, Series, Umbrella
from events.services import event_reindex


@admin.register(Umbrella)
class UmbrellaAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "is_open"]
    list_filter = ["is_open"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes"]


@admin.register(Series)
class SeriesAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "created_at"]
    search_fields = ["title"]


@admin.register(Event)
class EventAdmin(AuditTrailMixin, admin.ModelAdmin):
    formfield_overrides = IMAGE_FORMFIELD_OVERRIDES
    list_display = ["title", "starts_at", "status", "umbrella", "is_save_the_date"]
    list_filter = ["status", "is_save_the_date", "umbrella", "themes"]
    search_fields = ["title", "organisers__name"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["organisers", "themes", "target_groups", "areas"]
    list_select_related = ["umbrella"]
    readonly_fields = ["sequence", "created_at", "updated_at", "source_uid"]
    raw_id_fields = ["series", "district"]

    def save_related(self, request, form, formsets, change):
        """Staff edits reach subscribers too: bump the revision like the services do."""
        super().save_related(request, form, formsets, change)
        if change:
            Event.objects.filter(pk=form.instance.pk).update(
                sequence=F("sequence") + 1, updated_at=timezone.now()
            )
        event_reindex(event=form.instance)

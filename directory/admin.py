"""City staff's tools for the directory: verify registrations, edit associations, taxonomies
and search synonyms, decide requests to join, and see what people searched for in vain."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import services
from directory.audit_admin import AuditTrailMixin
from directory.forms import SearchSynonymForm
from directory.models import (
    Area,
    ContactPerson,
    FieldOfActivity,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    PendingOrganisation,
    SearchSynonym,
    TargetGroup,
    User,
    VolunteerOpportunity,
    ZeroResultSearch,
)
from directory.uploads import IMAGE_FORMFIELD_OVERRIDES


@admin.register(User)
class UserAdmin(AuditTrailMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


class TaxonomyAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["name_fi", "name_en", "slug", "position"]
    search_fields = ["name_fi", "name_en", "slug"]
    relation = ""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name_fi", "name_en"} & set(form.changed_data):
            # The associations using the term are found by its new name from now on.
            services.organisation_reindex_all(
                queryset=Organisation.objects.filter(**{self.relation: obj})
            )


@admin.register(FieldOfActivity)
class FieldOfActivityAdmin(TaxonomyAdmin):
    relation = "fields"


@admin.register(TargetGroup)
class TargetGroupAdmin(TaxonomyAdmin):
    relation = "target_groups"


@admin.register(Area)
class AreaAdmin(TaxonomyAdmin):
    relation = "areas"
    list_display = ["name_fi", "kind", "parent", "slug", "position"]
    list_filter = ["kind"]


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        roles = [
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if roles and Membership.Role.ADMIN not in roles:
            raise ValidationError(
                _("The association must keep at least one administrator."), code="last_admin"
            )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class ArchiveInsteadOfDeleteMixin:
    """Deleting an association archives it (services.organisation_archive): the delete button,
    the bulk action and the admin's delete_model / delete_queryset. Its bookings, grants and
    history would otherwise be lost, or block the deletion."""

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted, so nothing else is listed, and protected rows do not block it.
        return [str(obj) for obj in objs], {}, set(), []

    def delete_model(self, request, obj):
        services.organisation_archive(organisation=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for organisation in queryset:
            services.organisation_archive(organisation=organisation, by=request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            _("“%(name)s” was archived: it is no longer public, and its bookings, grants and "
              "history are kept.") % {"name": obj_display},
            messages.SUCCESS,
        )  # fmt: skip
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Archive the selected associations"), permissions=["delete"])
    def archive(self, request, queryset):
        archived = sum(
            services.organisation_archive(organisation=organisation, by=request.user)
            for organisation in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d association archived.", "%(count)d associations archived.", archived
            )
            % {"count": archived},
            messages.SUCCESS,
        )


def _verify(modeladmin, request, queryset):
    verified = sum(
        services.organisation_verify(organisation=org, by=request.user)
        for org in queryset.filter(status=Organisation.Status.PENDING)
    )
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d association verified and now public.",
            "%(count)d associations verified and now public.",
            verified,
        )
        % {"count": verified},
        messages.SUCCESS,
    )


@admin.register(Organisation)
class OrganisationAdmin(AuditTrailMixin, ArchiveInsteadOfDeleteMixin, admin.ModelAdmin):
    formfield_overrides = IMAGE_FORMFIELD_OVERRIDES
    list_display = ["name", "status", "business_id", "last_confirmed_at", "popularity"]
    list_filter = ["status", "is_outdated", "fields", "target_groups"]
    search_fields = ["name", "business_id", "register_number", "email"]
    inlines = [MembershipInline, ContactPersonInline]
    actions = ["verify", "archive"]
    filter_horizontal = ["fields", "target_groups", "areas"]
    readonly_fields = [
        "verified_at",
        "verified_by",
        "created_by",
        "created_at",
        "updated_at",
        "popularity",
        "is_outdated",
    ]
    list_select_related = ["created_by"]

    @admin.action(description=_("Verify the selected associations (make them public)"))
    def verify(self, request, queryset):
        _verify(self, request, queryset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.organisation_index(organisation=form.instance)


@admin.register(PendingOrganisation)
class PendingOrganisationAdmin(AuditTrailMixin, ArchiveInsteadOfDeleteMixin, admin.ModelAdmin):
    """Registrations waiting for verification, oldest first, with the registrant."""

    formfield_overrides = IMAGE_FORMFIELD_OVERRIDES
    list_display = ["name", "business_id", "created_by", "created_at", "member_count"]
    search_fields = ["name", "business_id"]
    actions = ["verify", "archive"]
    ordering = ["created_at"]
    list_select_related = ["created_by"]
    readonly_fields = [f.name for f in Organisation._meta.fields]
    exclude = ["fields", "target_groups", "areas"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Organisation.Status.PENDING)
            .annotate(members=Count("memberships"))
        )

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, obj):
        return obj.members

    @admin.action(description=_("Verify the selected registrations (make them public)"))
    def verify(self, request, queryset):
        _verify(self, request, queryset)

    def has_add_permission(self, request):
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation", "decided_by"]
    readonly_fields = ["user", "organisation", "message", "status", "created_at", "decided_at"]
    exclude = ["decided_by"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, approve):
        for join_request in queryset.filter(status=JoinRequest.Status.PENDING):
            services.join_request_decide(
                join_request=join_request, approve=approve, by=request.user
            )
        self.message_user(request, _("Done."), messages.SUCCESS)

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Decline the selected requests"))
    def reject(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(Invitation)
class InvitationAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    readonly_fields = ["invited_by", "accepted_by", "accepted_at", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(VolunteerOpportunity)
class VolunteerOpportunityAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ["title", "organisation", "area", "open_until"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation", "area"]
    autocomplete_fields = ["organisation"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(AuditTrailMixin, admin.ModelAdmin):
    form = SearchSynonymForm
    list_display = ["words"]
    search_fields = ["words"]

    def save_model(self, request, obj, form, change):
        services.synonym_save(synonym=obj)


@admin.register(ZeroResultSearch)
class ZeroResultSearchAdmin(AuditTrailMixin, admin.ModelAdmin):
    """The most frequent searches that found nothing: what people look for and do not find."""

    list_display = ["query", "count", "last_searched_at", "first_searched_at"]
    search_fields = ["query"]
    ordering = ["-count", "-last_searched_at"]
    readonly_fields = ["query", "count", "first_searched_at", "last_searched_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

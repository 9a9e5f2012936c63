"""The admin's "History" page shows the audit trail (django-pghistory), not only admin edits.

Every insert, update and delete of a tracked model is there, whoever made it and however: on the
site, in the admin, in a service or a command, even in raw SQL. Each row says when, who (a
removed account is shown as removed, the system as the system) and which fields changed.

Use it as the first base of a ModelAdmin: `class BookingAdmin(AuditTrailMixin, admin.ModelAdmin)`.
For a model without an audit trail the page is Django's own.
"""

from dataclasses import dataclass

from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

REMOVED_USER = gettext_lazy("Removed user")
SYSTEM = gettext_lazy("The portal (no person)")
PAGE_SIZE = 100


@dataclass(frozen=True)
class Actor:
    """Quacks like a user for Django's object_history.html."""

    name: str
    full_name: str = ""

    def get_username(self):
        return self.name

    def get_full_name(self):
        return self.full_name


@dataclass(frozen=True)
class AuditEntry:
    action_time: object
    user: object
    message: str

    def get_change_message(self):
        return self.message


def _actor(user_id, users) -> object:
    if user_id is None:
        return Actor(str(SYSTEM))
    user = users.get(user_id)
    if user is None:
        return Actor(f"{REMOVED_USER} (#{user_id})")
    return user


def _change_message(event, previous, fields) -> str:
    label = event.pgh_label
    if label == "insert" or (previous is None and label != "delete"):
        return gettext("Added.")
    if label == "delete":
        return gettext("Deleted.")
    changed = [
        str(capfirst(field.verbose_name))
        for field in fields
        if getattr(event, field.attname) != getattr(previous, field.attname)
    ]
    if not changed:
        return gettext("No fields changed.")
    return gettext("Changed {fields}.").format(fields=", ".join(changed))


def audit_entries(obj) -> list[AuditEntry]:
    """The object's audit trail, newest first."""
    events = list(obj.audit_trail.select_related("pgh_context").order_by("pgh_id"))
    tracked = {field.attname for field in events[0]._meta.concrete_fields} if events else set()
    fields = [
        field
        for field in obj._meta.concrete_fields
        if field.attname in tracked and not field.primary_key
    ]
    user_ids = {event.pgh_context.metadata.get("user") for event in events if event.pgh_context_id}
    users = get_user_model().objects.in_bulk([pk for pk in user_ids if pk is not None])
    entries, previous = [], None
    for event in events:
        metadata = event.pgh_context.metadata if event.pgh_context_id else {}
        entries.append(
            AuditEntry(
                action_time=event.pgh_created_at,
                user=_actor(metadata.get("user"), users),
                message=_change_message(event, previous, fields),
            )
        )
        previous = event
    entries.reverse()
    return entries


class AuditTrailMixin:
    def history_view(self, request, object_id, extra_context=None):
        if not hasattr(self.model, "audit_trail"):
            return super().history_view(request, object_id, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        paginator = Paginator(audit_entries(obj), PAGE_SIZE)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change history: %s") % obj,
            "subtitle": None,
            "action_list": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.count > PAGE_SIZE,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            self.object_history_template
            or [
                f"admin/{self.opts.app_label}/{self.opts.model_name}/object_history.html",
                f"admin/{self.opts.app_label}/object_history.html",
                "admin/object_history.html",
            ],
            context,
        )

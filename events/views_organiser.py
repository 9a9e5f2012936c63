"""Pages for signed-in people: organisers create, edit, copy, publish, cancel and postpone;
everyone may save events, follow associations and get a private feed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config import ical
from directory.models import Organisation, is_city_staff
from directory.permissions import organisations_user_acts_for
from events import feeds, rows, services
from events.forms import EventForm, StatusChangeForm, copy_initial
from events.models import Event, OrganisationFollow, SavedEvent
from events.permissions import get_event_for_user


def _may_create(user) -> bool:
    return is_city_staff(user) or organisations_user_acts_for(user).exists()


def _create_from_form(request, form) -> list[Event]:
    fields = form.event_fields()
    relations = form.relations()
    fields["status"] = Event.Status.DRAFT
    occurrences = form.cleaned_data.get("occurrences")
    if occurrences:
        for name in ("starts_at", "ends_at"):
            fields.pop(name)
        return services.series_create(
            by=request.user, occurrences=occurrences, kind=form.cleaned_data["repeat"],
            **relations, **fields,
        )  # fmt: skip
    return [services.event_create(by=request.user, **relations, **fields)]


def _after_save(request, event: Event):
    """Publish straight away when nothing clashes; otherwise list the clashes first."""
    if request.POST.get("action") != "publish":
        messages.success(request, _("Saved as a draft. Only your association sees it."))
        return redirect(event)
    if event.series_id or services.clashes_for(event).exists():
        return redirect("events:event-publish", pk=event.pk)
    services.event_publish(by=request.user, event=event)
    messages.success(request, _("The event is published."))
    return redirect(event)


@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request, copy_of=None):
    if not _may_create(request.user):
        raise PermissionDenied
    initial = copy_initial(copy_of) if copy_of else None
    form = EventForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        created = _create_from_form(request, form)
        if len(created) > 1:
            messages.info(request, _("%(n)s dates were created.") % {"n": len(created)})
        return _after_save(request, created[0])
    context = {"form": form, "creating": True, "copy_of": copy_of}
    return render(request, "events/event_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def event_copy(request, pk):
    return event_create(request, copy_of=get_event_for_user(request.user, pk, need="edit"))


@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request, pk):
    event = get_event_for_user(request.user, pk, need="edit")
    form = EventForm(
        request.POST or None, request.FILES or None, user=request.user, instance=event,
        creating=False,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        services.event_update(
            by=request.user, event=event, **form.relations(), **form.event_fields()
        )
        event.refresh_from_db()
        if event.status == Event.Status.DRAFT:
            return _after_save(request, event)
        messages.success(
            request, _("Your changes are saved. Calendars get them at their next update.")
        )
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_http_methods(["GET", "HEAD", "POST"])
def event_publish(request, pk):
    """The clash check before publishing: lists overlapping events, never refuses."""
    event = get_event_for_user(request.user, pk, need="edit")
    drafts = [event]
    if event.series_id:
        drafts = list(event.series.events.filter(status=Event.Status.DRAFT).order_by("starts_at"))
        drafts = drafts or [event]
    if request.method == "POST":
        for draft in drafts:
            if draft.status == Event.Status.DRAFT or draft.pk == event.pk:
                services.event_publish(by=request.user, event=draft)
        messages.success(request, _("The event is published."))
        return redirect(event)
    clashes = []
    for draft in drafts:
        clashes += [(draft, clash) for clash in services.clashes_for(draft)]
    return render(
        request, "events/event_publish.html", {"event": event, "drafts": drafts, "clashes": clashes}
    )


def _status_change(request, pk, *, action, template_title):
    event = get_event_for_user(request.user, pk, need="edit")
    if event.status == Event.Status.CANCELLED or event.is_past:
        messages.error(request, _("A cancelled or past event cannot be changed."))
        return redirect(event)
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action(by=request.user, event=event, note=form.cleaned_data["note"])
        messages.success(request, _("Saved. Calendars that subscribe get the change."))
        return redirect(event)
    context = {"event": event, "form": form, "title": template_title}
    return render(request, "events/event_status_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def event_cancel(request, pk):
    return _status_change(
        request, pk, action=services.event_cancel, template_title=_("Cancel the event")
    )


@require_http_methods(["GET", "HEAD", "POST"])
def event_postpone(request, pk):
    return _status_change(
        request, pk, action=services.event_postpone, template_title=_("Postpone the event")
    )


def _wanted_state(request) -> bool | None:
    """The state the button asked for ("1" on, "0" off), so a double click does not undo."""
    return {"1": True, "0": False}.get(request.POST.get("state", ""))


@require_POST
def event_save(request, pk):
    event = get_event_for_user(request.user, pk)
    saved = services.event_save_toggle(user=request.user, event=event, save=_wanted_state(request))
    messages.success(
        request, _("Saved to your events.") if saved else _("Removed from your events.")
    )
    return redirect(event)


@require_POST
def organisation_follow(request, slug):
    organisation = get_object_or_404(Organisation.objects.public(), slug=slug)
    following = services.organisation_follow_toggle(
        user=request.user, organisation=organisation, follow=_wanted_state(request)
    )
    if following:
        text = _("You follow %(name)s: its events come to your calendar.")
    else:
        text = _("You no longer follow %(name)s.")
    messages.success(request, text % {"name": organisation.name})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) and next_url.startswith("/"):
        return redirect(next_url)
    return redirect(organisation)


@require_safe
def my_events(request):
    user = request.user
    feed = services.personal_feed_for(user=user)
    feed_url = feeds.absolute(feed.get_absolute_url())
    own = organisations_user_acts_for(user)
    now = timezone.now()
    context = {
        "own_events": rows.rows_of(
            Event.objects.filter(
                pk__in=Event.objects.filter(organisers__in=own, ends_at__gt=now).values("pk")
            ).order_by("starts_at", "pk")[:100]
        ),
        "saved": rows.rows_of(
            Event.objects.public()
            .filter(pk__in=SavedEvent.objects.filter(user=user).values("event_id"))
            .filter(Q(ends_at__gt=now))
        ),
        "followed": Organisation.objects.filter(
            pk__in=OrganisationFollow.objects.filter(user=user).values("organisation_id")
        ),
        "may_create": is_city_staff(user) or own.exists(),
        "subscribe": {
            "links": ical.subscribe_links(feed_url, _("My events")),
            "name": _("My events"),
        },
    }
    return render(request, "events/my_events.html", context)


@require_POST
def personal_feed_renew(request):
    services.personal_feed_renew(user=request.user)
    messages.success(
        request, _("Your calendar has a new address. The old one no longer works: subscribe again.")
    )
    return redirect("events:my-events")

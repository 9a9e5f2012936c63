"""Writes on events: create, update, publish, cancel, postpone, follow, save, feed tokens.

Every change a subscriber's calendar must notice bumps `sequence` (RFC 5545) and `updated_at`
(DTSTAMP), so calendar apps replace their copy instead of keeping a stale one.

Other modules (forums) create events with `event_create(...)`:

    event_create(by=user, organisers=[organisation], title="Kulttuurifoorumi",
                 starts_at=..., ends_at=..., status=Event.Status.PUBLISHED, place_name="...")
"""

import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from config.audit import acting_as
from directory.models import Area, TargetGroup
from events import search
from events.models import (
    Event,
    OrganisationFollow,
    PersonalFeed,
    SavedEvent,
    Series,
    new_feed_key,
    new_feed_secret,
)

EVERYONE = "kaikki"  # the target group that overlaps with every other
_RELATIONS = ("organisers", "themes", "target_groups", "areas")


def event_reindex(*, event: Event, organisers=None, themes=None) -> None:
    """Refresh the derived search columns (no revision bump: nothing a calendar shows changed)."""
    organisers = [o.name for o in (event.organisers.all() if organisers is None else organisers)]
    themes = [t.name_fi for t in (event.themes.all() if themes is None else themes)]
    district = event.district.name_fi if event.district_id else ""
    umbrella = event.umbrella.name if event.umbrella_id else ""
    document = search.document(
        title=event.title,
        texts=[event.description, event.place_name, district, umbrella, *organisers, *themes],
        fuzzy=[event.place_name, district, umbrella, *organisers],
    )
    Event.objects.filter(pk=event.pk).update(**document)


def _set_relations(event: Event, relations: dict, *, new: bool = False) -> bool:
    """Set the many-to-many relations given; True when any of them changed."""
    changed = False
    for name in _RELATIONS:
        if name not in relations or relations[name] is None:
            continue
        if new:  # a new event has none yet: one INSERT each, no comparison
            if relations[name]:
                getattr(event, name).add(*relations[name])
            continue
        wanted = {obj.pk for obj in relations[name]}
        manager = getattr(event, name)
        if wanted != set(manager.values_list("pk", flat=True)):
            manager.set(list(relations[name]))
            changed = True
    return changed


# The same event sent again this soon by the same person (a double click, a second tab, a retry
# after a timeout) is the one already made, not a new one.
RESUBMISSION_WINDOW = timedelta(minutes=10)
_CREATE_LOCK = zlib.crc32(b"events.event_create") & 0x7FFFFFFF


def _queue_creations_of(user) -> None:
    """Until the transaction ends, the person's other creations wait here, so a second identical
    request sees the first one's event instead of racing it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CREATE_LOCK, user.pk % 2**31])


def _just_created(*, by, organisers, title: str, starts_at) -> Event | None:
    """The event `by` made a moment ago with the same title, start and organisers, if any."""
    if not (by and by.is_authenticated):
        return None
    _queue_creations_of(by)
    wanted = {organisation.pk for organisation in organisers}
    candidates = Event.objects.filter(
        created_by=by,
        title=title,
        starts_at=starts_at,
        created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
    ).order_by("pk")
    for event in candidates:
        if set(event.organisers.values_list("pk", flat=True)) == wanted:
            return event
    return None


def _with_district_in_areas(fields: dict, areas) -> list | None:
    """The place's district always counts as an area of the event (filters and clashes)."""
    district = fields.get("district")
    if areas is None:
        return [district] if district else None
    areas = list(areas)
    if district and district not in areas:
        areas.append(district)
    return areas


@transaction.atomic
def event_create(
    *,
    by,
    organisers: Iterable,
    themes: Iterable = (),
    target_groups: Iterable = (),
    areas: Iterable = (),
    series: Series | None = None,
    **fields,
) -> Event:
    """One event. `fields` are Event fields (title, starts_at, ends_at, status, place_name...).

    The same event sent twice by the same person within RESUBMISSION_WINDOW is created once: the
    second call returns the first one's event.
    """
    organisers = list(organisers)
    if series is None:
        existing = _just_created(
            by=by, organisers=organisers, title=fields.get("title", ""),
            starts_at=fields.get("starts_at"),
        )  # fmt: skip
        if existing is not None:
            return existing
    with acting_as(by):
        event = Event(created_by=by if by and by.is_authenticated else None, **fields)
        event.series = series
        # Field checks here (choices, URLs, lengths); the constraints are PostgreSQL's to keep.
        event.full_clean(exclude=["organisers", "image"], validate_constraints=False)
        event.save()
        themes = list(themes)
        _set_relations(
            event,
            {
                "organisers": organisers,
                "themes": themes,
                "target_groups": list(target_groups),
                "areas": _with_district_in_areas(fields, areas),
            },
            new=True,
        )
        event_reindex(event=event, organisers=organisers, themes=themes)
    return event


@transaction.atomic
def series_create(
    *,
    by,
    occurrences: Sequence[tuple[datetime, datetime]],
    kind: str = Series.Kind.WEEKLY,
    organisers: Iterable,
    themes: Iterable = (),
    target_groups: Iterable = (),
    areas: Iterable = (),
    **fields,
) -> list[Event]:
    """A series: one Event row (and UID) per occurrence, each at its own local time.

    Sent twice by the same person within RESUBMISSION_WINDOW, the first series is returned.
    """
    if not occurrences:
        raise ValueError("A series needs at least one occurrence.")
    organisers = list(organisers)
    existing = _just_created(
        by=by, organisers=organisers, title=fields.get("title", ""),
        starts_at=min(start for start, _end in occurrences),
    )  # fmt: skip
    if existing is not None and existing.series_id is not None:
        return list(Event.objects.filter(series_id=existing.series_id).order_by("starts_at"))
    series = Series.objects.create(title=fields.get("title", "")[:200], kind=kind)
    organisers, themes, target_groups, areas = (
        list(organisers),
        list(themes),
        list(target_groups),
        list(areas),
    )
    events = []
    deadline = fields.pop("registration_deadline", None)
    first_start = min(start for start, _end in occurrences)
    for starts_at, ends_at in sorted(occurrences):
        own_deadline = None
        if deadline is not None:
            # The deadline moves with each occurrence, as far before it as before the first.
            own_deadline = starts_at - (first_start - deadline)
        events.append(
            event_create(
                by=by,
                organisers=organisers,
                themes=themes,
                target_groups=target_groups,
                areas=areas,
                series=series,
                starts_at=starts_at,
                ends_at=ends_at,
                registration_deadline=own_deadline,
                **fields,
            )
        )
    return events


@transaction.atomic
def event_update(
    *,
    by,
    event: Event,
    organisers: Iterable | None = None,
    themes: Iterable | None = None,
    target_groups: Iterable | None = None,
    areas: Iterable | None = None,
    **fields,
) -> bool:
    """Change an event; bumps its revision only when something changed. True if it did."""
    with acting_as(by):
        event = Event.objects.select_for_update().get(pk=event.pk)
        changed = False
        for name, value in fields.items():
            if getattr(event, name) != value:
                setattr(event, name, value)
                changed = True
        if changed:
            event.full_clean(exclude=["organisers", "image"], validate_constraints=False)
            event.save()
        if areas is not None or "district" in fields:
            base = list(areas) if areas is not None else list(event.areas.all())
            areas = _with_district_in_areas({"district": event.district}, base)
        relations_changed = _set_relations(
            event,
            {
                "organisers": organisers,
                "themes": themes,
                "target_groups": target_groups,
                "areas": areas,
            },
        )
        if changed or relations_changed:
            Event.objects.filter(pk=event.pk).update(
                sequence=F("sequence") + 1, updated_at=timezone.now()
            )
            event_reindex(event=event)
    return changed or relations_changed


def _set_status(by, event: Event, status: str, note: str | None = None) -> Event:
    fields = {"status": status}
    if note is not None:
        fields["status_note"] = note
    event_update(by=by, event=event, **fields)
    event.refresh_from_db()
    return event


def event_publish(*, by, event: Event) -> Event:
    """Publish a draft, or a postponed event again (its postponement note then goes)."""
    note = "" if event.status == Event.Status.POSTPONED else None
    return _set_status(by, event, Event.Status.PUBLISHED, note)


def event_cancel(*, by, event: Event, note: str = "") -> Event:
    """Cancelled events stay in lists and feeds (STATUS:CANCELLED) until they have passed."""
    return _set_status(by, event, Event.Status.CANCELLED, note)


def event_postpone(*, by, event: Event, note: str = "") -> Event:
    return _set_status(by, event, Event.Status.POSTPONED, note)


def event_clashes(
    *,
    starts_at: datetime,
    ends_at: datetime,
    target_groups: Iterable,
    areas: Iterable,
    umbrella=None,
    exclude_pk: int | None = None,
):
    """Published events at overlapping times for the same target group in the same area, or
    under the same umbrella. Warnings for the organiser, never a reason to refuse.

    Areas match when they are the same, or one is the municipality the other district lies in
    (a Kuopio-wide event overlaps a Männistö one; Männistö and Neulamäki do not overlap).
    """
    overlapping = (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .between(starts_at, ends_at)
        .exclude(pk=exclude_pk)
    )
    conditions = Q(pk__in=[])
    if umbrella is not None:
        conditions |= Q(umbrella=umbrella)
    group_ids = {g.pk for g in target_groups}
    area_ids = {a.pk for a in areas if a is not None}
    if group_ids and area_ids:
        everyone = TargetGroup.objects.filter(slug=EVERYONE).values_list("pk", flat=True)
        if set(everyone) & group_ids:
            group_match = Q(target_groups__isnull=False)
        else:
            group_match = Q(target_groups__in=group_ids) | Q(target_groups__slug=EVERYONE)
        parent_ids = set(
            Area.objects.filter(pk__in=area_ids, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        wide = area_ids | parent_ids
        area_match = (
            Q(areas__in=wide)
            | Q(areas__parent__in=area_ids)
            | Q(district__in=wide)
            | Q(district__parent__in=area_ids)
        )
        matching = Event.objects.filter(group_match).filter(area_match).values("pk")
        conditions |= Q(pk__in=matching)
    return (
        overlapping.filter(conditions)
        .select_related("district", "umbrella")
        .prefetch_related("organisers")
        .order_by("starts_at", "pk")
    )


def clashes_for(event: Event):
    return event_clashes(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        target_groups=list(event.target_groups.all()),
        areas=[*event.areas.all(), event.district],
        umbrella=event.umbrella,
        exclude_pk=event.pk,
    )


# -- following and saving, the personal feed ----------------------------------------------------


def organisation_follow_toggle(*, user, organisation, follow: bool | None = None) -> bool:
    """Follow or stop following; True when the user follows it afterwards.

    `follow` is the state the page's button asked for: a double click then asks for the same
    state twice instead of following and unfollowing. None toggles.
    """
    rows = OrganisationFollow.objects.filter(user=user, organisation=organisation)
    if follow is None:
        follow = not rows.exists()
    if not follow:
        rows.delete()
        return False
    OrganisationFollow.objects.get_or_create(user=user, organisation=organisation)
    return True


def event_save_toggle(*, user, event: Event, save: bool | None = None) -> bool:
    """Save or unsave; `save` as in organisation_follow_toggle. True when saved afterwards."""
    rows = SavedEvent.objects.filter(user=user, event=event)
    if save is None:
        save = not rows.exists()
    if not save:
        rows.delete()
        return False
    SavedEvent.objects.get_or_create(user=user, event=event)
    return True


def personal_feed_for(*, user) -> PersonalFeed:
    feed, _created = PersonalFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def personal_feed_renew(*, user) -> PersonalFeed:
    """A new address; the old one stops working at once and is never given out again."""
    feed, created = PersonalFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.key = new_feed_key()
        feed.secret = new_feed_secret()
        feed.created_at = timezone.now()
        feed.save(update_fields=["key", "secret", "created_at"])
    return feed

"""Deleting a person keeps the records they made.

The rule, checked over every foreign key to the user model:
- records (bookings, events, ideas, workshop answers, grant applications, attachments, reports,
  organisations, invitations …) keep their row and lose only the actor: SET_NULL;
- grant records that the law freezes (sent versions, decisions, reviews, conflict declarations)
  refuse the deletion instead: PROTECT. Such an account is closed (deactivated), never deleted;
- only the person's own data goes with them (CASCADE): memberships, join requests, forum
  registrations and votes, follows, saved events, calendar addresses, and allauth's account rows.
"""

from datetime import timedelta
from decimal import Decimal

import pghistory.models
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import ProtectedError
from django.utils import timezone

# (app_label.Model, field): the person's own data, which goes with them.
PERSONAL = {
    ("directory.Membership", "user"),
    ("directory.JoinRequest", "user"),
    ("spaces.FeedToken", "user"),
    ("events.PersonalFeed", "user"),
    ("events.OrganisationFollow", "user"),
    ("events.SavedEvent", "user"),
    ("forums.Registration", "user"),
    ("forums.Vote", "user"),
}
THIRD_PARTY = {"account", "mfa", "auth", "admin", "sessions", "contenttypes", "pghistory"}
FROZEN = {
    ("grants.ApplicationVersion", "created_by"),
    ("grants.Decision", "decided_by"),
    ("grants.Review", "reviewer"),
    ("grants.ConflictDeclaration", "user"),
}


def foreign_keys_to_the_user():
    user_model = get_user_model()
    for model in apps.get_models():
        # The audit trail's own copies of the rows are checked by pghistory, not here.
        if model._meta.app_label in THIRD_PARTY or issubclass(model, pghistory.models.Event):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                yield model._meta.label, field.name, field.remote_field.on_delete


def test_no_record_is_deleted_with_the_person_who_made_it():
    found = list(foreign_keys_to_the_user())
    assert len(found) > 20, "the walk should find the foreign keys of every app"
    wrong = []
    for label, name, on_delete in found:
        key = (label, name)
        if key in PERSONAL:
            expected = (models.CASCADE,)
        elif key in FROZEN:
            expected = (models.PROTECT,)
        else:
            expected = (models.SET_NULL,)
        if on_delete not in expected:
            wrong.append(f"{label}.{name}: {on_delete.__name__}")
    assert not wrong, "records must outlive their author (SET_NULL, or PROTECT if frozen): " + (
        ", ".join(wrong)
    )
    assert {(label, name) for label, name, _ in found} >= PERSONAL | FROZEN


@pytest.mark.django_db
def test_deleting_a_volunteer_keeps_their_bookings_events_ideas_and_applications(
    member, org_a, org_admin
):
    from events import services as event_services
    from forums import services as forum_services
    from grants.models import Application, Attachment
    from spaces.models import Booking
    from tests.forums.conftest import make_forum
    from tests.grants import builders
    from tests.spaces.conftest import local, make_space, make_venue, next_weekday

    space = make_space(make_venue("Poistotalo", "poistotalo"), "Poistohuone", "poistohuone")
    day = next_weekday(3)
    booking = Booking.objects.create(
        space=space,
        organisation=org_a,
        booked_by=member,
        purpose="Kevätkokous",
        expected_attendees=10,
        status="confirmed",
        during=DateTimeTZRange(local(day, 17), local(day, 19), "[)"),
    )
    start = timezone.now() + timedelta(days=20)
    event = event_services.event_create(
        by=member, organisers=[org_a], title="Jäsenilta", starts_at=start,
        ends_at=start + timedelta(hours=2), place_name="Asukastupa",
    )  # fmt: skip
    idea = forum_services.idea_propose(
        forum=make_forum("poistofoorumi", "Poistofoorumi"),
        title="Penkkejä puistoon",
        description="",
        by=member,
        organisation=org_a,
    )
    grant_round = builders.make_round(budget=Decimal("5000"))
    application = builders.make_application(user=member, organisation=org_a, round=grant_round)
    attachment = application.attachments.get()
    history_before = booking.audit_trail.count()

    member.delete()

    booking.refresh_from_db()
    event.refresh_from_db()
    idea.refresh_from_db()
    application = Application.objects.get(pk=application.pk)
    attachment = Attachment.objects.get(pk=attachment.pk)
    assert booking.booked_by is None and booking.status == "confirmed"
    assert booking.organisation == org_a, "the association's booking stays the association's"
    assert event.created_by is None and list(event.organisers.all()) == [org_a]
    assert idea.proposed_by is None and idea.organisation == org_a
    assert application.created_by is None and attachment.uploaded_by is None
    assert booking.audit_trail.count() >= history_before, "the audit trail is kept too"


@pytest.mark.django_db
def test_a_staff_member_who_decided_a_grant_cannot_be_deleted_only_closed(member, org_a, staff):
    from grants.models import Decision
    from tests.grants import builders

    grant_round = builders.make_round(budget=Decimal("5000"))
    application = builders.make_application(user=member, organisation=org_a, round=grant_round)
    builders.submit(application, member)
    decision = builders.decide(application, staff, "700")

    with pytest.raises(ProtectedError):
        staff.delete()
    with pytest.raises(ProtectedError):  # the applicant's sent version is frozen as well
        member.delete()
    decision = Decision.objects.get(pk=decision.pk)
    assert decision.decided_by == staff and decision.amount == Decimal("700")

    staff.is_active = False  # what the admin does instead: the account closes, the record stays
    staff.save(update_fields=["is_active"])
    assert Decision.objects.get(pk=decision.pk).decided_by_id == staff.pk

"""Every change to associations, bookings, grant applications, decisions and forum records is in
the audit trail with who made it and when, also when it is made in the admin.

Admin changes are made as a browser makes them: the change form is fetched, every field sent
back as the page has it, with one value changed.
"""

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The values a browser would send for the admin's change form."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select = None
        self._select_values: list[str] = []
        self._textarea = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "form"
            and attrs.get("method", "").lower() == "post"
            and "_form" in (attrs.get("id") or "")
        ):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_values = name, []
        elif tag == "option" and self._select is not None and "selected" in attrs:
            self._select_values.append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            self.fields += [(self._select, value) for value in self._select_values]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def admin_change(client, obj, **changes):
    """Send the object's admin change form back with `changes`; returns the response."""
    meta = obj._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200, url
    parser = _FormFields()
    parser.feed(page.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value]
    response = client.post(url, {**data, "_save": "Tallenna"})
    assert response.status_code == 302, (url, _errors(response))
    return response


def _errors(response):
    context = response.context or {}
    errors = context.get("errors")
    return list(errors) if errors is not None else response.content[:500]


def last_change(obj):
    """(user id, time) of the newest audit event of `obj`."""
    event = obj.audit_trail.select_related("pgh_context").order_by("-pgh_id").first()
    assert event is not None, f"{obj!r} has no audit trail"
    assert event.pgh_context is not None, f"{obj!r}: the change has no actor"
    return event.pgh_context.metadata.get("user"), event.pgh_created_at


def assert_recorded(obj, user):
    actor, at = last_change(obj)
    assert actor == user.pk, f"{obj._meta.label}: recorded actor {actor}, expected {user.pk}"
    assert timezone.now() - at < timedelta(minutes=1)


def test_admin_changes_are_in_the_audit_trail_with_the_staff_member_and_time(
    staff, member, org_admin, org_a
):
    from forums.models import Idea
    from spaces.models import Booking
    from tests.forums.conftest import make_forum, make_meeting
    from tests.grants import builders
    from tests.spaces.conftest import local, make_space, make_venue, next_weekday

    client = Client()
    client.force_login(staff)

    admin_change(client, org_a, short_description="Muutettu ylläpidossa.")
    assert_recorded(org_a, staff)

    space = make_space(make_venue("Audit-talo", "audit-talo"), "Audit-huone", "audit-huone")
    day = next_weekday(4)
    booking = Booking.objects.create(
        space=space,
        organisation=org_a,
        booked_by=member,
        purpose="Kuoroharjoitus",
        expected_attendees=12,
        status="confirmed",
        during=DateTimeTZRange(local(day, 18), local(day, 20), "[)"),
    )
    admin_change(client, booking, staff_note="Avain on vahtimestarilla.")
    assert_recorded(booking, staff)

    grant_round = builders.make_round(budget=Decimal("8000"))
    application = builders.make_application(user=member, organisation=org_a, round=grant_round)
    builders.submit(application, member)
    assert_recorded(application, member)  # the applicant's own change, through the site
    decision = builders.decide(application, staff, "600")
    admin_change(client, decision, is_public=None)  # unticked: the decision is hidden
    decision.refresh_from_db()
    assert decision.is_public is False
    assert_recorded(decision, staff)

    forum = make_forum("audit-foorumi", "Audit-foorumi")
    meeting = make_meeting(forum, "audit")
    admin_change(client, meeting, title="Muutettu tapaaminen")
    assert_recorded(meeting, staff)
    idea = Idea.objects.create(forum=forum, title="Kirjasto auki sunnuntaisin")
    admin_change(client, idea, staff_response="Selvitetään kevään aikana.")
    assert_recorded(idea, staff)


def test_changes_through_the_site_record_the_person_who_made_them(member, org_a, staff):
    from tests.grants import builders

    grant_round = builders.make_round(budget=Decimal("8000"))
    application = builders.make_application(user=member, organisation=org_a, round=grant_round)
    builders.submit(application, member)
    client = Client()
    client.force_login(staff)
    deadline = timezone.localtime() + timedelta(days=7)
    response = client.post(
        f"/grants/staff/applications/{application.pk}/return/",
        {
            "message": "Lisää talousarvio.",
            "deadline_on": deadline.date().isoformat(),
            "deadline_time": "15:00",
            "deadline": deadline.strftime("%Y-%m-%dT15:00"),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "returned"
    assert_recorded(application, staff)

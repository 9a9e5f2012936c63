"""Staff-only and members-only data never reaches a public page, the sitemap, a feed or an export.

Each test makes one private thing carrying a marker nobody else would write, then walks what the
public can reach: every parameter-free public page (lists, feeds, open data), every page the
sitemap lists, and the detail pages, feeds and exports of the objects around the private thing.
The marker must be on none of them. A positive control in each test proves the walk reached the
page where the private thing would have shown up.
"""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.test import Client
from django.urls import reverse

from directory.models import Organisation
from tests import factories
from tests.security.urls import parameter_free_paths

pytestmark = pytest.mark.django_db

# Answers about the server, not its data; the language switch only redirects.
NOT_CONTENT = {"/healthz", "/readyz", "/i18n/setlang/"}


def public_texts(client: Client, extra=()) -> dict[str, str]:
    """url -> body of every public page the client can open (200), the sitemap's pages and
    `extra`."""
    urls = [path for path in parameter_free_paths() if path not in NOT_CONTENT]
    sitemap = client.get("/sitemap.xml").content.decode()
    urls += [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    urls += list(extra)
    texts = {}
    for url in dict.fromkeys(urls):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            body = b"".join(response) if response.streaming else response.content
            texts[url] = body.decode("utf-8", "replace")
    return texts


def assert_absent(marker: str, texts: dict[str, str]) -> None:
    leaks = [url for url, text in texts.items() if marker.lower() in text.lower()]
    assert not leaks, f"{marker!r} is shown on {leaks}"


def stranger() -> Client:
    """Signed in, but belongs to nothing involved."""
    client = Client()
    client.force_login(factories.make_user("vieras@example.com", name="Vieras Käyttäjä"))
    return client


def test_a_pending_registration_is_on_no_public_page_sitemap_or_export(org_a):
    pending = factories.make_organisation(
        "Salaperäinen Odottajaseura ry",
        status=Organisation.Status.PENDING,
        short_description="Odottajaseura haluaa rekisteröityä.",
        email="odottaja@example.com",
    )
    factories.add_member(factories.make_user("hakija@example.com"), pending)
    own_page = reverse("directory:organisation-detail", kwargs={"slug": pending.slug})
    extra = [
        own_page,
        # Searches that would find it (the marker itself would be echoed in the search box).
        "/organisations/?q=rekister%C3%B6ity%C3%A4",
        "/organisations/?q=salaper%C3%A4inen",
        reverse("events:organisation-feed", kwargs={"slug": pending.slug}),
        reverse("directory:organisation-detail", kwargs={"slug": org_a.slug}),
    ]
    for client in (Client(), stranger()):
        texts = public_texts(client, extra)
        assert org_a.name in texts["/organisations/"], "the walk reached the list"
        assert own_page not in texts
        for marker in ("Odottajaseura", "odottaja@example.com"):
            assert_absent(marker, texts)


def test_grant_applications_and_their_attachments_are_on_no_public_page_or_export(
    member, org_a, org_b, other_org_admin, staff
):
    from tests.grants import builders

    grant_round = builders.make_round(budget=Decimal("10000"), year=2026)
    secret = builders.make_application(user=member, organisation=org_a, round=grant_round)
    builders.services.application_save_draft(
        user=member,
        application_id=secret.pk,
        group=secret.group,
        purpose="Salainen hankesuunnitelma Kettulanlahden rannalle.",
        requested_amount=Decimal("1500.00"),
        income=[("Kettulan myyjäiset", Decimal("200.00"))],
        expenses=[("Kettulan vuokra", Decimal("1000.00")), ("Muut", Decimal("700.00"))],
    )
    upload = builders.pdf("kettulan-tilinpaatos.pdf")
    attachment = builders.services.attachment_add(
        user=member,
        application_id=secret.pk,
        kind="financial_statements",
        upload=upload,
        file_type=builders.file_type(upload),
    )
    secret.refresh_from_db()
    builders.submit(secret, member)
    # A public decision of another association: the decision list itself is public.
    shown = builders.make_application(user=other_org_admin, organisation=org_b, round=grant_round)
    builders.submit(shown, other_org_admin)
    builders.decide(shown, staff, "800")

    extra = [
        reverse("grants:round-detail", kwargs={"slug": grant_round.slug}),
        reverse("grants:decision-list", kwargs={"year": 2026}),
        reverse("grants:decision-csv", kwargs={"year": 2026}),
        reverse("directory:organisation-detail", kwargs={"slug": org_a.slug}),
        reverse("grants:application-detail", kwargs={"pk": secret.pk}),
        reverse("grants:version-detail", kwargs={"pk": secret.pk, "number": 1}),
        reverse("grants:attachment-download", kwargs={"pk": attachment.pk}),
    ]
    for client in (Client(), stranger()):
        texts = public_texts(client, extra)
        assert org_b.name in texts[extra[1]], "the walk reached the public decisions"
        for private in extra[4:]:
            assert private not in texts, f"{private} opened for an outsider"
        for marker in ("Kettulanlahden", "Kettulan myyjäiset", "kettulan-tilinpaatos"):
            assert_absent(marker, texts)


def test_a_private_booking_is_on_no_public_page_or_feed(member, org_a):
    from spaces.models import Booking
    from tests.spaces.conftest import local, make_space, make_venue, next_weekday

    venue = make_venue("Yksityistalo", "yksityistalo")
    space = make_space(venue, "Kabinetti", "kabinetti")
    day = next_weekday(2)
    common = {"space": space, "organisation": org_a, "booked_by": member, "status": "confirmed"}
    Booking.objects.create(
        **common,
        purpose="Luottamuksellinen Velkaneuvonta",
        expected_attendees=3,
        during=DateTimeTZRange(local(day, 10), local(day, 11), "[)"),
        staff_note="Avain vahtimestarilta",
    )
    Booking.objects.create(
        **common,
        purpose="Avoin Kuoroharjoitus",
        expected_attendees=20,
        is_public=True,
        during=DateTimeTZRange(local(day, 12), local(day, 13), "[)"),
    )
    week = f"{day.isocalendar().year}-W{day.isocalendar().week:02d}"
    extra = [
        reverse("spaces:space-detail", kwargs={"slug": space.slug}),
        reverse("spaces:space-detail", kwargs={"slug": space.slug}) + f"?week={week}",
        reverse("spaces:space-week", kwargs={"slug": space.slug}) + f"?week={week}",
        reverse("spaces:space-calendar", kwargs={"slug": space.slug}),
        reverse("directory:organisation-detail", kwargs={"slug": org_a.slug}),
        reverse("events:organisation-feed", kwargs={"slug": org_a.slug}),
    ]
    for client in (Client(), stranger()):
        texts = public_texts(client, extra)
        assert "Avoin Kuoroharjoitus" in texts[extra[3]], "the public booking is in the feed"
        for marker in ("Velkaneuvonta", "Avain vahtimestarilta", member.email):
            assert_absent(marker, texts)


def test_the_attendee_list_of_a_forum_meeting_is_on_no_public_page_or_export(org_a, member):
    from forums import services
    from tests.forums.conftest import make_forum, make_meeting

    forum = make_forum("avoin-foorumi", "Avoin foorumi")
    meeting = make_meeting(forum, "kevat", asks_diet=True, allows_residents=True)
    shy = factories.make_user("ujo@example.com", name="Ujolainen Osallistuja")
    services.registration_create(meeting=meeting, user=shy, organisation=None, diet="Pähkinäton")
    services.registration_create(meeting=meeting, user=member, organisation=org_a)
    kwargs = {"forum": forum.slug, "meeting": meeting.slug}
    extra = [
        reverse("forums:forum-detail", kwargs={"forum": forum.slug}),
        reverse("forums:meeting-detail", kwargs=kwargs),
        reverse("forums:meeting-summary", kwargs=kwargs),
        reverse("forums:meeting-attendees", kwargs=kwargs),
        reverse("forums:meeting-attendees-csv", kwargs=kwargs),
        reverse("directory:organisation-detail", kwargs={"slug": org_a.slug}),
    ]
    for client in (Client(), stranger()):
        texts = public_texts(client, extra)
        assert meeting.title in texts[extra[1]], "the walk reached the meeting page"
        for marker in ("Ujolainen", "ujo@example.com", "Pähkinäton", member.get_full_name()):
            assert_absent(marker, texts)


def test_reviewer_scores_and_comments_are_shown_to_no_one_but_staff(
    member, org_a, other_org_admin, org_b, staff
):
    from grants.services import review_save
    from tests.grants import builders

    grant_round = builders.make_round(budget=Decimal("10000"), year=2026)
    application = builders.make_application(user=member, organisation=org_a, round=grant_round)
    builders.submit(application, member)
    application.refresh_from_db()
    criteria = list(grant_round.criteria.order_by("position"))
    review_save(
        staff=staff,
        application=application,
        scores={
            criteria[0]: (4, "Arvioijan huomio: vaikuttavuus epävarma"),
            criteria[1]: (2, "Talous heikko"),
        },
    )
    builders.decide(application, staff, "900")

    extra = [
        reverse("grants:round-detail", kwargs={"slug": grant_round.slug}),
        reverse("grants:decision-list", kwargs={"year": 2026}),
        reverse("grants:decision-csv", kwargs={"year": 2026}),
        reverse("directory:organisation-detail", kwargs={"slug": org_a.slug}),
    ]
    # The applicant sees its own application and version, but not how staff scored it.
    applicant = Client()
    applicant.force_login(member)
    own = [
        reverse("grants:application-detail", kwargs={"pk": application.pk}),
        reverse("grants:version-detail", kwargs={"pk": application.pk, "number": 1}),
        reverse("grants:application-list"),
    ]
    for client, urls in ((Client(), extra), (stranger(), extra), (applicant, extra + own)):
        texts = public_texts(client, urls)
        assert org_a.name in texts[extra[1]], "the walk reached the public decision"
        for marker in ("vaikuttavuus epävarma", "Talous heikko"):
            assert_absent(marker, texts)
    assert all(url in texts for url in own), "the applicant opened its own pages"

"""Organisers create, edit, copy, publish, cancel and postpone; bad input gets a clear error."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from config.ical import HELSINKI
from events.forms import NonexistentTime, combine_local
from events.models import Event

pytestmark = pytest.mark.django_db


def form_data(organisation, terms, **changes):
    day = timezone.localdate() + timedelta(days=14)
    data = {
        "title": "Syyskonsertti",
        "description": "Kuoro laulaa, kahvia tarjolla.",
        "organisers": [organisation.pk],
        "themes": [terms["kulttuuri"].pk],
        "target_groups": [terms["ikaantyneet"].pk],
        "starts_on": day.isoformat(),
        "starts_time": "18:00",
        "ends_time": "20:00",
        "repeat": "none",
        "place_kind": "address",
        "place_name": "Männistön asukastupa",
        "district": terms["mannisto"].pk,
        "is_free": "on",
        "registration": "none",
        "action": "publish",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(response) -> dict:
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_a_volunteer_publishes_an_event_of_their_association(client_as, org_a, terms):
    client = client_as("member")
    response = client.post("/events/new/", form_data(org_a, terms))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert event.status == Event.Status.PUBLISHED
    assert list(event.organisers.all()) == [org_a]
    assert event.local_start.hour == 18 and event.local_end.hour == 20
    assert terms["mannisto"] in event.areas.all(), "the district counts as an area"
    assert "Syyskonsertti" in client.get("/events/").content.decode()


def test_the_form_refuses_bad_input_with_clear_finnish_messages(client_as, org_a, terms):
    client = client_as("member")
    cases = [
        ({"ends_time": "17:00"}, "ends_time", "ei voi päättyä ennen"),
        ({"starts_on": "2027-03-28", "starts_time": "03:30", "ends_time": "05:00"},
         "starts_time", "kellonaikaa ei ole suomessa"),
        ({"registration": "link", "registration_url": "https://ilmo.example/",
          "deadline_on": (timezone.localdate() + timedelta(days=20)).isoformat()},
         "deadline_on", "ennen kuin tapahtuma alkaa"),
        ({"registration": "link"}, "registration_url", "osoite"),
        ({"is_free": None}, "price_text", "hinta"),
        ({"starts_on": "2026-02-30"}, "starts_on", "päivämäärä"),
        ({"age_min": "12", "age_max": "7"}, "age_max", "ikä"),
        ({"place_kind": "online"}, "online_url", "linkki"),
        ({"organisers": []}, "organisers", "yhdistys"),
    ]  # fmt: skip
    for changes, field, words in cases:
        response = client.post("/events/new/", form_data(org_a, terms, **changes))
        assert response.status_code == 200, changes
        errors = errors_of(response)
        assert field in errors, (changes, errors)
        assert words.lower() in " ".join(errors[field]).lower(), (changes, errors)
        assert 'aria-invalid="true"' in response.content.decode()
    assert Event.objects.count() == 0, "nothing half-written"


def test_an_image_must_be_an_image_and_needs_a_description(client_as, org_a, terms):
    client = client_as("member")
    fake = SimpleUploadedFile("kuva.jpg", b"not really a jpeg", content_type="image/jpeg")
    response = client.post("/events/new/", {**form_data(org_a, terms), "image": fake})
    assert "image" in errors_of(response)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    real = SimpleUploadedFile("kuva.png", buffer.getvalue(), content_type="image/png")
    response = client.post("/events/new/", {**form_data(org_a, terms), "image": real})
    assert "image_alt" in errors_of(response)
    assert Event.objects.count() == 0


def test_a_local_time_in_the_spring_gap_is_refused_and_an_autumn_double_time_is_the_first():
    with pytest.raises(NonexistentTime):
        combine_local(datetime(2026, 3, 29).date(), datetime(2026, 1, 1, 3, 30).time())
    autumn = combine_local(datetime(2026, 10, 25).date(), datetime(2026, 1, 1, 3, 30).time())
    assert autumn.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    again = combine_local(datetime(2026, 10, 25).date(), datetime(2026, 1, 1, 3, 30).time())
    assert again == autumn


@time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=HELSINKI), tick=False)
def test_a_weekly_series_keeps_its_local_time_across_the_dst_change(client_as, org_a, terms):
    client = client_as("member")
    data = form_data(
        org_a,
        terms,
        starts_on="2026-03-22",
        repeat="weekly",
        repeat_until="2026-04-05",
        registration="email",
        registration_email="ilmo@example.com",
        deadline_on="2026-03-21",
        deadline_time="12:00",
    )
    response = client.post("/events/new/", data)
    events = list(Event.objects.order_by("starts_at"))
    assert len(events) == 3 and len({e.series_id for e in events}) == 1
    assert len({e.uid for e in events}) == 3
    assert [e.starts_at.astimezone(UTC).hour for e in events] == [16, 15, 15]
    assert {e.local_start.hour for e in events} == {18}
    # A series with dates is checked for clashes on the publish page before publishing.
    assert response["Location"] == f"/events/{events[0].pk}/publish/"
    assert {e.status for e in events} == {Event.Status.DRAFT}
    client.post(f"/events/{events[0].pk}/publish/")
    assert set(Event.objects.values_list("status", flat=True)) == {Event.Status.PUBLISHED}
    deadlines = [e.registration_deadline for e in Event.objects.order_by("starts_at")]
    assert deadlines[1] - deadlines[0] == timedelta(days=7)


def test_listed_dates_create_one_event_per_date(client_as, org_a, terms):
    client = client_as("member")
    first = timezone.localdate() + timedelta(days=10)
    others = [first + timedelta(days=8), first + timedelta(days=15)]
    dates = ", ".join(f"{d.day}.{d.month}.{d.year}" for d in others)
    client.post(
        "/events/new/",
        form_data(org_a, terms, starts_on=first.isoformat(), repeat="dates", repeat_dates=dates),
    )
    assert [e.starts_on for e in Event.objects.order_by("starts_at")] == [first, *others]
    response = client.post(
        "/events/new/", form_data(org_a, terms, repeat="dates", repeat_dates="31.2.2027")
    )
    assert "repeat_dates" in errors_of(response)


def test_publishing_lists_overlapping_events_for_the_same_people_but_never_blocks(
    client_as, make_event, org_a, org_b, terms
):
    day = timezone.localdate() + timedelta(days=14)
    start = datetime(day.year, day.month, day.day, 17, 0, tzinfo=HELSINKI)
    other = make_event("Toisen seuran tanssit", organisers=[org_b], starts_at=start, hours=3)
    make_event("Eri alueella", organisers=[org_b], starts_at=start, district=terms["neulamaki"])
    make_event(
        "Eri kohderyhmälle", organisers=[org_b], starts_at=start, target_groups=[terms["lapset"]]
    )
    client = client_as("member")
    response = client.post("/events/new/", form_data(org_a, terms, starts_on=day.isoformat()))
    mine = Event.objects.get(title="Syyskonsertti")
    assert response["Location"] == f"/events/{mine.pk}/publish/"
    assert mine.status == Event.Status.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "Toisen seuran tanssit" in page
    assert "Eri alueella" not in page and "Eri kohderyhmälle" not in page
    client.post(f"/events/{mine.pk}/publish/")
    mine.refresh_from_db()
    assert mine.status == Event.Status.PUBLISHED
    assert other.pk


def test_the_same_umbrella_counts_as_a_clash_and_kuopio_wide_overlaps_a_district(
    make_event, org_b, terms, umbrella
):
    from events.services import clashes_for

    start = timezone.now() + timedelta(days=5)
    mine = make_event("Oma", starts_at=start, umbrella=umbrella)
    same_umbrella = make_event(
        "Festivaalilla", organisers=[org_b], starts_at=start, umbrella=umbrella,
        district=terms["neulamaki"], target_groups=[terms["lapset"]],
    )  # fmt: skip
    citywide = make_event("Koko Kuopio", organisers=[org_b], starts_at=start, district=None,
                          areas=[terms["kuopio"]], target_groups=[terms["kaikki"]])  # fmt: skip
    make_event("Myöhemmin", organisers=[org_b], starts_at=start + timedelta(hours=3))
    assert set(clashes_for(mine)) == {same_umbrella, citywide}


def test_editing_bumps_the_revision_and_copying_makes_a_new_event(
    client_as, make_event, org_a, terms
):
    event = make_event("Syyskonsertti")
    client = client_as("member")
    form = client.get(f"/events/{event.pk}/edit/").content.decode()
    assert 'value="18:00"' in form
    data = form_data(org_a, terms, title="Syyskonsertti ja kahvit", action="save")
    data["starts_on"] = event.starts_on.isoformat()
    client.post(f"/events/{event.pk}/edit/", data)
    event.refresh_from_db()
    assert event.title == "Syyskonsertti ja kahvit" and event.sequence == 1
    copy_page = client.get(f"/events/{event.pk}/copy/").content.decode()
    assert "Syyskonsertti ja kahvit" in copy_page
    client.post(f"/events/{event.pk}/copy/", data)
    assert Event.objects.count() == 2
    assert Event.objects.exclude(pk=event.pk).get().sequence == 0


def test_cancel_and_postpone_keep_the_event_visible_with_the_message(client_as, make_event):
    first, second = make_event("Tanssit"), make_event("Retki")
    client = client_as("member")
    client.post(f"/events/{first.pk}/cancel/", {"note": "Esiintyjä sairastui."})
    client.post(f"/events/{second.pk}/postpone/", {"note": "Uusi päivä kerrotaan pian."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.sequence) == (Event.Status.CANCELLED, 1)
    assert second.status == Event.Status.POSTPONED
    page = client.get(f"/events/{first.pk}/").content.decode()
    assert "Esiintyjä sairastui." in page
    assert client.get(f"/events/{first.pk}/postpone/").status_code == 302


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("resident", 403), ("other_org_admin", 403), ("member", 200),
     ("org_admin", 200), ("staff", 200)],
)  # fmt: skip
def test_only_the_organisers_members_and_staff_may_edit(client_as, make_event, role, status):
    event = make_event("Kuorolaulua")
    client = client_as(role)
    for path in ("edit", "copy", "cancel", "postpone", "publish"):
        response = client.get(f"/events/{event.pk}/{path}/")
        assert response.status_code == status, (role, path)
        if role != "anonymous" and status == 403:
            assert client.post(f"/events/{event.pk}/cancel/").status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_people_without_an_association_cannot_add_events(client_as):
    assert client_as("anonymous").get("/events/new/").status_code == 302
    assert client_as("resident").get("/events/new/").status_code == 403


def test_saving_and_following_go_to_my_events(client_as, make_event, org_b):
    event = make_event("Tallennettava")
    client = client_as("resident")
    client.post(f"/events/{event.pk}/save/")
    for evil in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        response = client.post(f"/events/organisations/{org_b.slug}/follow/", {"next": evil})
        assert "evil" not in response["Location"]
    page = client.get("/events/mine/").content.decode()
    assert "Tallennettava" in page and org_b.name in page
    assert "/events/personal/" in page
    old = page.split("/events/personal/")[1].split(".ics")[0]
    client.post("/events/mine/renew-feed/")
    assert old not in client.get("/events/mine/").content.decode()


def test_an_event_in_a_city_space_gets_its_name_address_and_district(client_as, org_a, terms):
    from spaces.models import Space, Venue

    venue = Venue.objects.create(
        name="Männistön palvelukeskus", slug="manniston-palvelukeskus",
        street_address="Kellolahdentie 20", district=terms["mannisto"],
    )  # fmt: skip
    space = Space.objects.create(
        venue=venue, name="Kerhohuone", slug="kerhohuone", type="club_room", capacity=20
    )
    client = client_as("member")
    client.post(
        "/events/new/",
        form_data(org_a, terms, space=space.pk, place_name="", district=None),
    )
    event = Event.objects.get()
    assert (event.space, event.venue) == (space, venue)
    assert event.place_name == "Kerhohuone, Männistön palvelukeskus"
    assert event.street_address.startswith("Kellolahdentie 20")
    assert event.district == terms["mannisto"]


def test_a_postponed_event_gets_a_new_date_and_is_published_again(client_as, make_event):
    event = make_event("Retki")
    client = client_as("member")
    client.post(f"/events/{event.pk}/postpone/", {"note": "Uusi päivä kerrotaan pian."})
    assert "/publish/" in client.get(f"/events/{event.pk}/").content.decode()
    client.post(f"/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and event.sequence == 2
    assert event.status_note == ""

"""Open data (JSON and CSV with the list's filters and order), the staff admin, volunteer tasks
and the demo data."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from directory import services
from directory.models import (
    Organisation,
    PendingOrganisation,
    SearchSynonym,
    VolunteerOpportunity,
    ZeroResultSearch,
)
from tests.directory.conftest import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    first = build("Aakkosseura ry", "Liikuntaa.", fields=["liikunta-ja-urheilu"],
                  areas=["kuopio-neulamaki"], business_id="2077474-0")  # fmt: skip
    second = build("Bändiseura ry", "Musiikkia nuorille.", fields=["kulttuuri"], areas=["kuopio"])
    third = build("Cembaloseura ry", "Liikuntaa ja musiikkia.", fields=["liikunta-ja-urheilu"])
    Organisation.objects.filter(pk=third.pk).update(popularity=5)
    build("Odottava ry", status=Organisation.Status.PENDING)
    return first, second, third


def test_open_data_json_has_the_fields_the_total_and_the_pages_order(client, listed):
    page_names = ["Cembaloseura ry", "Aakkosseura ry", "Bändiseura ry"]  # popular first, then name
    data = client.get("/opendata/organisations.json").json()
    assert data["count"] == 3
    assert [r["name"] for r in data["results"]] == page_names
    first = next(r for r in data["results"] if r["name"] == "Aakkosseura ry")
    assert first["slug"] == "aakkosseura-ry"
    assert first["url"].endswith("/organisations/aakkosseura-ry/")
    assert first["business_id"] == "2077474-0"
    assert first["fields"][0]["slug"] == "liikunta-ja-urheilu"
    assert first["fields"][0]["name"] == {"fi": "Liikunta ja urheilu", "en": "Sports and exercise"}
    assert first["areas"][0]["slug"] == "kuopio-neulamaki"
    assert first["description"] == "Liikuntaa."
    assert first["last_confirmed_at"]


def test_open_data_accepts_the_list_filters_and_the_text_parameter_q(client, listed):
    data = client.get("/opendata/organisations.json", {"q": "liikuntaa", "area": "kuopio"}).json()
    assert [r["name"] for r in data["results"]] == ["Aakkosseura ry"]
    html = client.get("/organisations/", {"q": "liikuntaa", "area": "kuopio"}).content.decode()
    assert "Aakkosseura ry" in html and "Cembaloseura ry" not in html


def test_open_data_is_paginated_with_links(client, listed):
    data = client.get("/opendata/organisations.json", {"per_page": 2}).json()
    assert data["count"] == 3 and data["pages"] == 2 and len(data["results"]) == 2
    assert "page=2" in data["next"] and "per_page=2" in data["next"]
    second = client.get(data["next"]).json()
    assert [r["name"] for r in second["results"]] == ["Bändiseura ry"]
    assert second["next"] is None
    capped = client.get("/opendata/organisations.json", {"per_page": 100000}).json()
    assert capped["per_page"] == 500


def test_open_data_csv_has_the_same_rows_and_the_total_in_a_header(client, listed):
    response = client.get("/opendata/organisations.csv", {"field": "liikunta-ja-urheilu"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Total-Count"] == "2"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["name"] for r in rows] == ["Cembaloseura ry", "Aakkosseura ry"]
    assert rows[1]["business_id"] == "2077474-0"
    assert rows[1]["fields"] == "liikunta-ja-urheilu"
    assert rows[1]["areas"] == "kuopio-neulamaki"


def test_open_data_csv_cells_cannot_become_spreadsheet_formulas(client):
    build("=HYPERLINK(1) ry", "@SUM(1)", phone="+358 40 123")
    rows = list(csv.DictReader(io.StringIO(client.get("/opendata/organisations.csv").content
                                           .decode())))  # fmt: skip
    assert rows[0]["name"].startswith("'=")
    assert rows[0]["phone"] == "+358 40 123"


def test_open_data_answers_any_input_normally(client, listed):
    for params in ({"q": "\x00"}, {"page": "-1"}, {"per_page": "x"}, {"q": "a" * 5000}):
        assert client.get("/opendata/organisations.json", params).status_code == 200
        assert client.get("/opendata/organisations.csv", params).status_code == 200


def test_open_data_uses_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(40):
        build(f"Seura {n} ry", "Liikuntaa.", fields=["kulttuuri"], areas=["kuopio"])
    with django_assert_max_num_queries(6):
        client.get("/opendata/organisations.json", {"per_page": 500})
    with django_assert_max_num_queries(6):
        client.get("/opendata/organisations.csv", {"q": "liikuntaa"})


# --- admin -----------------------------------------------------------------------------------


def test_staff_see_pending_registrations_and_verify_them_with_an_action(
    client, staff, django_capture_on_commit_callbacks
):
    from tests import factories

    pending = build("Uusi Yhdistys ry", status=Organisation.Status.PENDING)
    registrant = factories.make_user("rekisteroija@example.com")
    factories.add_member(registrant, pending, "admin")
    build("Vanha Yhdistys ry")
    client.force_login(staff)
    listing = client.get("/admin/directory/pendingorganisation/").content.decode()
    assert "Uusi Yhdistys ry" in listing and "Vanha Yhdistys ry" not in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/directory/pendingorganisation/",
            {"action": "verify", "_selected_action": [pending.pk]},
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "verified" and pending.verified_by == staff
    assert registrant.email in mail.outbox[-1].to
    assert not PendingOrganisation.objects.filter(status="pending").exists()
    assert "Uusi Yhdistys ry" in client.get("/organisations/", {"q": "uusi"}).content.decode()


def test_the_organisation_admin_shows_the_history_and_the_inlines(client, staff, org_a):
    client.force_login(staff)
    page = client.get(f"/admin/directory/organisation/{org_a.pk}/change/").content.decode()
    assert "memberships-TOTAL_FORMS" in page and "contact_persons-TOTAL_FORMS" in page
    assert "pghistory" in page or "events-admin" in page
    assert client.get("/admin/directory/organisation/?status__exact=pending").status_code == 200


def test_staff_see_the_most_common_searches_that_found_nothing(client, staff):
    for _ in range(3):
        services.search_record_zero_result(text="frisbeegolf")
    services.search_record_zero_result(text="kuplafutis")
    client.force_login(staff)
    page = client.get("/admin/directory/zeroresultsearch/").content.decode()
    assert page.index("frisbeegolf") < page.index("kuplafutis")
    assert ZeroResultSearch.objects.get(query="frisbeegolf").count == 3


def test_staff_add_a_synonym_in_the_admin_and_the_search_uses_it(client, staff):
    build("Kuopion Futisseura ry", "Pelataan palloa.")
    client.force_login(staff)
    response = client.post("/admin/directory/searchsynonym/add/", {"words": "Jalkapallo, futis"})
    assert response.status_code == 302
    synonym = SearchSynonym.objects.get()
    assert synonym.words == "jalkapallo, futis"
    assert "futis" in synonym.keys and "jalkapallo" in synonym.keys
    assert (
        "Kuopion Futisseura ry"
        in client.get("/organisations/", {"q": "jalkapallo"}).content.decode()
    )


def test_renaming_a_term_in_the_admin_reindexes_its_associations(client, staff):
    from directory.models import FieldOfActivity

    organisation = build("Kerhoseura ry", fields=["muut"])
    term = FieldOfActivity.objects.get(slug="muut")
    client.force_login(staff)
    client.post(
        f"/admin/directory/fieldofactivity/{term.pk}/change/",
        {"slug": "muut", "name_fi": "Harrastukset", "name_en": "Hobbies", "position": 9},
    )
    organisation.refresh_from_db()
    assert "harrastukset" in organisation.search_terms_b.split()


# --- volunteer tasks -------------------------------------------------------------------------


def task(organisation, title, days=30, area=None):
    return VolunteerOpportunity.objects.create(
        organisation=organisation, title=title, description=f"{title}: apua tarvitaan.",
        time_needed="2 h", contact="info@example.com", area=area,
        open_until=timezone.localdate() + timedelta(days=days),
    )  # fmt: skip


def test_the_volunteering_page_lists_open_public_tasks_with_filters(client, org_a, org_b):
    from directory.models import Area

    neulamaki = Area.objects.get(slug="kuopio-neulamaki")
    kuopio = Area.objects.get(slug="kuopio")
    task(org_a, "Kahvinkeittäjä", area=neulamaki)
    task(org_a, "Koko Kuopion talkoot", area=kuopio)
    task(org_a, "Mennyt tehtävä", days=-1)
    hidden = build("Odottava ry", status=Organisation.Status.PENDING)
    task(hidden, "Salainen tehtävä")
    html = client.get("/volunteering/").content.decode()
    assert "Kahvinkeittäjä" in html and "Koko Kuopion talkoot" in html
    assert "Mennyt tehtävä" not in html and "Salainen tehtävä" not in html
    html = client.get("/volunteering/", {"area": "kuopio-neulamaki"}).content.decode()
    assert "Kahvinkeittäjä" in html and "Koko Kuopion talkoot" in html, "Kuopio-wide counts"
    html = client.get("/volunteering/", {"q": "kahvin"}).content.decode()
    assert "Kahvinkeittäjä" in html and "talkoot" not in html
    assert client.get("/volunteering/", {"q": "\x00", "area": "x"}).status_code == 200


def test_the_volunteering_page_uses_a_fixed_number_of_queries(
    client, org_a, django_assert_max_num_queries
):
    for n in range(25):
        task(org_a, f"Tehtävä {n}")
    with django_assert_max_num_queries(4):
        assert client.get("/volunteering/").status_code == 200


def test_a_member_adds_and_removes_a_volunteer_task(client, org_a, member):
    client.force_login(member)
    response = client.post(
        f"/organisations/{org_a.slug}/volunteering/new/",
        {"title": "Leipoja", "description": "Leivo myyjäisiin.", "time_needed": "1 ilta",
         "contact": "Veikko", "open_until": (timezone.localdate() + timedelta(days=9)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    created = VolunteerOpportunity.objects.get()
    assert created.created_by == member
    assert "Leipoja" in client.get(org_a.get_absolute_url()).content.decode()
    client.post(f"/volunteering/{created.pk}/delete/")
    assert not VolunteerOpportunity.objects.exists()


def test_a_task_cannot_close_in_the_past(client, org_a, member):
    client.force_login(member)
    response = client.post(
        f"/organisations/{org_a.slug}/volunteering/new/",
        {"title": "X", "description": "X", "time_needed": "1", "contact": "x",
         "open_until": "2020-01-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Päivä on jo mennyt" in response.content.decode()


# --- demo ------------------------------------------------------------------------------------


def test_the_demo_data_loads_twice_without_changes(django_capture_on_commit_callbacks):
    from directory import demo

    out = io.StringIO()
    demo.seed(out)
    counts = {
        model: model.objects.count()
        for model in (Organisation, VolunteerOpportunity, SearchSynonym)
    }
    snapshot = list(Organisation.objects.order_by("pk").values("name", "status", "search_terms_a"))
    demo.seed(out)
    assert {model: model.objects.count() for model in counts} == counts
    assert list(Organisation.objects.order_by("pk").values("name", "status", "search_terms_a")) == (
        snapshot
    )
    assert Organisation.objects.filter(status="pending").exists()
    assert Organisation.objects.filter(is_outdated=True).exists()
    assert SearchSynonym.objects.filter(words="nuoret, nuoriso").exists()


def test_the_commands_run(capsys):
    call_command("refresh_popularity")
    call_command("reindex_organisations")
    assert "associations indexed" in capsys.readouterr().out

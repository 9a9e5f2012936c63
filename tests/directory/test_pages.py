"""The public list and detail pages: filters, pagination, query counts, JSON-LD, freshness."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from directory import services
from directory.models import ContactPerson, Organisation, VolunteerOpportunity
from directory.panels import OrganisationPanel, _panels, register
from tests.directory.conftest import build

pytestmark = pytest.mark.django_db


def names(response):
    return re.findall(r'<h3><a href="/organisations/[^"]+">([^<]+)</a>', response.content.decode())


def many(count, **kwargs):
    return [
        build(f"Testiseura {n:03d} ry", f"Liikuntaa numero {n}.", **kwargs) for n in range(count)
    ]


@pytest.mark.parametrize("count", [1, 25, 60])
def test_the_list_page_uses_the_same_few_queries_whatever_its_size(
    client, django_assert_max_num_queries, count
):
    many(count, fields=["liikunta-ja-urheilu"], areas=["kuopio-neulamaki"], groups=["nuoret"])
    with django_assert_max_num_queries(6):
        response = client.get("/organisations/", {"per_page": 50})
    assert response.status_code == 200
    assert len(names(response)) == min(count, 20)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "liikuntaa"},
        {"q": "liikuntaa", "field": "liikunta-ja-urheilu", "area": "kuopio"},
        {"q": "liikuntaa", "target_group": "nuoret", "language": "fi"},
        {"q": "ei-osumia-mistaan"},  # the fallback and the zero-result log too
        {"q": "likuntaa"},  # a typo: the trigram fallback
    ],
)
def test_a_search_page_uses_at_most_six_queries(client, django_assert_max_num_queries, params):
    many(30, fields=["liikunta-ja-urheilu"], areas=["kuopio-neulamaki"], groups=["nuoret"])
    with django_assert_max_num_queries(6):
        response = client.get("/organisations/", params)
    assert response.status_code == 200


def test_a_signed_in_members_search_page_stays_within_six_queries_too(
    client_as, django_assert_max_num_queries
):
    many(30, fields=["liikunta-ja-urheilu"], areas=["kuopio-neulamaki"])
    client = client_as("member")
    for params in ({}, {"q": "liikuntaa", "area": "kuopio"}, {"q": "likuntaa"}, {"q": "zzqq"}):
        with django_assert_max_num_queries(6):
            assert client.get("/organisations/", params).status_code == 200


def test_only_verified_associations_are_listed(client):
    build("Julkinen Seura ry")
    build("Odottava Seura ry", status=Organisation.Status.PENDING)
    build("Arkistoitu Seura ry", status=Organisation.Status.ARCHIVED)
    assert names(client.get("/organisations/")) == ["Julkinen Seura ry"]


def test_filters_by_field_target_group_language_and_area_including_its_districts(client):
    build("Hiihtoseura ry", fields=["liikunta-ja-urheilu"], areas=["kuopio-puijonlaakso"])
    build("Kuoro ry", fields=["kulttuuri"], areas=["kuopio-keskusta"], languages=["fi", "sv"])
    build("Siilin Seura ry", fields=["liikunta-ja-urheilu"], areas=["siilinjarvi"])
    build("Nuoret ry", groups=["nuoret"], areas=["kuopio"])
    get = lambda **p: sorted(names(client.get("/organisations/", p)))  # noqa: E731
    assert get(field="liikunta-ja-urheilu") == ["Hiihtoseura ry", "Siilin Seura ry"]
    assert get(area="kuopio") == ["Hiihtoseura ry", "Kuoro ry", "Nuoret ry"]
    assert get(area="kuopio-puijonlaakso") == ["Hiihtoseura ry"]
    assert get(language="sv") == ["Kuoro ry"]
    assert get(target_group="nuoret") == ["Nuoret ry"]
    assert get(field="liikunta-ja-urheilu", area="siilinjarvi") == ["Siilin Seura ry"]


def test_the_filter_menus_mark_exactly_the_chosen_options(client):
    build("Kuoro ry", fields=["kulttuuri"], areas=["kuopio"])
    for _ in range(2):  # the second form comes from the rendered-once cache
        html = client.get("/organisations/", {"area": "kuopio"}).content.decode()
        area = re.search(r'<select name="area".*?</select>', html, re.S).group(0)
        assert re.findall(r'<option value="([^"]*)" selected>', area) == ["kuopio"]
        field = re.search(r'<select name="field".*?</select>', html, re.S).group(0)
        assert re.findall(r'<option value="([^"]*)" selected>', field) == [""]
    html = client.get("/organisations/", {"area": "ei-ole"}).content.decode()
    area = re.search(r'<select name="area".*?</select>', html, re.S).group(0)
    assert " selected" not in area
    assert 'aria-invalid="true"' in area


def test_the_list_pages_through_results_and_keeps_the_filters_in_the_links(client):
    many(45, fields=["kulttuuri"])
    response = client.get("/organisations/", {"field": "kulttuuri", "page": 2})
    html = response.content.decode()
    assert len(names(response)) == 20
    assert "Sivu 2 / 3" in html
    assert "field=kulttuuri&amp;page=3" in html


def test_browsing_without_a_search_shows_the_most_viewed_first(client):
    quiet = build("Aakkosissa Ensin ry")
    busy = build("Suosittu Seura ry")
    for _ in range(3):
        services.page_view_record(organisation=busy)
    assert names(client.get("/organisations/"))[:2] == [busy.name, quiet.name]


def test_the_detail_page_shows_the_details_contacts_tasks_and_freshness_date(client):
    organisation = build(
        "Neulamäen Nuorisoseura ry",
        "Nuorten iltoja.",
        fields=["nuoriso"],
        areas=["kuopio-neulamaki"],
        email="info@nuoriso.example",
        website="https://nuoriso.example",
    )
    Organisation.objects.filter(pk=organisation.pk).update(
        last_confirmed_at=timezone.make_aware(timezone.datetime(2026, 3, 5, 12))
    )
    ContactPerson.objects.create(organisation=organisation, name="Pekka Puheenjohtaja",
                                 title="puheenjohtaja", email="pj@nuoriso.example")  # fmt: skip
    ContactPerson.objects.create(organisation=organisation, name="Piilotettu", is_public=False)
    ContactPerson.objects.create(
        organisation=organisation,
        name="Entinen Sihteeri",
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    VolunteerOpportunity.objects.create(
        organisation=organisation, title="Leiriohjaaja", description="Ohjaa leirillä.",
        time_needed="viikko kesällä", contact="pj@nuoriso.example",
        open_until=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    response = client.get(organisation.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Neulamäen Nuorisoseura ry</h1>" in html
    assert "Tiedot tarkistettu 5.3.2026" in html
    assert "Pekka Puheenjohtaja" in html and "puheenjohtaja" in html
    assert "Piilotettu" not in html and "Entinen Sihteeri" not in html
    assert "Leiriohjaaja" in html
    assert "Neulamäki (Kuopio)" in html
    assert "Voi olla vanhentunut" not in html


def test_the_detail_page_carries_schema_org_json_ld_with_the_csp_nonce(client):
    organisation = build(
        "Kuopion </script> Seura ry",
        "Testi & <b>",
        business_id="2077474-0",
        email="info@seura.example",
        fields=["kulttuuri"],
        areas=["kuopio"],
    )
    ContactPerson.objects.create(organisation=organisation, name="Sihteeri", title="sihteeri")
    response = client.get(organisation.get_absolute_url())
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    match = re.search(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S
    )
    assert match and match.group(1) == nonce
    assert "</script> Seura" not in match.group(2), "the name cannot close the script"
    data = json.loads(match.group(2))
    assert data["@type"] == "Organization"
    assert data["name"] == "Kuopion </script> Seura ry"
    assert data["taxID"] == "2077474-0"
    assert data["url"].endswith(organisation.get_absolute_url())
    assert data["areaServed"] == [{"@type": "Place", "name": "Kuopio"}]
    assert data["contactPoint"][0]["name"] == "Sihteeri"


def test_a_page_unconfirmed_for_two_years_says_it_may_be_out_of_date(client):
    organisation = build("Vanha Seura ry")
    Organisation.objects.filter(pk=organisation.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=731)
    )
    assert "Voi olla vanhentunut" in client.get(organisation.get_absolute_url()).content.decode()


def test_other_modules_panels_are_rendered_on_the_page(client, tmp_path, settings):
    organisation = build("Paneeliseura ry")
    template_dir = tmp_path / "templates"
    (template_dir / "x").mkdir(parents=True)
    (template_dir / "x" / "panel.html").write_text(
        "<section><h2>Tapahtumat {{ count }}</h2>{{ organisation.name }}</section>"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [template_dir, *engine["DIRS"]]}]
    register(OrganisationPanel("test-panel", "x/panel.html", lambda org, request: {"count": 3}))
    register(OrganisationPanel("empty-panel", "x/panel.html", lambda org, request: None))
    try:
        html = client.get(organisation.get_absolute_url()).content.decode()
    finally:
        _panels.pop("test-panel")
        _panels.pop("empty-panel")
    assert html.count("<h2>Tapahtumat 3</h2>") == 1
    assert "Paneeliseura ry</section>" in html


def test_a_public_page_view_counts_towards_popularity_but_a_members_own_does_not(
    client, org_a, member
):
    client.get(org_a.get_absolute_url())
    client.get(org_a.get_absolute_url(), headers={"user-agent": "Googlebot/2.1"})
    client.force_login(member)
    client.get(org_a.get_absolute_url())
    org_a.refresh_from_db()
    assert org_a.popularity == 1
    assert org_a.page_views.get().views == 1


def test_popularity_counts_only_the_last_90_days(org_a):
    today = timezone.localdate()
    services.page_view_record(organisation=org_a, on=today - timedelta(days=120))
    services.page_view_record(organisation=org_a, on=today - timedelta(days=89))
    services.page_view_record(organisation=org_a, on=today)
    services.popularity_refresh(today=today)
    org_a.refresh_from_db()
    assert org_a.popularity == 2
    assert org_a.page_views.count() == 2


def test_the_sitemap_lists_public_associations_only(client, org_a):
    hidden = build("Odottava ry", status=Organisation.Status.PENDING)
    xml = client.get("/sitemap.xml").content.decode()
    assert org_a.get_absolute_url() in xml
    assert hidden.get_absolute_url() not in xml
    assert "/organisations/</loc>" in xml and "/volunteering/</loc>" in xml


def test_the_pages_are_in_english_on_request(client, org_a):
    client.cookies["django_language"] = "en"
    html = client.get(org_a.get_absolute_url()).content.decode()
    assert "Details checked" in html
    html = client.get("/organisations/").content.decode()
    assert "Search words" in html and "All fields" in html


def test_page_views_and_reindexing_leave_no_trace_in_the_audit_history(org_a):
    before = org_a.audit_trail.count()
    services.page_view_record(organisation=org_a)
    services.organisation_index(organisation=org_a)
    services.freshness_mark_outdated()
    assert org_a.audit_trail.count() == before


def test_the_association_page_needs_few_queries_of_its_own(
    client, org_a, django_assert_max_num_queries, monkeypatch
):
    from directory import panels

    monkeypatch.setattr(panels, "_panels", {})  # other modules' sections are theirs to budget
    ContactPerson.objects.create(organisation=org_a, name="Sihteeri")
    with django_assert_max_num_queries(7):
        assert client.get(org_a.get_absolute_url()).status_code == 200

"""The public record: decided grants per year with totals, an SVG chart, CSV; no personal data."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from directory.panels import panels_for
from grants import services
from tests import factories
from tests.grants import builders

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def published(staff):
    """Three public grants in two groups, one hidden grant and one rejection, all for YEAR."""
    round = builders.make_round(year=YEAR, budget=Decimal("100000"), name="Yleisavustukset 2026")
    decisions = []
    for n, (slug, amount, public) in enumerate(
        [
            ("asukas-ja-kylayhdistykset", "1200", True),
            ("asukas-ja-kylayhdistykset", "800", True),
            ("liikuntaseurat", "5000", True),
            ("liikuntaseurat", "300", False),
            ("liikuntaseurat", "0", True),
        ]
    ):
        organisation = factories.make_organisation(f"Julkinen yhdistys {n} ry")
        user = factories.make_user(f"yhteys{n}@example.com", name=f"Henkilö Salainen{n}")
        factories.add_member(user, organisation)
        application = builders.make_application(
            user=user, organisation=organisation, round=round, requested=Decimal("5000"), slug=slug
        )
        builders.submit(application, user)
        version = application.versions.get()
        decisions.append(
            services.decision_make(
                staff=staff,
                application_id=application.pk,
                version_id=version.pk,
                amount=Decimal(amount),
                rejection_reason="" if amount != "0" else "Ei kuopiolaista toimintaa",
                is_public=public,
            )
        )
    return decisions


def test_the_public_list_shows_grants_with_totals_per_group_and_year(
    client, published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(f"/grants/decisions/{YEAR}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Julkinen yhdistys 0 ry" in html and "Julkinen yhdistys 2 ry" in html
    assert "Julkinen yhdistys 3 ry" not in html, "not public"
    assert "Julkinen yhdistys 4 ry" not in html, "nothing was granted"
    assert "2\xa0000,00\xa0€" in html, "the group total of residents' associations"
    assert "7\xa0000,00\xa0€" in html, "the year's total"
    assert "7\xa0000\xa0€ yhteensä 3 saajalle." in html


def test_the_public_list_shows_no_personal_data(client, published, staff):
    html = client.get(f"/grants/decisions/{YEAR}/").content.decode()
    csv_text = client.get(f"/grants/decisions/{YEAR}/csv/").content.decode("utf-8-sig")
    for text in (html, csv_text):
        assert "Salainen" not in text
        assert "@example.com" not in text
        assert staff.full_name not in text
        assert "Ei kuopiolaista toimintaa" not in text


def test_the_chart_is_server_rendered_svg_without_inline_styles(client, published):
    html = client.get(f"/grants/decisions/{YEAR}/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "style=" not in html
    assert 'role="img"' in svg and "<title" in svg
    assert svg.count("<rect") == 2, "one bar per applicant group"
    assert "5\xa0000\xa0€" in svg


def test_the_csv_download_has_every_public_grant(client, published):
    response = client.get(f"/grants/decisions/{YEAR}/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Vuosi", "Avustushaku", "Hakijaryhmä", "Yhdistys"]
    assert len(rows) == 4
    assert {row[5] for row in rows[1:]} == {"1200,00", "800,00", "5000,00"}


def test_a_csv_cell_is_never_run_as_a_formula(client, staff, member):
    organisation = factories.make_organisation("=HYPERLINK(1) ry")
    factories.add_member(member, organisation)
    round = builders.make_round(year=YEAR, budget=Decimal("5000"))
    application = builders.make_application(user=member, organisation=organisation, round=round)
    builders.submit(application, member)
    builders.decide(application, staff, "100")
    text = client.get(f"/grants/decisions/{YEAR}/csv/").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1) ry" in text


def test_a_year_without_decisions_says_so_and_a_silly_year_is_not_found(client):
    assert "ei ole julkaistu päätöksiä" in client.get("/grants/decisions/2031/").content.decode()
    assert client.get("/grants/decisions/12/").status_code == 404
    assert client.get("/grants/decisions/").status_code == 302


def test_the_organisation_page_panel_lists_its_public_grants_by_year(published, rf):
    organisation = published[0].organisation
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    shown = {panel.key: context for panel, context in panels_for(organisation, request)}
    assert shown["grants"]["grant_years"][0]["year"] == YEAR
    html = render_to_string("grants/organisation_panel.html", shown["grants"])
    assert "Kaupungin avustukset" in html and "1\xa0200,00\xa0€" in html
    hidden = published[3].organisation
    assert "grants" not in {panel.key: context for panel, context in panels_for(hidden, request)}


def test_the_grants_page_lists_years_with_public_decisions(client, published):
    html = client.get("/grants/").content.decode()
    assert f'href="/grants/decisions/{YEAR}/"' in html


def test_the_sitemap_lists_rounds_and_decision_years(client, published):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/grants/decisions/{YEAR}/" in xml
    assert f"/grants/rounds/{published[0].round.slug}/" in xml


def test_the_association_page_in_the_directory_shows_its_public_grants(client, published):
    organisation = published[0].organisation
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Kaupungin avustukset" in html
    assert "1\xa0200,00\xa0€" in html


def test_the_public_list_is_complete_in_english(client, published):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/grants/decisions/{YEAR}/").content.decode()
    assert "Granted grants 2026" in html
    assert "to 3 recipients." in html
    assert "Residents&#x27; and village associations" in html or "Residents' and village" in html


def test_the_years_tables_are_rendered_once_and_a_hidden_grant_leaves_them_at_once(
    client, published, django_assert_max_num_queries
):
    from grants.models import Decision
    from grants.public import forget_tables

    forget_tables()
    assert "Julkinen yhdistys 2 ry" in client.get(f"/grants/decisions/{YEAR}/").content.decode()
    with django_assert_max_num_queries(1):  # the signature; the tables come from memory
        client.get(f"/grants/decisions/{YEAR}/")
    Decision.objects.filter(organisation__name="Julkinen yhdistys 2 ry").update(is_public=False)
    html = client.get(f"/grants/decisions/{YEAR}/").content.decode()
    assert "Julkinen yhdistys 2 ry" not in html and "Julkinen yhdistys 0 ry" in html

"""Open data: the list's filters, as JSON and CSV, without the private online links."""

import csv
import io

import pytest

from events.models import Event

pytestmark = pytest.mark.django_db


def test_open_data_json_follows_the_list_filters(client, make_event, terms):
    make_event("Kuoro", online_url="https://meet.example/salainen", place_kind="hybrid")
    make_event("Futis", themes=[terms["liikunta"]], target_groups=[terms["lapset"]])
    data = client.get("/opendata/events.json?theme=kulttuuri").json()
    assert data["count"] == 1
    row = data["events"][0]
    assert row["title"] == "Kuoro" and row["themes"] == ["kulttuuri"]
    assert row["target_groups"] == ["ikaantyneet"] and "kuopio-mannisto" in row["areas"]
    assert row["start"].endswith(("+02:00", "+03:00"))
    assert "salainen" not in str(data)
    assert client.get("/opendata/events.json?theme=%00&start=x").status_code == 200


def test_open_data_csv_opens_in_a_spreadsheet_and_cannot_smuggle_formulas(client, make_event):
    make_event('=HYPERLINK("http://evil.example")', description="Kahvia, pullaa; ja laulua")
    response = client.get("/opendata/events.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"].startswith("'=")
    assert rows[0]["description"] == "Kahvia, pullaa; ja laulua"
    assert rows[0]["status"] == Event.Status.PUBLISHED

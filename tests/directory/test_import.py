"""manage.py import_organisations FILE.csv: create or update, idempotent, line-numbered errors,
never half a row."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from directory import services
from directory.models import Organisation

pytestmark = pytest.mark.django_db

HEADER = "name,business_id,register_number,description,fields,target_groups,areas,languages,email,phone,website\n"  # noqa: E501

GOOD = (
    HEADER + 'Kuopion Jalkapalloseura ry,FI20774740,123456,"Jalkapalloa tytöille ja pojille.",'
    "liikunta-ja-urheilu;Nuoriso,lapset;Nuoret,Neulamäki;kuopio-keskusta,fi;ruotsi,"
    "info@kjs.example,+358 40 123 4567,kjs.example\n"
    "Karttulan Kyläyhdistys ry,,,Kylätalo ja kesäjuhlat.,asukas-ja-kylatoiminta,kaikki,"
    "Karttula,suomi,,,\n"
)


def run_import(tmp_path, text, name="rekisteri.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_organisations", str(path), stdout=out, stderr=err)
        error = None
    except CommandError as exc:
        error = str(exc)
    return out.getvalue(), err.getvalue(), error


def test_an_import_creates_verified_associations_with_terms_by_slug_or_finnish_name(tmp_path):
    out, err, error = run_import(tmp_path, GOOD)
    assert error is None, err
    assert "2 rows: 2 created, 0 updated, 0 unchanged, 0 with errors." in out
    assert "2/2 rows" in out, "progress"
    football = Organisation.objects.get(business_id="2077474-0")
    assert football.status == Organisation.Status.VERIFIED and football.verified_at
    assert football.register_number == "123456"
    assert sorted(f.slug for f in football.fields.all()) == ["liikunta-ja-urheilu", "nuoriso"]
    assert sorted(g.slug for g in football.target_groups.all()) == ["lapset", "nuoret"]
    assert sorted(a.slug for a in football.areas.all()) == ["kuopio-keskusta", "kuopio-neulamaki"]
    assert football.languages == ["fi", "sv"]
    assert football.website == "https://kjs.example"
    assert football.phone == "+358 40 123 4567"
    village = Organisation.objects.get(name="Karttulan Kyläyhdistys ry")
    assert village.business_id is None
    assert [a.slug for a in village.areas.all()] == ["kuopio-karttula"]


def test_imported_associations_are_found_by_the_search(client, tmp_path):
    run_import(tmp_path, GOOD)
    html = client.get("/organisations/", {"q": "jalkapalloa neulamäessä"}).content.decode()
    assert "Kuopion Jalkapalloseura ry" in html


def test_running_the_same_file_twice_changes_nothing(tmp_path):
    run_import(tmp_path, GOOD)
    events = {o.pk: o.audit_trail.count() for o in Organisation.objects.all()}
    snapshot = list(Organisation.objects.order_by("pk").values())
    out, _err, error = run_import(tmp_path, GOOD)
    assert error is None
    assert "0 created, 0 updated, 2 unchanged" in out
    assert list(Organisation.objects.order_by("pk").values()) == snapshot
    assert {o.pk: o.audit_trail.count() for o in Organisation.objects.all()} == events


def test_rows_update_by_business_id_or_else_by_exact_name(tmp_path):
    run_import(tmp_path, GOOD)
    changed = (
        HEADER
        + "Kuopion Jalkapalloseura ry (uusi nimi),2077474-0,,Jalkapalloa kaikille.,,,,,,,\n"
        + "Karttulan Kyläyhdistys ry,,,Kylätalo.,,,,,,,\n"
    )
    out, _err, error = run_import(tmp_path, changed)
    assert error is None
    assert "0 created, 2 updated" in out
    assert Organisation.objects.count() == 2
    assert Organisation.objects.get(business_id="2077474-0").name.endswith("(uusi nimi)")
    assert Organisation.objects.get(name="Karttulan Kyläyhdistys ry").short_description == (
        "Kylätalo."
    )


def test_bad_rows_are_reported_by_line_and_skipped_whole_while_good_rows_import(tmp_path):
    text = (
        HEADER
        + "Hyvä Seura ry,,,Hyvää toimintaa.,kulttuuri,,,,,,\n"  # line 2
        + 'Monirivinen ry,,,"Ensimmäinen rivi\nToinen rivi",kulttuuri,,,,,,\n'  # lines 3-4
        + "Huono Tunnus ry,2077474-1,,x,,,,,,,\n"  # line 5
        + "Outo Ala ry,,,x,ei-tallaista;kulttuuri,,Atlantis,klingon,ei-sahkoposti,,\n"  # line 6
        + ",,,Nimetön,,,,,,,\n"  # line 7
        + "Liikaa,,,,,,,,,,,,,\n"  # line 8
        + "Viimeinen Hyvä ry,,,Hyvä.,,,,,,,\n"  # line 9
    )
    out, err, error = run_import(tmp_path, text)
    assert error == "4 rows were not imported; see above."
    assert "line 5: the business ID “2077474-1” is not valid" in err
    assert "line 6:" in err and "unknown field of activity “ei-tallaista”" in err
    assert "unknown area “Atlantis”" in err and "unknown language “klingon”" in err
    assert "the email “ei-sahkoposti” is not valid" in err
    assert "line 7: the name is empty" in err
    assert "line 8: 14 cells but the header has 11" in err
    assert "3 created" in out
    assert sorted(Organisation.objects.values_list("name", flat=True)) == [
        "Hyvä Seura ry",
        "Monirivinen ry",
        "Viimeinen Hyvä ry",
    ]
    assert not Organisation.objects.filter(name="Outo Ala ry").exists(), "not half a row"


def test_a_failure_while_writing_a_row_leaves_nothing_of_it(tmp_path, monkeypatch):
    real = services.organisation_index

    def failing(*, organisation):
        if organisation.name == "Kaatuva ry":
            raise DatabaseError("disk full")
        real(organisation=organisation)

    monkeypatch.setattr(services, "organisation_index", failing)
    text = HEADER + "Kaatuva ry,,,x,kulttuuri,,,,,,\nPysyvä ry,,,x,kulttuuri,,,,,,\n"
    _out, err, _error = run_import(tmp_path, text)
    assert "line 2: disk full" in err
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Pysyvä ry"]


def test_a_status_column_can_keep_imported_rows_pending(tmp_path):
    text = HEADER.rstrip("\n") + ",status\nOdottava ry,,,x,,,,,,,,pending\nValmis ry,,,x,,,,,,,,\n"
    _out, _err, error = run_import(tmp_path, text)
    assert error is None
    assert Organisation.objects.get(name="Odottava ry").status == "pending"
    assert Organisation.objects.get(name="Valmis ry").status == "verified"


def test_a_file_without_the_required_columns_imports_nothing(tmp_path):
    _out, _err, error = run_import(tmp_path, "name,email\nSeura ry,a@b.fi\n")
    assert "The header lacks the columns: business_id" in error
    assert not Organisation.objects.exists()


def test_a_file_that_is_not_utf8_imports_nothing(tmp_path):
    _out, _err, error = run_import(tmp_path, GOOD, encoding="latin-1")
    assert "not UTF-8" in error
    assert not Organisation.objects.exists()


def test_a_utf8_file_with_a_byte_order_mark_works(tmp_path):
    _out, _err, error = run_import(tmp_path, "\ufeff" + GOOD)
    assert error is None
    assert Organisation.objects.count() == 2


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_organisations", str(tmp_path / "ei-ole.csv"))

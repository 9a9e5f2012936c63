import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from directory.models import ContactPerson
from tests import factories


def _row_counts(dbname: str) -> dict[str, int]:
    database = settings.DATABASES["default"]
    with psycopg.connect(
        dbname=dbname,
        user=database["USER"],
        host=database["HOST"],
        port=database["PORT"] or None,
        password=database.get("PASSWORD") or None,
    ) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_the_same_rows(tmp_path):
    organisation = factories.make_organisation("Varmuuskopioyhdistys ry")
    ContactPerson.objects.create(organisation=organisation, name="Sirkka Sihteeri")
    factories.make_user("varmuus@example.com")
    dump_file = tmp_path / "portal.dump"
    call_command("backup", output=str(dump_file))
    assert dump_file.stat().st_size > 0

    fresh = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        call_command("restore", str(dump_file), database_name=fresh, yes=True)
        original = _row_counts(settings.DATABASES["default"]["NAME"])
        restored = _row_counts(fresh)
        assert restored == original
        assert restored["directory_organisation"] >= 1
        assert restored["directory_organisationevent"] >= 1, "the audit trail is restored too"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')

"""The event list replays its page statement, compiled once per question, with the moment of
each request as a parameter: the same rows, order, count and cap as the filter set's queryset,
without the ORM's work on a repeated question."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.http import QueryDict
from django.utils import timezone, translation

from config.pagecache import forget_pages
from events import rows
from events.filters import EventFilter
from events.models import Event

pytestmark = pytest.mark.django_db

QUESTIONS = [
    "",
    "when=upcoming",
    "when=past",
    "q=kuoro",
    "q=kuoro&when=past",
    "theme=kulttuuri",
    "theme=liikunta-ja-urheilu&theme=kulttuuri",
    "group=lapset",
    "area=kuopio",
    "area=kuopio-mannisto",
    "organiser={org}",
    "organiser=ei-ole-olemassa",
    "umbrella=meidan-kuopio",
    "online=1",
    "free=1&accessible=1",
    "start={today}",
    "start={today}&end={later}",
    "end={later}",
    "start=1800-01-01",
    "start=ei-paiva&theme=kulttuuri",
    "theme=kulttuuri&group=ikaantyneet&area=kuopio&online=1",
]


@pytest.fixture
def varied(make_event, terms, org_a, org_b, umbrella):
    """Events that differ in every filtered column: past, running, cancelled, draft, online."""
    now = timezone.now()
    soon = timezone.localtime(now + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    make_event("Kuoron kevätkonsertti", starts_at=soon, is_free=True, is_accessible=True)
    make_event(
        "Lasten liikuntakerho",
        starts_at=soon,
        themes=[terms["liikunta"]],
        target_groups=[terms["lapset"]],
        organisers=[org_b],
    )
    make_event(
        "Verkkoluento",
        starts_at=soon + timedelta(days=1),
        place_kind="online",
        place_name="",
        district=None,
    )
    make_event(
        "Hybridi-ilta",
        starts_at=soon + timedelta(days=3),
        place_kind="hybrid",
        areas=[terms["kuopio"]],
        umbrella=umbrella,
    )
    make_event(
        "Peruttu kuoroilta", starts_at=soon + timedelta(days=4), status=Event.Status.CANCELLED
    )
    make_event(
        "Siirretty tanssi", starts_at=soon + timedelta(days=5), status=Event.Status.POSTPONED
    )
    make_event("Luonnos", starts_at=soon, status=Event.Status.DRAFT)
    make_event("Käynnissä oleva näyttely", starts_at=now - timedelta(hours=1), hours=3)
    make_event("Päättyy pian", starts_at=now - timedelta(hours=2), hours=2.01)
    for day in range(1, 6):
        make_event(f"Mennyt kuoroharjoitus {day}", starts_at=now - timedelta(days=day))
    make_event("Mennyt peruttu", starts_at=now - timedelta(days=3), status=Event.Status.CANCELLED)
    return {
        "org": org_a.slug,
        "today": timezone.localdate().isoformat(),
        "later": (timezone.localdate() + timedelta(days=4)).isoformat(),
    }


def pages(query: str, now, *, per_page: int, cap: int, number: int):
    def filterset():
        return EventFilter(QueryDict(query), queryset=Event.objects.listed(now), now=now)

    fast = rows.listed_page(filterset(), number, per_page, cap=cap)
    orm = rows.page_of(filterset().qs, number, per_page, cap=cap)
    return fast, orm


def same(fast, orm) -> None:
    assert fast.object_list == orm.object_list
    assert fast.number == orm.number
    assert fast.paginator == orm.paginator


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_remembered_statement_finds_what_the_filter_set_finds_for_every_question(
    varied, language
):
    rows._statements.clear()
    now = timezone.now()
    with translation.override(language):
        for template in QUESTIONS:
            query = template.format(**varied)
            # Page 9 of 2 lies past the end; a cap of 3 caps most questions.
            for number, per_page, cap in ((1, 30, 1000), (1, 2, 3), (2, 2, 3), (9, 2, 3)):
                # Twice: compiled, then remembered with the ORM's queryset as reference.
                for _ in range(2):
                    fast, orm = pages(query, now, per_page=per_page, cap=cap, number=number)
                    same(fast, orm)
    assert rows._statements.entries, "the statements were remembered"
    assert any(
        page.paginator.is_capped for page in [pages("", now, per_page=2, cap=3, number=1)[0]]
    ), "the count is capped as before"


def test_a_remembered_statement_uses_each_requests_own_moment(varied):
    rows._statements.clear()
    now = timezone.now()
    later = now + timedelta(minutes=30)  # "Päättyy pian" has ended by then
    for query in ("", "when=past", "theme=kulttuuri"):
        first, _orm = pages(query, now, per_page=30, cap=1000, number=1)
        fast, orm = pages(query, later, per_page=30, cap=1000, number=1)
        same(fast, orm)
        assert fast.object_list != first.object_list or query == "theme=kulttuuri"


def test_a_search_term_is_a_parameter_never_part_of_the_statement(varied):
    rows._statements.clear()
    now = timezone.now()
    query = "q=kuoro'); DROP TABLE events_event; --"
    fast, orm = pages(query, now, per_page=30, cap=1000, number=1)
    same(fast, orm)
    for sql, *_rest in rows._statements.entries.values():
        assert "DROP" not in sql
    assert Event.objects.exists()


def test_a_repeated_list_page_compiles_no_orm_query(client, varied):
    url = "/events/?theme=kulttuuri&area=kuopio"
    first = client.get(url)
    forget_pages()
    compile_sql = SQLCompiler.as_sql
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=compile_sql) as sql:
        response = client.get(url)
    assert response.status_code == 200
    assert [row.pk for row in response.context["events"]] == [
        row.pk for row in first.context["events"]
    ]
    assert response.context["events"], "the page lists events"
    assert sql.call_count == 0, "the rows come from the remembered statement"

"""Finnish search: inflection, compounds, synonyms, typos, what must not match, ranking, and
input that must never break the page."""

import re

import pytest
from django.db import connection

from directory import search, services
from directory.models import Organisation, SearchSynonym, ZeroResultSearch
from tests.directory.conftest import build

pytestmark = pytest.mark.django_db

ASSOCIATIONS = [
    # slug-ish key, name, short description, fields, target groups, areas, languages
    ("jalkapallo", "Kuopion Jalkapalloseura ry", "Jalkapalloa tytöille ja pojille.",
     ["liikunta-ja-urheilu"], ["lapset"], ["kuopio-neulamaki"], ["fi"]),
    ("palokunta", "Kuopion Palokuntayhdistys ry", "Ensiapukursseja ja paloturvallisuutta.",
     ["muut"], ["aikuiset"], ["kuopio-keskusta"], ["fi"]),
    ("nuorisoseura", "Neulamäen Nuorisoseura ry", "Iltoja ja sählyä.",
     ["liikunta-ja-urheilu"], [], ["kuopio-neulamaki"], ["fi"]),
    ("kuoro", "Kuopion Kamarikuoro ry", "Sekakuoro, joka laulaa klassista musiikkia.",
     ["kulttuuri"], ["aikuiset"], ["kuopio-keskusta"], ["fi"]),
    ("elakeliitto", "Eläkeliiton Kuopion yhdistys ry", "Kerhoja, retkiä ja tanssia eläkeläisille.",
     ["elakelaiset"], [], ["kuopio-puijonlaakso"], ["fi"]),
    ("mannisto", "Männistön Asukasyhdistys ry", "Asukastupa ja kirpputori kaikille.",
     ["asukas-ja-kylatoiminta"], ["kaikki"], ["kuopio-mannisto"], ["fi"]),
    ("konsertit", "Kuopion Lastenkonserttiyhdistys ry", "Musiikkia perheille viikonloppuisin.",
     ["kulttuuri"], ["lapsiperheet"], ["kuopio"], ["fi"]),
    ("savonetti", "Savonetti ry", "Vertaistukea verkossa ja kasvokkain.",
     ["sosiaali-ja-terveys"], ["aikuiset"], ["kuopio"], ["fi"]),
    ("hiihto", "Kuopion Hiihtoseura ry", "Hiihtokoulu ja latukahvila Puijolla.",
     ["liikunta-ja-urheilu"], ["lapset", "aikuiset"], ["kuopio-puijonlaakso"], ["fi"]),
    ("kohtaamo", "Kohtaamo ry", "Avoin olohuone keskustassa.",
     ["asukas-ja-kylatoiminta"], ["kaikki"], ["kuopio-keskusta"], ["fi"]),
    ("aimu", "Monikulttuurinen yhdistys Aimu ry", "Kielikahvila ja neuvontaa maahanmuuttajille.",
     ["monikulttuurisuus"], ["maahanmuuttajat"], ["kuopio-neulamaki"], ["fi", "ar", "uk"]),
]  # fmt: skip


@pytest.fixture
def associations(db):
    made = {}
    for key, name, short, fields, groups, areas, languages in ASSOCIATIONS:
        made[key] = build(
            name, short, fields=fields, groups=groups, areas=areas, languages=languages
        )
    return made


def found(client, query, **params):
    response = client.get("/organisations/", {"q": query, **params})
    assert response.status_code == 200
    names = re.findall(r'<h3><a href="/organisations/([^/"]+)/">', response.content.decode())
    return names, response


def keys(associations, slugs):
    by_slug = {org.slug: key for key, org in associations.items()}
    return {by_slug[s] for s in slugs}


CASES = [
    # query, must find, must not find
    ("jalkapallo", {"jalkapallo"}, {"palokunta"}),  # prefix of a compound
    ("pallo", {"jalkapallo"}, {"palokunta"}),  # compound part; not the "fire" of Palokunta
    ("palo", {"palokunta"}, {"jalkapallo"}),  # and the other way round
    ("jalkapalloseuran", {"jalkapallo"}, set()),  # inflected compound
    ("seura", {"jalkapallo", "hiihto", "nuorisoseura"}, {"kuoro"}),  # last part of compounds
    ("Neulamäessä", {"nuorisoseura", "jalkapallo", "aimu"}, {"mannisto"}),  # district, locative
    ("neulamäki", {"nuorisoseura", "jalkapallo"}, {"kuoro"}),
    ("kuorossa", {"kuoro"}, {"jalkapallo"}),  # inflected form meets a compound part
    ("kamarikuorot", {"kuoro"}, set()),  # plural of the compound
    ("kuoro", {"kuoro"}, {"hiihto", "mannisto"}),
    ("eläkeläisille", {"elakeliitto"}, set()),  # inflected form
    ("tanssi", {"elakeliitto"}, {"kuoro"}),
    ("Kuopio hiihto", {"hiihto"}, {"jalkapallo", "kuoro"}),  # every word must match
    ("hiihtoa Puijolla", {"hiihto"}, {"elakeliitto"}),
    ("lapsille", {"jalkapallo", "hiihto", "konsertit"}, {"elakeliitto"}),  # lemma lapsi
    ("konsertti", {"konsertit"}, {"kuoro"}),  # part of a long compound
    ("savonetin", {"savonetti"}, set()),  # an inflected name
    ("kohtaamossa", {"kohtaamo"}, {"mannisto"}),  # a word Voikko does not know: Snowball's stem
    ("sähly", {"nuorisoseura"}, {"hiihto"}),
    ("ASUKASTUPA", {"mannisto"}, set()),  # case does not matter
    ("kirpputorilta", {"mannisto"}, set()),
    ("Männistö", {"mannisto"}, {"jalkapallo"}),
    ("kieli", {"aimu"}, set()),  # part of "kielikahvila"
    ("arabia", {"aimu"}, {"jalkapallo"}),  # language of activity
    ("jalkapallo Neulamäessä", {"jalkapallo"}, {"nuorisoseura"}),
    ("liikunta", {"jalkapallo", "hiihto", "nuorisoseura"}, {"kuoro"}),  # field of activity
    ("maahanmuuttajat", {"aimu"}, set()),  # target group
]


@pytest.mark.parametrize(("query", "present", "absent"), CASES, ids=[c[0] for c in CASES])
def test_finnish_search_finds_what_it_should_and_nothing_it_should_not(
    client, associations, query, present, absent
):
    slugs, response = found(client, query)
    hits = keys(associations, slugs)
    assert present <= hits, f"{query!r} should find {present - hits}"
    assert not (absent & hits), f"{query!r} should not find {absent & hits}"
    assert "lähimmät kirjoitusasut" not in response.content.decode()


def test_pallo_does_not_find_the_fire_brigade_even_through_the_typo_fallback(client, associations):
    Organisation.objects.filter(pk=associations["jalkapallo"].pk).delete()
    slugs, _response = found(client, "pallo")
    assert slugs == []


def test_a_search_that_must_match_two_places_finds_nothing_for_the_wrong_district(
    client, associations
):
    slugs, _response = found(client, "jalkapallo Männistössä")
    assert slugs == []


def test_a_typo_in_a_compound_is_found_by_trigram_similarity(client, associations):
    slugs, response = found(client, "jalkapalo")
    assert keys(associations, slugs) == {"jalkapallo"}
    assert "lähimmät kirjoitusasut" in response.content.decode()


def test_a_typo_in_the_choir_is_found(client, associations):
    slugs, _response = found(client, "kamarikuro")
    assert "kuoro" in keys(associations, slugs)


def test_a_name_typed_without_finnish_letters_is_found(client, associations):
    slugs, _response = found(client, "manniston")
    assert keys(associations, slugs) == {"mannisto"}


def test_a_synonym_staff_added_finds_what_the_word_alone_does_not(client, associations):
    slugs, _response = found(client, "futis")
    assert "jalkapallo" not in keys(associations, slugs), "no synonym yet"
    services.synonym_save(synonym=SearchSynonym(words="futis, jalkapallo"))
    slugs, _response = found(client, "futis")
    assert "jalkapallo" in keys(associations, slugs)


def test_young_people_find_the_youth_association(client, associations):
    services.synonym_save(synonym=SearchSynonym(words="nuoret, nuoriso"))
    slugs, _response = found(client, "nuoret")
    assert "nuorisoseura" in keys(associations, slugs)


def test_a_synonym_works_in_both_directions_and_for_inflected_forms(client, associations):
    services.synonym_save(synonym=SearchSynonym(words="eläkeläiset, seniorit"))
    slugs, _response = found(client, "senioreille")
    assert "elakeliitto" in keys(associations, slugs)


def test_a_search_that_finds_nothing_is_counted_for_staff(client, associations):
    found(client, "xyzzyq kuplat")
    found(client, "  XYZZYQ   kuplat ")
    entry = ZeroResultSearch.objects.get()
    assert entry.query == "xyzzyq kuplat"
    assert entry.count == 2


def test_a_search_that_finds_something_is_not_counted(client, associations):
    found(client, "kuoro")
    assert not ZeroResultSearch.objects.exists()


def test_results_are_ranked_by_relevance_then_popularity_then_name(client, associations):
    Organisation.objects.filter(pk=associations["hiihto"].pk).update(popularity=50)
    Organisation.objects.filter(pk=associations["nuorisoseura"].pk).update(popularity=10)
    slugs, _response = found(client, "seura")
    order = [keys(associations, [s]).pop() for s in slugs]
    assert order[:3] == ["hiihto", "nuorisoseura", "jalkapallo"]


def test_a_name_match_ranks_above_a_mention_in_the_description(client, associations):
    mention = build("Kuopion Lauluyhdistys ry", "Laulamme joskus myös kuoron kanssa.")
    Organisation.objects.filter(pk=mention.pk).update(popularity=1000)
    slugs, _response = found(client, "kuoro")
    assert slugs[0] == associations["kuoro"].slug


def test_an_association_unconfirmed_for_two_years_ranks_lower(client, associations):
    from datetime import timedelta

    from django.utils import timezone

    Organisation.objects.filter(pk=associations["hiihto"].pk).update(
        popularity=50, last_confirmed_at=timezone.now() - timedelta(days=800)
    )
    services.freshness_mark_outdated()
    slugs, response = found(client, "seura")
    order = [keys(associations, [s]).pop() for s in slugs]
    assert order[-1] == "hiihto"
    assert "Voi olla vanhentunut" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        '"jalkapallo',
        "jalka & pallo | !kuoro",
        "kuoro:*",
        "pallo:* & !",
        "'; DROP TABLE directory_organisation; --",
        "a\x00b",
        "\x00",
        "kuoro\x00\x01\x1f",
        "x" * 5000,
        "jalkapallo " * 600,
        "(((",
        "\\",
        "🙂 kuoro",
        "ü" * 300,
        "<script>alert(1)</script>",
    ],
    ids=lambda q: repr(q[:20]),
)
def test_any_text_gives_a_normal_page(client, associations, query):
    response = client.get("/organisations/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_bad_filter_values_give_a_normal_page(client, associations):
    for params in (
        {"field": "\x00"},
        {"area": "ei-ole"},
        {"language": "klingon"},
        {"page": "x"},
        {"page": "99999"},
        {"target_group": "x" * 5000},
    ):
        response = client.get("/organisations/", params)
        assert response.status_code == 200, params


def _fill(count=3000):
    """Many plain associations, so the planner sees a table worth indexing."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO directory_organisation
                (name, slug, short_description, description, expertise, services, languages,
                 accessibility, membership_info, email, phone, website, social_links, logo,
                 register_number, status, last_confirmed_at, verified_at, created_at,
                 updated_at, search_terms_a, search_terms_b, search_terms_c, search_text,
                 popularity, is_outdated)
            SELECT 'Yhdistys ' || n, 'yhdistys-' || n, 'Toimintaa numero ' || n, '', '', '',
                   '{}', '', '', '', '', '', '{}', '', '', 'verified', now(), now(), now(),
                   now(), 'yhdistys ' || n, 'toiminta numero ' || n, '',
                   'yhdistys ' || n || ' toimintaa numero ' || n, n %% 50, false
              FROM generate_series(1, %s) AS n
            """,
            [count],
        )
        cursor.execute("ANALYZE directory_organisation")
        # A few thousand rows still fit in a handful of pages, where a sequential scan is the
        # cheaper plan; at the scale the index is for (100,000 rows) it is not.
        cursor.execute("SET LOCAL enable_seqscan = off")


PUBLIC = search.Sql("o.status = %s", ("verified",))


def _plan(statement, *, analyse=False) -> str:
    explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " if analyse else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + statement.text, statement.params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _ran(plan: str, node: str) -> bool:
    lines = [line for line in plan.splitlines() if node in line]
    assert lines, plan
    return all("never executed" not in line for line in lines)


def _first_page(query, cap=search.CAP):
    return search.ranked_statement(
        PUBLIC, search.parse_query(query), skip=0, take=20, cap=cap, columns=search.LIST_COLUMNS
    )


def _first_tier(query):
    first = search.tiers(search.parse_query(query))[0]
    return search.tiers_statement(PUBLIC, [first], skip=0, take=20, columns=search.LIST_COLUMNS)


def test_the_search_counts_and_ranks_its_hits_through_the_gin_indexes(associations):
    _fill()
    plan = _first_page("jalkapallo neulamäessä")
    assert "organisation_search_simple" in _plan(plan)
    unknown = _first_page("kohtaamossa")  # simple OR finnish: both indexes
    assert "organisation_search_finnish" in _plan(unknown)


def test_a_common_word_walks_the_browse_order_index_instead_of_reading_every_hit(associations):
    _fill()  # every one of the 3,000 is a "yhdistys" by name
    plan = _plan(_first_tier("yhdistys"), analyse=True)
    assert _ran(plan, "Index Only Scan using organisation_public_order"), plan
    assert not _ran(plan, "Bitmap Index Scan on organisation_search_name"), plan


def test_a_rare_word_in_the_name_is_found_through_the_name_index(associations):
    _fill()
    plan = _plan(_first_tier("kamarikuoro"), analyse=True)
    assert _ran(plan, "Bitmap Index Scan on organisation_search_name"), plan


def test_two_common_words_never_in_one_name_do_not_walk_the_whole_index(associations):
    _fill()  # "yhdistys" in every name, "kuoro" in one
    plan = _plan(_first_tier("yhdistys kuoro"), analyse=True)
    walked = re.search(r"Index Only Scan using organisation_public_order.*rows=(\d+)", plan)
    assert walked and int(walked.group(1)) <= 2000, plan
    assert _ran(plan, "Bitmap Index Scan on organisation_search_name"), plan


def test_the_typo_fallback_looks_words_up_in_the_trigram_indexed_lexicon(associations):
    _fill()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {search.LEXICON_TABLE}")
        cursor.execute("EXPLAIN " + search.SIMILAR_WORDS_SQL, [["jalkapalo"], 10])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "directory_search_word_plain_trgm" in plan, plan


# --- many hits: counted up to a cap, ranked from the index tier by tier ----------------------

KANTELE = [
    # name, short description, popularity, outdated
    ("Kuopion Kanteleyhdistys ry", "Soitamme yhdessä.", 5, False),
    ("Savon Kanteleseura ry", "Kansanmusiikkia.", 50, False),
    ("Puijon Laulajat ry", "Laulamme ja soitamme kanteletta.", 70, False),
    ("Pohjoisen Soittajat ry", "Kanteleita ja viuluja.", 1, False),
    ("Kallaveden Kanteleensoittajat ry", "Vanhoja sävelmiä.", 90, True),
    ("Jynkän Kanteleryhmä ry", "Harjoittelemme torstaisin.", 3, True),
    ("Rypysuon Musiikkiyhdistys ry", "Soitamme kanteletta ja laulamme.", 100, True),
    ("Männistön Pelimannit ry", "Kantele, viulu ja haitari.", 2, True),
]


@pytest.fixture
def kantele(db):
    from datetime import timedelta

    from django.utils import timezone

    for name, short, popularity, outdated in KANTELE:
        org = build(name, short)
        when = timezone.now() - timedelta(days=800 if outdated else 10)
        Organisation.objects.filter(pk=org.pk).update(popularity=popularity, last_confirmed_at=when)
    services.freshness_mark_outdated()


def _listed(page):
    return [o.name for o in page.object_list]


def _page(number, per_page, **params):
    from directory.filters import OrganisationFilter

    return OrganisationFilter({"q": "kantele", **params}).paginate(number, per_page)


def test_many_hits_are_ranked_from_the_index_exactly_as_when_all_are_read(kantele, monkeypatch):
    everything = _listed(_page(1, 20))
    assert everything == [
        # fresh, every word in the name; fresh, elsewhere; outdated in the name; the rest
        "Savon Kanteleseura ry",
        "Kuopion Kanteleyhdistys ry",
        "Puijon Laulajat ry",
        "Pohjoisen Soittajat ry",
        "Kallaveden Kanteleensoittajat ry",
        "Jynkän Kanteleryhmä ry",
        "Rypysuon Musiikkiyhdistys ry",
        "Männistön Pelimannit ry",
    ]
    monkeypatch.setattr(search, "CAP", 7)
    pages = [_page(number, 2) for number in (1, 2, 3, 4)]
    assert all(page.paginator.is_capped for page in pages)
    assert [name for page in pages for name in _listed(page)] == everything
    assert [page.number for page in pages] == [1, 2, 3, 4]
    assert _page(9, 2).number == 4, "a page past the cap shows the last one"


def test_browsing_past_the_counted_pages_shows_the_last_one_without_reading_further(
    kantele, monkeypatch, django_assert_max_num_queries
):
    from directory.filters import OrganisationFilter

    monkeypatch.setattr(search, "CAP", 3)
    with django_assert_max_num_queries(2):
        page = OrganisationFilter({"page": "400"}).paginate(400, 2)
    assert page.paginator.is_capped
    assert page.number == 2  # "over 3": two pages of two
    assert len(page.object_list) == 2


def test_a_capped_search_with_a_filter_ranks_the_filtered_hits_only(kantele, monkeypatch):
    Organisation.objects.filter(name__startswith="Savon").update(languages=["sv"])
    monkeypatch.setattr(search, "CAP", 1)
    page = _page(1, 5, language="sv")
    assert _listed(page) == ["Savon Kanteleseura ry"]
    assert not page.paginator.is_capped


def test_a_search_with_more_hits_than_the_cap_says_over_and_stays_within_six_queries(
    client, kantele, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(search, "CAP", 3)
    with django_assert_max_num_queries(6):
        response = client.get("/organisations/", {"q": "kantele"})
    html = response.content.decode()
    assert "Yli 3 yhdistystä" in html
    assert "Tarkenna hakua" in html
    assert html.index("Savon Kanteleseura") < html.index("Männistön Pelimannit")


def test_the_open_data_counts_every_hit_even_beyond_the_cap(client, kantele, monkeypatch):
    monkeypatch.setattr(search, "CAP", 3)
    data = client.get("/opendata/organisations.json", {"q": "kantele"}).json()
    assert data["count"] == 8
    assert [r["name"] for r in data["results"]][:2] == [
        "Savon Kanteleseura ry",
        "Kuopion Kanteleyhdistys ry",
    ]


def test_a_typo_page_stays_within_six_queries(client, associations, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        slugs, _response = found(client, "jalkapalo")
    assert keys(associations, slugs) == {"jalkapallo"}


def test_a_newly_saved_associations_words_are_at_once_in_the_typo_lexicon(client, associations):
    build("Kuopion Harmonikkakerho ry", "Haitarimusiikkia.", areas=["kuopio-jynkka"])
    slugs, response = found(client, "harmonikkakero")
    assert slugs and "lähimmät kirjoitusasut" in response.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT plain FROM directory_search_word WHERE word = %s", ["jynkkä"])
        assert cursor.fetchall() == [("jynkka",)], "area names are in the lexicon too"


def test_a_typo_with_a_word_nothing_resembles_finds_nothing_and_is_counted(client, associations):
    slugs, _response = found(client, "jalkapalo xyzzyq")
    assert slugs == []
    assert ZeroResultSearch.objects.get().query == "jalkapalo xyzzyq"

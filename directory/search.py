"""Finnish search for associations.

PostgreSQL's Snowball stemmer keeps compounds whole and over-stems (``pallo`` -> ``palo``, "fire"),
so the words are analysed in Python with Voikko (pyvoikko) when an association is saved: each raw
word, its lemmas and its compound parts go into ``search_terms_*`` and from there into the stored
``simple`` vector. A query is analysed the same way and matched word by word:

- the raw word as a prefix (``jalkapallo:*`` finds "Jalkapalloseura"),
- its lemmas (``neulamäessä`` -> ``neulamäki``), and those of its synonyms (staff-edited),
- for words Voikko does not know (names, slang), Snowball's stem against the ``finnish`` vector.

Every query word must match. When nothing matches, the typo fallback looks the longer words up
in a lexicon of the words of names, short descriptions and areas (``directory_search_word``,
trigram-indexed, as the pg_trgm documentation suggests) and searches again with the closest
spellings (``jalkapalo`` -> ``jalkapalloseura``, ``jalkapalloa``). Raw input never reaches
``to_tsquery``: every word is quoted, and words are letters and digits only.

Ranking is deliberately coarse, so that popularity decides among equals: associations with every
word in the name first, then the rest; the ones unconfirmed for two years after all fresh ones
(their score halved); then the most viewed, then by name. That order is what the index
``organisation_public_order`` (fresh first, popularity, name, id, with the name's own small
vector ``search_name`` included) holds, per tier. A search therefore reads at most ``CAP + 1``
hits through the GIN index to count them (beyond that the page says "over 1 000"), ranks those
itself when they are all, and otherwise walks the index tier by tier, where a common word finds
its first page within a few hundred entries. The SQL is written out here (parameterised, table
names from the models): the ORM would spend more time composing it than PostgreSQL running it.
"""

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import Lexeme
from django.db import connection

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
MAX_WORD_CHARS = 40
MAX_SEARCH_TEXT_CHARS = 4000

# Words that carry no meaning in a search box. The simple vector keeps them, so a query that
# insisted on them would only lose results.
STOP_WORDS = frozenset(
    {"ja", "tai", "sekä", "on", "ei", "että", "kuin", "myös", "se", "ne", "eli", "mutta", "jos",
     "kun", "niin", "vai", "mikä", "mitä", "joka", "jotka", "the", "and", "of", "for", "in",
     # "ry" (rekisteröity yhdistys) ends nearly every name: it would match them all.
     "ry", "rf"}
)  # fmt: skip

_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def clean_text(value) -> str:
    """Text without control characters (NUL included), normalised, trimmed to a sane length."""
    text = unicodedata.normalize("NFC", str(value or ""))[: MAX_QUERY_CHARS * 4]
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def words(text: str) -> list[str]:
    """Lower-case words of letters and digits; punctuation, quotes and operators fall away."""
    return _WORD.findall(unicodedata.normalize("NFC", text or "").lower())


def unaccent(text: str) -> str:
    """ä -> a, ö -> o, å -> a: for the typo fallback, where users may lack a Finnish keyboard."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _voikko():
    # Loading the dictionary takes about two seconds, so it happens on first use only.
    import pyvoikko

    return pyvoikko


@dataclass(frozen=True)
class WordAnalysis:
    lemmas: frozenset[str]
    parts: frozenset[str]  # compound parts and the shorter compounds inside a long one

    @property
    def known(self) -> bool:
        return bool(self.lemmas)


@functools.lru_cache(maxsize=200_000)
def analyse(word: str) -> WordAnalysis:
    """Lemmas and compound parts of one lower-case word (Voikko, ~2 ms, cached)."""
    if not word.isalpha() or len(word) > MAX_WORD_CHARS:
        return WordAnalysis(frozenset(), frozenset())
    lemmas, parts = set(), set()
    analyses = _voikko().analyse(word)
    # Of several ways to split a compound, the one with the fewest parts is the plausible one:
    # "nuoriso + seura", not "nuori + sose + ura".
    fewest = min((len(a.COMPOUND_PARTS or [None]) for a in analyses), default=1)
    for analysis in analyses:
        lemmas.update(words(analysis.BASEFORM or ""))
        compound = analysis.COMPOUND_PARTS or []
        if 1 < len(compound) == fewest:
            forms = [(p.FORM or "").lower() for p in compound]
            bases = [(p.BASEFORM or "").lower() for p in compound]
            parts.update(b for base in bases for b in words(base))
            # "jalkapalloseura" also holds "jalkapallo" and "palloseura".
            for start in range(len(compound)):
                for end in range(start + 1, len(compound)):
                    if (start, end) != (0, len(compound) - 1):
                        span = "".join(forms[start:end]) + bases[end]
                        parts.update(words(span))
    return WordAnalysis(frozenset(lemmas), frozenset(parts - lemmas))


def terms(text: str) -> str:
    """The raw words, lemmas and compound parts of a text, space-separated, for a tsvector."""
    out: list[str] = []
    seen: set[str] = set()
    for word in words(text):
        analysis = analyse(word)
        for term in (word, *sorted(analysis.lemmas), *sorted(analysis.parts)):
            if term not in seen:
                seen.add(term)
                out.append(term)
    return " ".join(out)


def word_keys(word: str) -> set[str]:
    """A word and its lemmas: what synonyms are matched on."""
    return {word, *analyse(word).lemmas}


# --- documents -----------------------------------------------------------------------------


def fuzzy_text(organisation, *, areas) -> str:
    """What a typo is compared with: the name, the short description and the areas."""
    return " ".join(
        [organisation.name, organisation.short_description, *[t.name_fi for t in areas]]
    )


def organisation_document(organisation, *, fields, target_groups, areas) -> dict[str, str]:
    """The derived search columns of an association, from its texts and taxonomy terms."""
    from directory.models import Language

    labels = dict(Language.choices)
    taxonomy = []
    for term in [*fields, *target_groups, *areas]:
        taxonomy += [term.name_fi, term.name_en]
    for area in areas:
        if area.parent_id and area.parent is not None:
            taxonomy.append(area.parent.name_fi)
    languages = [str(labels.get(code, code)) for code in organisation.languages or []]
    b_text = " ".join([organisation.short_description, *taxonomy, *languages])
    c_text = " ".join(
        [
            organisation.description,
            organisation.expertise,
            organisation.services,
            organisation.membership_info,
            organisation.accessibility,
        ]
    )
    fuzzy = fuzzy_text(organisation, areas=areas)
    return {
        "search_terms_a": terms(organisation.name),
        "search_terms_b": terms(b_text),
        "search_terms_c": terms(c_text),
        "search_text": unaccent(" ".join(words(fuzzy)))[:MAX_SEARCH_TEXT_CHARS],
    }


# --- the lexicon of the typo fallback ------------------------------------------------------

# Every word of every association's name, short description and areas, once, with its
# accent-free spelling under a trigram index. A plain table kept by the migration that made it
# (no model: nobody edits it, and it is no record of anyone's change). Words are added when an
# association is saved and never removed: an old word only offers a spelling that then finds
# nothing.
LEXICON_TABLE = "directory_search_word"
LEXICON_MIN_CHARS = 3
SIMILAR_WORDS = 10  # spellings tried per mistyped word, the closest first


def lexicon_entries(text: str) -> list[tuple[str, str]]:
    """The (word, accent-free word) pairs of a text that belong in the lexicon."""
    return sorted(
        {
            (word, unaccent(word))
            for word in words(text)
            if LEXICON_MIN_CHARS <= len(word) <= MAX_WORD_CHARS and not word.isdigit()
        }
    )


def lexicon_add(entries, *, cursor=None) -> None:
    """Add words to the lexicon (one statement; words already there are left alone)."""
    entries = list(entries)
    if not entries:
        return
    sql = (
        f"INSERT INTO {LEXICON_TABLE} (word, plain) "  # noqa: S608  # nosec B608: a constant table name
        "SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT (word) DO NOTHING"
    )
    params = [[w for w, _ in entries], [p for _, p in entries]]
    if cursor is not None:
        cursor.execute(sql, params)
        return
    with connection.cursor() as own:
        own.execute(sql, params)


def lexicon_fill(cursor, *, batch: int = 5000) -> int:
    """Put the words of every association and area in the lexicon: for a migration, or after a
    bulk load that bypassed `services.organisation_index` (as `seed_scale` does)."""
    cursor.execute("SELECT name_fi FROM directory_area")
    texts = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT name || ' ' || short_description FROM directory_organisation")
    texts += [row[0] for row in cursor.fetchall()]
    entries: set[tuple[str, str]] = set()
    for text in texts:
        entries.update(lexicon_entries(text))
    ordered = sorted(entries)
    for start in range(0, len(ordered), batch):
        lexicon_add(ordered[start : start + batch], cursor=cursor)
    cursor.execute(f"ANALYZE {LEXICON_TABLE}")
    return len(ordered)


SIMILAR_WORDS_SQL = f"""
    SELECT t.n, w.word
      FROM unnest(%s::text[]) WITH ORDINALITY AS t(plain, n)
     CROSS JOIN LATERAL (
           SELECT l.word FROM {LEXICON_TABLE} l
            WHERE l.plain %%> t.plain
            ORDER BY word_similarity(t.plain, l.plain) DESC, l.word
            LIMIT %s) w
     ORDER BY t.n
"""  # noqa: S608  # nosec B608: a constant table name; values are parameters


def similar_words(typed: list[str]) -> list[list[str]]:
    """For each typed word, the lexicon's closest spellings (pg_trgm word similarity, with its
    threshold, 0.6 unless configured), the closest first. One query."""
    plain = [unaccent(word) for word in typed]
    found: list[list[str]] = [[] for _ in plain]
    with connection.cursor() as cursor:
        cursor.execute(SIMILAR_WORDS_SQL, [plain, SIMILAR_WORDS])
        for n, word in cursor.fetchall():
            found[n - 1].append(word)
    return found


# --- queries -------------------------------------------------------------------------------


def _term(word: str, prefix: bool) -> str:
    """One quoted tsquery term. Words are letters and digits, so a quote cannot break out."""
    return "'" + "".join(_WORD.findall(word)) + "'" + (":*" if prefix else "")


@dataclass
class QueryWord:
    raw: str
    analysis: WordAnalysis
    synonyms: set[str] = field(default_factory=set)
    # The typo fallback's spellings from the lexicon, matched exactly instead of the word.
    spellings: tuple[str, ...] | None = None

    def alternatives(self) -> list[tuple[str, bool]]:
        """(term, as a prefix) pairs any of which satisfies this word."""
        if self.spellings is not None:
            return [(spelling, False) for spelling in self.spellings]
        found = [(self.raw, len(self.raw) >= 3)]
        for lemma in sorted(self.analysis.lemmas - {self.raw}):
            found.append((lemma, len(lemma) >= 4))
        for synonym in sorted(self.synonyms - {self.raw} - self.analysis.lemmas):
            found.append((synonym, len(synonym) >= 4))
        return found

    @property
    def needs_stem(self) -> bool:
        """A word Voikko does not know may still meet Snowball's stem in the `finnish` vector."""
        return self.spellings is None and not self.analysis.known

    def tsquery(self) -> str:
        return "(" + " | ".join(_term(term, prefix) for term, prefix in self.alternatives()) + ")"

    def simple_lexeme(self):
        """The same alternatives as Django `Lexeme`s (the event search filters with these)."""
        lexeme = None
        for term, prefix in self.alternatives():
            one = Lexeme(term, prefix=prefix)
            lexeme = one if lexeme is None else lexeme | one
        return lexeme


@dataclass
class ParsedQuery:
    text: str
    words: list[QueryWord]

    def __bool__(self):
        return bool(self.words)

    @property
    def keys(self) -> set[str]:
        return {key for w in self.words for key in word_keys(w.raw)}

    @property
    def typo_words(self) -> list[QueryWord]:
        """The words the typo fallback looks up: short ones are too ambiguous to correct."""
        return [w for w in self.words if len(w.raw) >= 4]

    def with_spellings(self, spellings: list[list[str]]) -> "ParsedQuery":
        """The query the typo fallback runs: each longer word replaced by its spellings."""
        return ParsedQuery(
            self.text,
            [
                QueryWord(w.raw, w.analysis, set(), tuple(found))
                for w, found in zip(self.typo_words, spellings, strict=True)
            ],
        )


def parse_query(value) -> ParsedQuery:
    text = clean_text(value)
    found: list[QueryWord] = []
    for word in words(text):
        if word in STOP_WORDS or any(w.raw == word for w in found):
            continue
        found.append(QueryWord(word[:MAX_WORD_CHARS], analyse(word[:MAX_WORD_CHARS])))
        if len(found) == MAX_QUERY_WORDS:
            break
    return ParsedQuery(text, found)


def add_synonyms(query: ParsedQuery, groups: list[set[str]]) -> ParsedQuery:
    """Give each query word the words staff marked as meaning the same."""
    for word in query.words:
        mine = word_keys(word.raw)
        for group in groups:
            if group & mine:
                word.synonyms |= group
    return query


# --- SQL -----------------------------------------------------------------------------------
# Every statement reads `directory_organisation` as `o`; `where` is the list's own condition
# (public, and the filters: see filters.OrganisationFilter.condition).

CAP = 1000  # hits counted (and ranked in one go) at most; more is "over 1 000"
ORGANISATIONS = "directory_organisation"


@dataclass(frozen=True)
class Sql:
    text: str
    params: tuple = ()

    def __and__(self, other: "Sql") -> "Sql":
        return Sql(f"{self.text} AND {other.text}", self.params + other.params)


def match_sql(query: ParsedQuery) -> Sql:
    """Every word somewhere in the association's texts (the GIN indexes serve this)."""
    known = [w.tsquery() for w in query.words if not w.needs_stem]
    parts, params = [], []
    if known:
        parts.append("o.search_simple @@ to_tsquery('simple', %s)")
        params.append(" & ".join(known))
    for word in query.words:
        if word.needs_stem:
            parts.append(
                "(o.search_simple @@ to_tsquery('simple', %s)"
                " OR o.search_finnish @@ to_tsquery('finnish', %s))"
            )
            params += [word.tsquery(), _term(word.raw, False)]
    return Sql(" AND ".join(parts), tuple(params))


def in_name_sql(query: ParsedQuery) -> Sql:
    """Every word in the name: the first tier (implies `match_sql`)."""
    return Sql(
        "o.search_name @@ to_tsquery('simple', %s)",
        (" & ".join(w.tsquery() for w in query.words),),
    )


@dataclass(frozen=True)
class Columns:
    """What a result row carries: the list page's few columns, or the open data's."""

    names: tuple[str, ...]
    target_groups: bool

    @functools.cached_property
    def select(self) -> str:
        from directory.models import Organisation

        through = {
            "field_ids": (Organisation.fields.through, "fieldofactivity_id"),
            "target_group_ids": (Organisation.target_groups.through, "targetgroup_id"),
            "area_ids": (Organisation.areas.through, "area_id"),
        }
        parts = [f"o.{name}" for name in self.names]
        for alias, (model, column) in through.items():
            if alias == "target_group_ids" and not self.target_groups:
                parts.append("NULL")
                continue
            table = model._meta.db_table
            parts.append(f"ARRAY(SELECT {column} FROM {table} WHERE organisation_id = o.id)")  # noqa: S608  # nosec B608: names from the models
        return ", ".join(parts)


LIST_COLUMNS = Columns(("id", "name", "slug", "short_description", "last_confirmed_at"), False)
EXPORT_COLUMNS = Columns(
    (
        *LIST_COLUMNS.names,
        *("description", "business_id", "register_number", "languages", "email", "phone"),
        "website",
    ),
    True,
)


@dataclass
class Hits:
    rows: list[tuple]  # Columns.names, then field, target group and area ids
    count: int
    number: int
    is_capped: bool = False


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count(where: Sql, query: ParsedQuery | None = None, *, cap: int | None) -> int:
    """The hits, up to `cap + 1`."""
    condition = where & match_sql(query) if query else where
    rows = _fetch(
        f"SELECT count(*) FROM (SELECT 1 FROM {ORGANISATIONS} o WHERE {condition.text} "  # noqa: S608  # nosec B608: SQL from this module; values are parameters
        "LIMIT %s) c",
        [*condition.params, None if cap is None else cap + 1],
    )
    return rows[0][0]


def _reachable_pages(per_page: int, cap: int | None) -> int:
    """The last page a capped count lets anyone reach ("over 1 000": 50 pages of 20)."""
    return 1_000_000 if cap is None else max(1, math.ceil(cap / per_page))


def _last_page(total: int, per_page: int, cap: int | None) -> int:
    reachable = total if cap is None else min(total, cap)
    return max(1, math.ceil(reachable / per_page))


def browse(where: Sql, *, number: int, per_page: int, cap: int | None, columns: Columns) -> Hits:
    """Without a text: the index's own order; counted up to `cap + 1` in the same query."""
    number = min(number, _reachable_pages(per_page, cap))
    sql = (
        f"SELECT (SELECT count(*) FROM (SELECT 1 FROM {ORGANISATIONS} o WHERE {where.text} "  # noqa: S608  # nosec B608: SQL from this module; values are parameters
        f"LIMIT %s) c), {columns.select} FROM {ORGANISATIONS} o WHERE {where.text} "
        "ORDER BY o.is_outdated, o.popularity DESC, o.name, o.id LIMIT %s OFFSET %s"
    )
    limit = None if cap is None else cap + 1
    rows = _fetch(sql, [*where.params, limit, *where.params, per_page, (number - 1) * per_page])
    if not rows:
        total = count(where, cap=cap) if number > 1 else 0
        if not total:
            return Hits([], 0, 1)
        number = _last_page(total, per_page, cap)
        return browse(where, number=number, per_page=per_page, cap=cap, columns=columns)
    total = rows[0][0]
    return Hits([row[1:] for row in rows], total, number, cap is not None and total > cap)


def ranked_statement(
    where: Sql, query: ParsedQuery, *, skip: int, take: int, cap: int | None, columns: Columns
) -> Sql:
    """The hits of a text up to `cap + 1` (through the GIN indexes), counted and ranked: the
    total on every row, the association's columns only while the total is within `cap`."""
    condition, in_name = where & match_sql(query), in_name_sql(query)
    limit = None if cap is None else cap + 1
    text = f"""
        SELECT c.total, {columns.select}
          FROM (SELECT m.id, m.is_outdated, m.in_name, m.popularity, m.name,
                       count(*) OVER () AS total
                  FROM (SELECT o.id, o.is_outdated, {in_name.text} AS in_name, o.popularity, o.name
                          FROM {ORGANISATIONS} o
                         WHERE {condition.text}
                         LIMIT %s) m
                 ORDER BY m.is_outdated, m.in_name DESC, m.popularity DESC, m.name, m.id
                 LIMIT %s OFFSET %s) c
          LEFT JOIN {ORGANISATIONS} o ON o.id = c.id AND (c.total <= %s OR %s)
         ORDER BY c.is_outdated, c.in_name DESC, c.popularity DESC, c.name, c.id
    """  # noqa: S608  # nosec B608: SQL from this module; values are parameters
    params = (*in_name.params, *condition.params, limit, take, skip, cap or 0, cap is None)
    return Sql(text, params)


def ranked(
    where: Sql, query: ParsedQuery, *, number: int, per_page: int, cap: int | None, columns
) -> Hits:
    """Hits of a text, ranked: by tier, freshness, popularity, name.

    Up to `cap` hits are read through the GIN index and ranked in one query that also counts
    them. More hits than that (a common word) are not all read: the page comes from walking
    the browse-order index per tier, where the first tier alone usually fills it.
    """
    number = min(number, _reachable_pages(per_page, cap))
    skip = (number - 1) * per_page
    statement = ranked_statement(where, query, skip=skip, take=per_page, cap=cap, columns=columns)
    rows = _fetch(statement.text, statement.params)
    if not rows:
        total = count(where, query, cap=cap) if number > 1 else 0
        if not total:
            return Hits([], 0, 1)
        number = _last_page(total, per_page, cap)
        return ranked(where, query, number=number, per_page=per_page, cap=cap, columns=columns)
    total = rows[0][0]
    if cap is None or total <= cap:
        return Hits([row[1:] for row in rows], total, number)
    number = min(number, _last_page(total, per_page, cap))
    return Hits(_tiers_page(where, query, number, per_page, columns), total, number, True)


@dataclass(frozen=True)
class Tier:
    outdated: bool
    condition: Sql  # on `o`
    in_index: bool  # decided by the name terms alone, which the browse-order index holds


def tiers(query: ParsedQuery) -> list[Tier]:
    """The ranking's tiers in order: the fresh associations with every word in the name, the
    other fresh ones, then the same two among the outdated."""
    in_name = in_name_sql(query)
    elsewhere = match_sql(query) & Sql(f"NOT ({in_name.text})", in_name.params)
    return [
        Tier(False, in_name, True),
        Tier(False, elsewhere, False),
        Tier(True, in_name, True),
        Tier(True, elsewhere, False),
    ]


def _tiers_page(where: Sql, query: ParsedQuery, number: int, per_page: int, columns) -> list:
    """A page of a common text's hits: from the first tier, and only when it runs out from
    the others (in one more query)."""
    first, *rest = tiers(query)
    skip = (number - 1) * per_page
    rows, seen = _tier_rows(where, [first], skip, per_page, columns)
    if len(rows) < per_page:
        more, _seen = _tier_rows(where, rest, max(0, skip - seen), per_page - len(rows), columns)
        rows += more
    return rows


def _walk_length(tier: Tier, wanted: int) -> int:
    """How many entries of the browse order a tier reads before it gives up on the walk: a
    tier with `wanted` rows within them is dense, and the walk is the cheap way. Testing a
    name on an index entry costs ~0.2 µs; the other tiers read each row's search vector."""
    if tier.in_index:
        return min(max(2000, 50 * wanted), 20000)
    return min(max(500, 10 * wanted), 5000)


def tiers_statement(where: Sql, tiers: list[Tier], *, skip: int, take: int, columns) -> Sql:
    """Rows skip+1 .. skip+take of the tiers in order, each with how many the tiers had up to
    skip+take (the last of those rows comes along even when it precedes the page, to say so).

    Each tier first walks the index `organisation_public_order` in its order, for a bounded
    number of entries: a dense tier (a common word in the names) finds its rows there at
    once. Only if it does not, the tier's rows are found through its GIN index and sorted;
    then the tier is rare, so there are few. Estimates cannot decide this well: the planner
    takes two words to be independent, and "yhdistys kerho" never meet in one name.
    """
    wanted = skip + take
    walks, branches, params = [], [], []
    for i, tier in enumerate(tiers):
        vectors = "" if tier.in_index else ", o.search_simple, o.search_finnish"
        kept = where & Sql("o.is_outdated = %s", (tier.outdated,))
        walks.append(
            f"""walk{i} AS MATERIALIZED (
                SELECT o.id, o.popularity, o.name
                  FROM (SELECT o.id, o.popularity, o.name, o.search_name{vectors}
                          FROM {ORGANISATIONS} o WHERE {kept.text}
                         ORDER BY o.popularity DESC, o.name, o.id LIMIT %s) o
                 WHERE {tier.condition.text} LIMIT %s)"""  # noqa: S608  # nosec B608: SQL from this module; values are parameters
        )
        params += [*kept.params, _walk_length(tier, wanted), *tier.condition.params, wanted]
        branches.append(
            f"""(SELECT {i} AS tier, id, popularity, name FROM walk{i}
                  WHERE (SELECT count(*) FROM walk{i}) >= %s)
                UNION ALL
                (SELECT {i}, o.id, o.popularity, o.name FROM {ORGANISATIONS} o
                  WHERE {(kept & tier.condition).text} AND (SELECT count(*) FROM walk{i}) < %s
                  ORDER BY -o.popularity, o.name, o.id LIMIT %s)"""  # noqa: S608  # nosec B608: SQL from this module; values are parameters
        )
    for tier in tiers:
        kept = where & Sql("o.is_outdated = %s", (tier.outdated,))
        params += [wanted, *(kept & tier.condition).params, wanted, wanted]
    # A statement that starts with SELECT (the walks inside): pghistory leaves those alone.
    text = f"""
        SELECT p.rn, p.seen, {columns.select}
          FROM (WITH {", ".join(walks)}
                SELECT t.id, count(*) OVER () AS seen,
                       row_number() OVER (ORDER BY t.tier, t.popularity DESC, t.name, t.id) AS rn
                  FROM ({" UNION ALL ".join(branches)}) t) p
          JOIN {ORGANISATIONS} o ON o.id = p.id
         WHERE p.rn BETWEEN %s AND %s OR p.rn = p.seen
         ORDER BY p.rn
    """  # noqa: S608  # nosec B608: SQL from this module; values are parameters
    return Sql(text, (*params, skip + 1, skip + take))


def _tier_rows(where: Sql, tiers, skip: int, take: int, columns) -> tuple[list, int]:
    statement = tiers_statement(where, tiers, skip=skip, take=take, columns=columns)
    rows = _fetch(statement.text, statement.params)
    seen = rows[0][1] if rows else 0
    return [row[2:] for row in rows if skip < row[0] <= skip + take], seen


def typo_query(query: ParsedQuery) -> ParsedQuery | None:
    """The typo fallback's query (one lexicon lookup), or None when a longer word has no close
    spelling (or there is no longer word): then nothing would match."""
    typed = query.typo_words
    if not typed:
        return None
    spellings = similar_words([w.raw for w in typed])
    if not all(spellings):
        return None
    return query.with_spellings(spellings)

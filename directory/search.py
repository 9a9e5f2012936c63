"""Finnish search for associations.

PostgreSQL's Snowball stemmer keeps compounds whole and over-stems (``pallo`` -> ``palo``, "fire"),
so the words are analysed in Python with Voikko (pyvoikko) when an association is saved: each raw
word, its lemmas and its compound parts go into ``search_terms_*`` and from there into the stored
``simple`` vector. A query is analysed the same way and matched word by word:

- the raw word as a prefix (``jalkapallo:*`` finds "Jalkapalloseura"),
- its lemmas (``neulamäessä`` -> ``neulamäki``), and those of its synonyms (staff-edited),
- for words Voikko does not know (names, slang), Snowball's stem against the ``finnish`` vector.

Every query word must match. When nothing matches, a trigram comparison on the accent-free text
catches typos (``jalkapalo``). Raw input never reaches ``to_tsquery``: queries are built from
``Lexeme`` objects, which quote each word.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    Lexeme,
    SearchQuery,
    TrigramWordSimilarity,
)
from django.db.models import Case, FloatField, Q, Value, When
from django.db.models.functions import Round

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
    fuzzy = " ".join(
        [organisation.name, organisation.short_description, *[t.name_fi for t in areas]]
    )
    return {
        "search_terms_a": terms(organisation.name),
        "search_terms_b": terms(b_text),
        "search_terms_c": terms(c_text),
        "search_text": unaccent(" ".join(words(fuzzy)))[:MAX_SEARCH_TEXT_CHARS],
    }


# --- queries -------------------------------------------------------------------------------


@dataclass
class QueryWord:
    raw: str
    analysis: WordAnalysis
    synonyms: set[str] = field(default_factory=set)

    def name_pattern(self) -> str:
        """A regular expression for the same alternatives in the space-separated name terms.

        Words are letters and digits only, so they need no escaping.
        """
        alternatives = [self.raw if len(self.raw) >= 3 else f"{self.raw}( |$)"]
        for lemma in sorted(self.analysis.lemmas - {self.raw}):
            alternatives.append(lemma if len(lemma) >= 4 else f"{lemma}( |$)")
        for synonym in sorted(self.synonyms - {self.raw} - self.analysis.lemmas):
            alternatives.append(synonym if len(synonym) >= 4 else f"{synonym}( |$)")
        return "(^| )(" + "|".join(alternatives) + ")"

    def simple_lexeme(self):
        lexeme = Lexeme(self.raw, prefix=len(self.raw) >= 3)
        for lemma in sorted(self.analysis.lemmas - {self.raw}):
            lexeme |= Lexeme(lemma, prefix=len(lemma) >= 4)
        for synonym in sorted(self.synonyms - {self.raw} - self.analysis.lemmas):
            lexeme |= Lexeme(synonym, prefix=len(synonym) >= 4)
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


def full_text_filter(queryset, query: ParsedQuery):
    """Associations matching every word, annotated with `relevance`.

    The match runs on the GIN indexes. Relevance is deliberately coarse so that popularity
    decides among equals, and cheap so that ranking thousands of hits reads no search vector:
    2 when every word is in the name, else 1; halved for associations marked outdated.
    """
    every_word = Q()
    in_name = Q()
    for word in query.words:
        clause = Q(search_simple=SearchQuery(word.simple_lexeme(), config="simple"))
        if not word.analysis.known:
            clause |= Q(search_finnish=SearchQuery(Lexeme(word.raw), config="finnish"))
        every_word &= clause
        in_name &= Q(search_terms_a__regex=word.name_pattern())
    tier = Case(When(in_name, then=Value(2.0)), default=Value(1.0), output_field=FloatField())
    return queryset.filter(every_word).annotate(relevance=_freshness_weighted(tier))


def trigram_filter(queryset, query: ParsedQuery):
    """The typo fallback: every longer word is close to a word of the name or description."""
    long_words = [unaccent(w.raw) for w in query.words if len(w.raw) >= 4]
    if not long_words:
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
    similar = Q()
    similarity = None
    for word in long_words:
        similar &= Q(search_text__trigram_word_similar=word)
        score = TrigramWordSimilarity(Value(word), "search_text")
        similarity = score if similarity is None else similarity + score
    return queryset.filter(similar).annotate(relevance=_freshness_weighted(similarity))


def _freshness_weighted(score):
    """The score in steps of 0.01 (so popularity decides between near-equals), halved for
    associations whose details have gone unconfirmed for two years."""
    factor = Case(When(is_outdated=True, then=Value(0.5)), default=Value(1.0))
    return Round(score * factor, 2, output_field=FloatField())


def ranked(queryset):
    return queryset.order_by("-relevance", "is_outdated", "-popularity", "name", "id")


def browse_order(queryset):
    """Without a search text: fresh first, then the most viewed, then by name."""
    return queryset.order_by("is_outdated", "-popularity", "name", "id")

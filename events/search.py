"""Finnish search for events, with the directory's analysis (directory/search.py).

The same design as the association search (REFERENCE.md, "Finnish search"): Voikko lemmas and
compound parts stored as text and indexed in a `simple` vector, Snowball's `finnish` vector for
words Voikko does not know, staff-edited synonyms, and a trigram fallback for typos. Raw input
never reaches `to_tsquery`: queries are built from `Lexeme`s.

Unlike the association list, which runs the typo fallback only when nothing matched, events
take both in one query (every word matched, or every longer word close to a word of the
title, place or organiser): the list page must stay within its query budget.
"""

from django.contrib.postgres.search import Lexeme, SearchQuery
from django.db.models import Q

from directory import search as finnish

MAX_QUERY_LENGTH = finnish.MAX_QUERY_CHARS


def document(*, title: str, texts: list[str], fuzzy: list[str]) -> dict[str, str]:
    """The derived search columns of an event."""
    return {
        "search_terms_a": finnish.terms(title),
        "search_terms_b": finnish.terms(" ".join(t for t in texts if t)),
        "search_text": finnish.unaccent(" ".join(finnish.words(" ".join([title, *fuzzy]))))[
            : finnish.MAX_SEARCH_TEXT_CHARS
        ],
    }


def synonym_groups(keys) -> list[set[str]]:
    """The staff-edited synonym groups sharing a key with the query's words (one query)."""
    from directory.models import SearchSynonym

    if not keys:
        return []
    rows = SearchSynonym.objects.filter(keys__overlap=sorted(keys)).values_list("keys", flat=True)
    return [set(keys) for keys in rows]


def search_filter(queryset, value: str):
    """Events matching every word of the query (or, for typos, close to every longer word)."""
    query = finnish.parse_query(value)
    if not query:
        return queryset
    query = finnish.add_synonyms(query, synonym_groups(query.keys))
    every_word = Q()
    for word in query.words:
        clause = Q(search_simple=SearchQuery(word.simple_lexeme(), config="simple"))
        if not word.analysis.known:
            clause |= Q(search_finnish=SearchQuery(Lexeme(word.raw), config="finnish"))
        every_word &= clause
    long_words = [finnish.unaccent(w.raw) for w in query.words if len(w.raw) >= 4]
    if not long_words:
        return queryset.filter(every_word)
    close = Q()
    for word in long_words:
        close &= Q(search_text__trigram_word_similar=word)
    return queryset.filter(every_word | close)

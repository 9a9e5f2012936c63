"""A paginator that reads a page and the total in one query.

Django's paginator runs a COUNT and then the page's SELECT: two queries that both evaluate
every filter (for "free at": the opening hours and the occupancy index). Here the total rides
on the page's own rows as `COUNT(*) OVER ()`, which PostgreSQL computes before the LIMIT.

The rows come from a queryset, or from a :class:`Statement`: a fixed SELECT with its
parameters, for a list whose query costs more to build and compile through the ORM than to run.
"""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Window

TOTAL = "_paginator_total"
# Beyond this a page number is surely past the end: Django's way below, not an OFFSET that
# PostgreSQL would refuse as out of range.
LAST_PLAUSIBLE_PAGE = 1_000_000


class Statement:
    """A SELECT (without LIMIT) and its parameters; each row comes as a dict of `columns`.

    Its last column must be the total, `COUNT(*) OVER ()`: a page of rows is one query, and
    what Django's paginator needs (`count()` and slicing) is there for its own fallbacks."""

    def __init__(self, sql: str, params: list, columns: tuple[str, ...]):
        self.sql, self.params, self.columns = sql, params, columns

    def page(self, offset: int, limit: int) -> tuple[list[dict], int]:
        """The rows from `offset` on, and how many rows there are in all (0 when none here)."""
        rows = self._fetch(f"{self.sql} LIMIT %s OFFSET %s", [*self.params, limit, offset])
        total = rows[0][-1] if rows else 0
        return [dict(zip(self.columns, row[:-1], strict=True)) for row in rows], total

    def count(self) -> int:
        # The statement is fixed text from the code; every value in it is a parameter.
        counting = f"SELECT COUNT(*) FROM ({self.sql}) AS listed"  # noqa: S608  # nosec B608
        return self._fetch(counting, self.params)[0][0]

    def __getitem__(self, bounds: slice) -> list[dict]:
        return self.page(bounds.start or 0, bounds.stop - (bounds.start or 0))[0]

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class OneQueryPaginator(Paginator):
    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if 1 <= number <= LAST_PLAUSIBLE_PAGE:
            bottom = (number - 1) * self.per_page
            rows, total = self._page_with_total(bottom)
            if rows or number == 1:
                self.count = total
                return self._get_page(rows, number, self)
        # A page past the end (an old link) or below 1: Django's way, the last page.
        return super().get_page(number)

    def _page_with_total(self, bottom: int) -> tuple[list, int]:
        if isinstance(self.object_list, Statement):
            return self.object_list.page(bottom, self.per_page)
        counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
        rows = list(counted[bottom : bottom + self.per_page])
        return rows, _total(rows[0]) if rows else 0


def _total(row) -> int:
    return row[TOTAL] if isinstance(row, dict) else getattr(row, TOTAL)

"""A paginator that reads a page and the total in one query.

Django's paginator runs a COUNT and then the page's SELECT: two queries that both evaluate
every filter (for "free at": the opening hours and the occupancy index). Here the total rides
on the page's own rows as `COUNT(*) OVER ()`, which PostgreSQL computes before the LIMIT.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Window

TOTAL = "_paginator_total"
# Beyond this a page number is surely past the end: Django's way below, not an OFFSET that
# PostgreSQL would refuse as out of range.
LAST_PLAUSIBLE_PAGE = 1_000_000


class OneQueryPaginator(Paginator):
    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if 1 <= number <= LAST_PLAUSIBLE_PAGE:
            bottom = (number - 1) * self.per_page
            counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
            rows = list(counted[bottom : bottom + self.per_page])
            if rows or number == 1:
                self.count = _total(rows[0]) if rows else 0
                return self._get_page(rows, number, self)
        # A page past the end (an old link) or below 1: Django's way, the last page.
        return super().get_page(number)


def _total(row) -> int:
    return row[TOTAL] if isinstance(row, dict) else getattr(row, TOTAL)

"""The public record of granted money: per year, per group, as a page, a chart and a CSV file.

Only what the city publishes anyway: association, round, group and amount. No people: not the
applicant's members, not the staff who decided, not the disqualified.
"""

import csv
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from config.spreadsheet import safe_cell
from grants.models import ZERO, Decision
from grants.money import euros


@dataclass
class Bar:
    label: str
    total: Decimal
    y: int
    width: int
    text_x: int
    value_text: str


CHART_LABEL_WIDTH = 270
CHART_BAR_SPACE = 330
CHART_ROW = 34


def bar_chart(totals: list[tuple[str, Decimal]]) -> dict:
    """Geometry for a server-rendered SVG bar chart (attributes only: no inline styles)."""
    top = max((total for _label, total in totals), default=ZERO)
    bars = []
    for index, (label, total) in enumerate(totals):
        width = int(CHART_BAR_SPACE * total / top) if top else 0
        width = max(width, 2) if total else 0
        bars.append(
            Bar(
                label=label,
                total=total,
                y=index * CHART_ROW,
                width=width,
                text_x=CHART_LABEL_WIDTH + width + 8,
                value_text=euros(total, 0),
            )
        )
    return {
        "bars": bars,
        "height": len(bars) * CHART_ROW,
        "width": CHART_LABEL_WIDTH + CHART_BAR_SPACE + 150,
        "label_width": CHART_LABEL_WIDTH,
    }


def public_decisions(year: int):
    return (
        Decision.objects.public()
        .granted()
        .filter(round__year=year)
        .select_related("organisation", "round", "group")
        .order_by("group__position", "group__name_fi", "organisation__name", "round__name")
    )


def decisions_page_context(year: int) -> dict:
    decisions = list(public_decisions(year))
    groups: dict = {}
    for decision in decisions:
        entry = groups.setdefault(
            decision.group_id, {"group": decision.group, "total": ZERO, "count": 0}
        )
        entry["total"] += decision.amount
        entry["count"] += 1
    group_totals = list(groups.values())
    years = (
        Decision.objects.public()
        .granted()
        .values("round__year")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("-round__year")
    )
    return {
        "year": year,
        "decisions": decisions,
        "group_totals": group_totals,
        "year_total": sum((decision.amount for decision in decisions), ZERO),
        "years": list(years),
        "chart": bar_chart([(entry["group"].name, entry["total"]) for entry in group_totals]),
    }


# -- the rendered tables, kept in this process ---------------------------------------------------

TABLES_TTL = 300  # seconds: a renamed association or group shows within five minutes
_tables: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
_tables_lock = threading.Lock()


def decisions_signature() -> tuple:
    """One small aggregate that changes whenever a public grant is decided, changed, hidden
    or withdrawn (count, total, newest row and decision time over every year)."""
    summary = (
        Decision.objects.public()
        .granted()
        .aggregate(n=Count("pk"), total=Sum("amount"), last=Max("pk"), at=Max("decided_at"))
    )
    return tuple(summary.values())


def decision_tables_html(year: int) -> str:
    """The year's tables (totals by group, every grant, totals by year) as HTML.

    A year holds hundreds of grants (thousands at national scale): fetching them as model rows
    and rendering them took 60 ms. The HTML is kept per language, year and signature, so a
    new, changed or hidden decision shows at once; names (association, group, round) that
    change without a new decision show after at most TABLES_TTL seconds.
    """
    key = (get_language(), year, decisions_signature())
    now = time.monotonic()
    with _tables_lock:
        kept = _tables.get(key)
        if kept and kept[0] > now:
            _tables.move_to_end(key)
            return kept[1]
    html = render_to_string("grants/_decision_tables.html", decisions_page_context(year))
    with _tables_lock:
        _tables[key] = (now + TABLES_TTL, html)
        while len(_tables) > 64:
            _tables.popitem(last=False)
    return html


def forget_tables() -> None:
    with _tables_lock:
        _tables.clear()


def decisions_csv(year: int) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="avustuspaatokset-{year}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Year"),
            _("Grant round"),
            _("Applicant group"),
            _("Association"),
            _("Business ID"),
            _("Granted (EUR)"),
            _("Decided on"),
        ]
    )
    for decision in public_decisions(year):
        writer.writerow(
            [
                decision.round.year,
                safe_cell(decision.round.name),
                safe_cell(decision.group.name),
                safe_cell(decision.organisation.name),
                decision.organisation.business_id or "",
                number_format(decision.amount, 2, use_l10n=True),
                timezone.localdate(decision.decided_at).isoformat(),
            ]
        )
    return response

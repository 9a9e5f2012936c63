"""What the city's free and subsidised spaces were worth to each association.

`grants` calls :func:`free_use_value` when staff weigh an application. A booking counts in the
year (Helsinki time) its use starts, once it is confirmed; its value is the full price of the
hours minus what the association paid, both stored on the booking when it was made.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, DurationField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce, Lower, Upper

from directory.models import Organisation
from spaces.models import Booking
from spaces.times import year_bounds

ZERO = Decimal("0.00")


def _in_year(year: int):
    start, end = year_bounds(year)
    return (
        Booking.objects.confirmed()
        .filter(during__startswith__gte=start)
        .filter(during__startswith__lt=end)
    )


def free_use_value(organisation: Organisation, year: int) -> Decimal:
    """Sum over the association's confirmed bookings starting in `year` of full price − paid."""
    total = (
        _in_year(year)
        .filter(organisation=organisation)
        .aggregate(
            value=Coalesce(
                Sum(F("full_price") - F("price_paid")),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )["value"]
    )
    return Decimal(total).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ReportRow:
    organisation_id: int
    organisation_name: str
    organisation_slug: str
    bookings: int
    hours: Decimal
    paid: Decimal
    full: Decimal

    @property
    def free_use_value(self) -> Decimal:
        return self.full - self.paid


def yearly_report(year: int) -> list[ReportRow]:
    """One row per association with confirmed bookings in `year`, in one query."""
    length = ExpressionWrapper(Upper("during") - Lower("during"), output_field=DurationField())
    rows = (
        _in_year(year)
        .values("organisation_id", "organisation__name", "organisation__slug")
        .annotate(
            count=Sum(Value(1)),
            length=Sum(length),
            paid=Sum("price_paid"),
            full=Sum("full_price"),
        )
        .order_by("organisation__name")
    )
    return [
        ReportRow(
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation__name"],
            organisation_slug=row["organisation__slug"],
            bookings=row["count"],
            hours=(Decimal((row["length"] or dt.timedelta(0)).total_seconds()) / 3600).quantize(
                Decimal("0.1")
            ),
            paid=row["paid"] or ZERO,
            full=row["full"] or ZERO,
        )
        for row in rows
    ]

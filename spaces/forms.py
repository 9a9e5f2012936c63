import datetime as dt
import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.permissions import organisations_user_acts_for
from spaces.services import MAX_SERIES_DAYS
from spaces.times import NonexistentTime, local_datetime

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Dates far outside any booking (year 9999) would overflow the day arithmetic.
SENSIBLE_DATES = [
    MinValueValidator(dt.date(2000, 1, 1), message=_("Choose a day between 2000 and 2100.")),
    MaxValueValidator(dt.date(2100, 12, 31), message=_("Choose a day between 2000 and 2100.")),
]
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")
GAP_MESSAGE = _(
    "This time does not exist: the clocks go forward from 03.00 to 04.00 that night. "
    "Choose another time."
)


# What <input type="date"> and <input type="time"> send. Such a value is read directly: through
# the language's input formats it came last, after as many failed strptime calls (in Finnish
# ~0.1 ms for a day and two times). No other format reads it differently.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")


class IsoDateField(forms.DateField):
    """A date field that reads YYYY-MM-DD first and anything else as DateField does."""

    def to_python(self, value):
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass  # e.g. 30 February: DateField's own message
        return super().to_python(value)


class IsoTimeField(forms.TimeField):
    """A time field that reads HH:MM[:SS] first and anything else as TimeField does."""

    def to_python(self, value):
        if isinstance(value, str) and _ISO_TIME.fullmatch(value.strip()):
            try:
                return dt.time.fromisoformat(value.strip())
            except ValueError:
                pass
        return super().to_python(value)


class PlainLabels:
    """Labels without a trailing colon, as Finnish forms are written."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class BookingForm(PlainLabels, forms.Form):
    """One booking, or a weekly series when "repeat until" is given."""

    organisation = forms.ModelChoiceField(
        label=_("Association"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("You can only book for an association you belong to."),
        },
    )
    date = forms.DateField(label=_("Day"), widget=DATE_WIDGET, validators=SENSIBLE_DATES)
    starts_at = forms.TimeField(label=_("Starts"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Ends"), widget=TIME_WIDGET)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        help_text=_("For example board meeting or choir practice."),
    )
    expected_attendees = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=10000
    )
    is_public = forms.BooleanField(
        label=_("Public event: show the purpose and our association in the space's calendar"),
        required=False,
    )
    repeat_until = forms.DateField(
        label=_("Repeat every week until (optional)"),
        required=False,
        validators=SENSIBLE_DATES,
        widget=DATE_WIDGET,
        help_text=_("For a regular slot, e.g. every Tuesday until the end of May."),
    )

    def __init__(self, *args, user, space, organisations=None, **kwargs):
        """`organisations`: the user's associations when the view has already loaded them."""
        super().__init__(*args, **kwargs)
        self.space = space
        field = self.fields["organisation"]
        field.queryset = organisations_user_acts_for(user).order_by("name")
        if organisations is None:
            organisations = list(field.queryset)
        field.widget.choices = [(org.pk, org.name) for org in organisations]
        self.fields["expected_attendees"].max_value = space.capacity
        self.fields["expected_attendees"].widget.attrs["max"] = space.capacity
        self.fields["expected_attendees"].error_messages["max_value"] = _(
            "The space holds at most %(limit_value)s people."
        )

    def clean(self):
        data = super().clean()
        day, starts_at, ends_at = data.get("date"), data.get("starts_at"), data.get("ends_at")
        if day is None or starts_at is None or ends_at is None:
            return data
        if day < timezone.localdate():
            self.add_error("date", _("The day has already passed. Choose a day in the future."))
            return data
        if ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
            return data
        try:
            data["start"] = local_datetime(day, starts_at)
        except NonexistentTime:
            self.add_error("starts_at", GAP_MESSAGE)
        try:
            data["end"] = local_datetime(day, ends_at)
        except NonexistentTime:
            self.add_error("ends_at", GAP_MESSAGE)
        repeat_until = data.get("repeat_until")
        if repeat_until is not None:
            if repeat_until < day + dt.timedelta(days=7):
                self.add_error(
                    "repeat_until",
                    _("For a weekly booking, give a day at least a week after the first one."),
                )
            elif (repeat_until - day).days > MAX_SERIES_DAYS:
                self.add_error("repeat_until", _("A weekly booking can last at most a year."))
        return data

    @property
    def is_series(self) -> bool:
        return bool(self.cleaned_data.get("repeat_until"))


class RejectForm(PlainLabels, forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the association)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class WeekForm(forms.Form):
    """`?week=YYYY-MM-DD`: any day of the week to show; bad values show the current week."""

    week = forms.DateField(required=False, validators=SENSIBLE_DATES)

    def monday(self, earliest: dt.date, latest: dt.date) -> dt.date:
        today = timezone.localdate()
        day = self.cleaned_data.get("week") if self.is_valid() else None
        day = day or today
        day = min(max(day, earliest), latest)
        return day - dt.timedelta(days=day.weekday())


class AgendaForm(PlainLabels, forms.Form):
    date = forms.DateField(
        label=_("Day"), required=False, widget=DATE_WIDGET, validators=SENSIBLE_DATES
    )


class ReportForm(PlainLabels, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

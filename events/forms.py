"""The event form: dates and clock times in separate fields (easy on a phone), checked in
Helsinki local time. A time that does not exist (the spring DST gap) is refused; a time that
happens twice (the autumn change) always means the first one, in summer time."""

import re
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.ical import HELSINKI
from directory.models import Area, Organisation, is_city_staff
from directory.permissions import organisations_user_acts_for
from directory.uploads import CleanImageField
from events.models import Event, Umbrella, local_midnight
from spaces.models import Space

MAX_OCCURRENCES = 52
MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
_DATE_IN_LIST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2})")


class NonexistentTime(ValueError):
    pass


def combine_local(day: date, clock: time) -> datetime:
    """The aware instant of a Helsinki wall-clock time; NonexistentTime inside the DST gap."""
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=HELSINKI, fold=0)  # fold=0: the first of an autumn double hour
    if aware.astimezone(UTC).astimezone(HELSINKI).replace(tzinfo=None) != naive:
        raise NonexistentTime(naive)
    return aware


def parse_date_list(text: str) -> list[date]:
    days = set()
    for match in _DATE_IN_LIST.finditer(text or ""):
        try:
            if match.group(1):
                day = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            else:
                day = date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
        except ValueError:
            raise forms.ValidationError(
                _("%(text)s is not a date."), params={"text": match.group(0)}
            ) from None
        days.add(day)
    return sorted(days)


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, date) else value


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class EventForm(forms.ModelForm):
    """Create, edit and copy. `repeat` (weekly or listed dates) is offered only when creating."""

    starts_on = forms.DateField(label=_("Date"), widget=DateInput)
    starts_time = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput)
    ends_on = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DateInput,
        help_text=_("Only if the event lasts more than one day."),
    )
    ends_time = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput)
    repeat = forms.ChoiceField(
        label=_("Repeats"),
        choices=[
            ("none", _("Does not repeat")),
            ("weekly", _("Every week on the same weekday")),
            ("dates", _("On the dates I list")),
        ],
        initial="none",
        widget=forms.RadioSelect,
        required=False,
    )
    repeat_until = forms.DateField(label=_("Weekly until"), required=False, widget=DateInput)
    repeat_dates = forms.CharField(
        label=_("Other dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example 24.5.2027, 1.6.2027, 8.6.2027. The same clock times apply."),
    )
    deadline_on = forms.DateField(
        label=_("Registration deadline, date"), required=False, widget=DateInput
    )
    deadline_time = forms.TimeField(
        label=_("Registration deadline, time"), required=False, widget=TimeInput
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "organisers",
            "is_save_the_date",
            "is_all_day",
            "place_kind",
            "space",
            "place_name",
            "street_address",
            "district",
            "online_url",
            "themes",
            "target_groups",
            "areas",
            "age_min",
            "age_max",
            "is_free",
            "price_text",
            "registration",
            "registration_url",
            "registration_email",
            "is_accessible",
            "accessibility_notes",
            "image",
            "image_alt",
            "umbrella",
        ]
        widgets = {
            "organisers": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
            "place_kind": forms.RadioSelect,
            "registration": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        # Judged by content and stored as a re-encoded copy with a random name.
        field_classes = {"image": CleanImageField}

    def __init__(self, *args, user, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.creating = creating
        own = organisations_user_acts_for(user)
        if is_city_staff(user):  # staff powers need two-step verification
            own = Organisation.objects.public()
        self.own_organisations = own
        self.fields["organisers"].queryset = own
        self.fields["organisers"].help_text = _("Your associations that organise the event.")
        self.fields["organisers"].error_messages["required"] = _(
            "Choose the association that organises the event."
        )
        if not self.instance.pk and len(own) == 1 and not self.is_bound:
            self.initial.setdefault("organisers", [own[0].pk])
        self.fields["district"].queryset = Area.objects.filter(kind=Area.Kind.DISTRICT)
        self.fields["space"].queryset = Space.objects.filter(is_listed=True).select_related("venue")
        self.fields["space"].help_text = _(
            "If the event is in a city space, choose it: its address is filled in for you."
        )
        self.fields["areas"].queryset = Area.objects.select_related("parent")
        self.fields["areas"].help_text = _("Where the event is meant for. The district counts.")
        self.fields["areas"].label_from_instance = lambda area: area.label
        today = timezone.localdate()
        umbrellas = Umbrella.objects.filter(is_open=True, ends_on__gte=today)
        if self.instance.umbrella_id:
            umbrellas = umbrellas | Umbrella.objects.filter(pk=self.instance.umbrella_id)
        self.fields["umbrella"].queryset = umbrellas.distinct()
        self.fields["umbrella"].empty_label = _("None")
        self.fields["district"].empty_label = _("Choose the district")
        self.fields["space"].empty_label = _("Not in a city space")
        self.fields["umbrella"].help_text = _(
            "A festival or campaign this event is part of, e.g. Meidän Kuopio -festivaali."
        )
        self.fields["image"].help_text = _("A JPEG, PNG or WebP picture, at most 5 MB.")
        if not creating:
            for name in ("repeat", "repeat_until", "repeat_dates"):
                del self.fields[name]
        if self.instance.pk and not self.is_bound:
            self._initial_from_event(self.instance)

    def _initial_from_event(self, event: Event) -> None:
        self.initial.update(
            {
                "starts_on": event.local_start.date(),
                "starts_time": None if event.is_all_day else event.local_start.time(),
                "ends_on": event.last_day if event.last_day != event.starts_on else None,
                "ends_time": None if event.is_all_day else event.local_end.time(),
            }
        )
        if event.registration_deadline:
            deadline = timezone.localtime(event.registration_deadline, HELSINKI)
            self.initial.update({"deadline_on": deadline.date(), "deadline_time": deadline.time()})

    # -- field checks ------------------------------------------------------------------------

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "image"):  # a new upload that Pillow has opened
            if image.size > MAX_IMAGE_BYTES:
                raise forms.ValidationError(_("The image is larger than 5 MB."))
            if getattr(image.image, "format", None) not in IMAGE_FORMATS:
                raise forms.ValidationError(_("Use a JPEG, PNG or WebP picture."))
        return image

    def clean_organisers(self):
        chosen = list(self.cleaned_data.get("organisers") or [])
        if self.instance.pk:
            # Co-organisers this user does not belong to stay as they were.
            own_ids = {o.pk for o in self.own_organisations}
            chosen += [o for o in self.instance.organisers.all() if o.pk not in own_ids]
        if not chosen:
            raise forms.ValidationError(_("Choose the association that organises the event."))
        return chosen

    # -- the whole form ----------------------------------------------------------------------

    def _local(self, field: str, day: date, clock: time) -> datetime | None:
        try:
            return combine_local(day, clock)
        except NonexistentTime:
            self.add_error(
                field,
                _(
                    "This time does not exist in Finland: that night the clocks jump from "
                    "03:00 to 04:00. Choose another time."
                ),
            )
        except (OverflowError, ValueError):
            self.add_error(field, _("Check the date."))
        return None

    def clean(self):
        data = super().clean()
        self._clean_times(data)
        self._clean_place(data)
        self._clean_price_and_registration(data)
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and high < low:
            self.add_error("age_max", _("The upper age is below the lower age."))
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        if self.creating:
            self._clean_repeat(data)
        return data

    def _clean_times(self, data) -> None:
        day = data.get("starts_on")
        if not day:
            return
        last_day = data.get("ends_on") or day
        if last_day < day:
            self.add_error("ends_on", _("The event cannot end before it starts."))
            return
        if last_day - day > timedelta(days=366):
            self.add_error("ends_on", _("An event can last at most a year."))
            return
        if data.get("is_all_day"):
            data["starts_at"] = local_midnight(day)
            data["ends_at"] = local_midnight(last_day + timedelta(days=1))
        else:
            if data.get("starts_time") is None:
                self.add_error("starts_time", _("Give the start time, or tick all-day event."))
            if data.get("ends_time") is None:
                self.add_error("ends_time", _("Give the end time."))
            if data.get("starts_time") is None or data.get("ends_time") is None:
                return
            starts_at = self._local("starts_time", day, data["starts_time"])
            ends_at = self._local("ends_time", last_day, data["ends_time"])
            if starts_at is None or ends_at is None:
                return
            if ends_at <= starts_at:
                self.add_error("ends_time", _("The event cannot end before it starts."))
                return
            data["starts_at"], data["ends_at"] = starts_at, ends_at
        self._clean_deadline(data)

    def _clean_deadline(self, data) -> None:
        if data.get("registration") == Event.Registration.NONE or not data.get("deadline_on"):
            data["registration_deadline"] = None
            return
        clock = data.get("deadline_time") or time(23, 59)
        deadline = self._local("deadline_time", data["deadline_on"], clock)
        if deadline is None:
            return
        same_day = data["deadline_on"] == data["starts_at"].astimezone(HELSINKI).date()
        if not data.get("deadline_time") and same_day and deadline > data["starts_at"]:
            deadline = data["starts_at"]  # "by the day of the event" means by its start
        if deadline > data["starts_at"]:
            self.add_error(
                "deadline_on", _("The registration deadline must be before the event starts.")
            )
            return
        data["registration_deadline"] = deadline

    def _clean_place(self, data) -> None:
        space = data.get("space")
        if space is not None:
            data["place_name"] = data.get("place_name") or f"{space.name}, {space.venue.name}"
            data["street_address"] = data.get("street_address") or space.venue.address
            data["district"] = data.get("district") or space.venue.district
        kind = data.get("place_kind")
        has_place = data.get("place_name") or data.get("street_address")
        if kind in {Event.PlaceKind.ADDRESS, Event.PlaceKind.HYBRID} and not has_place:
            self.add_error("place_name", _("Tell where the event is: a place or an address."))
        if kind in {Event.PlaceKind.ONLINE, Event.PlaceKind.HYBRID} and not data.get("online_url"):
            self.add_error("online_url", _("Give the link to the online event."))

    def _clean_price_and_registration(self, data) -> None:
        if not data.get("is_free") and not (data.get("price_text") or "").strip():
            self.add_error("price_text", _("Tell the price, or tick free of charge."))
        registration = data.get("registration")
        if registration == Event.Registration.LINK and not data.get("registration_url"):
            self.add_error("registration_url", _("Give the address of the registration page."))
        if registration == Event.Registration.EMAIL and not data.get("registration_email"):
            self.add_error("registration_email", _("Give the email address for registration."))

    def _clean_repeat(self, data) -> None:
        repeat = data.get("repeat") or "none"
        data["occurrences"] = None
        if repeat == "none" or "starts_at" not in data:
            return
        first = data["starts_on"]
        if repeat == "weekly":
            until = data.get("repeat_until")
            if not until or until <= first:
                self.add_error("repeat_until", _("Give the last date, after the first one."))
                return
            days = [first + timedelta(weeks=n) for n in range((until - first).days // 7 + 1)]
        else:
            try:
                days = sorted({first, *parse_date_list(data.get("repeat_dates", ""))})
            except forms.ValidationError as error:
                self.add_error("repeat_dates", error)
                return
            if len(days) < 2:
                self.add_error("repeat_dates", _("List at least one other date."))
                return
        if len(days) > MAX_OCCURRENCES:
            self.add_error(
                "repeat_dates" if repeat == "dates" else "repeat_until",
                _("At most %(n)s dates at a time.") % {"n": MAX_OCCURRENCES},
            )
            return
        data["occurrences"] = self._occurrences(data, days)

    def _occurrences(self, data, days) -> list[tuple[datetime, datetime]] | None:
        """The same local clock times on every day: 18:00 stays 18:00 across DST."""
        span_days = (data["ends_at"].astimezone(HELSINKI).date() - data["starts_on"]).days
        occurrences = []
        for day in days:
            if data.get("is_all_day"):
                start = local_midnight(day)
                end = local_midnight(day + timedelta(days=span_days))
            else:
                start = self._local("starts_time", day, data["starts_time"])
                end = self._local("ends_time", day + timedelta(days=span_days), data["ends_time"])
            if start is None or end is None:
                return None
            occurrences.append((start, end))
        return occurrences

    # -- what the services need --------------------------------------------------------------

    RELATIONS = ("organisers", "themes", "target_groups", "areas")

    def event_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in self.Meta.fields
            if name not in self.RELATIONS and name in data and name != "image"
        }
        space = data.get("space")
        fields.update(
            venue=space.venue if space is not None else None,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            registration_deadline=data.get("registration_deadline"),
        )
        image = data.get("image")
        if image is False:  # "clear" ticked
            fields["image"] = ""
        elif image and hasattr(image, "image"):
            fields["image"] = image
        return fields

    def relations(self) -> dict:
        return {name: list(self.cleaned_data.get(name) or []) for name in self.RELATIONS}


class StatusChangeForm(forms.Form):
    note = forms.CharField(
        label=_("Message to participants"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the event page and in calendars."),
    )


def copy_initial(event: Event) -> dict:
    """Initial values for a new event copied from an existing one (same data, no image)."""
    initial = {name: getattr(event, name) for name in EventForm.Meta.fields if name != "image"}
    for name in EventForm.RELATIONS:
        initial[name] = [obj.pk for obj in getattr(event, name).all()]
    initial["district"] = event.district_id
    initial["space"] = event.space_id
    initial["umbrella"] = event.umbrella_id
    initial["image_alt"] = ""
    initial.update(
        starts_on=event.local_start.date(),
        starts_time=None if event.is_all_day else event.local_start.time(),
        ends_on=event.last_day if event.last_day != event.starts_on else None,
        ends_time=None if event.is_all_day else event.local_end.time(),
    )
    return initial

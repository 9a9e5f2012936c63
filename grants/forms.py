"""Forms of the grants module: friendly Finnish errors for every kind of bad input."""

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.uploads import reencode
from grants import files
from grants.models import ApplicantGroup, AttachmentKind, Round
from grants.money import euros

ZERO = Decimal("0.00")


# Digits with an optional decimal comma or point, and an optional minus (refused later with
# its own message). No exponents, no thousands separators other than spaces.
AMOUNT_PATTERN = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: "1500", "1 500,50", "1500 €". Never negative."""

    default_error_messages = {
        "invalid": _("Enter an amount in euros using digits, for example 1500 or 1500,50."),
        "negative": _("The amount cannot be negative."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        for noise in ("euroa", "eur", "€", "\u00a0", "\u202f", " "):
            text = text.replace(noise, "")
        if not AMOUNT_PATTERN.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")
        return amount

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # The text input takes commas and spaces; the number-only attributes would refuse them.
        for key in ("step", "min", "max"):
            attrs.pop(key, None)
        return attrs


def make_local_aware(naive: datetime) -> datetime:
    """Finnish wall-clock time to an aware moment.

    A time that does not exist (the spring gap, e.g. 03.30 on the last Sunday of March) is
    refused; one that happens twice (03.30 on the last Sunday of October) is always read as
    the first, summer-time moment, so a deadline never gets an extra hour.
    """
    zone = timezone.get_current_timezone()
    first = naive.replace(tzinfo=zone, fold=0)
    round_trip = first.astimezone(timezone.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise ValidationError(
            _("This time does not exist in Finland: the clocks move forward an hour that night."),
            code="nonexistent",
        )
    # In UTC: an aware time inside the repeated autumn hour never compares equal across zones.
    return first.astimezone(timezone.UTC)


class LocalDateTimeField(forms.DateTimeField):
    input_formats = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H.%M",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y klo %H.%M",
    ]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else make_local_aware(value)
        text = str(value).strip()
        for fmt in self.input_formats:
            try:
                naive = datetime.strptime(text, fmt)
            except ValueError:
                continue
            return make_local_aware(naive)
        raise ValidationError(
            _("Enter a date and time, for example 29.11.2026 15.30."), code="invalid"
        )

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value


class ApplicationStartForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Association"))
    group = forms.ModelChoiceField(queryset=None, label=_("Applicant group"))

    def __init__(self, *args, organisations, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["group"].queryset = groups_of(round)
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


def groups_of(round: Round):
    """The round's pot groups, or every group when the round has no pots."""
    groups = ApplicantGroup.objects.all()
    if round.pots.exists():
        groups = groups.filter(pot__round=round)
    return groups


class ApplicationForm(forms.Form):
    group = forms.ModelChoiceField(queryset=None, label=_("Applicant group"))
    purpose = forms.CharField(
        label=_("What is the grant for?"),
        help_text=_("Tell what you will do with the grant, for whom, and when."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
    )
    requested_amount = EuroField(
        label=_("Amount applied for (EUR)"),
        required=False,
        help_text=_("In whole euros or with cents, for example 1500 or 1500,50."),
    )

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups_of(round)

    def clean_requested_amount(self):
        return self.cleaned_data["requested_amount"] or ZERO


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = EuroField(label=_("Amount (EUR)"), required=False)

    def clean(self):
        cleaned = super().clean()
        description = cleaned.get("description", "").strip()
        amount = cleaned.get("amount")
        if amount is not None and not description and "description" not in self.errors:
            self.add_error("description", _("Say what this amount is for."))
        if description and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount of this line."))
        return cleaned


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, max_num=40, absolute_max=60)


def budget_lines_of(formset) -> list[tuple[str, Decimal]]:
    lines = []
    for form in formset.forms:
        description = form.cleaned_data.get("description", "").strip()
        amount = form.cleaned_data.get("amount")
        if description and amount is not None:
            lines.append((description, amount))
    return lines


FILE_ERRORS = {
    "extension": _(
        "This file type is not accepted. Send a PDF, an office document (Word, Excel, "
        "PowerPoint or OpenDocument) or a PNG or JPEG image."
    ),
    "empty": _("The file is empty."),
    "content": _(
        "The content of the file is not what its name says. Open the file and save it again "
        "as PDF or in the office program, then send it again."
    ),
}


def clean_image_attachment(upload, file_type: files.FileType):
    """A picture is stored as Pillow re-wrote it (no EXIF positions, nothing appended to it);
    documents as they are. The name people gave the file is kept for the download."""
    if file_type.content not in ("png", "jpeg"):
        return upload
    return reencode(upload, max_bytes=files.max_bytes(), name=upload.name)


def check_uploaded_file(upload) -> files.FileType:
    """The file's real type, or a ValidationError that tells the person what to do."""
    try:
        return files.check_upload(upload)
    except files.FileRefused as refused:
        if refused.reason == "size":
            raise ValidationError(
                _("The file is too large (%(size)s MB). The largest allowed size is %(limit)s MB.")
                % {
                    "size": number_format(round(upload.size / 1024 / 1024, 1), 1),
                    "limit": files.max_bytes() // (1024 * 1024),
                },
                code="size",
            ) from None
        raise ValidationError(FILE_ERRORS[refused.reason], code=refused.reason) from None


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Attachment"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_mb = files.max_bytes() // (1024 * 1024)
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG, at most %(limit)s MB."
        ) % {"limit": limit_mb}
        self.fields["file"].widget.attrs["accept"] = ",".join(files.ACCEPTED_EXTENSIONS)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.file_type = check_uploaded_file(upload)
        return clean_image_attachment(upload, self.file_type)


class SubmitForm(forms.Form):
    # How many versions the page showed: a second tab or a double click finds a newer count.
    versions_seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReportForm(forms.Form):
    amount_used = EuroField(label=_("Amount used (EUR)"))
    narrative = forms.CharField(
        label=_("How was the grant used?"),
        help_text=_("What you did, how many took part, and what the money was spent on."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )
    file = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("For example the financial statements or receipts, as PDF or an image."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        self.file_type = check_uploaded_file(upload)
        return clean_image_attachment(upload, self.file_type)


# Staff forms ---------------------------------------------------------------------------------


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the conflict of interest"),
        max_length=300,
        help_text=_("For example: board member of the association, or a close relative."),
    )


class ReturnForm(forms.Form):
    message = forms.CharField(
        label=_("What should be corrected?"), widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = LocalDateTimeField(label=_("Correction deadline (Finnish time)"))

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise ValidationError(_("The deadline must be in the future."))
        return deadline


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    amount = EuroField(label=_("Amount granted (EUR)"))
    rejection_reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when nothing is granted."),
    )
    is_public = forms.BooleanField(
        label=_("Publish the decision in the public list"), required=False, initial=True
    )

    def __init__(self, *args, requested: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.requested = requested

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if amount is None:
            return cleaned
        if amount > self.requested:
            self.add_error(
                "amount",
                _("At most the amount applied for, %(requested)s.")
                % {"requested": euros(self.requested)},
            )
        if amount == 0 and not cleaned.get("rejection_reason", "").strip():
            self.add_error("rejection_reason", _("Give the reason when nothing is granted."))
        return cleaned


class ReviewForm(forms.Form):
    """One score (0 … the criterion's highest) and a comment per criterion."""

    def __init__(self, *args, criteria, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        existing = {review.criterion_id: review for review in reviews}
        for criterion in self.criteria:
            review = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=pgettext_lazy("review", "Score: %(criterion)s")
                % {"criterion": criterion.name},
                choices=[("", "–"), *[(n, str(n)) for n in range(criterion.max_score + 1)]],
                coerce=int,
                empty_value=None,
                required=False,
                initial=review.score if review else None,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=pgettext_lazy("review", "Comment: %(criterion)s")
                % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=review.comment if review else "",
            )

    def rows(self):
        return [
            (criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            if (
                cleaned.get(f"comment_{criterion.pk}")
                and cleaned.get(f"score_{criterion.pk}") is None
            ):
                self.add_error(f"score_{criterion.pk}", _("Give a score with the comment."))
        return cleaned

    def scores(self) -> dict:
        return {
            criterion: (
                self.cleaned_data[f"score_{criterion.pk}"],
                self.cleaned_data[f"comment_{criterion.pk}"],
            )
            for criterion in self.criteria
            if self.cleaned_data.get(f"score_{criterion.pk}") is not None
        }


class ReportReviewForm(forms.Form):
    class Outcome:
        ACCEPT = "accept"
        MORE = "more"
        REJECT = "reject"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (Outcome.ACCEPT, _("Accept the report")),
            (Outcome.MORE, _("Ask for more information")),
            (Outcome.REJECT, _("Reject the report")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment to the association"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("outcome") in (self.Outcome.MORE, self.Outcome.REJECT)
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error("comment", _("Tell the association what is missing or wrong."))
        return cleaned

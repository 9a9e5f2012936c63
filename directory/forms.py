"""Forms: they validate and explain; the services in directory.services do the writing."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import (
    Area,
    ContactPerson,
    FieldOfActivity,
    Invitation,
    JoinRequest,
    Language,
    Membership,
    Organisation,
    SearchSynonym,
    TargetGroup,
    VolunteerOpportunity,
)
from directory.uploads import CleanImageField
from directory.validators import normalise_business_id

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def _checkboxes(queryset, label, field_class=forms.ModelMultipleChoiceField):
    return field_class(
        queryset=queryset,
        label=label,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def validate_logo(image) -> None:
    if image.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 1 MB."), code="logo_size")
    pil = getattr(image, "image", None)
    if pil is not None:
        if (pil.format or "").upper() not in LOGO_FORMATS:
            raise ValidationError(_("Use a PNG, JPEG or WebP image."), code="logo_format")
        width, height = pil.size
        if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
            raise ValidationError(
                _("The logo may be at most 4000 × 4000 pixels."), code="logo_pixels"
            )


class OrganisationFormMixin:
    """Shared cleaning of the registration and edit forms."""

    duplicate: Organisation | None = None

    def _setup_fields(self):
        self.fields["fields"] = _checkboxes(FieldOfActivity.objects.all(), _("Fields of activity"))
        self.fields["target_groups"] = _checkboxes(TargetGroup.objects.all(), _("Target groups"))
        self.fields["areas"] = _checkboxes(
            Area.objects.select_related("parent"), _("Areas"), AreaChoiceField
        )
        self.fields["languages"] = forms.MultipleChoiceField(
            choices=Language.choices,
            label=_("Languages of activity"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if "business_id" in self.fields:
            # Room for the forms people type (FI12345678, spaces); stored as 1234567-8.
            self.fields["business_id"] = forms.CharField(
                label=self.fields["business_id"].label,
                required=False,
                max_length=20,
                help_text=_("Optional. For example 1234567-8; the form FI12345678 also works."),
            )
        self.fields["register_number"].help_text = _(
            "Optional. The number in the Finnish register of associations (1–6 digits)."
        )

    def clean_business_id(self):
        value = (self.cleaned_data.get("business_id") or "").strip()
        return normalise_business_id(value) if value else None

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def _check_duplicates(self):
        others = Organisation.objects.exclude(status=Organisation.Status.ARCHIVED)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        business_id = self.cleaned_data.get("business_id")
        name = self.cleaned_data.get("name")
        if business_id and (found := others.filter(business_id=business_id).first()):
            self.duplicate = found
            self.add_error(
                "business_id",
                ValidationError(
                    _("An association with this business ID is already in the portal."),
                    code="duplicate",
                ),
            )
        elif name and (found := others.filter(name__iexact=name).first()):
            self.duplicate = found
            self.add_error(
                "name",
                ValidationError(
                    _("An association with this name is already in the portal."),
                    code="duplicate",
                ),
            )


class OrganisationRegistrationForm(OrganisationFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_description",
            "fields",
            "target_groups",
            "areas",
            "languages",
            "email",
            "phone",
            "website",
            "business_id",
            "register_number",
            "description",
        ]
        widgets = {
            "short_description": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "name": _("Name of the association"),
            "email": _("Email of the association"),
            "phone": _("Phone of the association"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_fields()
        self.fields["email"].help_text = _("Optional. Shown on the public page.")

    def clean(self):
        cleaned = super().clean()
        self._check_duplicates()
        return cleaned


class OrganisationForm(OrganisationFormMixin, forms.ModelForm):
    social_links = forms.CharField(
        label=_("Social media links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line, for example https://www.facebook.com/…"),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_description",
            "description",
            "expertise",
            "services",
            "fields",
            "target_groups",
            "areas",
            "languages",
            "accessibility",
            "membership_info",
            "email",
            "phone",
            "website",
            "social_links",
            "logo",
            "business_id",
            "register_number",
        ]
        widgets = {
            "short_description": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        # Judged by content and stored as a re-encoded copy with a random name.
        field_classes = {"logo": CleanImageField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_fields()
        self.initial["social_links"] = "\n".join(self.instance.social_links or [])
        self.fields["logo"].validators += [
            FileExtensionValidator(["png", "jpg", "jpeg", "webp"]),
            validate_logo,
        ]
        self.fields["logo"].help_text = _("PNG, JPEG or WebP, at most 1 MB.")
        if self.instance.is_public and self.instance.business_id:
            # A verified identity changes only through city staff.
            self.fields["business_id"].disabled = True
            self.fields["business_id"].help_text = _(
                "To change the business ID, contact the city staff."
            )

    def clean_social_links(self):
        links = []
        validator = forms.URLField(assume_scheme="https")
        for line in (self.cleaned_data.get("social_links") or "").splitlines():
            if line.strip():
                try:
                    links.append(validator.clean(line.strip()))
                except ValidationError:
                    raise ValidationError(
                        _("Check this address: %(link)s"),
                        code="link",
                        params={"link": line.strip()[:100]},
                    ) from None
        return links[:10]

    def clean_business_id(self):
        if self.fields["business_id"].disabled:
            return self.instance.business_id
        return super().clean_business_id()

    def clean(self):
        cleaned = super().clean()
        self._check_duplicates()
        return cleaned


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "title", "email", "phone", "is_public", "valid_from", "valid_until"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date is before the start date."))
        return cleaned


class BaseContactPersonFormSet(forms.BaseInlineFormSet):
    def save_new(self, form, commit=True):
        """A new row identical to a contact already saved is that contact, so the page sent
        twice (a double click, a retry) adds the person once. The association's row is locked
        until the save commits, so two identical requests at once queue here."""
        Organisation.objects.select_for_update().filter(pk=self.instance.pk).first()
        same = {name: form.cleaned_data.get(name) for name in ("name", "title", "email", "phone")}
        existing = ContactPerson.objects.filter(organisation=self.instance, **same).first()
        if existing is not None:
            return existing
        return super().save_new(form, commit=commit)


ContactPersonFormSet = forms.inlineformset_factory(
    Organisation,
    ContactPerson,
    form=ContactPersonForm,
    formset=BaseContactPersonFormSet,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]
        labels = {"email": _("Email of the person you invite")}
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Membership.Role.choices  # no empty choice among radios
        self.fields["role"].initial = Membership.Role.EDITOR
        self.fields["role"].help_text = _(
            "Editors keep the page and the volunteer tasks up to date. Administrators also "
            "manage the members."
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["message"]
        labels = {"message": _("Message to the association (optional)")}
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class VolunteerOpportunityForm(forms.ModelForm):
    class Meta:
        model = VolunteerOpportunity
        fields = ["title", "description", "area", "time_needed", "contact", "open_until"]
        widgets = {
            "open_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.select_related("parent")
        self.fields["area"].label_from_instance = lambda area: area.label
        self.fields["area"].empty_label = _("Anywhere / not tied to an area")

    def clean_open_until(self):
        value = self.cleaned_data["open_until"]
        if value < timezone.localdate() and (
            self.instance.pk is None or "open_until" in self.changed_data
        ):
            raise ValidationError(_("The date has already passed."), code="past")
        return value


class SearchSynonymForm(forms.ModelForm):
    class Meta:
        model = SearchSynonym
        fields = ["words"]

    def clean_words(self):
        words = [w.strip() for w in self.cleaned_data["words"].split(",") if w.strip()]
        if len(words) < 2:
            raise ValidationError(_("Give at least two words separated by commas."))
        return ", ".join(words)

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, Idea, Meeting, Registration, WorkshopGroup

AS_RESIDENT = "resident"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class RegistrationForm(forms.Form):
    """Only the questions the meeting asks; the answers go to `registration_create`."""

    def __init__(self, *args, meeting: Meeting, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.organisations = {str(org.pk): org for org in organisations}
        choices = [(pk, org.name) for pk, org in self.organisations.items()]
        if meeting.allows_residents:
            choices.append((AS_RESIDENT, _("Myself, as a resident")))
        self.fields["organisation"] = forms.ChoiceField(
            label=_("I am registering on behalf of"),
            choices=choices,
            widget=forms.RadioSelect,
            initial=choices[0][0] if len(choices) == 1 else None,
        )
        if meeting.asks_attendance_mode:
            self.fields["attendance"] = forms.ChoiceField(
                label=_("How will you take part?"),
                choices=Registration.Attendance.choices,
                widget=forms.RadioSelect,
                help_text=_("Remote participants do not take a seat."),
            )
        if meeting.asks_transport:
            self.fields["needs_transport"] = forms.ChoiceField(
                label=_("Are you coming on the shared transport?"),
                choices=YES_NO,
                widget=forms.RadioSelect,
                help_text=meeting.transport_info,
            )
        if meeting.asks_diet:
            self.fields["diet"] = forms.CharField(
                label=_("Special diet or allergies"),
                required=False,
                max_length=200,
                help_text=_("Leave empty if you have none."),
            )
        if meeting.asks_free_text:
            self.fields["answer"] = forms.CharField(
                label=meeting.free_text_question,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        transport = data.get("needs_transport")
        return {
            "organisation": self.organisations.get(data["organisation"]),
            "attendance": data.get("attendance"),
            "needs_transport": None if transport is None else transport == "yes",
            "diet": data.get("diet", ""),
            "answer": data.get("answer", ""),
        }


class WorkshopAnswersForm(forms.Form):
    """One text box per question of the workshop, for one group."""

    def __init__(self, *args, group: WorkshopGroup, questions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        for number, question in enumerate(questions, start=1):
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=f"{number}. {question.text}",
                required=False,
                max_length=5000,
                initial=answers.get(question.pk, ""),
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def answers(self) -> dict[int, str]:
        return {
            int(name.removeprefix("question_")): value for name, value in self.cleaned_data.items()
        }


class IdeaForm(forms.Form):
    forum = forms.ModelChoiceField(
        label=_("Forum"), queryset=Forum.objects.filter(is_active=True), empty_label=None
    )
    title = forms.CharField(
        label=_("Your idea in one sentence"), max_length=200, strip=True, min_length=3
    )
    description = forms.CharField(
        label=_("Tell more (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(org.pk): org for org in organisations}
        choices = [(pk, org.name) for pk, org in self.organisations.items()]
        if choices:
            self.fields["organisation"] = forms.ChoiceField(
                label=_("On behalf of"),
                choices=choices,
                initial=choices[0][0],
            )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "forum": data["forum"],
            "title": data["title"],
            "description": data["description"],
            "organisation": self.organisations.get(data.get("organisation", "")),
        }


class IdeaResponseForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = ["status", "staff_response"]
        widgets = {"staff_response": forms.Textarea(attrs={"rows": 4})}

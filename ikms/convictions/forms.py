"""Forms of the commission's pages (GOV.UK markup through ikms.core.forms). They parse the input; the services decide
the rest, and their messages land on the same fields. The decision forms are the register's `DecisionForm`
(number, date, legal basis, justification) with the meeting and, for an answer, its kind."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.convictions.choices import ANSWERS, ApplicationState, DecisionKind, TargetGroup
from ikms.convictions.models import Decision
from ikms.core.forms import GovukCheckboxes, GovukDateField, GovukForm, GovukRadios, conditional
from ikms.registry.forms import DecisionForm, YearFilterForm

#: What a decision of the commission usually cites (the secretary may change it).
LEGAL_BASIS = "Izglītības likuma 50. panta pirmās daļas 1. punkts; MK 03.09.2019. noteikumi Nr. 414"
LEGAL_BASIS_HINT = _(
    "Filled in with the usual legal basis; add the point, or change it where the decision rests on another provision"
)
ANSWER_CHOICES = [(k.value, k.label) for k in DecisionKind if k in ANSWERS]


class ApplicationForm(GovukForm):
    received_on = GovukDateField(label=_("Received on"), help_text=_("For example 27 3 2025"))
    person_name = forms.CharField(
        label=_("Name of the person"), max_length=200, error_messages={"required": _("Enter the person's name.")}
    )
    personal_code = forms.CharField(
        label=_("Personal code"),
        max_length=20,
        help_text=_("Not stored: only a keyed hash is kept, to find the person's earlier applications."),
        error_messages={"required": _("Enter the person's personal code.")},
    )
    intended_work = forms.CharField(
        label=_("Intended work"),
        max_length=300,
        help_text=_("The post or work as the applicant states it, for example “teacher of music”."),
        error_messages={"required": _("Enter the work the person means to do, for example “teacher of music”.")},
    )
    employer = forms.CharField(
        label=_("Employer or institution"),
        max_length=300,
        required=False,
        help_text=_("In the applicant's words, if known; it is not linked to the register of institutions."),
    )
    conviction_article = forms.CharField(
        label=_("Article of the conviction"),
        max_length=200,
        help_text=_("As the applicant states it, for example “Criminal Law Section 180(1)”."),
        error_messages={"required": _("Enter the article of the conviction as the applicant states it.")},
    )
    conviction_date = forms.CharField(
        label=_("Date of the conviction"),
        max_length=40,
        required=False,
        help_text=_("As the applicant states it, for example 2012 or 03.2012."),
    )


class MeetingForm(GovukForm):
    number = forms.CharField(
        label=_("Meeting number"),
        max_length=20,
        help_text=_("For example 2024/3"),
        error_messages={"required": _("Enter the meeting's number.")},
    )
    held_on = GovukDateField(label=_("Held on"), help_text=_("For example 27 3 2025"))
    members = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=None,
        widget=GovukCheckboxes,
        error_messages={"required": _("Choose the members present.")},
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class _CommissionDecision(DecisionForm):
    """The register's decision form, its number checked against the commission's decisions and a justification
    required, with the meeting at which the decision was taken."""

    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=None, error_messages={"required": _("Choose the meeting.")}
    )
    date = GovukDateField(label=_("Decision date"), help_text=_("For example 27 3 2025"))

    def __init__(self, *args, meetings, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("legal_basis", LEGAL_BASIS)
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["legal_basis"].help_text = LEGAL_BASIS_HINT
        self.fields["justification"].required = True
        self.fields["justification"].error_messages["required"] = _("Enter the justification.")

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if Decision.objects.filter(number=number).exists():
            raise forms.ValidationError(_("A decision with this number is already recorded."))
        return number


class AnswerForm(_CommissionDecision):
    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=ANSWER_CHOICES,
        widget=GovukRadios,
        error_messages={
            "required": _("Choose the decision: a permit, a permit limited to target groups, or a refusal.")
        },
    )
    target_groups = conditional(
        forms.MultipleChoiceField(
            label=_("Target groups"),
            choices=TargetGroup.choices,
            widget=GovukCheckboxes,
            required=False,
            help_text=_("For a limited permit: the only learners the person may work with."),
        )
    )
    field_order = ["meeting", "kind", "target_groups", "number", "date", "legal_basis", "justification"]


class AnnulForm(_CommissionDecision):
    field_order = ["meeting", "number", "date", "legal_basis", "justification"]


class OpinionForm(GovukForm):
    position = forms.ChoiceField(
        label=_("Your opinion"),
        choices=ANSWER_CHOICES,
        widget=GovukRadios,
        error_messages={"required": _("Choose your opinion.")},
    )
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ApplicationFilterForm(YearFilterForm):
    """The list's filters: the state and the year received."""

    state = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ApplicationState.choices])


class ReadLogFilterForm(GovukForm):
    reference = forms.CharField(
        label=_("Reference number"), max_length=20, required=False, help_text=_("For example PIK-2024-007")
    )

"""Forms of the licensing pages (GOV.UK markup through ikms.core.forms). They parse the input; the services decide
the rest, and their messages land on the same fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.core.forms import GovukDateField, GovukForm, GovukRadios
from ikms.licensing.choices import ApplicationKind, ApplicationState, CheckItem, CheckResult
from ikms.registry.choices import AMEND_ENTRY_KINDS, ISSUE_ENTRY_KINDS, LicenceStatus, ProgrammeForm
from ikms.registry.forms import DecisionForm, entry_kind_field
from ikms.registry.models import Municipality, Programme


class FilterForm(GovukForm):
    mark_optional = False
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), *ApplicationState.choices],
    )
    q = forms.CharField(label=_("Institution, programme or code"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ApplyForm(GovukForm):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    kind = forms.ChoiceField(label=_("The application is for"), choices=ApplicationKind.choices, widget=GovukRadios)
    programme = forms.ModelChoiceField(
        label=_("Licensed programme to amend"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_("Only for an amendment."),
    )
    code = forms.CharField(label=_("Programme code"), max_length=8, help_text=_("8 characters, for example 21011111"))
    name = forms.CharField(label=_("Programme name"), max_length=255)
    form = forms.ChoiceField(label=_("Form of implementation"), choices=ProgrammeForm.choices, widget=GovukRadios)
    address = forms.CharField(label=_("Address of the place of implementation"), max_length=255)
    municipality = forms.ModelChoiceField(
        label=_("Municipality of the place"), queryset=Municipality.objects.order_by("name_lv")
    )
    note = forms.CharField(
        label=_("What the application asks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For an amendment: what changes and why. Add the programme and documents on the next page."),
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions.order_by("name")
        self.fields["programme"].queryset = Programme.objects.filter(
            institution__in=institutions, status=LicenceStatus.LICENSED
        ).select_related("institution")


class CheckForm(GovukForm):
    def __init__(self, *args, items, current, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CheckItem.choices)
        for item in items:
            given = current.get(item, {})
            self.fields[f"{item}_result"] = forms.ChoiceField(
                label=labels[item], choices=CheckResult.choices, widget=GovukRadios, initial=given.get("result")
            )
            self.fields[f"{item}_note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), initial=given.get("note")
            )
        self.items = items

    def results(self) -> dict[str, tuple[str, str]]:
        d = self.cleaned_data
        return {i: (d.get(f"{i}_result", ""), d.get(f"{i}_note", "")) for i in self.items}


class DeficienciesForm(GovukForm):
    text = forms.CharField(label=_("Deficiencies"), widget=forms.Textarea(attrs={"rows": 6}))
    due_on = GovukDateField(label=_("Remedy by"), help_text=_("For example 27 3 2025"))


class AnswerForm(GovukForm):
    text = forms.CharField(
        label=_("How the deficiencies were remedied"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Add the corrected documents on the documents page."),
    )


class WithdrawForm(GovukForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(DecisionForm):
    grant = forms.ChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Grant the licence")), ("no", _("Refuse"))],
        widget=GovukRadios,
        help_text=_("A refusal needs its reasons in the justification."),
    )
    field_order = ["grant", "entry_kind", "number", "date", "legal_basis", "justification"]

    def __init__(self, *args, amendment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_kind"] = entry_kind_field(
            AMEND_ENTRY_KINDS if amendment else ISSUE_ENTRY_KINDS, required=False
        )
        self.order_fields(self.field_order)

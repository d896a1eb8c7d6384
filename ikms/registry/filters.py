"""Search and filter forms for register lists (public and staff share them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.core.forms import GovukForm
from ikms.registry.choices import DecisionKind, FounderKind, InstitutionStatus, LicenceStatus
from ikms.registry.models import InstitutionKind, InstitutionType, Municipality

LEVEL_CHOICES = [
    ("", _("All levels")),
    ("preschool", _("Pre-school")),
    ("basic", _("Basic")),
    ("secondary", _("General secondary")),
    ("vocational", _("Vocational")),
    ("vocational_orientation", _("Vocational orientation")),
    ("continuing_vocational", _("Continuing vocational")),
    ("professional_development", _("Professional development")),
]


def _municipality_choices():
    return [("", _("All municipalities"))] + [(m.code, m.name) for m in Municipality.objects.order_by("name_lv")]


def _valid_filters(form: forms.Form) -> dict[str, str]:
    if not form.is_bound:
        return {}
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items() if v}


class InstitutionFilterForm(GovukForm):
    q = forms.CharField(label=_("Name or registration number"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    kind = forms.ChoiceField(label=_("Institution kind"), required=False)
    type = forms.ChoiceField(label=_("Institution type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    founder = forms.ChoiceField(label=_("Founder"), required=False,
                                choices=[("", _("All founders")), *FounderKind.choices])

    def __init__(self, *args, public: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = _municipality_choices()
        self.fields["kind"].choices = [("", _("All kinds"))] + [(k.code, k.name) for k in InstitutionKind.objects.all()]
        self.fields["type"].choices = [("", _("All types"))] + [
            (t.code, t.name) for t in InstitutionType.objects.all()]
        statuses = InstitutionStatus.choices
        if public:
            statuses = [(v, label) for v, label in statuses
                        if v in (InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED)]
        self.fields["status"].choices = [("", _("All statuses")), *statuses]

    def filters(self) -> dict[str, str]:
        """The valid filter values (invalid ones are ignored, and shown as errors)."""
        return _valid_filters(self)


class ProgrammeFilterForm(GovukForm):
    q = forms.CharField(label=_("Programme name, code, licence number or institution"), required=False,
                        max_length=100)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=LEVEL_CHOICES)
    status = forms.ChoiceField(label=_("Licence status"), required=False,
                               choices=[("", _("All statuses")), *LicenceStatus.choices])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = _municipality_choices()

    def filters(self) -> dict[str, str]:
        return _valid_filters(self)


#: Dates a search form reads: what a date input sends (ISO) and what a person types (dd.mm.gggg.).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y."]
DATE_ERROR = _("Enter a real date, for example 2024-03-01 or 01.03.2024.")
DATE_RANGE_ERROR = _("The end date cannot be before the start date.")


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=DATE_INPUT_FORMATS,
                           error_messages={"invalid": DATE_ERROR})


class DecisionFilterForm(GovukForm):
    """Search of the decision list; the same filters as the decisions API (selectors.decision_filter)."""

    number = forms.CharField(label=_("Decision number"), required=False, max_length=40,
                             help_text=_("The whole number or its beginning"))
    institution = forms.CharField(label=_("Institution name or registration number"), required=False,
                                  max_length=100)
    kind = forms.ChoiceField(label=_("Decision"), required=False,
                             choices=[("", _("All decisions")), *DecisionKind.choices])
    date_from = _date_field(_("Decision date from"))
    date_to = _date_field(_("Decision date to"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATE_RANGE_ERROR)
        return data

    def filters(self) -> dict:
        """The valid filter values (invalid ones are ignored, and shown as errors)."""
        return _valid_filters(self)

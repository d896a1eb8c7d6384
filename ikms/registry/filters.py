"""Search and filter forms for register lists (public and staff share them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.core.forms import GovukForm
from ikms.registry.choices import FounderKind, InstitutionStatus, LicenceStatus
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

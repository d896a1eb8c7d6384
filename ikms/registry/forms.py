"""Decision forms. Each form validates its input with Latvian/English messages; the service it feeds
validates again and writes nothing when anything is wrong."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikms.core.forms import GovukForm
from ikms.registry.choices import (
    AMEND_ENTRY_KINDS,
    ISSUE_ENTRY_KINDS,
    AmendmentReason,
    DecisionKind,
    FounderKind,
    InternationalProgramme,
    LicenceEntryKind,
    ProgrammeForm,
    StrikeOffReason,
)
from ikms.registry.models import Decision, Founder, Institution, InstitutionType, Municipality, Programme
from ikms.registry.services import DecisionInput, PlaceInput
from ikms.registry.validators import validate_programme_code, validate_registration_number


class DecisionForm(GovukForm):
    """Number, date, legal basis and justification: what every decision records."""

    number = forms.CharField(label=_("Decision number"), max_length=40,
                             help_text=_("As registered in the document management system, e.g. 1-14/275"))
    date = forms.DateField(label=_("Decision date"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255,
                                  help_text=_("E.g. Education Law Art. 24; Cabinet Regulation No. 397"))
    justification = forms.CharField(label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if Decision.objects.filter(number=number).exists():
            raise forms.ValidationError(_("A decision with this number is already recorded."))
        return number

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The decision date cannot be in the future."))
        return date

    def decision_input(self) -> DecisionInput:
        d = self.cleaned_data
        return DecisionInput(number=d["number"], date=d["date"], legal_basis=d["legal_basis"],
                             justification=d.get("justification", ""))


class InstitutionFieldsMixin(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    type = forms.ModelChoiceField(label=_("Institution type"), queryset=InstitutionType.objects.all())
    founder = forms.ModelChoiceField(label=_("Founder"), queryset=Founder.objects.all())
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.all())
    address = forms.CharField(label=_("Address"), max_length=255)
    head_name = forms.CharField(label=_("Head"), max_length=160, required=False)


class InstitutionRegisterForm(DecisionForm, InstitutionFieldsMixin):
    """Register a new institution, or postpone / refuse its application."""

    kind = forms.ChoiceField(label=_("Decision"), choices=[
        (DecisionKind.REGISTER, DecisionKind.REGISTER.label),
        (DecisionKind.POSTPONE, DecisionKind.POSTPONE.label),
        (DecisionKind.REFUSE, DecisionKind.REFUSE.label),
    ])
    registration_number = forms.CharField(label=_("Registration number"), max_length=10,
                                          validators=[validate_registration_number],
                                          help_text=_("10 digits"))
    field_order = ["kind", "registration_number", "name", "type", "founder", "municipality", "address",
                   "head_name", "number", "date", "legal_basis", "justification"]

    def clean_registration_number(self) -> str:
        value = self.cleaned_data["registration_number"].strip()
        if Institution.objects.filter(registration_number=value).exists():
            raise forms.ValidationError(_("This registration number is already in the register."))
        return value


class InstitutionAmendForm(DecisionForm, InstitutionFieldsMixin):
    reason = forms.ChoiceField(label=_("Reason for the amendment"), choices=AmendmentReason.choices)
    capacity = forms.IntegerField(label=_("Design capacity (learners)"), required=False, min_value=1,
                                  max_value=5000, help_text=_("Leave empty if it is not known."))
    field_order = ["reason", "name", "type", "founder", "municipality", "address", "head_name", "capacity",
                   "number", "date", "legal_basis", "justification"]


class ApplicationDecisionForm(DecisionForm):
    """Postpone or refuse an application concerning an existing entry."""

    kind = forms.ChoiceField(label=_("Decision"), choices=[
        (DecisionKind.POSTPONE, DecisionKind.POSTPONE.label),
        (DecisionKind.REFUSE, DecisionKind.REFUSE.label),
    ])
    field_order = ["kind", "number", "date", "legal_basis", "justification"]


class StrikeOffForm(DecisionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=StrikeOffReason.choices)
    field_order = ["reason", "number", "date", "legal_basis", "justification"]


class RevokeForm(DecisionForm):
    """Revoke an earlier decision."""


def entry_kind_field(kinds, *, required: bool = True) -> forms.ChoiceField:
    """What a licence decision records in VIIS (LicenceEntryKind), limited to the kinds that fit the decision."""
    labels = dict(LicenceEntryKind.choices)
    return forms.ChoiceField(label=_("Entry in VIIS"), choices=[(k, labels[k]) for k in kinds], required=required,
                             help_text=_("As the annual report counts it: a new programme, a new place, a "
                                         "re-licensing …"))


class ProgrammeLicenseForm(DecisionForm):
    entry_kind = entry_kind_field(ISSUE_ENTRY_KINDS)
    international = forms.ChoiceField(label=_("International programme"), choices=InternationalProgramme.choices,
                                      required=False,
                                      help_text=_("Under the International Schools Regulation, e.g. the "
                                                  "International Baccalaureate"))
    code = forms.CharField(label=_("Programme code"), max_length=8, min_length=8,
                           validators=[validate_programme_code],
                           help_text=_("8 characters of the Latvian Education Classification, e.g. 21011111"))
    programme_name = forms.CharField(label=_("Programme name"), max_length=255)
    form = forms.ChoiceField(label=_("Form"), choices=ProgrammeForm.choices)
    place_address = forms.CharField(label=_("Place of implementation"), max_length=255)
    place_municipality = forms.ModelChoiceField(label=_("Municipality of the place"),
                                                queryset=Municipality.objects.all())
    licence_number = forms.CharField(label=_("Licence number"), max_length=20, required=False,
                                     help_text=_("Leave empty to assign the next number"))
    field_order = ["entry_kind", "code", "programme_name", "form", "international", "place_address",
                   "place_municipality", "licence_number", "number", "date", "legal_basis", "justification"]

    def clean_licence_number(self) -> str:
        value = self.cleaned_data["licence_number"].strip()
        if value and Programme.objects.filter(licence_number=value).exists():
            raise forms.ValidationError(_("This licence number is already used."))
        return value

    def place(self) -> PlaceInput:
        return PlaceInput(address=self.cleaned_data["place_address"],
                          municipality=self.cleaned_data["place_municipality"])


class LicenceChangeForm(DecisionForm):
    kind = forms.ChoiceField(label=_("Decision"), choices=[
        (DecisionKind.LICENCE_AMEND, DecisionKind.LICENCE_AMEND.label),
        (DecisionKind.LICENCE_ANNUL, DecisionKind.LICENCE_ANNUL.label),
        (DecisionKind.LICENCE_LAPSE, DecisionKind.LICENCE_LAPSE.label),
    ])
    entry_kind = entry_kind_field(AMEND_ENTRY_KINDS, required=False)
    programme_name = forms.CharField(label=_("Programme name"), max_length=255)
    form = forms.ChoiceField(label=_("Form"), choices=ProgrammeForm.choices)
    field_order = ["kind", "entry_kind", "programme_name", "form", "number", "date", "legal_basis", "justification"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_kind"].help_text = _("For an amendment. A lapse is recorded as not implemented within a "
                                                "year; an annulment gives its reasons in the justification.")


class AccreditationForm(DecisionForm):
    kind = forms.ChoiceField(label=_("Decision"), choices=[
        (DecisionKind.ACCREDITATION_GRANT, DecisionKind.ACCREDITATION_GRANT.label),
        (DecisionKind.ACCREDITATION_EXTEND, DecisionKind.ACCREDITATION_EXTEND.label),
        (DecisionKind.ACCREDITATION_REFUSE, DecisionKind.ACCREDITATION_REFUSE.label),
    ])
    valid_until = forms.DateField(label=_("Accredited until"), required=False,
                                  help_text=_("Empty: six years from the decision date. Required for an extension."))
    field_order = ["kind", "valid_until", "number", "date", "legal_basis", "justification"]


class FounderForm(GovukForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=FounderKind.choices)
    name = forms.CharField(label=_("Name"), max_length=255)
    registration_code = forms.RegexField(
        label=_("Registration code"), regex=r"^\d{11}$", required=False, max_length=11,
        help_text=_("11 digits in the Register of Enterprises; empty for a natural person"),
        error_messages={"invalid": _("A registration code has exactly 11 digits.")})
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.all(),
                                          required=False, help_text=_("Required for a municipal founder"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == FounderKind.MUNICIPALITY and not data.get("municipality"):
            self.add_error("municipality", _("A municipal founder must name its municipality."))
        if data.get("kind") in (FounderKind.PRIVATE_LEGAL, FounderKind.STATE) and not data.get("registration_code"):
            self.add_error("registration_code", _("A legal person must have a registration code."))
        return data


class YearFilterForm(GovukForm):
    """A calendar year in a page's query string (the year of a decision's date, not a school year: those are
    `ikms.core.forms.SchoolYearFormField`): a whole number from 1991 to this year, or left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.IntegerField(label=_("Year"), required=False, min_value=1991,
                                                 max_value=timezone.localdate().year)

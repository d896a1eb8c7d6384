"""Forms of the register of child supervision providers: the search (public and staff), the application and the
decisions. The decision forms are the registry's `DecisionForm` (number, date, legal basis, justification) with the
date in GOV.UK's three boxes, the justification required and the number checked against this register's
decisions; the services check everything again and write nothing when anything is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.childcare.choices import (
    PUBLIC_STATUSES,
    ProviderKind,
    ProviderStatus,
    RefusalReason,
    RemovalReason,
    ServiceType,
)
from ikms.childcare.models import Provider, ProviderDecision
from ikms.childcare.validators import validate_registration_code
from ikms.core.forms import GovukDateField, GovukForm, GovukRadios, conditional
from ikms.core.personal_codes import validate_personal_code
from ikms.registry.filters import DATE_ERROR, DATE_INPUT_FORMATS, DATE_RANGE_ERROR
from ikms.registry.forms import DecisionForm
from ikms.registry.models import Municipality
from ikms.registry.services import PlaceInput

#: The regulation every decision of this register rests on (pre-filled; the officer may add articles).
LEGAL_BASIS = "MK 16.07.2013. noteikumi Nr. 404"
LEGAL_BASIS_HINT = _(
    "Filled in with the usual legal basis; add the point, or change it where the decision rests on another provision"
)


def _municipality_choices():
    return [("", _("All municipalities"))] + [(m.code, m.name) for m in Municipality.objects.order_by("name_lv")]


def _date_filter(label) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, input_formats=DATE_INPUT_FORMATS, error_messages={"invalid": DATE_ERROR}
    )


class ProviderFilterForm(GovukForm):
    """The register's search: public fields only; the staff form also finds a person by the personal code."""

    mark_optional = False

    q = forms.CharField(label=_("Name, registration number or address"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    kind = forms.ChoiceField(
        label=_("Natural or legal person"),
        required=False,
        choices=[("", _("Natural and legal persons")), *ProviderKind.choices],
    )
    service_type = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", _("Every kind of service")), *ServiceType.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    registered_from = _date_filter(_("Registered from"))
    registered_to = _date_filter(_("Registered to"))

    def __init__(self, *args, public: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = _municipality_choices()
        statuses = [(v, label) for v, label in ProviderStatus.choices if not public or v in PUBLIC_STATUSES]
        self.fields["status"].choices = [("", _("All statuses")), *statuses]
        if not public:
            self.fields["personal_code"] = forms.CharField(
                label=_("Personal code"),
                required=False,
                max_length=12,
                help_text=_("Finds a natural person; the code is not kept, only compared through its keyed hash"),
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("registered_from"), data.get("registered_to")
        if start and end and end < start:
            self.add_error("registered_to", DATE_RANGE_ERROR)
        return data

    def clean_personal_code(self) -> str:
        code = self.cleaned_data.get("personal_code", "").strip()
        if code:
            validate_personal_code(code)
        return code

    def filters(self) -> dict:
        """The valid filter values (invalid ones are ignored, and shown as errors)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class AddressFieldsMixin(forms.Form):
    """A service address and its municipality, and an optional second one."""

    address = forms.CharField(label=_("Service address"), max_length=255)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.all())
    second_address = forms.CharField(label=_("Second service address"), max_length=255, required=False)
    second_municipality = conditional(
        forms.ModelChoiceField(
            label=_("Municipality of the second address"),
            queryset=Municipality.objects.all(),
            required=False,
            help_text=_("Needed when a second address is given"),
        )
    )

    def clean(self):
        data = super().clean()
        if data.get("second_address", "").strip() and not data.get("second_municipality"):
            self.add_error("second_municipality", _("Choose the municipality of the second address."))
        return data

    def places(self) -> list[PlaceInput]:
        d = self.cleaned_data
        places = [PlaceInput(address=d["address"], municipality=d["municipality"])]
        if d.get("second_address", "").strip():
            places.append(PlaceInput(address=d["second_address"], municipality=d["second_municipality"]))
        return places


class ApplicationForm(AddressFieldsMixin, GovukForm):
    """An application for registration, as received."""

    kind = forms.ChoiceField(label=_("Natural or legal person"), choices=ProviderKind.choices, widget=GovukRadios)
    name = forms.CharField(label=_("Name or company name"), max_length=255)
    personal_code = conditional(
        forms.CharField(
            label=_("Personal code"),
            max_length=12,
            required=False,
            help_text=_("For a natural person; only its keyed hash is kept"),
        )
    )
    registration_code = conditional(
        forms.CharField(
            label=_("Registration code"),
            max_length=11,
            required=False,
            help_text=_("For a legal person: 11 digits in the Register of Enterprises"),
        )
    )
    service_type = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices, widget=GovukRadios)
    application_number = forms.CharField(
        label=_("Application number"), max_length=40, help_text=_("As registered in the document management system")
    )
    applied_on = GovukDateField(label=_("Application received on"))
    field_order = [
        "kind",
        "name",
        "personal_code",
        "registration_code",
        "service_type",
        "address",
        "municipality",
        "second_address",
        "second_municipality",
        "application_number",
        "applied_on",
    ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ProviderKind.NATURAL:
            if not data.get("personal_code", "").strip():
                self.add_error("personal_code", _("Enter the personal code of a natural person."))
            else:
                try:
                    validate_personal_code(data["personal_code"])
                except forms.ValidationError as exc:
                    self.add_error("personal_code", exc)
        elif kind == ProviderKind.LEGAL:
            if not data.get("registration_code", "").strip():
                self.add_error("registration_code", _("Enter the registration code of a legal person."))
            else:
                try:
                    validate_registration_code(data["registration_code"].strip())
                except forms.ValidationError as exc:
                    self.add_error("registration_code", exc)
        return data


class ProviderDecisionForm(DecisionForm):
    """Number, date, legal basis and justification of a decision on a provider."""

    date = GovukDateField(label=_("Decision date"))
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The facts and the reasoning the decision rests on"),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs["initial"] = {"legal_basis": LEGAL_BASIS, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].help_text = LEGAL_BASIS_HINT

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if ProviderDecision.objects.filter(number=number).exists():
            raise forms.ValidationError(_("A decision with this number is already recorded."))
        return number


class RefuseForm(ProviderDecisionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=RefusalReason.choices, widget=GovukRadios)
    field_order = ["reason", "number", "date", "legal_basis", "justification"]


class RemoveForm(ProviderDecisionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=RemovalReason.choices, widget=GovukRadios)
    field_order = ["reason", "number", "date", "legal_basis", "justification"]


class AmendForm(AddressFieldsMixin, ProviderDecisionForm):
    """The entry's amendable fields, pre-filled with the entry, and the decision."""

    name = forms.CharField(label=_("Name or company name"), max_length=255)
    service_type = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices, widget=GovukRadios)
    field_order = [
        "name",
        "service_type",
        "address",
        "municipality",
        "second_address",
        "second_municipality",
        "number",
        "date",
        "legal_basis",
        "justification",
    ]

    @staticmethod
    def initial_for(provider: Provider) -> dict:
        addresses = list(provider.addresses.all())
        initial = {"name": provider.name, "service_type": provider.service_type}
        for prefix, row in zip(("", "second_"), addresses[:2], strict=False):
            initial[f"{prefix}address"] = row.address
            initial[f"{prefix}municipality"] = row.municipality_id
        return initial

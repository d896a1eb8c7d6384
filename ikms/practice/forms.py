"""Forms of the register of teacher private-practice certificates: the search (public and staff) and the decisions.
The decision forms are the registry's `DecisionForm` (number, date, legal basis, justification) with the date in
GOV.UK's three boxes, the justification required and the number checked against this register's decisions; the
services check everything again and write nothing when anything is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.core.forms import GovukDateField, GovukForm, GovukRadios
from ikms.core.personal_codes import validate_personal_code
from ikms.practice.choices import AnnulmentReason, CertificateStatus, EducationKind, ProgrammeArea
from ikms.practice.models import Certificate, CertificateDecision
from ikms.registry.forms import DecisionForm

#: The regulation every decision of this register rests on (pre-filled; the officer adds the point).
LEGAL_BASIS = "MK 25.10.2016. noteikumi Nr. 682"
LEGAL_BASIS_HINT = _(
    "Filled in with the usual legal basis; add the point, or change it where the decision rests on another provision"
)


class CertificateFilterForm(GovukForm):
    """The register's search: public fields only; the staff form also finds a teacher by the personal code."""

    mark_optional = False

    q = forms.CharField(label=_("Teacher, certificate number or programme"), required=False, max_length=100)
    education_kind = forms.ChoiceField(
        label=_("Education"), required=False, choices=[("", _("Interest and non-formal")), *EducationKind.choices]
    )
    programme_area = forms.ChoiceField(
        label=_("Programme area"), required=False, choices=[("", _("All areas")), *ProgrammeArea.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CertificateStatus.choices]
    )

    def __init__(self, *args, public: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not public:
            self.fields["personal_code"] = forms.CharField(
                label=_("Personal code"),
                required=False,
                max_length=12,
                help_text=_("Finds a teacher; the code is not kept, only compared through its keyed hash"),
            )

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


class CertificateDecisionForm(DecisionForm):
    """Number, date, legal basis and justification of a decision on a certificate."""

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
        if CertificateDecision.objects.filter(number=number).exists():
            raise forms.ValidationError(_("A decision with this number is already recorded."))
        return number


class IssueForm(CertificateDecisionForm):
    """A new certificate: the teacher, the programme and the decision."""

    teacher_name = forms.CharField(label=_("Teacher's name and surname"), max_length=160)
    personal_code = forms.CharField(
        label=_("Personal code"),
        max_length=12,
        validators=[validate_personal_code],
        help_text=_("Only its keyed hash is kept, to find the teacher's other certificates"),
    )
    education_kind = forms.ChoiceField(label=_("Education"), choices=EducationKind.choices, widget=GovukRadios)
    programme_area = forms.ChoiceField(label=_("Programme area"), choices=ProgrammeArea.choices)
    programme_name = forms.CharField(
        label=_("Programme"), max_length=255, help_text=_("The programme the teacher will teach")
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to assign the next number"),
    )
    field_order = [
        "teacher_name",
        "personal_code",
        "education_kind",
        "programme_area",
        "programme_name",
        "certificate_number",
        "number",
        "date",
        "legal_basis",
        "justification",
    ]

    def clean_certificate_number(self) -> str:
        value = self.cleaned_data["certificate_number"].strip()
        if value and Certificate.objects.filter(number=value).exists():
            raise forms.ValidationError(_("This certificate number is already used."))
        return value


class ExtendForm(CertificateDecisionForm):
    """Extend a certificate by three years."""


class AnnulForm(CertificateDecisionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=AnnulmentReason.choices, widget=GovukRadios)
    field_order = ["reason", "number", "date", "legal_basis", "justification"]

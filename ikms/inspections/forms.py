"""Forms of the inspection pages (GOV.UK forms, ikms.core.forms): the list's filters, planning, each workflow step,
and a thematic questionnaire's answers built from its YAML (yes/no and levels as radios, numbers, notes)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.complaints.selectors import complaints_for_user
from ikms.core.forms import GovukDateField, GovukForm, GovukRadios, conditional
from ikms.inspections.choices import (
    ActType,
    InspectionKind,
    InspectionState,
    OrderKind,
    ProgrammeCheckKind,
    Severity,
    Stream,
)
from ikms.inspections.questionnaires import LEVEL_LABELS, LEVELS, Questionnaire, questionnaires
from ikms.registry.models import Institution

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class InspectionFilterForm(GovukForm):
    mark_optional = False
    state = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *InspectionState.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *InspectionKind.choices])
    stream = forms.ChoiceField(label=_("Stream"), required=False, choices=[("", _("All streams")), *Stream.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Institution or subject"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class PlanForm(GovukForm):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.order_by("name"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in InspectionKind.choices if c[0] != "planned"], widget=GovukRadios
    )
    complaint = conditional(
        forms.CharField(
            label=_("Complaint reference"),
            max_length=40,
            required=False,
            help_text=_("Needed when a complaint prompted the inspection, for example S-2024-00017."),
        )
    )
    questionnaire = conditional(
        forms.ChoiceField(
            label=_("Thematic questionnaire"), required=False, help_text=_("Needed for a thematic inspection.")
        )
    )
    stream = forms.ChoiceField(
        label=_("Stream"), choices=Stream.choices, widget=GovukRadios, initial=Stream.SUPERVISION
    )
    subject = forms.CharField(label=_("What the inspection is about"), max_length=300)
    planned_on = GovukDateField(label=_("Planned date"))

    def __init__(self, *args, user, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["questionnaire"].choices = [("", "—"), *((q.code, q.title) for q in questionnaires().values())]
        if visit is not None:
            for name in ("institution", "kind", "stream", "complaint", "questionnaire"):
                del self.fields[name]

    def clean_complaint(self):
        """The complaint of the reference typed, among those the user may see (else a message)."""
        reference = (self.cleaned_data.get("complaint") or "").strip()
        if not reference:
            return None
        found = complaints_for_user(self.user).filter(reference__iexact=reference).first()
        if found is None:
            raise forms.ValidationError(_("There is no complaint with this reference."))
        return found


class CancelForm(GovukForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(GovukForm):
    visited_on = GovukDateField(label=_("Visit date"))

    def __init__(self, *args, questionnaire: Questionnaire | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for q in questionnaire.questions if questionnaire else ():
            key = f"q_{q.code}"
            if q.type == "yes_no":
                self.fields[key] = forms.ChoiceField(label=q.text, choices=YES_NO, widget=GovukRadios, required=False)
            elif q.type == "level":
                self.fields[key] = forms.ChoiceField(
                    label=q.text,
                    choices=[(lvl, LEVEL_LABELS[lvl]) for lvl in LEVELS],
                    widget=GovukRadios,
                    required=False,
                )
            elif q.type == "number":
                self.fields[key] = forms.IntegerField(label=q.text, min_value=0, required=False)
            else:
                self.fields[key] = forms.CharField(
                    label=q.text, required=False, widget=forms.Textarea(attrs={"rows": 3})
                )

    def answers(self) -> dict:
        result = {}
        for q in self.questionnaire.questions if self.questionnaire else ():
            value = self.cleaned_data.get(f"q_{q.code}")
            if q.type == "yes_no" and value:
                value = value == "yes"
            result[q.code] = value
        return result


class ActForm(GovukForm):
    dated_on = GovukDateField(label=_("Act date"))
    act_type = forms.ChoiceField(
        label=_("Act type"), choices=ActType.choices, widget=GovukRadios, initial=ActType.GENERAL
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))


class FindingForm(GovukForm):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, widget=GovukRadios)
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=300, help_text=_("For example: Izglītības likuma 30. panta pirmā daļa")
    )


class OrderForm(GovukForm):
    kind = forms.ChoiceField(label=_("Recommendation or order"), choices=OrderKind.choices, widget=GovukRadios)
    text = forms.CharField(label=_("What the institution must do"), widget=forms.Textarea(attrs={"rows": 4}))
    due_on = conditional(
        GovukDateField(
            label=_("Deadline"),
            required=False,
            help_text=_("An order needs a deadline; a recommendation may have one."),
        )
    )
    finding = conditional(
        forms.ModelChoiceField(
            label=_("Finding it answers"),
            queryset=None,
            required=False,
            help_text=_("Leave empty for a general recommendation."),
        )
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = inspection.act.findings.all()


class EvidenceForm(GovukForm):
    order = forms.ModelChoiceField(label=_("Order"), queryset=None, widget=GovukRadios)
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = conditional(
        forms.ModelChoiceField(
            label=_("Document"),
            queryset=None,
            required=False,
            help_text=_("Add the document to the inspection's documents first, then choose it here."),
        )
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = inspection.orders.filter(state="open")
        self.fields["attachment"].queryset = inspection.case_file.attachments.all()


class ReviewForm(GovukForm):
    evidence = forms.ModelChoiceField(label=_("Evidence"), queryset=None, widget=GovukRadios)
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=GovukRadios,
        choices=[("accept", _("Accept: the order is met")), ("reject", _("Reject: the order stays open"))],
    )
    note = conditional(
        forms.CharField(
            label=_("Note"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Needed when the evidence is rejected."),
        )
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        from ikms.inspections.models import FollowUpEvidence

        self.fields["evidence"].queryset = FollowUpEvidence.objects.filter(
            order__inspection=inspection, state="submitted"
        )
        self.fields["evidence"].label_from_instance = lambda e: f"{e.order.text[:80]} — {e.text[:120]}"


class ProgrammeCheckForm(GovukForm):
    kind = forms.ChoiceField(label=_("Kind of check"), choices=ProgrammeCheckKind.choices, widget=GovukRadios)
    checked_on = GovukDateField(label=_("Date"))
    institution = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty when the check covered the offer lists of several providers."),
    )
    programmes = forms.IntegerField(
        label=_("Programmes checked"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("1 for an expert review."),
    )
    mismatches = forms.IntegerField(label=_("Mismatches found"), min_value=0, max_value=100000, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

"""Forms of the register of psychologists: the public search, and the secretariat's forms for meetings,
applications, examinations and decisions. Each form checks its input with Latvian/English messages; the service it
feeds checks again and writes nothing when anything is wrong."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikms.core.formatting import date_text
from ikms.core.forms import GovukDateField, GovukForm, GovukRadios, conditional
from ikms.psychologists import selectors
from ikms.psychologists.choices import (
    ApplicationKind,
    DecisionKind,
    ExamKind,
    ExamMode,
    PsychologistStatus,
    WorkArea,
)
from ikms.psychologists.models import Application, Certificate, Decision, Psychologist
from ikms.registry.forms import DecisionForm

LEGAL_BASIS_HINT = _("E.g. the Law on Psychologists; Cabinet Regulation No. 301 of 29 May 2018")


class SearchForm(GovukForm):
    """The register's search (public and staff pages alike)."""

    mark_optional = False
    q = forms.CharField(label=_("Name, registration or certificate number"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *PsychologistStatus.choices]
    )
    area = forms.ChoiceField(
        label=_("Area of professional activity"),
        required=False,
        choices=[("", _("All areas")), *WorkArea.choices],
        help_text=_("Psychologists holding a certificate in force in the area"),
    )
    supervisor = forms.BooleanField(label=_("Only supervising psychologists"), required=False)

    def filters(self) -> dict:
        """The valid filter values (invalid ones are ignored, and shown as errors)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


# --- the secretariat's records ----------------------------------------------------------------------------------


class MeetingForm(GovukForm):
    number = forms.CharField(label=_("Meeting number"), max_length=20, help_text=_("E.g. 2024/14"))
    date = GovukDateField(label=_("Meeting date"), help_text=_("For example 27 3 2025"))
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter the meeting's agenda.")},
    )
    remote = forms.BooleanField(label=_("Held remotely"), required=False)


def _psychologist_by_number(value: str) -> Psychologist:
    try:
        return Psychologist.objects.get(registration_number=value.strip())
    except Psychologist.DoesNotExist:
        raise forms.ValidationError(_("No psychologist has this registration number.")) from None


class ApplicationForm(GovukForm):
    kind = forms.ChoiceField(label=_("Application"), choices=ApplicationKind.choices, widget=GovukRadios)
    received_on = GovukDateField(label=_("Received on"), help_text=_("For example 27 3 2025"))
    registration_number = conditional(
        forms.CharField(
            label=_("The psychologist's registration number"),
            max_length=20,
            required=False,
            help_text=_("For a certificate or supervisor rights: the applicant's entry in the register"),
        )
    )
    area = conditional(
        forms.ChoiceField(
            label=_("Area of professional activity"),
            required=False,
            choices=[("", ""), *WorkArea.choices],
            help_text=_("For a certificate or supervisor rights"),
        )
    )
    first_name = conditional(
        forms.CharField(
            label=_("First name"), max_length=100, required=False, help_text=_("For registration or recognition")
        )
    )
    last_name = conditional(
        forms.CharField(
            label=_("Last name"), max_length=100, required=False, help_text=_("For registration or recognition")
        )
    )
    personal_code = conditional(
        forms.CharField(
            label=_("Personal code"),
            max_length=20,
            required=False,
            help_text=_(
                "Required for registration. Not stored: only a keyed hash is kept, to find a person already "
                "in the register."
            ),
        )
    )
    education = forms.CharField(
        label=_("Education"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Institution, programme, degree and qualification"),
    )
    country = conditional(
        forms.CharField(
            label=_("Country where the qualification was obtained"),
            max_length=100,
            required=False,
            help_text=_("For recognition of a foreign qualification"),
        )
    )

    def clean_registration_number(self):
        value = self.cleaned_data["registration_number"].strip()
        return _psychologist_by_number(value) if value else None


class ExamSessionForm(GovukForm):
    date = GovukDateField(label=_("Examination date"), help_text=_("For example 27 3 2025"))
    kind = forms.ChoiceField(label=_("Examination"), choices=ExamKind.choices, widget=GovukRadios)
    mode = forms.ChoiceField(label=_("Held"), choices=ExamMode.choices, widget=GovukRadios)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=1000, initial=100)
    pass_score = forms.IntegerField(label=_("Pass mark"), min_value=1, max_value=1000, initial=60)


class ExamResultForm(GovukForm):
    registration_number = forms.CharField(label=_("The candidate's registration number"), max_length=20)
    area = forms.ChoiceField(label=_("Area of professional activity"), choices=[("", ""), *WorkArea.choices])
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=1000)

    def clean_registration_number(self):
        return _psychologist_by_number(self.cleaned_data["registration_number"])


# --- decisions --------------------------------------------------------------------------------------------------


class PsychologistDecisionForm(DecisionForm):
    """The institution register's decision fields (number, date, legal basis, justification) with the GOV.UK date
    input, a number unique among this register's decisions, and the board meeting the decision was taken at."""

    date = GovukDateField(
        label=_("Decision date"), help_text=_("A decision of the board is dated the day of its meeting")
    )

    def __init__(self, *args, board: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].help_text = LEGAL_BASIS_HINT
        if board:
            self.fields["meeting"] = forms.ModelChoiceField(
                label=_("Board meeting"),
                queryset=selectors.meeting_choices(until=timezone.localdate()),
                error_messages={"required": _("The board takes this decision at a meeting: choose the meeting.")},
            )

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if Decision.objects.filter(number=number).exists():
            raise forms.ValidationError(_("A decision with this number is already recorded."))
        return number

    def clean(self):
        data = super().clean()
        meeting, day = data.get("meeting"), data.get("date")
        if meeting and day and meeting.date != day:
            self.add_error(
                "date",
                _("A decision of the board is dated the day of its meeting (%(date)s).")
                % {"date": date_text(meeting.date)},
            )
        return data


def _exam_result_field(psychologist: Psychologist, kind: str, area: str = ""):
    qs = selectors.undecided_passed_results(psychologist).filter(session__kind=kind)
    if area:
        qs = qs.filter(area=area)
    field = forms.ModelChoiceField(label=_("Examination result"), queryset=qs, required=False)
    field.label_from_instance = lambda r: f"{r.session} · {r.get_area_display()} · {r.score}"
    return conditional(field)


APPLICATION_ANSWERS = {
    ApplicationKind.REGISTRATION: (DecisionKind.REGISTER, DecisionKind.REFUSE),
    ApplicationKind.CERTIFICATION: (DecisionKind.CERTIFY, DecisionKind.REFUSE),
    ApplicationKind.SUPERVISOR: (DecisionKind.GRANT_SUPERVISOR, DecisionKind.REFUSE),
    ApplicationKind.RECOGNITION: (DecisionKind.RECOGNISE, DecisionKind.REFUSE),
}


class ApplicationDecisionForm(PsychologistDecisionForm):
    """The decision that answers an application: grant what it asks, or refuse it."""

    def __init__(self, *args, application: Application, **kwargs) -> None:
        board = application.kind != ApplicationKind.RECOGNITION
        super().__init__(*args, board=board, **kwargs)
        self.application = application
        grant, refuse = APPLICATION_ANSWERS[ApplicationKind(application.kind)]
        self.fields["kind"] = forms.ChoiceField(
            label=_("Decision"), widget=GovukRadios, choices=[(grant, grant.label), (refuse, refuse.label)]
        )
        if application.kind == ApplicationKind.REGISTRATION:
            self.fields["registration_number"] = forms.CharField(
                label=_("Registration number"),
                max_length=20,
                required=False,
                help_text=_("Leave empty to assign the next number"),
            )
        elif application.kind == ApplicationKind.RECOGNITION:
            self.fields["document"] = conditional(
                forms.CharField(
                    label=_("Qualification document"),
                    max_length=255,
                    required=False,
                    help_text=_("For recognition: the document's title, number, date and issuer"),
                )
            )
        else:
            exam = ExamKind.CERTIFICATION if application.kind == ApplicationKind.CERTIFICATION else ExamKind.SUPERVISOR
            self.fields["exam_result"] = _exam_result_field(application.psychologist, exam, application.area)
        self.order_fields(
            [
                "kind",
                "meeting",
                "registration_number",
                "exam_result",
                "document",
                "number",
                "date",
                "legal_basis",
                "justification",
            ]
        )

    def clean(self):
        data = super().clean()
        granted = data.get("kind") not in (None, DecisionKind.REFUSE)
        if granted and "exam_result" in self.fields and not data.get("exam_result"):
            self.add_error("exam_result", _("Choose the passed examination result the decision is based on."))
        if granted and "document" in self.fields and not (data.get("document") or "").strip():
            self.add_error("document", _("Name the qualification document (title, number, date, issuer)."))
        return data


ENTRY_DECISIONS = (
    DecisionKind.CERTIFY,
    DecisionKind.RENEW,
    DecisionKind.GRANT_SUPERVISOR,
    DecisionKind.WITHDRAW_SUPERVISOR,
    DecisionKind.SUSPEND,
    DecisionKind.RESTORE,
    DecisionKind.CANCEL,
)


class EntryDecisionForm(PsychologistDecisionForm):
    """A board decision on a register entry: a certificate (by examination), its renewal, supervisor rights, or the
    entry's status."""

    def __init__(self, *args, psychologist: Psychologist, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.psychologist = psychologist
        self.fields["kind"] = forms.ChoiceField(
            label=_("Decision"), widget=GovukRadios, choices=[(k, k.label) for k in ENTRY_DECISIONS]
        )
        results = selectors.undecided_passed_results(psychologist)
        self.fields["exam_result"] = conditional(
            forms.ModelChoiceField(
                label=_("Examination result"),
                queryset=results,
                required=False,
                help_text=_("For a certificate or supervisor rights: the passed examination the decision is based on"),
            )
        )
        self.fields["exam_result"].label_from_instance = lambda r: f"{r.session} · {r.get_area_display()} · {r.score}"
        self.fields["certificate"] = conditional(
            forms.ModelChoiceField(
                label=_("Certificate"),
                queryset=Certificate.objects.filter(psychologist=psychologist),
                required=False,
                help_text=_("For a renewal or the withdrawal of supervisor rights"),
            )
        )
        self.fields["certificate_number"] = forms.CharField(
            label=_("Certificate number"),
            max_length=20,
            required=False,
            help_text=_("For a new certificate; leave empty to assign the next number"),
        )
        self.order_fields(
            [
                "kind",
                "meeting",
                "exam_result",
                "certificate",
                "certificate_number",
                "number",
                "date",
                "legal_basis",
                "justification",
            ]
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (DecisionKind.CERTIFY, DecisionKind.GRANT_SUPERVISOR) and not data.get("exam_result"):
            self.add_error("exam_result", _("Choose the passed examination result the decision is based on."))
        if kind in (DecisionKind.RENEW, DecisionKind.WITHDRAW_SUPERVISOR) and not data.get("certificate"):
            self.add_error("certificate", _("Choose the certificate."))
        return data

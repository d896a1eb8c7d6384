"""Forms of the case workflow (one per action), the rating form, the task forms and the self-evaluation report.
All are GOV.UK forms (ikms.core.forms): radios for a few options (a level with what it means under each), checkboxes
for several, dates as day / month / year. A field that is needed only in some cases is `conditional` (no
"(optional)"): its hint says when, and the form or the service checks it with a message of its own."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.accreditation.choices import (
    CaseKind,
    CaseState,
    ConflictKind,
    EvaluationMode,
    InstructionLanguage,
    Method,
    Outcome,
    Responsible,
    TargetOperator,
    TaskStatus,
)
from ikms.accreditation.framework import Criterion, framework, self_evaluation, version_choices
from ikms.accreditation.selectors import expert_exclusions
from ikms.core.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukForm,
    GovukRadios,
    SchoolYearFormField,
    conditional,
)
from ikms.monitoring.selectors import indicators
from ikms.registry.forms import DecisionForm
from ikms.registry.models import Institution, InstitutionKind


def field_key(code: str) -> str:
    return code.replace(".", "_")


def _experts():
    today = timezone.localdate()
    return (User.objects.filter(role_assignments__role=Role.ACCREDITATION_EXPERT,
                                role_assignments__valid_from__lte=today)
            .filter(Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gte=today))
            .distinct().order_by("username"))


class _ExpertChoice:
    """An expert in the appointment form: the name, then the username to tell namesakes apart."""

    @staticmethod
    def label(user) -> str:
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


def level_field(criterion: Criterion, label, *, required: bool = True, initial: str = "") -> forms.ChoiceField:
    """The levels of the framework as radios, each with what it means for the criterion under it."""
    levels = framework().levels
    return forms.ChoiceField(
        label=label, required=required, initial=initial, choices=[(lv.code, lv.name) for lv in levels],
        widget=GovukRadios(hints={lv.code: criterion.descriptor(lv) for lv in levels}, small=True),
        error_messages={"required": _("Choose a level for %(criterion)s.") % {"criterion": criterion.code}})


class ApplyForm(GovukForm):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=CaseKind.choices, widget=GovukRadios)
    version = forms.ChoiceField(label=_("Regulation"), choices=(), widget=GovukRadios)
    head_goals = forms.CharField(label=_("Head's goals (SMART), agreed with the founder"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    founder_criterion = conditional(forms.CharField(
        label=_("Founder's criterion for the head (MK 618)"), required=False, max_length=255,
        help_text=_("Needed for an evaluation of the head under Cabinet Regulation No. 618: the founder names "
                    "one more criterion.")))
    founder_agreed = forms.BooleanField(
        label=_("The application is agreed with the founder"),
        error_messages={"required": _("Confirm that the application is agreed with the founder.")})

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["version"].choices = version_choices()
        self.fields["version"].initial = framework().version_on(timezone.localdate()).code


class WithdrawForm(GovukForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AppointForm(GovukForm):
    chair = forms.ModelChoiceField(label=_("Chair of the commission"), queryset=None)
    experts = forms.ModelMultipleChoiceField(label=_("Experts"), queryset=None, widget=GovukCheckboxes(small=True),
                                             help_text=_("Choose one or more; not the chair."))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        experts = _experts()
        #: The experts not offered, each with why (a conflict declared with the institution, unavailability in the
        #: evaluation period): (name, reasons) pairs the page lists under the form.
        self.not_offered: list[tuple[str, str]] = []
        if case is not None:
            excluded = expert_exclusions(case, experts.values_list("pk", flat=True))
            self.not_offered = [(_ExpertChoice.label(u), "; ".join(excluded[u.pk]))
                                for u in experts if u.pk in excluded]
            experts = experts.exclude(pk__in=list(excluded))
        self.fields["chair"].queryset = self.fields["experts"].queryset = experts
        self.fields["chair"].label_from_instance = self.fields["experts"].label_from_instance = _ExpertChoice.label


class DeclareForm(GovukForm):
    no_conflict = forms.BooleanField(label=_("I declare that I have no conflict of interest in this case"),
                                     required=False,
                                     help_text=_("If you have one, leave this unticked: IKVD will replace you."))
    declaration = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(GovukForm):
    mode = forms.ChoiceField(label=_("Evaluation mode"), choices=EvaluationMode.choices, widget=GovukRadios)
    methods = forms.MultipleChoiceField(label=_("Methods"), choices=Method.choices,
                                        widget=GovukCheckboxes(small=True), help_text=_("Choose one or more."))
    visit_start = GovukDateField(label=_("Evaluation starts"))
    visit_end = GovukDateField(label=_("Evaluation ends"))
    day_plan = forms.CharField(label=_("Day plan"), widget=forms.Textarea(attrs={"rows": 5}))
    unified_school = forms.BooleanField(
        label=_("The evaluation includes the institution's transition to the unified school"), required=False,
        help_text=_("Tick this when the institution is moving to learning only in Latvian and the commission "
                    "evaluates how the transition goes."))


class RatingForm(GovukForm):
    """A level (the framework's levels as radios, each with what it means) and a justification for every
    criterion of the case."""

    def __init__(self, *args, criteria, ratings, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            key = field_key(criterion.code)
            current = ratings.get(criterion.code)
            self.fields[f"level_{key}"] = level_field(
                criterion, _("%(criterion)s: level") % {"criterion": criterion.label},
                initial=current.level if current else "")
            self.fields[f"justification_{key}"] = forms.CharField(
                label=_("%(criterion)s: justification and evidence") % {"criterion": criterion.label},
                widget=forms.Textarea(attrs={"rows": 3}), initial=current.justification if current else "",
                error_messages={"required": _("Justify the level of %(criterion)s with its evidence.")
                                % {"criterion": criterion.code}})

    def criterion_fields(self) -> list[tuple]:
        """(criterion, its level, its justification) for each criterion, for the page's sections."""
        return [(c, self[f"level_{field_key(c.code)}"], self[f"justification_{field_key(c.code)}"])
                for c in self.criteria]

    def ratings(self) -> dict:
        d = self.cleaned_data
        return {c.code: {"level": d[f"level_{field_key(c.code)}"],
                         "justification": d[f"justification_{field_key(c.code)}"]} for c in self.criteria}


class SelfRatingForm(GovukForm):
    """The institution's own level for every criterion (its self-evaluation), each level with what it means."""

    def __init__(self, *args, criteria, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"self_{field_key(criterion.code)}"] = level_field(
                criterion, _("%(criterion)s: self-rating") % {"criterion": criterion.label},
                initial=current.get(criterion.code, ""))

    def self_ratings(self) -> dict:
        return {c.code: self.cleaned_data[f"self_{field_key(c.code)}"] for c in self.criteria}


class DraftForm(GovukForm):
    draft_report = forms.CharField(label=_("Draft report"), widget=forms.Textarea(attrs={"rows": 8}))


class CommentForm(GovukForm):
    institution_comments = forms.CharField(label=_("The institution's comments on the draft report"),
                                           widget=forms.Textarea(attrs={"rows": 6}))


class FinaliseForm(GovukForm):
    report_public = forms.CharField(label=_("Report: public part"), widget=forms.Textarea(attrs={"rows": 6}))
    report_private = forms.CharField(label=_("Report: non-public part"), widget=forms.Textarea(attrs={"rows": 6}))


class DecideForm(DecisionForm):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=GovukRadios)
    years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=6, required=False,
                               help_text=_("Left empty: the term the decision rule proposes. Not used for a "
                                           "refusal."))
    date = GovukDateField(label=_("Decision date"))
    field_order = ["outcome", "years", "number", "date", "legal_basis", "justification"]


class HeadDecideForm(GovukForm):
    date = GovukDateField(label=_("Date of the outcome"))


class TaskForm(GovukForm):
    criterion = forms.ChoiceField(label=_("Criterion"), choices=())
    description = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = GovukDateField(label=_("Deadline"))
    responsible = forms.ChoiceField(label=_("Responsible"), choices=Responsible.choices, widget=GovukRadios,
                                    initial=Responsible.INSTITUTION)
    indicator = forms.ChoiceField(label=_("Indicator that shows the result"), required=False, choices=(),
                                  help_text=_("Link the task to an indicator and the monitoring data will show "
                                              "whether its target is reached."))
    target_operator = conditional(forms.ChoiceField(label=_("Target"), required=False,
                                                    choices=[("", "—"), *TargetOperator.choices],
                                                    help_text=_("Needed when an indicator is chosen.")))
    target_value = conditional(forms.FloatField(label=_("Target value"), required=False,
                                                help_text=_("Needed when an indicator is chosen.")))
    target_year = conditional(SchoolYearFormField(label=_("By school year"), required=False, years=(),
                                                  blank_label="—", help_text=_("Needed when an indicator is chosen.")))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.code, c.label) for c in criteria]
        names = sorted((code, info.name) for code, info in indicators().items())
        self.fields["indicator"].choices = [("", "—"), *names]
        this = timezone.localdate().year
        # the field lists its years newest first; given newest first, they are listed from the earliest
        self.fields["target_year"].years = [f"{y}/{y + 1}" for y in range(this + 3, this - 4, -1)]

    def clean(self):
        data = super().clean()
        if data.get("indicator"):
            for name, message in (("target_operator", _("Choose whether the value is to be at most or at least "
                                                        "the target.")),
                                  ("target_value", _("Give the target value of the indicator.")),
                                  ("target_year", _("Choose the school year by which the target is to be "
                                                    "reached."))):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, message)
        return data


class TaskUpdateForm(GovukForm):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices, widget=GovukRadios)
    evidence = conditional(forms.CharField(label=_("Evidence"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 3}),
                                           help_text=_("Needed when the task is reported done.")))

    def __init__(self, *args, may_cancel: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_cancel:
            self.fields["status"].choices = [(v, label) for v, label in TaskStatus.choices
                                             if v != TaskStatus.CANCELLED]


GOAL_PARTS = ("goal", "measure", "target", "deadline")


class SelfEvaluationForm(GovukForm):
    """The self-evaluation report: the sections (data/self_evaluation.yaml), a self-rating with a short
    justification for each of the 12 criteria, and rows of the head's SMART goals. On create it also
    asks for the institution and the school year.

    A draft may be saved with parts missing, so nothing but the institution and the year is required here; but
    none of it is "optional" (the report is submitted only when complete: the service says what is missing).
    Within a criterion and within a goal, what is given must be whole: a level needs its justification, a goal
    its measure, target and deadline (each missing part gets its message)."""

    def __init__(self, *args, report=None, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        if report is None:
            self.fields["institution"] = forms.ModelChoiceField(label=_("Institution"), queryset=institutions)
            self.fields["school_year"] = SchoolYearFormField(label=_("School year"),
                                                             help_text=_("For example 2024/2025"))
        sections = (report.sections if report else {}) or {}
        ratings = (report.self_ratings if report else {}) or {}
        goals = list((report.goals if report else []) or [])
        self.section_names, self.rating_names, self.goal_names = [], [], []
        for s in self_evaluation().sections:
            name = f"section_{s.code}"
            hint = _("Public part") if s.public else _("Non-public part")
            self.fields[name] = conditional(forms.CharField(label=s.name, required=False, help_text=hint,
                                                            initial=sections.get(s.code, ""),
                                                            widget=forms.Textarea(attrs={"rows": 4})))
            self.section_names.append(name)
        for c in framework().criteria:
            key, current = field_key(c.code), ratings.get(c.code) or {}
            self.fields[f"level_{key}"] = conditional(level_field(
                c, _("%(criterion)s: self-rating") % {"criterion": c.label}, required=False,
                initial=current.get("level", "")))
            self.fields[f"justification_{key}"] = conditional(forms.CharField(
                label=_("%(criterion)s: justification") % {"criterion": c.code}, required=False,
                initial=current.get("justification", ""), max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2})))
            self.rating_names.append((c, f"level_{key}", f"justification_{key}"))
        labels = {"goal": _("Goal %(n)d"), "measure": _("Goal %(n)d: measure or indicator"),
                  "target": _("Goal %(n)d: target"), "deadline": _("Goal %(n)d: deadline")}
        for i in range(max(3, len(goals) + 1)):
            g = goals[i] if i < len(goals) else {}
            row = []
            for part in GOAL_PARTS:
                name = f"goal_{i}_{part}"
                label = labels[part] % {"n": i + 1}
                if part == "deadline":
                    field = GovukDateField(label=label, required=False, initial=_iso_date(g.get(part)))
                else:
                    field = forms.CharField(label=label, required=False, initial=g.get(part, ""), max_length=500)
                self.fields[name] = conditional(field)
                row.append(name)
            self.goal_names.append(row)

    def section_fields(self):
        return [self[n] for n in self.section_names]

    def rating_fields(self):
        return [(c, self[a], self[b]) for c, a, b in self.rating_names]

    def goal_fields(self):
        return [(_("Goal %(n)d") % {"n": i + 1}, [self[n] for n in row]) for i, row in enumerate(self.goal_names)]

    def clean(self):
        data = super().clean()
        for c, level, justification in self.rating_names:
            if level in self.errors or justification in self.errors:
                continue
            if data.get(level) and not (data.get(justification) or "").strip():
                self.add_error(justification, _("Justify the self-rating of %(criterion)s.") % {"criterion": c.code})
            elif (data.get(justification) or "").strip() and not data.get(level):
                self.add_error(level, _("Choose a level for %(criterion)s.") % {"criterion": c.code})
        messages = {"goal": _("Goal %(n)d: say what the goal is."),
                    "measure": _("Goal %(n)d: give its measure or indicator."),
                    "target": _("Goal %(n)d: give its target."),
                    "deadline": _("Goal %(n)d: give its deadline, for example 27 3 2025.")}
        for i, row in enumerate(self.goal_names, start=1):
            if any(name in self.errors for name in row):
                continue
            given = {name: data.get(name) for name in row}
            if any(v not in (None, "") for v in given.values()):
                for name, value in given.items():
                    if value in (None, ""):
                        self.add_error(name, messages[name.rsplit("_", 1)[1]] % {"n": i})
        return data

    def content(self) -> dict:
        """The cleaned data in the service's shape (a goal's deadline as an ISO date, as the report stores it)."""
        d = self.cleaned_data
        sections = {s.code: d.get(f"section_{s.code}", "") for s in self_evaluation().sections}
        ratings = {c.code: {"level": d.get(f"level_{field_key(c.code)}", ""),
                            "justification": d.get(f"justification_{field_key(c.code)}", "")}
                   for c in framework().criteria}
        goals = []
        for row in self.goal_names:
            values = {name.rsplit("_", 1)[1]: d.get(name) for name in row}
            values["deadline"] = values["deadline"].isoformat() if values.get("deadline") else ""
            goals.append(values)
        return {"sections": sections, "self_ratings": ratings, "goals": goals}


def _iso_date(value) -> datetime.date | None:
    """A goal's stored deadline (an ISO date in the report's JSON) as a date; None when there is none."""
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class SelfEvaluationReviewForm(GovukForm):
    """The founder agrees the report or returns it with a comment."""

    decision = forms.ChoiceField(label=_("Decision"), widget=GovukRadios,
                                 choices=[("agree", _("Agree the report")), ("return", _("Return it to the head"))])
    comment = conditional(forms.CharField(label=_("Comment"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 4}),
                                          help_text=_("Required when the report is returned.")))


class CaseFilterForm(GovukForm):
    """The case list's filters (in the page's query string)."""

    mark_optional = False
    state = forms.ChoiceField(label=_("Status"), required=False,
                              choices=[("", _("All statuses")), *CaseState.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *CaseKind.choices])

    def filters(self) -> dict:
        """The valid filter values (a wrong one is shown as an error and ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class TaskFilterForm(GovukForm):
    """The task list's filters (in the page's query string); the institution only for a user whose tasks belong
    to more than one."""

    mark_optional = False
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *TaskStatus.choices])
    institution = forms.CharField(label=_("Institution"), required=False, max_length=100,
                                  help_text=_("Name or registration number"))
    deadline_passed = forms.BooleanField(label=_("Deadline passed"), required=False)
    unconfirmed = forms.BooleanField(label=_("Closed, not confirmed by data"), required=False)

    def __init__(self, *args, institution_filter: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not institution_filter:
            del self.fields["institution"]

    def filters(self) -> dict:
        """The valid filter values (a wrong one is shown as an error and ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


# --- the accreditation experts register ------------------------------------------------------------------


class ExpertProfileForm(GovukForm):
    qualifications = forms.CharField(label=_("Qualifications"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}),
                                     help_text=_("Education, degrees, experience in education quality evaluation."))
    areas = forms.ModelMultipleChoiceField(label=_("Areas"), queryset=InstitutionKind.objects.none(),
                                           required=False, widget=GovukCheckboxes(small=True),
                                           help_text=_("The kinds of institution you may evaluate."))
    languages = forms.MultipleChoiceField(label=_("Languages of instruction"), choices=InstructionLanguage.choices,
                                          required=False, widget=GovukCheckboxes(small=True),
                                          help_text=_("The languages of instruction you can evaluate in."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = InstitutionKind.objects.order_by("code")


class UnavailabilityForm(GovukForm):
    starts_on = GovukDateField(label=_("Not available from"))
    ends_on = GovukDateField(label=_("Not available until"))
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class ConflictForm(GovukForm):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    kind = forms.ChoiceField(label=_("Conflict of interest"), choices=ConflictKind.choices, widget=GovukRadios)
    until = conditional(GovukDateField(label=_("Worked there until"), required=False,
                                       help_text=_("Only if you worked at this institution in the past.")))
    note = conditional(forms.CharField(label=_("Note"), required=False, max_length=255,
                                       help_text=_("Needed for another conflict of interest: describe it.")))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.exclude(status="liquidated").order_by("name")
        self.fields["institution"].label_from_instance = lambda i: f"{i.name} ({i.registration_number})"


class TrainingForm(GovukForm):
    course = forms.CharField(label=_("Course"), max_length=255)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=1000)
    completed_on = GovukDateField(label=_("Completed on"))


class ExpertFilterForm(GovukForm):
    """The experts register's filters (in the page's query string)."""

    mark_optional = False
    area = forms.ModelChoiceField(label=_("Area"), required=False, queryset=InstitutionKind.objects.none(),
                                  empty_label=_("All areas"))
    language = forms.ChoiceField(label=_("Language of instruction"), required=False,
                                 choices=[("", _("All languages")), *InstructionLanguage.choices])
    available_on = GovukDateField(label=_("Available on"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = InstitutionKind.objects.order_by("code")

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}

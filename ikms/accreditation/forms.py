"""Forms of the case workflow (one per action), the rating form and the task forms."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.accreditation.choices import (
    CaseKind,
    EvaluationMode,
    Method,
    Outcome,
    Responsible,
    TargetOperator,
    TaskStatus,
)
from ikms.accreditation.framework import framework, self_evaluation, version_choices
from ikms.core.forms import GovukForm, SchoolYearFormField
from ikms.monitoring.selectors import indicators
from ikms.registry.forms import DecisionForm


def field_key(code: str) -> str:
    return code.replace(".", "_")


def _experts():
    today = timezone.localdate()
    return (User.objects.filter(role_assignments__role=Role.ACCREDITATION_EXPERT,
                                role_assignments__valid_from__lte=today)
            .filter(Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gte=today))
            .distinct().order_by("username"))


class ApplyForm(GovukForm):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=CaseKind.choices)
    version = forms.ChoiceField(label=_("Regulation"), choices=())
    head_goals = forms.CharField(label=_("Head's goals (SMART), agreed with the founder"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    founder_criterion = forms.CharField(label=_("Founder's criterion for the head (MK 618)"), required=False,
                                        max_length=255)
    founder_agreed = forms.BooleanField(label=_("The application is agreed with the founder"))

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["version"].choices = version_choices()
        self.fields["version"].initial = framework().version_on(timezone.localdate()).code


class WithdrawForm(GovukForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AppointForm(GovukForm):
    chair = forms.ModelChoiceField(label=_("Chair of the commission"), queryset=None)
    experts = forms.ModelMultipleChoiceField(label=_("Experts"), queryset=None,
                                             help_text=_("Hold Ctrl to choose more than one."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = self.fields["experts"].queryset = _experts()


class DeclareForm(GovukForm):
    no_conflict = forms.BooleanField(label=_("I declare that I have no conflict of interest in this case"),
                                     required=False)
    declaration = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(GovukForm):
    mode = forms.ChoiceField(label=_("Evaluation mode"), choices=EvaluationMode.choices)
    methods = forms.MultipleChoiceField(label=_("Methods"), choices=Method.choices,
                                        help_text=_("Hold Ctrl to choose more than one."))
    visit_start = forms.DateField(label=_("Evaluation starts"))
    visit_end = forms.DateField(label=_("Evaluation ends"))
    day_plan = forms.CharField(label=_("Day plan"), widget=forms.Textarea(attrs={"rows": 5}))


class RatingForm(GovukForm):
    """A level and a justification for every criterion of the case."""

    def __init__(self, *args, criteria, ratings, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        levels = [("", "—")] + [(lv.code, lv.name) for lv in framework().levels]
        for criterion in criteria:
            key = field_key(criterion.code)
            current = ratings.get(criterion.code)
            self.fields[f"level_{key}"] = forms.ChoiceField(
                label=_("%(criterion)s: level") % {"criterion": criterion.label}, choices=levels,
                initial=current.level if current else "")
            self.fields[f"justification_{key}"] = forms.CharField(
                label=_("%(criterion)s: justification and evidence") % {"criterion": criterion.label},
                widget=forms.Textarea(attrs={"rows": 2}), initial=current.justification if current else "")

    def ratings(self) -> dict:
        d = self.cleaned_data
        return {c.code: {"level": d[f"level_{field_key(c.code)}"],
                         "justification": d[f"justification_{field_key(c.code)}"]} for c in self.criteria}


class SelfRatingForm(GovukForm):
    """The institution's own level for every criterion (its self-evaluation)."""

    def __init__(self, *args, criteria, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        levels = [("", "—")] + [(lv.code, lv.name) for lv in framework().levels]
        for criterion in criteria:
            self.fields[f"self_{field_key(criterion.code)}"] = forms.ChoiceField(
                label=_("%(criterion)s: self-rating") % {"criterion": criterion.label}, choices=levels,
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
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices)
    years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=6, required=False)
    field_order = ["outcome", "years", "number", "date", "legal_basis", "justification"]


class HeadDecideForm(GovukForm):
    date = forms.DateField(label=_("Date of the outcome"))


class TaskForm(GovukForm):
    criterion = forms.ChoiceField(label=_("Criterion"), choices=())
    description = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline"))
    responsible = forms.ChoiceField(label=_("Responsible"), choices=Responsible.choices)
    indicator = forms.ChoiceField(label=_("Indicator that shows the result"), required=False, choices=())
    target_operator = forms.ChoiceField(label=_("Target"), required=False,
                                        choices=[("", "—"), *TargetOperator.choices])
    target_value = forms.FloatField(label=_("Target value"), required=False)
    target_year = SchoolYearFormField(label=_("By school year"), required=False, years=(), blank_label="—")

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.code, c.label) for c in criteria]
        names = sorted((code, info.name) for code, info in indicators().items())
        self.fields["indicator"].choices = [("", "—"), *names]
        this = timezone.localdate().year
        # the field lists its years newest first; given newest first, they are listed from the earliest
        self.fields["target_year"].years = [f"{y}/{y + 1}" for y in range(this + 3, this - 4, -1)]


class TaskUpdateForm(GovukForm):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SelfEvaluationForm(GovukForm):
    """The self-evaluation report: the sections (data/self_evaluation.yaml), a self-rating with a short
    justification for each of the 12 criteria, and rows of the head's SMART goals. On create it also
    asks for the institution and the school year."""

    def __init__(self, *args, report=None, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        if report is None:
            self.fields["institution"] = forms.ModelChoiceField(label=_("Institution"), queryset=institutions)
            if institutions is not None and len(institutions) == 1:
                self.fields["institution"].initial = institutions[0].pk
            self.fields["school_year"] = SchoolYearFormField(label=_("School year"),
                                                             help_text=_("For example 2024/2025"))
        sections = (report.sections if report else {}) or {}
        ratings = (report.self_ratings if report else {}) or {}
        goals = list((report.goals if report else []) or [])
        self.section_names, self.rating_names, self.goal_names = [], [], []
        for s in self_evaluation().sections:
            name = f"section_{s.code}"
            hint = _("Public part") if s.public else _("Non-public part")
            self.fields[name] = forms.CharField(label=s.name, required=False, help_text=hint,
                                                initial=sections.get(s.code, ""),
                                                widget=forms.Textarea(attrs={"rows": 4}))
            self.section_names.append(name)
        levels = [("", "—")] + [(lv.code, lv.name) for lv in framework().levels]
        for c in framework().criteria:
            key, current = field_key(c.code), ratings.get(c.code) or {}
            self.fields[f"level_{key}"] = forms.ChoiceField(
                label=_("%(criterion)s: self-rating") % {"criterion": c.label}, choices=levels, required=False,
                initial=current.get("level", ""))
            self.fields[f"justification_{key}"] = forms.CharField(
                label=_("%(criterion)s: justification") % {"criterion": c.code}, required=False,
                initial=current.get("justification", ""), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
            self.rating_names.append((f"level_{key}", f"justification_{key}"))
        for i in range(max(3, len(goals) + 1)):
            g = goals[i] if i < len(goals) else {}
            row = []
            for part, label in (("goal", _("Goal %(n)d")), ("measure", _("Goal %(n)d: measure or indicator")),
                                ("target", _("Goal %(n)d: target")), ("deadline", _("Goal %(n)d: deadline"))):
                name = f"goal_{i}_{part}"
                if part == "deadline":
                    field = forms.DateField(label=label % {"n": i + 1}, required=False, widget=forms.DateInput,
                                            initial=g.get(part) or None)
                else:
                    field = forms.CharField(label=label % {"n": i + 1}, required=False, initial=g.get(part, ""),
                                            max_length=500)
                self.fields[name] = field
                row.append(name)
            self.goal_names.append(row)

    def _bound(self, names):
        return [self[n] for n in names]

    def section_fields(self):
        return self._bound(self.section_names)

    def rating_fields(self):
        return [(self[a], self[b]) for a, b in self.rating_names]

    def goal_fields(self):
        return [self._bound(row) for row in self.goal_names]

    def content(self) -> dict:
        """The cleaned data in the service's shape."""
        d = self.cleaned_data
        sections = {s.code: d.get(f"section_{s.code}", "") for s in self_evaluation().sections}
        ratings = {c.code: {"level": d.get(f"level_{field_key(c.code)}", ""),
                            "justification": d.get(f"justification_{field_key(c.code)}", "")}
                   for c in framework().criteria}
        goals = []
        for row in self.goal_names:
            values = {name.rsplit("_", 1)[1]: d.get(name) for name in row}
            if values.get("deadline"):
                values["deadline"] = values["deadline"].isoformat()
            goals.append(values)
        return {"sections": sections, "self_ratings": ratings, "goals": goals}


class SelfEvaluationReviewForm(GovukForm):
    """The founder agrees the report or returns it with a comment."""

    decision = forms.ChoiceField(label=_("Decision"),
                                 choices=[("agree", _("Agree the report")), ("return", _("Return it to the head"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required when the report is returned."))

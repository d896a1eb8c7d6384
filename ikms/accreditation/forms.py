"""Forms of the case workflow (one per action), the rating form and the task forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from ikms.accreditation.framework import framework, version_choices
from ikms.core.forms import GovukForm
from ikms.registry.forms import DecisionForm


def field_key(code: str) -> str:
    return code.replace(".", "_")


def _experts():
    from django.db.models import Q

    from ikms.accounts.models import User

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
    target_year = forms.ChoiceField(label=_("By school year"), required=False, choices=())

    def __init__(self, *args, criteria, **kwargs):
        from ikms.monitoring.selectors import indicators

        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.code, c.label) for c in criteria]
        names = sorted((code, info.name) for code, info in indicators().items())
        self.fields["indicator"].choices = [("", "—"), *names]
        this = timezone.localdate().year
        years = [(f"{y}/{y + 1}", f"{y}/{y + 1}") for y in range(this - 3, this + 4)]
        self.fields["target_year"].choices = [("", "—"), *years]


class TaskUpdateForm(GovukForm):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

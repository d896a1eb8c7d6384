"""Monitoring forms: dashboard and risk-list filters, the visit plan."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.core.formatting import date_text
from ikms.core.forms import GovukForm, SchoolYearFormField
from ikms.monitoring.labels import LEVELS
from ikms.monitoring.models import VisitReason, VisitStatus
from ikms.registry.models import InstitutionType, Municipality


class YearForm(GovukForm):
    """The school year a monitoring page shows (query string `year`): one with results; left out, the latest."""

    year = SchoolYearFormField(label=_("School year"), required=False, years=())

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].years = years


class DashboardFilterForm(GovukForm):
    """School year, education level, institution type and municipality (the last two narrow the spread)."""

    year = SchoolYearFormField(label=_("School year"), required=False, years=())
    level = forms.ChoiceField(label=_("Education level"), required=False)
    type = forms.ChoiceField(label=_("Institution type"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, *args, years=(), municipalities=None, with_type=True, with_municipality=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].years = years
        self.fields["level"].choices = [("", _("All levels"))] + [(k, v) for k, v in LEVELS.items()]
        if with_type:
            self.fields["type"].choices = [("", _("All types"))] + [
                (t.code, t.name) for t in InstitutionType.objects.select_related("kind").order_by("kind__code",
                                                                                                  "code")]
        else:
            del self.fields["type"]
        if with_municipality:
            qs = municipalities if municipalities is not None else Municipality.objects.order_by("name_lv")
            self.fields["municipality"].choices = [("", _("All municipalities"))] + [(m.code, m.name) for m in qs]
        else:
            del self.fields["municipality"]

    def value(self, name: str, default: str = "") -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


class MunicipalityFilterForm(DashboardFilterForm):
    """A municipality's dashboard: school year, education level (the indicator tables), institution type (the
    institutions and the spread over them), and the ranking's filters: a risk rule triggered, a minimum risk score,
    only institutions with a triggered rule. The table's order (`sort`, `order`) is kept when filtering."""

    mark_optional = False

    rule = forms.ChoiceField(label=_("Risk rule triggered"), required=False)
    min_score = forms.IntegerField(label=_("Minimum risk score"), required=False, min_value=0, max_value=100,
                                   widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3",
                                                                 "inputmode": "numeric", "spellcheck": "false"}))
    at_risk = forms.BooleanField(label=_("Only institutions with a triggered risk rule"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    order = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, rules=(), **kwargs):
        kwargs.setdefault("with_municipality", False)
        super().__init__(*args, **kwargs)
        self.fields["level"].help_text = _("Narrows the indicator tables.")
        self.fields["type"].help_text = _("Narrows the institutions and the spread over them.")
        self.fields["rule"].choices = [("", _("All rules"))] + [(r.code, f"{r.name} ({r.code})") for r in rules]

    def ranking_filters(self) -> dict:
        """The ranking's filters of the address: each one that is valid (an invalid one is left out, and the form
        shows its error)."""
        if not self.is_bound:
            return {"rule": None, "min_score": 0, "at_risk_only": False}
        self.is_valid()
        data = self.cleaned_data
        return {"rule": data.get("rule") or None, "min_score": data.get("min_score") or 0,
                "at_risk_only": bool(data.get("at_risk"))}


class RiskFilterForm(DashboardFilterForm):
    rule = forms.ChoiceField(label=_("Risk rule"), required=False)

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["level"]
        self.fields["rule"].choices = [("", _("All rules"))] + [(r.code, f"{r.code} — {r.name}") for r in rules]


class VisitPlanForm(GovukForm):
    planned_date = forms.DateField(label=_("Planned date"), widget=forms.DateInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=VisitReason.choices)
    note = forms.CharField(label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Required for a risk-based visit without risk data."))


class VisitStatusForm(GovukForm):
    status = forms.ChoiceField(label=_("New status"),
                               choices=[(VisitStatus.DONE, VisitStatus.DONE.label),
                                        (VisitStatus.CANCELLED, VisitStatus.CANCELLED.label)])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Required when the visit is cancelled."))


class VisitFilterForm(GovukForm):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *list(VisitStatus.choices)])
    reason = forms.ChoiceField(label=_("Reason"), required=False,
                               choices=[("", _("All reasons")), *list(VisitReason.choices)])


class DataQualityFilterForm(GovukForm):
    """School year, source, municipality (for those who see the nation) and which institutions to list."""

    year = SchoolYearFormField(label=_("School year"), required=False, years=())
    source = forms.ChoiceField(label=_("Data source"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    show = forms.ChoiceField(label=_("Institutions to list"), required=False)

    def __init__(self, *args, years=(), sources=(), listings=(), municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].years = years
        self.fields["source"].choices = [("", _("All sources")), *sources]
        self.fields["show"].choices = list(listings)
        if municipalities is not None:
            self.fields["municipality"].choices = [("", _("All municipalities"))] + [
                (m.code, m.name) for m in municipalities]
        else:
            del self.fields["municipality"]


class VisitPlanProposeForm(GovukForm):
    """The visit planner's inputs: the plan year, the expert-days available, the share drawn at random, a seed."""

    year = forms.CharField(label=_("Plan year"), max_length=9, help_text=_("A school year, e.g. 2025/2026."))
    capacity = forms.DecimalField(label=_("Expert-days available"), min_value=0, max_digits=7, decimal_places=1)
    random_share = forms.DecimalField(label=_("Share drawn at random (%)"), min_value=0, max_value=100,
                                      max_digits=5, decimal_places=1, initial=10,
                                      help_text=_("Part of the expert-days for visits drawn at random, so that "
                                                  "the risk ranking's misses can be measured."))
    seed = forms.IntegerField(label=_("Seed of the random draw (optional)"), required=False, min_value=0,
                              help_text=_("Leave empty to draw a new one; it is recorded with the plan. The same "
                                          "seed with the same data repeats the draw."))


class VisitPlanAddForm(GovukForm):
    """A visit added to a plan by hand, with the reason for the edit."""

    registration_number = forms.CharField(label=_("Registration number of the institution"), max_length=10)
    planned_date = forms.DateField(label=_("Planned date"), widget=forms.DateInput)
    visit_reason = forms.ChoiceField(label=_("Reason for the visit"), choices=VisitReason.choices)
    reason = forms.CharField(label=_("Why is the plan changed?"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)


class VisitPlanChangeForm(GovukForm):
    """A planned visit moved to another date or taken off the plan, with the reason for the edit."""

    entry = forms.TypedChoiceField(label=_("Visit"), coerce=int)
    change = forms.ChoiceField(label=_("Change"), widget=forms.RadioSelect,
                               choices=[("move", _("Change the date")), ("remove", _("Remove from the plan"))])
    planned_date = forms.DateField(label=_("New date"), widget=forms.DateInput, required=False,
                                   help_text=_("Only when changing the date."))
    reason = forms.CharField(label=_("Why is the plan changed?"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(e.pk, f"{e.institution.name} · {date_text(e.planned_date)}")
                                        for e in entries]

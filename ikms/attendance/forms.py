from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.attendance.choices import ActionKind, Level, Outcome, Reason
from ikms.core.forms import GovukDateField, GovukForm, GovukRadios, SchoolYearFormField
from ikms.core.school_year import school_year_of
from ikms.registry.models import Municipality


class ListFilterForm(GovukForm):
    """The list's filters in the query string (each may be left out)."""

    year = SchoolYearFormField(label=_("School year"), required=False)


class ReportForm(GovukForm):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Municipality.objects.none())
    personal_code = forms.CharField(
        label=_("Learner's personal code"),
        max_length=20,
        help_text=_("Used only to find the learner's pseudonym; it is not kept."),
    )
    learner_name = forms.CharField(label=_("Learner's name"), max_length=200)
    parent_contact = forms.CharField(label=_("Parents' contact (phone or e-mail)"), max_length=300, required=False)
    residence = forms.ModelChoiceField(
        label=_("Municipality of the learner's declared residence"), queryset=Municipality.objects.order_by("name_lv")
    )
    school_year = SchoolYearFormField(label=_("School year"))
    semester = forms.TypedChoiceField(label=_("Semester"), choices=[(1, "1"), (2, "2")], coerce=int, widget=GovukRadios)
    level = forms.ChoiceField(label=_("Education level"), choices=Level.choices, widget=GovukRadios)
    reason = forms.ChoiceField(label=_("Main reason"), choices=[("", _("Not known")), *Reason.choices], required=False)

    def __init__(self, *args, institutions, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["school_year"].initial = school_year_of(today)


class ActionForm(GovukForm):
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices, widget=GovukRadios)
    taken_on = GovukDateField(label=_("Date"), help_text=_("For example 27 3 2025"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CloseForm(GovukForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=GovukRadios)

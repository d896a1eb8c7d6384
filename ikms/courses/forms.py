"""Forms of IKVD's courses and events: a course, an event, a participant enrolled by IKVD's staff, the attendance
marks of an event. The services check everything again and write nothing when anything is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikms.accounts.models import User
from ikms.core.forms import GovukCheckboxes, GovukDateField, GovukForm, conditional
from ikms.courses.choices import Attendance, Audience
from ikms.courses.services import CourseInput


class CourseForm(GovukForm):
    name_lv = forms.CharField(label=_("Title in Latvian"), max_length=255)
    name_en = forms.CharField(label=_("Title in English"), max_length=255, required=False)
    programme_lv = forms.CharField(
        label=_("Programme in Latvian"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The topics, in the order taught"),
    )
    programme_en = forms.CharField(
        label=_("Programme in English"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=GovukCheckboxes(small=True),
        help_text=_("Heads, founders and experts may enrol themselves in the courses meant for them."),
    )
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=500)
    organiser = forms.CharField(label=_("Organiser"), max_length=255, initial="Izglītības kvalitātes valsts dienests")

    def course_input(self) -> CourseInput:
        d = self.cleaned_data
        return CourseInput(
            name_lv=d["name_lv"],
            name_en=d["name_en"],
            programme_lv=d["programme_lv"],
            programme_en=d["programme_en"],
            audiences=list(d["audiences"]),
            hours=d["hours"],
            organiser=d["organiser"],
        )


class EventForm(GovukForm):
    starts_on = GovukDateField(label=_("First day"))
    ends_on = conditional(
        GovukDateField(label=_("Last day"), required=False, help_text=_("Only for an event of several days"))
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    place = conditional(
        forms.CharField(
            label=_("Place"),
            max_length=255,
            required=False,
            help_text=_("The address or room; not needed for an online event"),
        )
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)


class EnrolOtherForm(GovukForm):
    """IKVD's staff enrol a user (by sign-in name) or an outside person (by name)."""

    username = conditional(
        forms.CharField(
            label=_("User's sign-in name"),
            max_length=150,
            required=False,
            help_text=_("For a participant who uses IKMS"),
        )
    )
    person_name = conditional(
        forms.CharField(
            label=_("Name and surname"),
            max_length=160,
            required=False,
            help_text=_("Only for a participant who does not use IKMS"),
        )
    )

    def clean(self):
        data = super().clean()
        username, name = data.get("username", "").strip(), data.get("person_name", "").strip()
        if bool(username) == bool(name):
            raise forms.ValidationError(
                _("Enter either a user's sign-in name or the name of a person who does not use IKMS.")
            )
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                self.add_error("username", _("No active user has this sign-in name."))
            data["user"] = user
        else:
            data["user"] = None
        return data


class EnrolForm(GovukForm):
    """A participant's own enrolment: nothing to fill in, a confirmation."""


class AttendanceForm(GovukForm):
    """One mark per participant."""

    def __init__(self, *args, registrations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        for r in self.registrations:
            self.fields[f"mark_{r.pk}"] = forms.ChoiceField(
                label=r.person_name, choices=Attendance.choices, initial=r.attendance
            )

    def marks(self) -> dict[int, str]:
        return {r.pk: self.cleaned_data[f"mark_{r.pk}"] for r in self.registrations}


class IssueCertificatesForm(GovukForm):
    """A confirmation: issue the certificates of those who completed."""

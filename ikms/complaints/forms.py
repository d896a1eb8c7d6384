"""Forms of the complaint pages (GOV.UK markup through ikms.core.forms). They parse the input; the services decide
the rest, and their messages land on the same fields."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from analytics.complaints.topics import load_topics
from ikms.complaints.choices import Audience, Channel, ConsultationChannel, Outcome, SubmitterType
from ikms.core.forms import GovukCheckboxes, GovukDateField, GovukForm, GovukRadios, conditional
from ikms.registry.models import Founder, Institution


def topic_choices() -> list[tuple[str, str]]:
    lang = "en" if (get_language() or "lv").startswith("en") else "lv"
    return [(t.code, t.name[lang]) for t in load_topics()]


class _Topics:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "topics" in self.fields:
            self.fields["topics"].choices = topic_choices()
        if "topic" in self.fields:
            self.fields["topic"].choices = topic_choices()


class ComplaintRegisterForm(_Topics, GovukForm):
    received_on = GovukDateField(label=_("Received on"), help_text=_("For example 27 3 2025"))
    channel = forms.ChoiceField(label=_("Received by"), choices=Channel.choices, widget=GovukRadios)
    submitter_type = forms.ChoiceField(label=_("Submitter"), choices=SubmitterType.choices, widget=GovukRadios)
    submitter_name = forms.CharField(label=_("Submitter's name"), max_length=200, required=False)
    submitter_contact = forms.CharField(
        label=_("Submitter's contact (e-mail or address)"), max_length=300, required=False
    )
    personal_code = forms.CharField(
        label=_("Personal code"),
        max_length=20,
        required=False,
        help_text=_("Not stored: only a keyed hash is kept, to find repeated submissions."),
    )
    anonymous = forms.BooleanField(label=_("Keep the submitter's identity confidential"), required=False)
    institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions concerned"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    topics = forms.MultipleChoiceField(label=_("Topics"), widget=GovukCheckboxes, required=False)
    text = forms.CharField(
        label=_("Content of the complaint"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Enter the content of the complaint.")},
    )


class TopicsForm(_Topics, GovukForm):
    topics = forms.MultipleChoiceField(
        label=_("Topics"), widget=GovukCheckboxes, error_messages={"required": _("Choose at least one topic.")}
    )


class ForwardForm(GovukForm):
    founder = conditional(
        forms.ModelChoiceField(label=_("The founder"), queryset=Founder.objects.order_by("name"), required=False)
    )
    other_authority = conditional(forms.CharField(label=_("Or another authority"), max_length=300, required=False))
    summary = conditional(
        forms.CharField(
            label=_("What the founder is asked to examine"),
            help_text=_("The founder sees this instead of the complaint's text: leave out the submitter's identity."),
            widget=forms.Textarea(attrs={"rows": 5}),
            required=False,
        )
    )
    forwarded_on = GovukDateField(label=_("Forwarded on"), help_text=_("For example 27 3 2025"))


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=GovukRadios,
        choices=[(v, label) for v, label in Outcome.choices if v not in ("referred_founder", "referred_other")],
    )


class ReplyForm(GovukForm):
    addressee = forms.CharField(
        label=_("Addressee"),
        max_length=300,
        required=False,
        help_text=_("A name and an address; the submitter's, if left empty."),
    )
    text = forms.CharField(
        label=_("The answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the answer.")},
    )


class FounderAnswerForm(GovukForm):
    text = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the answer.")},
    )


class AppealForm(GovukForm):
    note = forms.CharField(
        label=_("Appeal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the appeal.")},
    )


class CloseForm(GovukForm):
    closed_on = GovukDateField(label=_("Closed on"), help_text=_("For example 27 3 2025"))


class ConsultationForm(_Topics, GovukForm):
    given_on = GovukDateField(label=_("Date"), help_text=_("For example 27 3 2025"))
    topic = forms.ChoiceField(label=_("Topic"), widget=GovukRadios)
    audience = forms.ChoiceField(label=_("Who was consulted"), choices=Audience.choices, widget=GovukRadios)
    channel = forms.ChoiceField(label=_("How"), choices=ConsultationChannel.choices, widget=GovukRadios)
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), min_value=1, max_value=600)
    contact = forms.CharField(label=_("Contact for the satisfaction survey"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PublicComplaintForm(_Topics, GovukForm):
    """The portal's complaint form: a honeypot field (hidden from people) and the time the form was shown."""

    submitter_type = forms.ChoiceField(label=_("You are"), choices=SubmitterType.choices, widget=GovukRadios)
    submitter_name = forms.CharField(
        label=_("Your name"), max_length=200, error_messages={"required": _("Enter your name.")}
    )
    submitter_contact = forms.CharField(
        label=_("Your e-mail or postal address"),
        max_length=300,
        error_messages={"required": _("Enter where we should send the answer.")},
    )
    anonymous = forms.BooleanField(
        label=_("Do not disclose my identity to the institution or its founder"), required=False
    )
    institution_name = forms.CharField(label=_("The institution concerned"), max_length=300, required=False)
    text = forms.CharField(
        label=_("Your complaint"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Enter your complaint.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown_at = forms.CharField(widget=forms.HiddenInput, required=False)


class SurveyForm(GovukForm):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how IKVD dealt with your matter?"),
        coerce=int,
        widget=GovukRadios,
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Neither satisfied nor dissatisfied")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
        error_messages={"required": _("Choose how satisfied you are, from 1 to 5.")},
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
